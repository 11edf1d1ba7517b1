package io.gaggle.raft;

import io.gaggle.PeerStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a leader's {@link FollowerTracker} says a majority agrees on, the leader's own state
 * included; and how many peers it knows.
 */
class FollowerTrackerTest {

    private static final RaftConfig THREE_NODES = new RaftConfig("leader", 3, 100, 200, 20, true, 8, 4096, 4, true, 100_000, 0, 0,
            RaftConfig.SNAPSHOT_CHUNK_BYTES);

    private static FollowerTracker leaderOf(int clusterSize, String... followers) {
        FollowerTracker tracker = new FollowerTracker(new RaftConfig("leader", clusterSize, 100, 200, 20, true, 8,
                4096, 4, true, 100_000, 0, 0, RaftConfig.SNAPSHOT_CHUNK_BYTES));
        for (String follower : followers) {
            tracker.heard(follower, 0);
        }
        tracker.startLeading(0, 0);
        return tracker;
    }

    /** A tracker of a three-node cluster, knowing as many peers as it may, each heard at 0. */
    private static FollowerTracker full() {
        FollowerTracker tracker = new FollowerTracker(THREE_NODES);
        for (int i = 0; i < THREE_NODES.maxPeers(); i++) {
            assertThat(tracker.admits("peer-" + i, 0)).isTrue();
            tracker.heard("peer-" + i, 0);
        }
        return tracker;
    }

    @Test
    void aNewPeerIsNotAdmittedWhileEveryKnownPeerWasHeardWithinTheSilenceLimit() {
        FollowerTracker tracker = full();

        assertThat(tracker.admits("ghost", THREE_NODES.peerSilenceLimit())).isFalse();
        assertThat(tracker.admits("peer-0", THREE_NODES.peerSilenceLimit())).as("known peers still are").isTrue();
    }

    @Test
    void aPeerSilentPastTheLimitMakesRoomForANewOne() {
        FollowerTracker tracker = full();
        long later = THREE_NODES.peerSilenceLimit();
        for (int i = 1; i < THREE_NODES.maxPeers(); i++) {
            tracker.heard("peer-" + i, later);
        }

        assertThat(tracker.admits("new", later + 1)).isTrue();
        tracker.heard("new", later + 1);
        assertThat(tracker.admits("peer-0", later + 1)).as("forgotten, and no room left").isFalse();
    }

    @Test
    void aFloodOfNewIdsPushesOutNoPeerThatKeepsBeingHeard() {
        FollowerTracker tracker = new FollowerTracker(THREE_NODES);
        tracker.heard("a", 0);
        tracker.heard("b", 0);
        tracker.startLeading(0, 0);
        for (long now = 0; now < 100 * THREE_NODES.peerSilenceLimit(); now += 10) {
            String ghost = "ghost-" + now;
            if (tracker.admits(ghost, now)) {
                tracker.heard(ghost, now);
                tracker.track(ghost, 0, now);
            }
            tracker.heard("a", now);
            tracker.heard("b", now);
        }

        assertThat(tracker.get("a")).isNotNull();
        assertThat(tracker.get("b")).isNotNull();
        assertThat(tracker.all()).hasSizeLessThanOrEqualTo(THREE_NODES.maxPeers());
    }

    @Test
    void aForgottenPeerLosesItsProgressToo() {
        FollowerTracker tracker = leaderOf(3, "a", "b");
        tracker.heard("b", THREE_NODES.peerSilenceLimit());

        tracker.forgetSilentPeers(THREE_NODES.peerSilenceLimit() + 1);

        assertThat(tracker.get("a")).isNull();
        assertThat(tracker.get("b")).isNotNull();
    }

