package io.gaggle.benchmarks.jmh;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gaggle.LogEntry;
import io.gaggle.benchmarks.Payload;
import io.gaggle.benchmarks.ScratchDirectory;
import io.gaggle.storage.FileRaftStorage;
import io.gaggle.storage.RaftStorage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * The durable append path: {@code batch} entries appended to a {@link FileRaftStorage}, then one
 * sync, as a node's loop turn writes what it received and fsyncs once before answering. One
 * operation is one batch; divide by the batch for the cost per entry. Sampled rather than
 * averaged: on a shared disk a few fsyncs stall for tens of milliseconds and would make the mean
 * say nothing about the usual one, so read the p50 and p99. Each iteration writes to a fresh
 * directory under {@code java.io.tmpdir}, deleted after it.
 * {@code java -cp gaggle-benchmarks.jar org.openjdk.jmh.Main StorageAppendBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StorageAppendBenchmark {

    @Param({"1", "10", "100"})
    public int batch;

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final byte[] data = mapper.writeValueAsBytes(Payload.of(42));
    private final long idPrefix = new SecureRandom().nextLong();
    private long idCounter;
    private ScratchDirectory directory;
    private RaftStorage storage;

    @Setup(Level.Iteration)
    public void open() {
        directory = ScratchDirectory.create(Path.of(System.getProperty("java.io.tmpdir")), "gaggle-jmh-");
        storage = FileRaftStorage.open(directory.path(), mapper);
        storage.saveTermAndVote(1, null);
        storage.sync();
    }

    @TearDown(Level.Iteration)
    public void close() {
        storage.close();
        directory.close();
    }

    @Benchmark
    public long appendThenSync() {
        for (int i = 0; i < batch; i++) {
            storage.log().append(LogEntry.fromJson(new UUID(idPrefix, ++idCounter).toString(), 1, data, mapper));
        }
        storage.sync();
        return storage.log().lastIndex();
    }
}
