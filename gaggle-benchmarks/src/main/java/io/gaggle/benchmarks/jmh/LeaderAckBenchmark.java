package io.gaggle.benchmarks.jmh;

import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gaggle.LogEntry;
import io.gaggle.Role;
import io.gaggle.benchmarks.Payload;
import io.gaggle.raft.AppendEntriesResponse;
import io.gaggle.raft.InMemoryRaftLog;
import io.gaggle.raft.RaftConfig;
import io.gaggle.raft.RaftNode;
import io.gaggle.raft.RaftOutputAdapter;
import io.gaggle.raft.RequestVoteResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * The leader's side of replication for one entry: it is appended, a follower acknowledges it, the
 * commit index advances over the majority's match indexes and the entry is applied. Messages go
 * to a sink, so this measures the consensus rules alone, without codec or threads.
 * {@code java -cp gaggle-benchmarks.jar org.openjdk.jmh.Main LeaderAckBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LeaderAckBenchmark {

    private static final int BATCH = 1000;

    @Param({"3", "7"})
    public int nodes;

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final byte[] data = mapper.writeValueAsBytes(Payload.of(42));
    private RaftNode leader;
    private long now;

    @Setup(Level.Iteration)
    public void electLeader() {
        RaftConfig config = new RaftConfig("leader", nodes, 300, 500, 50, true, 1000, 1 << 20, 16, false, 100_000, 0, 0,
                RaftConfig.SNAPSHOT_CHUNK_BYTES);
        leader = new RaftNode(config, new InMemoryRaftLog(), new Sink(), new Random(1));
        now = 0;
        leader.start(now);
        leader.tick(now += 600);
        for (int i = 1; i < nodes; i++) {
            leader.handle("f" + i, new RequestVoteResponse(1, true, false), now);
        }
        if (leader.role() != Role.LEADER) {
            throw new IllegalStateException("the benchmark's leader was not elected");
        }
    }

    /** A batch of appends, each acknowledged by a majority; per entry. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long appendAcknowledgeCommit() {
        long term = leader.currentTerm();
        for (int i = 0; i < BATCH; i++) {
            leader.propose(LogEntry.fromJson(UUID.randomUUID().toString(), 0, data, mapper), Long.MAX_VALUE, now);
            long index = leader.lastIndex();
            for (int f = 1; f < nodes; f++) {
                leader.handle("f" + f, new AppendEntriesResponse(term, true, index, -1, -1, -1, 0), now);
            }
        }
        leader.flush(now);
        return leader.commitIndex();
    }

    /** Discards what the leader sends and reports. */
    private static final class Sink extends RaftOutputAdapter {
    }
}
