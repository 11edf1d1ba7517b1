package io.gaggle.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.gaggle.LogEntry;
import io.gaggle.Role;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single {@link RaftNode}s driven message by message, for scenarios too precise for the random
 * simulation to reach.
 */
class RaftNodeTest {

    /** Records what the node sends, and the reads it completes; ignores the rest. */
    private static final class Recorder extends RaftOutputAdapter {

        final List<RaftMessage> sent = new ArrayList<>();
        /** Each message as "to:type", with "*" for a broadcast. */
        final List<String> routes = new ArrayList<>();

        @Override
        public void send(String to, RaftMessage message) {
            sent.add(message);
            routes.add(to + ":" + message.getClass().getSimpleName());
        }

        @Override
        public void broadcast(RaftMessage message) {
            sent.add(message);
            routes.add("*:" + message.getClass().getSimpleName());
        }

        @Override
        public void readCompleted(String requestId, long readIndex) {
            sent.add(new ReadIndexResponse(requestId, readIndex));
        }

        final List<String> dropped = new ArrayList<>();

        @Override
        public void dropped(String from, String reason) {
            dropped.add(from + ": " + reason);
        }

        final List<String> lost = new ArrayList<>();

        @Override
        public void committedEntryLost(long index, String reason) {
            lost.add(index + ": " + reason);
        }
    }

    /** Node c of a three-node cluster, following leader a in term 1. */
    private RaftNode followerOfA() {
        RaftNode c = node(3);
        c.start(0);
        c.handle("a", new AppendEntriesRequest(1, -1, 0, List.of(), -1, 1), 10);
        out.sent.clear();
        return c;
    }

    @Test
    void aFollowerWhoseCommittedEntryTheClusterLostReportsItAndFollowsTheLeader() {
        RaftNode c = followerOfA();
        c.handle("a", new AppendEntriesRequest(1, -1, 0, List.of(entry("x").withTerm(1)), 0, 2), 20);
        assertThat(c.commitIndex()).isEqualTo(0);

        c.handle("b", new AppendEntriesRequest(2, -1, 0, List.of(entry("y").withTerm(2)), -1, 1), 1_000);

        assertThat(out.lost).singleElement().asString().startsWith("0: entry 0 (id x, term 1) was committed")
                .contains("leader b of term 2 holds entry y");
        assertThat(c.logEntries()).extracting(LogEntry::id).containsExactly("y");
        assertThat(out.sent).last().isEqualTo(AppendEntriesResponse.matched(2, 0, 1));
    }

    private static RequestVoteRequest transferVote(long term) {
        return new RequestVoteRequest(term, -1, 0, false, true);
    }

    @Test
    void aVoteRequestClaimingATransferIsIgnoredWhileTheLeaderIsHealthyAndAnnouncedNone() {
        RaftNode c = followerOfA();

        c.handle("mallory", transferVote(2), 20);

        assertThat(c.currentTerm()).isEqualTo(1);
        assertThat(c.leaderId()).isEqualTo("a");
        assertThat(out.sent).isEmpty();
    }

    @Test
    void aVoteRequestFromTheTargetTheLeaderAnnouncedIsGranted() {
        RaftNode c = followerOfA();
        c.handle("a", new TimeoutNowRequest(1, "b"), 20);

        c.handle("b", transferVote(2), 21);

        assertThat(c.currentTerm()).isEqualTo(2);
        assertThat(c.votedFor()).isEqualTo("b");
        assertThat(out.sent).containsExactly(new RequestVoteResponse(2, true, false));
    }

    @Test
    void aTransferAnnouncedForAnotherNodeDoesNotLetAThirdOneThrough() {
        RaftNode c = followerOfA();
        c.handle("a", new TimeoutNowRequest(1, "b"), 20);

        c.handle("mallory", transferVote(2), 21);

        assertThat(c.currentTerm()).isEqualTo(1);
        assertThat(out.sent).isEmpty();
    }

    @Test
    void aHigherTermFromANodeOtherThanTheHealthyLeaderIsIgnored() {
        RaftNode c = followerOfA();

        c.handle("mallory", new AppendEntriesRequest(2, -1, 0, List.of(), -1, 1), 20);

        assertThat(c.currentTerm()).isEqualTo(1);
        assertThat(c.leaderId()).isEqualTo("a");
    }

