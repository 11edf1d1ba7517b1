package io.gaggle.benchmarks.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gaggle.LogEntry;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.codec.MalformedEnvelopeException;
import io.gaggle.raft.AppendEntriesRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encoding and decoding an AppendEntries batch of ~100-byte entries: the per-entry wire cost a
 * leader pays once per follower and a follower pays once.
 * {@code java -cp gaggle-benchmarks.jar org.openjdk.jmh.Main CodecBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    @Param({"1", "100"})
    public int entries;

    private final JsonMapper mapper = JsonMapper.builder().build();
    private EnvelopeCodec codec;
    private Envelope envelope;
    private byte[] encoded;

    @Setup
    public void setUp() {
        codec = new EnvelopeCodec(mapper);
        List<LogEntry> batch = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            byte[] data = mapper.writeValueAsBytes(Map.of("key", "key-" + i, "value", "x".repeat(57), "seq", i));
            batch.add(LogEntry.fromJson(UUID.randomUUID().toString(), 7, data, mapper));
        }
        envelope = new Envelope("node-a", 1, "node-b", 42, new AppendEntriesRequest(7, 1000, 7, batch, 999, 12));
        encoded = codec.encode(envelope);
    }

    @Benchmark
    public byte[] encodeAppendEntries() {
        return codec.encode(envelope);
    }

    @Benchmark
    public Envelope decodeAppendEntries() throws MalformedEnvelopeException {
        return codec.decode(encoded);
    }
}
