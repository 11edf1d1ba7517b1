package io.gaggle.node;

import java.util.List;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.codec.EnvelopeCodec;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Data that peers would refuse is refused by {@code append} at once, whichever mapper wrote it.
 */
class AppendedDataBoundsTest {

    @Test
    void dataNestedDeeperThanPeersReadIsRefusedWithTheDefaultMapper() {
        assertRefused(JsonMapper.builder().build());
    }

    @Test
    void dataNestedDeeperThanPeersReadIsRefusedWhenTheMapperWouldWriteIt() {
        JsonFactory deep = JsonFactory.builder()
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(10_000).build()).build();
        assertRefused(JsonMapper.builder(deep).build());
    }

    private static void assertRefused(JsonMapper mapper) {
        Gaggle node = Gaggle.builder().id("a").clusterSize(1).channel(ChannelConfig.memory("bounds-" + mapper.hashCode()))
                .jsonMapper(mapper).build();
        try {
            assertThatThrownBy(() -> node.append(nested(EnvelopeCodec.MAX_DATA_DEPTH + 1)))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            node.close().join();
        }
    }

    private static Object nested(int depth) {
        Object value = 1;
        for (int i = 0; i < depth; i++) {
            value = List.of(value);
        }
        return value;
    }
}
