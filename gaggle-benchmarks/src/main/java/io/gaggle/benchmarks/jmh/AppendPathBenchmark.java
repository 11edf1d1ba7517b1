package io.gaggle.benchmarks.jmh;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gaggle.LogEntry;
import io.gaggle.benchmarks.Payload;
import io.gaggle.raft.InMemoryRaftLog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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

    private static final int LOG_ENTRIES = 100_000;

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final Payload payload = Payload.of(42);
    private final long idPrefix = new SecureRandom().nextLong();
    private long idCounter;
    private final LogEntry[] entries = new LogEntry[LOG_ENTRIES];

    @Setup(Level.Trial)
    public void setUp() {
        byte[] data = mapper.writeValueAsBytes(payload);
        for (int i = 0; i < LOG_ENTRIES; i++) {
            entries[i] = LogEntry.fromJson(new UUID(idPrefix, i).toString(), 1, data, mapper);
        }
    }

    @Benchmark
    public byte[] serialisePayload() {
        return mapper.writeValueAsBytes(payload);
    }

    /** How entry ids were minted at first: a SecureRandom draw per append. */
    @Benchmark
    public String mintRandomUuid() {
        return UUID.randomUUID().toString();
    }

    /** How a node mints entry ids now: a random prefix drawn once, then a counter. */
    @Benchmark
    public String mintPrefixedCounterId() {
        return new UUID(idPrefix, ++idCounter).toString();
    }

    /**
     * Per entry, filling a fresh log with {@value #LOG_ENTRIES} entries, its growth included: a
     * log growing without bound within an iteration would measure the garbage collector instead.
     */
    @Benchmark
    @OperationsPerInvocation(LOG_ENTRIES)
    public long appendToLog() {
        InMemoryRaftLog log = new InMemoryRaftLog();
        for (LogEntry entry : entries) {
            log.append(entry);
        }
        return log.lastIndex();
    }
}
