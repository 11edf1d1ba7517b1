package io.gaggle.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the disk under a directory charges for durability: a small record written, then
 * {@link FileChannel#force force(false)} (fdatasync), {@value #SAMPLES} times in two ways,
 * alternating so that both meet the same disk. {@code fsyncP50ms}/{@code fsyncP99ms}: each record
 * appended at the end of a file, which grows it, so the fdatasync also commits the new length to
 * the file system's journal. {@code fsyncInPlaceP50ms}/{@code fsyncInPlaceP99ms}: each record
 * written into space already filled with zeros, as file storage writes its segments. With every
 * figure of a file-storage run, so that a slow or busy disk shows next to what it slowed.
 */
final class FsyncLatency {

    private static final int SAMPLES = 200;
    private static final int RECORD_BYTES = 128;

    private FsyncLatency() {
    }

    /** Measures in {@code directory} and adds the four figures to {@code result}. */
    static void measure(Path directory, BenchmarkResult result) throws IOException {
        Latencies growing = new Latencies(SAMPLES);
        Latencies inPlace = new Latencies(SAMPLES);
        Path grown = Files.createTempFile(directory, "fsync-probe-", ".bin");
        Path filled = Files.createTempFile(directory, "fsync-probe-", ".bin");
        try (FileChannel append = FileChannel.open(grown, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                FileChannel overwrite = FileChannel.open(filled, StandardOpenOption.WRITE)) {
            ByteBuffer record = ByteBuffer.allocateDirect(RECORD_BYTES);
            for (int i = 0; i < SAMPLES; i++) {
                overwrite.write(record.clear());
            }
            overwrite.force(false);
            for (int i = 0; i < SAMPLES; i++) {
                growing.record(timeWriteAndForce(append, record, -1));
                inPlace.record(timeWriteAndForce(overwrite, record, (long) i * RECORD_BYTES));
            }
        } finally {
            Files.deleteIfExists(grown);
            Files.deleteIfExists(filled);
        }
        result.put("fsyncP50ms", growing.percentileMillis(50)).put("fsyncP99ms", growing.percentileMillis(99))
                .put("fsyncInPlaceP50ms", inPlace.percentileMillis(50))
                .put("fsyncInPlaceP99ms", inPlace.percentileMillis(99));
    }

    /** Writes the record at {@code position} (-1: at the end), forces the data; returns the nanoseconds taken. */
    private static long timeWriteAndForce(FileChannel channel, ByteBuffer record, long position) throws IOException {
        record.clear();
        long start = System.nanoTime();
        if (position < 0) {
            channel.write(record);
        } else {
            channel.write(record, position);
        }
        channel.force(false);
        return System.nanoTime() - start;
    }
}