    @Test
    void peersShowHowLongAgoEachWasHeardAndWhatTheLeaderKnowsOfItsLog() {
        FollowerTracker tracker = leaderOf(3, "a", "b");
        tracker.get("a").acknowledged(4, 10);
        tracker.get("b").sendSnapshot(9, 2);
        tracker.heard("a", 10);

        assertThat(tracker.peers(25)).containsExactly(
                new PeerStatus("a", 15, new PeerStatus.Progress(4, 5, false)),
                new PeerStatus("b", 25, new PeerStatus.Progress(-1, 0, true)));
    }

    @Test
    void peersHaveNoProgressOnANodeThatDoesNotLead() {
        FollowerTracker tracker = leaderOf(3, "a");
        tracker.stopLeading();

        assertThat(tracker.peers(5)).containsExactly(new PeerStatus("a", 5, null));
    }

    @Test
    void theMajorityMatchIndexIsTheHighestIndexAMajorityHolds() {
        FollowerTracker tracker = leaderOf(5, "a", "b", "c", "d");
        tracker.get("a").acknowledged(7, 1);
        tracker.get("b").acknowledged(4, 1);
        tracker.get("c").acknowledged(2, 1);

        assertThat(tracker.majorityMatchIndex(9)).as("the leader (9), a (7) and b (4) hold 4").isEqualTo(4);
    }

    @Test
    void noIndexIsHeldByAMajorityWhileFewerPeersThanAMajorityAreKnown() {
        FollowerTracker tracker = leaderOf(5, "a");
        tracker.get("a").acknowledged(7, 1);

        assertThat(tracker.majorityMatchIndex(9)).isEqualTo(-1);
    }

    @Test
    void aLoneNodeIsItsOwnMajority() {
        FollowerTracker tracker = leaderOf(1);

        assertThat(tracker.majorityMatchIndex(3)).isEqualTo(3);
        assertThat(tracker.majorityAcknowledgedRound(5)).isTrue();
        assertThat(tracker.majorityHeardSince(10, 10)).isTrue();
    }

    @Test
    void checkQuorumCountsTheLeaderAndTheFollowersHeardSince() {
        FollowerTracker tracker = leaderOf(5, "a", "b", "c", "d");
        tracker.get("a").lastHeardAt = 150;
        tracker.get("b").lastHeardAt = 120;
        tracker.get("c").lastHeardAt = 90;

        assertThat(tracker.majorityHeardSince(100, 200)).as("leader, a and b").isTrue();
        assertThat(tracker.majorityHeardSince(130, 200)).as("leader and a only").isFalse();
    }

    @Test
    void aReadRoundIsConfirmedOnceAMajorityAnsweredIt() {
        FollowerTracker tracker = leaderOf(3, "a", "b");
        tracker.get("a").ackedRound = 4;

        assertThat(tracker.majorityAcknowledgedRound(4)).as("leader and a").isTrue();
        assertThat(tracker.majorityAcknowledgedRound(5)).isFalse();
    }

    @Test
    void followersInStepShareOneNextIndexUnlessALiveOneIsCatchingUp() {
        FollowerTracker tracker = leaderOf(3, "a", "b");
        for (String follower : new String[] {"a", "b"}) {
            tracker.get(follower).acknowledged(-1, 0); // answered the probe: replicating from 0
            tracker.get(follower).due = true;
        }
        assertThat(tracker.commonNextIndex(10)).isEqualTo(0);

        tracker.get("b").probeFrom(0);
        assertThat(tracker.commonNextIndex(10)).as("b is live and probing").isEqualTo(-1);
        assertThat(tracker.commonNextIndex(500)).as("b went silent; a alone is no broadcast").isEqualTo(-1);
    }

    @Test
    void theMostUpToDateFollowerIsTheLiveOneThatMatchesFurthest() {
        FollowerTracker tracker = leaderOf(5, "a", "b", "c");
        tracker.get("a").acknowledged(3, 0);
        tracker.get("b").acknowledged(8, 0);
        tracker.get("c").acknowledged(9, 0);
        tracker.get("c").lastHeardAt = -200;

        assertThat(tracker.mostUpToDate(50)).as("c matches further but is silent").isEqualTo("b");
    }
}