    @Test
    void aHigherTermFromAnotherNodeIsHeardOnceTheLeaderFellSilent() {
        RaftNode c = followerOfA();

        c.handle("b", new AppendEntriesRequest(2, -1, 0, List.of(), -1, 1), 10 + 100);

        assertThat(c.currentTerm()).isEqualTo(2);
        assertThat(c.leaderId()).isEqualTo("b");
    }

    @Test
    void aLeaderIgnoresAHigherTermFromANodeItDoesNotKnowAsAFollower() {
        RaftNode alone = node(1);
        alone.start(0);
        alone.flush(0);

        alone.handle("mallory", new AppendEntriesRequest(2, -1, 0, List.of(), -1, 1), 10);

        assertThat(alone.role()).isEqualTo(Role.LEADER);
        assertThat(alone.currentTerm()).isEqualTo(1);
    }

    @Test
    void aTermMoreThanTwoToThe32AboveTheNodesOwnIsDroppedAsMalformed() {
        RaftNode c = node(3);
        c.start(0);

        c.handle("mallory", new AppendEntriesRequest(RaftNode.MAX_TERM_JUMP + 1, -1, 0, List.of(), -1, 1), 10);

        assertThat(c.currentTerm()).isZero();
        assertThat(c.leaderId()).isNull();
        assertThat(out.dropped).singleElement().asString().contains("jumps more than 2^32");
    }

    @Test
    void aTermExactlyTwoToThe32AboveTheNodesOwnIsAccepted() {
        RaftNode c = node(3);
        c.start(0);

        c.handle("a", new AppendEntriesRequest(RaftNode.MAX_TERM_JUMP, -1, 0, List.of(), -1, 1), 10);

        assertThat(c.currentTerm()).isEqualTo(RaftNode.MAX_TERM_JUMP);
        assertThat(out.dropped).isEmpty();
    }

    @Test
    void anAppendEntriesFromASecondLeaderOfTheSameTermIsDropped() {
        RaftNode c = followerOfA();

        c.handle("mallory", new AppendEntriesRequest(1, -1, 0, List.of(), -1, 2), 20);

        assertThat(c.leaderId()).isEqualTo("a");
        assertThat(out.dropped).singleElement().asString().contains("second leader");
    }

    @Test
    void aMessageFromANewPeerIsDroppedWhileTheNodeKnowsAsManyPeersAsItMay() {
        RaftNode c = followerOfA();
        int maxPeers = 4 * 3;
        for (int i = 1; i < maxPeers; i++) {
            c.handle("ghost-" + i, new ReadIndexRequest("r"), 20);
        }
        assertThat(out.dropped).isEmpty();

        c.handle("one-too-many", new ReadIndexRequest("r"), 20);

        assertThat(out.dropped).singleElement().asString().startsWith("one-too-many:").contains("knows " + maxPeers);
    }

    @Test
    void aKnownLeaderIsStillHeardWhileNewPeersAreDropped() {
        RaftNode c = followerOfA();
        for (int i = 1; i <= 4 * 3; i++) {
            c.handle("ghost-" + i, new ReadIndexRequest("r"), 20);
        }
        out.routes.clear();

        c.handle("a", new AppendEntriesRequest(1, -1, 0, List.of(), -1, 2), 30);

        assertThat(out.routes).containsExactly("a:AppendEntriesResponse");
    }

    private final Recorder out = new Recorder();

    private RaftNode node(int clusterSize) {
        return node(clusterSize, 100_000);
    }

    private RaftNode node(int clusterSize, int maxUncommittedEntries) {
        RaftConfig config = new RaftConfig("c", clusterSize, 100, 100, 20, true, 8, 4096, 4, true,
                maxUncommittedEntries, 0, 0, RaftConfig.SNAPSHOT_CHUNK_BYTES);
        return new RaftNode(config, new InMemoryRaftLog(), out, new Random(1));
    }

    @Test
    void aLateVoteForAnAbandonedTermDoesNotAddToPreVotes() {
        RaftNode c = node(5);
        c.start(0);
        c.tick(100); // pre-vote for term 1
        c.handle("a", new RequestVoteResponse(1, true, true), 101);
        c.handle("b", new RequestVoteResponse(1, true, true), 102);
        assertThat(c.role()).isEqualTo(Role.CANDIDATE);
        assertThat(c.currentTerm()).isEqualTo(1);

        c.tick(300); // the election for term 1 timed out: pre-vote for term 2
        c.handle("a", new RequestVoteResponse(2, true, true), 301);
        c.handle("b", new RequestVoteResponse(1, true, false), 302); // late real vote for term 1

        assertThat(c.role()).as("three of five were never for one term").isNotEqualTo(Role.LEADER);
    }

