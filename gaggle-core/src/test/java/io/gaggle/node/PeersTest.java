package io.gaggle.node;

import java.util.List;

import io.gaggle.Gaggle;
import io.gaggle.PeerStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What {@link Gaggle#getPeers()} tells an operator, on the leader and on a follower. */
class PeersTest {

    @Test
    void theLeaderListsEachFollowerWithTheIndexItsLogMatchesUpTo() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            leader.append("x").join();
            long last = leader.getStatus().lastLogIndex();

            await().untilAsserted(() -> assertThat(leader.getPeers())
                    .extracting(PeerStatus::id)
                    .containsExactlyInAnyOrderElementsOf(
                            cluster.nodes().stream().filter(node -> node != leader).map(Gaggle::getId).toList()));
            await().untilAsserted(() -> assertThat(leader.getPeers())
                    .extracting(PeerStatus::progress)
                    .containsOnly(new PeerStatus.Progress(last, last + 1, false)));
        }
    }

    @Test
    void aFollowerListsThePeersItHearsWithoutProgress() {
        try (TestCluster cluster = new TestCluster(3)) {
            Gaggle leader = cluster.awaitLeader();
            Gaggle follower = cluster.aFollower();

            await().untilAsserted(() -> {
                List<PeerStatus> peers = follower.getPeers();
                assertThat(peers).extracting(PeerStatus::id).contains(leader.getId()).doesNotContain(follower.getId());
                assertThat(peers).extracting(PeerStatus::progress).containsOnlyNulls();
                assertThat(peers).allSatisfy(peer -> assertThat(peer.lastHeardMillis()).isNotNegative());
            });
        }
    }
}
