package io.gaggle.raft;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.gaggle.LogEntry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The log in memory, as the original keeps it: nothing survives the process.
 * <p>
 * Retained entries are not objects: their ids and data lie in {@link LogSegments}, their other
 * fields in an {@link EntryTable}, so a big log costs the garbage collector next to nothing.
 * {@link #get} and {@link #slice} build short-lived {@link LogEntry} views over the segments.
 */
public final class InMemoryRaftLog implements RaftLog {

    private final LogSegments segments;
    private final EntryTable entries = new EntryTable();
    private final EntryIdIndex indexById = new EntryIdIndex(this::idEquals);
    /** The distinct mappers of the entries, which the table refers to by number; usually one or two. */
    private final List<JsonMapper> mappers = new ArrayList<>();
    private final Map<JsonMapper, Integer> mapperNumbers = new IdentityHashMap<>();

    /** An empty log. */
    public InMemoryRaftLog() {
        this(LogSegments.FIRST_SEGMENT_BYTES, LogSegments.MAX_SEGMENT_BYTES);
    }

    /** An empty log with small segments, so tests can cross segment boundaries. */
    InMemoryRaftLog(int firstSegmentBytes, int maxSegmentBytes) {
        this.segments = new LogSegments(firstSegmentBytes, maxSegmentBytes);
    }

    @Override
    public long lastIndex() {
        return entries.size() - 1L;
    }

    @Override
    public long term(long index) {
        return index < 0 ? 0 : entries.term(checkIndex(index));
    }

    @Override
    public LogEntry get(long index) {
        return materialise(checkIndex(index));
    }

    @Override
    public List<LogEntry> slice(long fromIndex, int maxCount, long maxBytes) {
        int from = Math.toIntExact(fromIndex);
        int to = (int) Math.min(entries.size(), (long) from + maxCount);
        List<LogEntry> slice = new ArrayList<>(Math.max(0, to - from));
        long bytes = 0;
        for (int i = from; i < to; i++) {
            LogEntry entry = materialise(checkIndex(i));
            bytes += EntrySize.estimate(entry);
            if (bytes > maxBytes && i > from) {
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
        long location = segments.append(id, data);
        entries.add(entry.term(), location, id.length, dataLength, mapperNumber(entry.mapper()));
        indexById.put(id, lastIndex());
    }

    @Override
    public void truncateFrom(long index) {
        int from = (int) Math.max(0, Math.min(index, entries.size()));
        for (int i = entries.size() - 1; i >= from; i--) {
            indexById.remove(idBytes(i));
        }
        // The segments keep the removed entries' bytes: views handed out may still read them.
        entries.truncate(from);
    }

    @Override
    public long indexOf(String entryId) {
        return indexById.get(entryId.getBytes(StandardCharsets.UTF_8));
    }

    private LogEntry materialise(int index) {
        long location = entries.location(index);
        byte[] segment = segments.segment(location);
        int offset = LogSegments.offset(location);
        int idLength = entries.idLength(index);
        String id = new String(segment, offset, idLength, StandardCharsets.UTF_8);
        return LogEntry.fromJson(id, entries.term(index), segment, offset + idLength, entries.dataLength(index),
                mappers.get(entries.mapper(index)));
    }

    private boolean idEquals(long index, byte[] id) {
        long location = entries.location((int) index);
        int offset = LogSegments.offset(location);
        return Arrays.equals(segments.segment(location), offset, offset + entries.idLength((int) index),
                id, 0, id.length);
    }

    private byte[] idBytes(int index) {
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

    private int checkIndex(long index) {
        return (int) Objects.checkIndex(index, entries.size());
    }
}
