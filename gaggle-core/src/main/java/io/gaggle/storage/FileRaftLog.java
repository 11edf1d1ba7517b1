package io.gaggle.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

import io.gaggle.LogEntry;
import io.gaggle.raft.InMemoryRaftLog;
import io.gaggle.raft.RaftLog;

/**
 * The log of a {@link FileRaftStorage}: every change goes to the segment files and to an
 * {@link InMemoryRaftLog} kept in step, which serves the reads. Appends are encoded into a write
 * buffer, written out when it fills or at {@link #sync}, which forces what was written; the byte
 * offset of each record is kept so that {@link #truncateFrom} can cut its segment there.
 * <p>
 * {@link #compactTo} deletes the segments that hold only compacted entries; the segment holding
 * the first retained entry stays whole, so after a restart the log may start a little before the
 * index it was compacted to: at the first index of its first segment, whose header gives the term
 * of the entry before it.
 */
final class FileRaftLog implements RaftLog {

    static final int WRITE_BUFFER_BYTES = 1 << 20;

    private final StorageDirectory directory;
    private final long segmentBytes;
    private final InMemoryRaftLog memory;
    /** The segments in index order; appends go to the last. */
    private final List<LogSegment> segments;
    /** The offset of each entry's record in its segment, by index. */
    private final RecordOffsets recordOffsets;
    private final ByteBuffer writeBuffer;
    private final CRC32C crc = new CRC32C();
    /** Segments written or cut since the last sync. */
    private final List<LogSegment> unforced = new ArrayList<>();
    /** Whether a segment was created since the last sync. */
    private boolean segmentCreated;
    /** The highest term of the entries waiting in the write buffer. */
    private long bufferedTerm;
    /**
     * Told the highest term of the entries about to be written to a file, before they are, so the
     * store can put its state, and that term, on disk first: a write may reach the disk at any
     * time before its sync.
     */
    private final LongConsumer saveStateFirst;

