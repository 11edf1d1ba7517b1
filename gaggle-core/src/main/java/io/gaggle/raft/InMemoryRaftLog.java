package io.gaggle.raft;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.gaggle.LogEntry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The log in memory, as the original keeps it: nothing survives the process.
 * <p>
 * Retained entries are not objects: their ids and data lie in {@link LogSegments}, their other
 * fields in an {@link EntryTable}, so a big log costs the garbage collector next to nothing.
 * {@link #get} and {@link #slice} build short-lived {@link LogEntry} views over the segments.
 * Compaction releases the segments and table chunks that hold only compacted entries.
 */
public final class InMemoryRaftLog implements RaftLog {

    private final LogSegments segments;
    private final EntryTable entries = new EntryTable();
    private final EntryIdIndex indexById = new EntryIdIndex(this::idEquals);
    /** The distinct mappers of the entries, which the table refers to by number; usually one or two. */
    private final List<JsonMapper> mappers = new ArrayList<>();
    private final Map<JsonMapper, Integer> mapperNumbers = new IdentityHashMap<>();
    /** The term of the entry at {@code firstIndex() - 1}, which compaction dropped; 0 for index -1. */
    private long compactedTerm;

    /** An empty log. */
    public InMemoryRaftLog() {
        this(LogSegments.FIRST_SEGMENT_BYTES, LogSegments.MAX_SEGMENT_BYTES);
    }

    /** An empty log with small segments, so tests can cross segment boundaries. */
    InMemoryRaftLog(int firstSegmentBytes, int maxSegmentBytes) {
        this.segments = new LogSegments(firstSegmentBytes, maxSegmentBytes);
    }

    @Override
    public long firstIndex() {
        return entries.first();
    }

    @Override
    public long lastIndex() {
        return entries.end() - 1;
    }

    @Override
    public long term(long index) {
        return index == entries.first() - 1 ? compactedTerm : entries.term(checkIndex(index));
    }

    @Override
    public LogEntry get(long index) {
        return materialise(checkIndex(index));
    }

    @Override
    public List<LogEntry> slice(long fromIndex, int maxCount, long maxBytes) {
        long to = Math.min(entries.end(), fromIndex + maxCount);
        List<LogEntry> slice = new ArrayList<>((int) Math.max(0, to - fromIndex));
        long bytes = 0;
        for (long i = fromIndex; i < to; i++) {
            LogEntry entry = materialise(checkIndex(i));
            bytes += EntrySize.estimate(entry);
            if (bytes > maxBytes && i > fromIndex) {
                break;
            }
            slice.add(entry);
        }
        return Collections.unmodifiableList(slice);
    }

    @Override
    public void append(LogEntry entry) {
        byte[] id = entry.id().getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = entry.dataJson();
        int dataLength = data.remaining();
        long index = entries.end();
        long location = segments.append(id, data, index);
        entries.add(entry.term(), location, id.length, dataLength, mapperNumber(entry.mapper()));
        indexById.put(id, index);
    }

    @Override
    public void truncateFrom(long index) {
        long from = Math.max(entries.first(), Math.min(index, entries.end()));
        for (long i = entries.end() - 1; i >= from; i--) {
            indexById.remove(idBytes(i));
        }
        // The segments keep the removed entries' bytes: views handed out may still read them.
        entries.truncate(from);
    }

    @Override
    public void compactTo(long index) {
        if (index < entries.first() - 1 || index > lastIndex()) {
            throw new IllegalArgumentException("cannot compact the log to index " + index + ": it holds entries "
                    + entries.first() + " to " + lastIndex());
        }
        long newFirst = index + 1;
        if (newFirst == entries.first()) {
            return;
        }
        compactedTerm = entries.term(index);
        for (long i = entries.first(); i < newFirst; i++) {
            forgetId(i);
        }
        entries.compactTo(newFirst);
        segments.releaseBefore(newFirst);
    }

    @Override
    public void resetTo(long index, long term) {
        if (index < -1 || term < 0 || index == -1 && term != 0) {
            throw new IllegalArgumentException("cannot reset the log to index " + index + " and term " + term);
        }
        for (long i = entries.first(); i < entries.end(); i++) {
            forgetId(i);
        }
        entries.reset(index + 1);
        segments.releaseAll();
        compactedTerm = term;
    }

    @Override
    public long indexOf(String entryId) {
        long position = indexById.get(entryId.getBytes(StandardCharsets.UTF_8));
        return position < 0 ? -1 : indexAt(position);
    }

    /** The segments that hold the entries' bytes, so tests can see what compaction released. */
    LogSegments segments() {
        return segments;
    }

    /** The retained entry's index whose low bits are {@code position}: the log holds fewer than 2^31 entries. */
    private long indexAt(long position) {
        return entries.first() + ((position - entries.first()) & EntryIdIndex.POSITION_MASK);
    }

    private LogEntry materialise(long index) {
        long location = entries.location(index);
        byte[] segment = segments.segment(location);
        int offset = LogSegments.offset(location);
        int idLength = entries.idLength(index);
        String id = new String(segment, offset, idLength, StandardCharsets.UTF_8);
        return LogEntry.fromJson(id, entries.term(index), segment, offset + idLength, entries.dataLength(index),
                mappers.get(entries.mapper(index)));
    }

    private boolean idEquals(long position, byte[] id) {
        long index = indexAt(position);
        long location = entries.location(index);
        int offset = LogSegments.offset(location);
        return Arrays.equals(segments.segment(location), offset, offset + entries.idLength(index),
                id, 0, id.length);
    }

    /** Removes the id of the entry at {@code index} unless a later entry with the same id holds it. */
    private void forgetId(long index) {
        byte[] id = idBytes(index);
        long position = indexById.get(id);
        if (position >= 0 && indexAt(position) == index) {
            indexById.remove(id);
        }
    }

    private byte[] idBytes(long index) {
        long location = entries.location(index);
        int offset = LogSegments.offset(location);
        return Arrays.copyOfRange(segments.segment(location), offset, offset + entries.idLength(index));
    }

    private int mapperNumber(JsonMapper mapper) {
        return mapperNumbers.computeIfAbsent(mapper, m -> {
            mappers.add(m);
            return mappers.size() - 1;
        });
    }

    private long checkIndex(long index) {
        if (index < entries.first() || index >= entries.end()) {
            throw new IndexOutOfBoundsException("index " + index + " is outside the log's entries " + entries.first()
                    + " to " + lastIndex());
        }
        return index;
    }
}
