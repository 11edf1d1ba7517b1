package io.gaggle.node;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTest {

    @Test
    void idsOfOneNodeNeverRepeat() {
        RequestIds ids = new RequestIds();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(ids.next())).isTrue();
        }
    }

    @Test
    void twoNodesDrawDifferentIds() {
        assertThat(new RequestIds().next()).isNotEqualTo(new RequestIds().next());
    }

    @Test
    void idsHaveTheShapeOfAUuid() {
        String id = new RequestIds().next();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    }
}