    @Test
    void aReadBarrierOnAnEmptyLogCompletesAtIndexMinusOne() {
        RaftNode alone = node(1);
        alone.start(0);
        alone.flush(0);
        assertThat(alone.role()).isEqualTo(Role.LEADER);
        alone.readBarrier("read", Long.MAX_VALUE, 1);
        alone.flush(1);
        assertThat(out.sent).contains(new ReadIndexResponse("read", -1));
    }

    @Test
    void aLeaderBroadcastsEachBatchOnceToFollowersReplicatingFromTheSameIndex() {
        RaftNode c = leaderOfThree();
        c.handle("a", AppendEntriesResponse.matched(1, -1, 0), 103);
        c.handle("b", AppendEntriesResponse.matched(1, -1, 0), 103);
        c.flush(103);
        out.routes.clear();

        c.propose(entry("x"), Long.MAX_VALUE, 104);
        c.flush(104);

        assertThat(out.routes).containsExactly("*:AppendEntriesRequest");
        AppendEntriesRequest batch = (AppendEntriesRequest) out.sent.get(out.sent.size() - 1);
        assertThat(batch.prevLogIndex()).isEqualTo(-1);
        assertThat(batch.entries()).extracting(LogEntry::id).containsExactly("x");
    }

    @Test
    void aLeaderSendsEachFollowerItsOwnBatchWhileTheyAreAtDifferentIndexes() {
        RaftNode c = leaderOfThree();
        c.handle("a", AppendEntriesResponse.matched(1, -1, 0), 103);
        c.propose(entry("x"), Long.MAX_VALUE, 103);
        c.flush(103); // a replicates, b has not answered its probe yet
        c.handle("b", AppendEntriesResponse.matched(1, -1, 0), 104);
        out.routes.clear();

        c.propose(entry("y"), Long.MAX_VALUE, 105);
        c.flush(105);

        assertThat(out.routes).containsExactlyInAnyOrder("a:AppendEntriesRequest", "b:AppendEntriesRequest");
    }

    @Test
    void aLeaderHandingOverAppendsNoForwardedEntries() {
        RaftNode c = leaderOfThree();
        c.handle("a", AppendEntriesResponse.matched(1, -1, 0), 103);
        c.handle("b", AppendEntriesResponse.matched(1, -1, 0), 103);
        assertThat(c.transferLeadership("a", 104)).isEqualTo("a");

        c.handle("b", new AppendForwardRequest(List.of(entry("x"))), 105);

        assertThat(c.lastIndex()).as("a's log must stay as long as the leader's").isEqualTo(-1);
    }

    @Test
    void aLeavingNodeStandsForNoElection() {
        RaftNode c = node(3);
        c.start(0);
        c.leave(0);

        c.tick(1_000);

        assertThat(c.role()).isEqualTo(Role.FOLLOWER);
        assertThat(out.sent).noneMatch(RequestVoteRequest.class::isInstance);
    }

    @Test
    void aLeavingNodeTakesNoLeadershipHandedToIt() {
        RaftNode c = node(3);
        c.start(0);
        c.handle("a", new AppendEntriesRequest(1, -1, 0, List.of(), -1, 1), 10);
        c.leave(11);

        c.handle("a", new TimeoutNowRequest(1, "c"), 12);

        assertThat(c.role()).isEqualTo(Role.FOLLOWER);
        assertThat(c.currentTerm()).isEqualTo(1);
    }

    @Test
    void aLeaderSendsEachFollowerItsOwnBatchWhileALiveFollowerCatchesUp() {
        RaftNode c = node(5);
        c.start(0);
        c.tick(100); // pre-vote
        for (String voter : List.of("a", "b", "d", "e")) {
            c.handle(voter, new RequestVoteResponse(1, true, true), 101);
        }
        for (String voter : List.of("a", "b", "d", "e")) {
            c.handle(voter, new RequestVoteResponse(1, true, false), 102);
        }
        c.flush(102);
        for (String follower : List.of("a", "b", "d")) {
            c.handle(follower, AppendEntriesResponse.matched(1, -1, 0), 103);
        }
        c.handle("e", AppendEntriesResponse.mismatch(1, -1, 0, 0, 0), 103); // e answers, still probing
        c.flush(103);
        out.routes.clear();

        c.propose(entry("x"), Long.MAX_VALUE, 104);
        c.flush(104);

        assertThat(out.routes).doesNotContain("*:AppendEntriesRequest")
                .contains("a:AppendEntriesRequest", "b:AppendEntriesRequest", "d:AppendEntriesRequest");
    }

