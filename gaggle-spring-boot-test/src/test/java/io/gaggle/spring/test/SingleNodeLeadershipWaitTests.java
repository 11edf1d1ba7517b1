package io.gaggle.spring.test;

import java.time.Duration;
import java.util.UUID;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The wait for leadership is bounded, and says why the context cannot start.
 */
class SingleNodeLeadershipWaitTests {

    /** One of two: it can never lead alone. */
    private final Gaggle node = Gaggle.builder()
        .id("node-a")
        .clusterSize(2)
        .channel(ChannelConfig.memory("wait-" + UUID.randomUUID()))
        .build();

    @AfterEach
    void closeNode() {
        this.node.close().join();
    }

    @Test
    void nodeThatDoesNotLeadInTimeFailsTheStartNamingTheNodeAndTheWait() {
        this.node.start();
        SingleNodeLeadershipWait wait = new SingleNodeLeadershipWait(this.node, Duration.ofMillis(600));

        assertThatIllegalStateException().isThrownBy(wait::start)
            .withMessageContaining("node-a did not lead its single-node test cluster within PT0.6S")
            .withMessageContaining("gaggle.cluster-size");
    }
}