    FileRaftLog(StorageDirectory directory, long segmentBytes, int writeBufferBytes, InMemoryRaftLog memory,
            List<LogSegment> segments, RecordOffsets recordOffsets, LongConsumer saveStateFirst) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.writeBuffer = ByteBuffer.allocate(writeBufferBytes);
        this.memory = memory;
        this.segments = new ArrayList<>(segments);
        this.recordOffsets = recordOffsets;
        this.saveStateFirst = saveStateFirst;
    }

    @Override
    public long firstIndex() {
        return memory.firstIndex();
    }

    @Override
    public long lastIndex() {
        return memory.lastIndex();
    }

    @Override
    public long term(long index) {
        return memory.term(index);
    }

    @Override
    public LogEntry get(long index) {
        return memory.get(index);
    }

    @Override
    public List<LogEntry> slice(long fromIndex, int maxCount, long maxBytes) {
        return memory.slice(fromIndex, maxCount, maxBytes);
    }

    @Override
    public long indexOf(String entryId) {
        return memory.indexOf(entryId);
    }

    @Override
    public void append(LogEntry entry) {
        byte[] id = entry.id().getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = entry.dataJson();
        int size = LogRecord.size(id.length, data.remaining());
        long index = memory.lastIndex() + 1;
        try {
            if (segments.isEmpty() || currentSize() > LogSegment.HEADER_BYTES && currentSize() + size > segmentBytes) {
                startSegment(index);
            }
            if (size > writeBuffer.remaining()) {
                writeOut();
            }
            long offset = currentSize();
            if (size > writeBuffer.capacity()) {
                ByteBuffer record = ByteBuffer.allocate(size);
                LogRecord.encode(record, entry.term(), id, data, crc);
                saveStateFirst.accept(entry.term());
                current().file.append(record.flip());
                markUnforced(current());
            } else {
                LogRecord.encode(writeBuffer, entry.term(), id, data, crc);
                bufferedTerm = Math.max(bufferedTerm, entry.term());
            }
            recordOffsets.set(index, offset);
        } catch (IOException e) {
            throw failed("append entry " + index, e);
        }
        memory.append(entry);
    }

    /**
     * Cuts the log's files at the record of {@code index}. Later segments are deleted first, the
     * last first, and their deletion made durable, so that a crash never leaves a segment after a
     * gap: recovery finds either the old log or a prefix of it from which the cut entries are gone.
     */
    @Override
    public void truncateFrom(long index) {
        long from = Math.max(memory.firstIndex(), index);
        if (from > memory.lastIndex()) {
            return;
        }
        int keep = segmentHolding(from);
        try {
            writeOut();
            if (keep < segments.size() - 1) {
                // Last first: a crash mid-way leaves the first segments, never one after a gap.
                while (segments.size() > keep + 1) {
                    LogSegment later = segments.remove(segments.size() - 1);
                    later.file.close();
                    directory.delete(later.name);
                    unforced.remove(later);
                }
                directory.sync();
            }
            // The cut is durable before new records land where the removed ones lay: a crash then
            // leaves the old records or the new ones, never a mix that would read as corruption.
            LogSegment segment = segments.get(keep);
            segment.file.truncate(recordOffsets.get(from));
            segment.file.force();
        } catch (IOException e) {
            throw failed("remove the entries from index " + from + " on", e);
        }
        memory.truncateFrom(from);
    }

    /** Whether every entry of the first segment is at or before {@code index}: a later segment starts by then. */
    private boolean firstSegmentCompacted(long index) {
        return segments.size() > 1 && segments.get(1).firstIndex <= index + 1;
    }

    /**
     * Deletes the segments whose entries are all at or before {@code index}, first to last, each
     * deletion made durable at once: a crash then leaves a suffix of the segments, never a gap.
     * The log is synced first, so the segments that stay are durable before those before them go.
     * This costs an fsync per deleted segment, which holds a segment's worth of entries.
     */
    @Override
    public void compactTo(long index) {
        memory.compactTo(index);
        recordOffsets.compactTo(index + 1);
        if (!firstSegmentCompacted(index)) {
            return;
        }
        try {
            sync();
            while (firstSegmentCompacted(index)) {
                LogSegment compacted = segments.remove(0);
                compacted.file.close();
                directory.delete(compacted.name);
                directory.sync();
            }
        } catch (IOException e) {
            throw failed("delete the segments compacted up to index " + index, e);
        }
    }

    /**
     * Replaces every segment by an empty one that starts at {@code index + 1}, through a
     * {@link LogReset}, durable on return: unlike a compaction, a crash half-way would otherwise
     * leave neither the old log nor the new.
     */
    @Override
    public void resetTo(long index, long term) {
        memory.resetTo(index, term);
        recordOffsets.reset(index + 1);
        writeBuffer.clear();
        bufferedTerm = 0;
        unforced.clear();
        segmentCreated = false;
        try {
            for (LogSegment segment : segments) {
                segment.file.close();
            }
            segments.clear();
            saveStateFirst.accept(term);
            LogReset.reset(directory, index, term);
            String name = LogSegment.name(index + 1);
            segments.add(new LogSegment(name, index + 1, directory.open(name)));
        } catch (IOException e) {
            throw failed("reset the log to continue after index " + index, e);
        }
    }

    /** Whether {@link #sync} has anything to write or force. */
    boolean dirty() {
        return writeBuffer.position() > 0 || !unforced.isEmpty() || segmentCreated;
    }

    /** Writes out the buffer, forces every segment written or cut, then makes new segments' names durable. */
    void sync() {
        try {
            writeOut();
            for (LogSegment segment : unforced) {
                segment.file.force();
            }
            unforced.clear();
            if (segmentCreated) {
                directory.sync();
                segmentCreated = false;
            }
        } catch (IOException e) {
            throw failed("sync the log", e);
        }
    }

    void close() throws IOException {
        IOException failure = null;
        for (LogSegment segment : segments) {
            try {
                segment.file.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void startSegment(long firstIndex) throws IOException {
        writeOut();
        if (!segments.isEmpty()) {
            // Gives back the space a file may hold ahead of its appends (FileSystemDirectory's do).
            current().file.truncate(current().file.size());
            // The new segment's name may reach the disk before this one's data does: force this one
            // first, so that a crash can damage only the last segment, where recovery expects it.
            current().file.force();
            unforced.remove(current());
        }
        String name = LogSegment.name(firstIndex);
        StorageFile file = directory.open(name);
        LogSegment segment = new LogSegment(name, firstIndex, file);
        segments.add(segment);
        segmentCreated = true;
        writeBuffer.put(LogSegment.header(firstIndex, memory.term(firstIndex - 1)));
    }

    private void writeOut() throws IOException {
        if (writeBuffer.position() == 0) {
            return;
        }
        saveStateFirst.accept(bufferedTerm);
        LogSegment segment = current();
        writeBuffer.flip();
        try {
            segment.file.append(writeBuffer);
        } finally {
            writeBuffer.clear();
            bufferedTerm = 0;
        }
        markUnforced(segment);
    }

    private void markUnforced(LogSegment segment) {
        if (!unforced.contains(segment)) {
            unforced.add(segment);
        }
    }

    private LogSegment current() {
        return segments.get(segments.size() - 1);
    }

    /** The current segment's length, what waits in the write buffer included. */
    private long currentSize() throws IOException {
        return current().file.size() + writeBuffer.position();
    }

    private int segmentHolding(long index) {
        int segment = segments.size() - 1;
        while (segment > 0 && segments.get(segment).firstIndex > index) {
            segment--;
        }
        return segment;
    }

    private StorageException failed(String what, IOException e) {
        return new StorageException("Gaggle storage " + directory + ": cannot " + what + ": " + e, e);
    }
}
