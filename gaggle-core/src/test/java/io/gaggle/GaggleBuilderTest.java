package io.gaggle;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Gaggle.Builder} rejects invalid settings with a message naming the setting.
 */
class GaggleBuilderTest {

    private static Gaggle.Builder valid() {
        return Gaggle.builder().id("a").clusterSize(3).channel(ChannelConfig.memory("builder-test"));
    }

    @Test
    void aMissingIdIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().id(null).build()).withMessageContaining("id");
    }

    @Test
    void aBlankIdIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().id("  ").build()).withMessageContaining("id");
    }

    @Test
    void aMissingClusterSizeIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Gaggle.builder().id("a").channel(ChannelConfig.memory()).build())
                .withMessageContaining("clusterSize");
    }

    @Test
    void aClusterSizeBelowOneIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().clusterSize(0).build())
                .withMessageContaining("clusterSize must be at least 1");
    }

    @Test
    void aMissingChannelIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().channel(null).build())
                .withMessageContaining("channel");
    }

    @Test
    void anElectionTimeoutMinAboveMaxIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> valid().electionTimeout(Duration.ofMillis(500), Duration.ofMillis(300)).build())
                .withMessageContaining("electionTimeout min");
    }

    @Test
    void aNegativeElectionTimeoutIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> valid().electionTimeout(Duration.ofMillis(-1), Duration.ofMillis(300)).build())
                .withMessageContaining("electionTimeout min must be positive");
    }

    @Test
    void aZeroHeartbeatIntervalIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().heartbeatInterval(Duration.ZERO).build())
                .withMessageContaining("heartbeatInterval must be positive");
    }

    @Test
    void aHeartbeatIntervalNotShorterThanTheElectionTimeoutIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().heartbeatInterval(Duration.ofMillis(300)).build())
                .withMessageContaining("heartbeatInterval (300 ms) must be shorter than electionTimeout min");
    }

    @Test
    void anRpcNameRegisteredTwiceIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> valid().rpc("foo", (leader, args) -> 1).rpc("foo", (leader, args) -> 2))
                .withMessageContaining("'foo' is registered twice");
    }

    @Test
    void nullDataIsRejectedOnAppend() {
        Gaggle node = valid().build();
        try {
            assertThatIllegalArgumentException().isThrownBy(() -> node.append(null))
                    .withMessageContaining("data must not be null");
        } finally {
            node.close().join();
        }
    }

    @Test
    void aNegativeTimeoutIsRejectedOnAppend() {
        Gaggle node = valid().build();
        try {
            assertThatIllegalArgumentException().isThrownBy(() -> node.append("x", Duration.ofMillis(-5)))
                    .withMessageContaining("timeout must not be negative");
        } finally {
            node.close().join();
        }
    }
}
