package io.gaggle.benchmarks.jmh;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gaggle.LogEntry;
import io.gaggle.raft.InMemoryRaftLog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one append costs before any message: serialising the caller's data, minting an entry id,
 * and storing the entry in the log.
 * {@code java -cp gaggle-benchmarks.jar org.openjdk.jmh.Main AppendPathBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AppendPathBenchmark {

    /** The benchmarks' ~100-byte payload. */
    public record Payload(String key, long seq, String value) {
    }

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final Payload payload = new Payload("key-000042", 42, "x".repeat(57));
    private InMemoryRaftLog log;
    private LogEntry entry;

    @Setup(Level.Iteration)
    public void setUp() {
        log = new InMemoryRaftLog();
        entry = LogEntry.fromJson(UUID.randomUUID().toString(), 1, mapper.writeValueAsBytes(payload), mapper);
    }

    @Benchmark
    public byte[] serialisePayload() {
        return mapper.writeValueAsBytes(payload);
    }

    @Benchmark
    public UUID mintEntryId() {
        return UUID.randomUUID();
    }

    @Benchmark
    public long appendToLog() {
        log.append(entry.withTerm(log.lastIndex()));
        return log.lastIndex();
    }
}
