package io.gaggle.node;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fixed membership: a cluster whose members are named hears nobody else.
 */
class MembersTest {

    @Test
    void aNodeThatIsNotAMemberIsNotHeard() throws Exception {
        String hub = "members-" + UUID.randomUUID();
        List<String> members = List.of("node-0", "node-1", "node-2");
        try (TestCluster cluster = new TestCluster(3, () -> ChannelConfig.memory(hub),
                builder -> builder.members(members))) {
            Gaggle stranger = Gaggle.builder().id("stranger").clusterSize(3).channel(ChannelConfig.memory(hub)).build();
            stranger.start();
            try {
                Gaggle leader = cluster.awaitLeader();
                stranger.append("from a stranger", Duration.ofMillis(500)).exceptionally(failure -> null);
                leader.append("from a member").get(10, TimeUnit.SECONDS);

                await().atMost(Duration.ofSeconds(5)).until(() -> leader.getStatus().droppedMessages() > 0);
                assertThat(TestCluster.committed(leader)).containsExactly("from a member");
            } finally {
                stranger.close().join();
            }
        }
    }
}
