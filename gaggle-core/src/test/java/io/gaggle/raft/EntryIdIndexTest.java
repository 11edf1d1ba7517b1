package io.gaggle.raft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EntryIdIndex} answers as a {@code HashMap} would, through growth and removals.
 */
class EntryIdIndexTest {

    @Test
    void agreesWithAHashMapUnderRandomPutsAndRemovals() {
        Random random = new Random(7);
        EntryIdIndex index = new EntryIdIndex();
        Map<String, Long> reference = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (int step = 0; step < 200_000; step++) {
            int action = random.nextInt(10);
            if (action < 6 || ids.isEmpty()) {
                String id = "id-" + random.nextInt(50_000);
                long value = random.nextInt(1_000_000);
                index.put(id, value);
                if (reference.put(id, value) == null) {
                    ids.add(id);
                }
            } else if (action < 8) {
                String id = ids.remove(random.nextInt(ids.size()));
                index.remove(id);
                reference.remove(id);
            } else {
                String id = "id-" + random.nextInt(60_000);
                assertThat(index.get(id)).as(id).isEqualTo(reference.getOrDefault(id, -1L));
            }
        }
        reference.forEach((id, value) -> assertThat(index.get(id)).as(id).isEqualTo(value));
    }

    @Test
    void anUnknownIdIsAbsent() {
        assertThat(new EntryIdIndex().get("nope")).isEqualTo(-1);
    }
}