    @Test
    void aLeavingCandidateDoesNotBecomeLeader() {
        RaftNode c = node(3);
        c.start(0);
        c.tick(100); // pre-vote
        c.handle("a", new RequestVoteResponse(1, true, true), 101);
        c.leave(102);

        c.handle("a", new RequestVoteResponse(1, true, false), 103);

        assertThat(c.role()).isNotEqualTo(Role.LEADER);
    }

    @Test
    void aLeaderRefusesForwardedEntriesOnceItsLogHoldsMaxUncommittedEntries() {
        RaftNode c = leaderOfThree(2);

        c.handle("a", new AppendForwardRequest(List.of(entry("x"), entry("y"), entry("z"))), 103);

        assertThat(c.logEntries()).extracting(LogEntry::id).containsExactly("x", "y");
        assertThat(out.dropped).singleElement().asString().startsWith("a: 1 forwarded entries");
    }

    @Test
    void aLeaderCountsItsOwnCopyOfAnEntryOnlyOnceItIsOnDisk() {
        RaftNode c = leaderOfThree(2);
        c.handle("a", new AppendForwardRequest(List.of(entry("x"))), 103);
        c.handle("b", AppendEntriesResponse.matched(1, 0, 0), 104);

        c.flush(104);
        assertThat(c.commitIndex()).as("one follower's copy, and the leader's still being written").isEqualTo(-1);

        c.logSynced(c.lastIndex());
        c.flush(105);
        assertThat(c.commitIndex()).isEqualTo(0);
    }

    @Test
    void aLeaderTakesForwardedEntriesAgainOnceItCommitted() {
        RaftNode c = leaderOfThree(2);
        c.handle("a", new AppendForwardRequest(List.of(entry("x"), entry("y"), entry("z"))), 103);
        c.logSynced(c.lastIndex());
        c.handle("a", AppendEntriesResponse.matched(1, 1, 0), 104);
        assertThat(c.commitIndex()).isEqualTo(1);

        c.handle("a", new AppendForwardRequest(List.of(entry("z"))), 105);

        assertThat(c.logEntries()).extracting(LogEntry::id).containsExactly("x", "y", "z");
    }

    @Test
    void appendsMadeOnTheLeaderItselfAreNotRefusedForForwardedOnes() {
        RaftNode c = leaderOfThree(2);
        c.handle("a", new AppendForwardRequest(List.of(entry("x"), entry("y"))), 103);

        c.propose(entry("own"), Long.MAX_VALUE, 104);

        assertThat(c.logEntries()).extracting(LogEntry::id).containsExactly("x", "y", "own");
    }

    @Test
    void aLeaderStepsDownOneElectionTimeoutAfterItLastHeardAMajority() {
        RaftNode c = leaderOfThree(); // leads from 102, election timeout 100
        c.handle("a", AppendEntriesResponse.matched(1, -1, 0), 150);

        c.tick(250);
        assertThat(c.role()).as("a was heard one timeout ago").isEqualTo(Role.LEADER);

        c.tick(251);
        assertThat(c.role()).as("no majority heard for more than a timeout").isEqualTo(Role.FOLLOWER);
        assertThat(c.stepDowns()).isEqualTo(1);
    }

    /** Node c of a, b, c, leading term 1 with an empty log; its probes are out to a and b. */
    private RaftNode leaderOfThree() {
        return leaderOfThree(100_000);
    }

    private RaftNode leaderOfThree(int maxUncommittedEntries) {
        RaftNode c = node(3, maxUncommittedEntries);
        c.start(0);
        c.tick(100); // pre-vote
        c.handle("a", new RequestVoteResponse(1, true, true), 101);
        c.handle("b", new RequestVoteResponse(1, false, true), 101);
        c.handle("a", new RequestVoteResponse(1, true, false), 102);
        c.flush(102);
        assertThat(c.role()).isEqualTo(Role.LEADER);
        return c;
    }

    private static LogEntry entry(String id) {
        return LogEntry.fromJson(id, 0, "{}".getBytes(StandardCharsets.UTF_8), JsonMapper.builder().build());
    }
}
