package io.gaggle.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the disk under a directory charges for durability, measured as file storage pays it: a
 * small record appended to a file, then {@link FileChannel#force force(false)} (fdatasync). With
 * every figure of a file-storage run, so that a slow or busy disk shows next to what it slowed.
 */
final class FsyncLatency {

    private static final int SAMPLES = 200;
    private static final int RECORD_BYTES = 128;

    private FsyncLatency() {
    }

    /** Measures {@value #SAMPLES} appends and fsyncs in {@code directory}; adds their p50 and p99. */
    static void measure(Path directory, BenchmarkResult result) throws IOException {
        Latencies latencies = new Latencies(SAMPLES);
        Path file = Files.createTempFile(directory, "fsync-probe-", ".bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer record = ByteBuffer.allocateDirect(RECORD_BYTES);
            for (int i = 0; i < SAMPLES; i++) {
                record.clear();
                long start = System.nanoTime();
                channel.write(record);
                channel.force(false);
                latencies.record(System.nanoTime() - start);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        result.put("fsyncP50ms", latencies.percentileMillis(50)).put("fsyncP99ms", latencies.percentileMillis(99));
    }
}
