package io.gaggle.raft;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a leader's {@link FollowerTracker} says a majority agrees on, the leader's own state included.
 */
class FollowerTrackerTest {

    private static FollowerTracker leaderOf(int clusterSize, String... followers) {
        FollowerTracker tracker = new FollowerTracker(new RaftConfig("leader", clusterSize, 100, 200, 20, true, 8,
                4096, 4, true));
        for (String follower : followers) {
            tracker.heard(follower, 0);
        }
        tracker.startLeading(0, 0);
        return tracker;
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
