package io.gaggle.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.gaggle.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single {@link RaftNode}s driven message by message, for scenarios too precise for the random
 * simulation to reach.
 */
class RaftNodeTest {

    /** Records what the node sends, and the reads it completes; ignores the rest. */
    private static final class Recorder extends RaftOutputAdapter {

        final List<RaftMessage> sent = new ArrayList<>();

        @Override
        public void send(String to, RaftMessage message) {
            sent.add(message);
        }

        @Override
        public void broadcast(RaftMessage message) {
            sent.add(message);
        }

        @Override
        public void readCompleted(String requestId, long readIndex) {
            sent.add(new ReadIndexResponse(requestId, readIndex));
        }
    }

    private final Recorder out = new Recorder();

    private RaftNode node(int clusterSize) {
        RaftConfig config = new RaftConfig("c", clusterSize, 100, 100, 20, true, 8, 4096, 4, true);
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
}
