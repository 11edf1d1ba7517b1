package io.gaggle.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

import io.gaggle.LogEntry;
import io.gaggle.raft.InMemoryRaftLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a log back from its segment files when a store opens. A crash mid-write can leave only
 * one kind of damage: an incomplete record (or a run of zeros where the file grew but its data
 * did not reach the disk) at the very end of the last segment, written after the last sync and so
 * never acknowledged. That tail is cut off with an INFO. Anything else (a bad record with intact
 * data after it, a bad record in an earlier segment, a gap between segments) is corruption, and
 * recovery refuses with a {@link Corruption} message.
 */
final class LogRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);
    private static final int READ_BUFFER_BYTES = 4 << 20;

    private final StorageDirectory directory;
    private final JsonMapper mapper;
    private final InMemoryRaftLog memory = new InMemoryRaftLog();
    private final List<LogSegment> segments = new ArrayList<>();
    private final RecordOffsets recordOffsets = new RecordOffsets();
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    /** The file position of the byte at index 0 of {@link #buffer}, which holds up to its limit. */
    private long bufferStart;

    private LogRecovery(StorageDirectory directory, JsonMapper mapper) {
        this.directory = directory;
        this.mapper = mapper;
    }

    /**
     * The log in {@code directory}, its torn tail cut off.
     *
     * @throws StorageException if the log is damaged other than by a crash mid-write
     */
    static FileRaftLog recover(StorageDirectory directory, JsonMapper mapper, long segmentBytes) throws IOException {
        LogRecovery recovery = new LogRecovery(directory, mapper);
        try {
            recovery.readSegments();
        } catch (IOException | RuntimeException e) {
            for (LogSegment segment : recovery.segments) {
                segment.file.close();
            }
            throw e;
        }
        return new FileRaftLog(directory, segmentBytes, recovery.memory, recovery.segments, recovery.recordOffsets);
    }

    private void readSegments() throws IOException {
        List<String> names = directory.list().stream().filter(name -> LogSegment.firstIndexOf(name) >= 0)
                .sorted(Comparator.comparingLong(LogSegment::firstIndexOf)).toList();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            long firstIndex = LogSegment.firstIndexOf(name);
            long expected = memory.lastIndex() + 1;
            if (firstIndex != expected) {
                throw Corruption.refuse(where(name), 0, firstIndex > expected
                        ? "the log has a gap: the segment starts at index " + firstIndex + " but the entries before end at index "
                                + (expected - 1) + " (a segment file is missing)"
                        : "the segment starts at index " + firstIndex + ", inside the previous segment's entries, which end at "
                                + (expected - 1));
            }
            LogSegment segment = new LogSegment(name, firstIndex, directory.open(name));
            boolean last = i == names.size() - 1;
            if (readHeader(segment, last)) {
                segments.add(segment);
                readRecords(segment, last);
            }
        }
    }

    /** Whether the segment has a good header; false for a last segment whose creation a crash cut short (then deleted). */
    private boolean readHeader(LogSegment segment, boolean last) throws IOException {
        long size = segment.file.size();
        ByteBuffer header = ByteBuffer.allocate(LogSegment.HEADER_BYTES);
        readFully(segment.file, 0, header);
        String problem = size < LogSegment.HEADER_BYTES ? "the segment is shorter than its header"
                : segment.headerProblem(header);
        if (problem == null) {
            return true;
        }
        if (last && (size < LogSegment.HEADER_BYTES || zerosFrom(segment.file, 0))) {
            segment.file.close();
            directory.delete(segment.name);
            directory.sync();
            LOG.info("Gaggle storage {}: dropped {}, a log segment whose creation a crash cut short ({} bytes)",
                    directory, segment.name, size);
            return false;
        }
        throw Corruption.refuse(where(segment.name), 0, problem);
    }

    private void readRecords(LogSegment segment, boolean last) throws IOException {
        StorageFile file = segment.file;
        long size = file.size();
        long position = LogSegment.HEADER_BYTES;
        long previousTerm = memory.term(memory.lastIndex());
        buffer.clear().limit(0);
        bufferStart = position;
        while (position < size) {
            long remaining = size - position;
            if (remaining < LogRecord.HEADER_BYTES) {
                cutTornTail(segment, last, position, "the record's header runs past the end of the file");
                return;
            }
            fill(file, position, LogRecord.HEADER_BYTES);
            int at = (int) (position - bufferStart);
            int length = buffer.getInt(at);
            if (length < LogRecord.MIN_PAYLOAD_BYTES) {
                if (last && zerosFrom(file, position)) {
                    cutTornTail(segment, true, position, null);
                    return;
                }
                throw Corruption.refuse(where(segment.name), position, "a record's length is " + length
                        + ", less than any record's");
            }
            if (length > remaining - LogRecord.HEADER_BYTES) {
                cutTornTail(segment, last, position, "a record of " + length + " bytes runs past the end of the file");
                return;
            }
            fill(file, position, LogRecord.HEADER_BYTES + length);
            at = (int) (position - bufferStart);
            byte[] bytes = buffer.array();
            int payload = at + LogRecord.HEADER_BYTES;
            if (LogRecord.crc(bytes, payload, length, crc) != buffer.getInt(at + 4)) {
                if (last && zerosFrom(file, position + LogRecord.HEADER_BYTES + length)) {
                    cutTornTail(segment, true, position, null);
                    return;
                }
                throw Corruption.refuse(where(segment.name), position, "a record's checksum does not match its content");
            }
            long term = buffer.getLong(payload);
            int idLength = buffer.getInt(payload + 8);
            if (idLength < 0 || idLength > length - LogRecord.MIN_PAYLOAD_BYTES || term < previousTerm) {
                throw Corruption.refuse(where(segment.name), position, idLength < 0 || idLength > length - 12
                        ? "a record's id length " + idLength + " does not fit the record"
                        : "the entry at index " + (memory.lastIndex() + 1) + " has term " + term
                                + ", lower than the term " + previousTerm + " of the entry before it");
            }
            int idStart = payload + LogRecord.MIN_PAYLOAD_BYTES;
            String id = new String(bytes, idStart, idLength, StandardCharsets.UTF_8);
            long index = memory.lastIndex() + 1;
            memory.append(LogEntry.fromJson(id, term, bytes, idStart + idLength,
                    length - LogRecord.MIN_PAYLOAD_BYTES - idLength, mapper));
            recordOffsets.set(index, position);
            previousTerm = term;
            position += LogRecord.HEADER_BYTES + length;
        }
    }

    /**
     * Cuts a torn record and what follows it off the last segment; anywhere else it is corruption.
     *
     * @param problem what is wrong, for the refusal; null when the tail is known to be torn
     */
    private void cutTornTail(LogSegment segment, boolean last, long position, String problem) throws IOException {
        if (!last) {
            throw Corruption.refuse(where(segment.name), position, problem + ", in a segment that is not the last");
        }
        long dropped = segment.file.size() - position;
        segment.file.truncate(position);
        segment.file.force();
        LOG.info("Gaggle storage {}: dropped a torn record at the end of {} (offset {}, {} bytes), left by a crash "
                + "mid-write", directory, segment.name, position, dropped);
    }

    /** Makes {@link #buffer} hold the file's bytes from {@code position} for at least {@code needed} bytes. */
    private void fill(StorageFile file, long position, int needed) throws IOException {
        int at = (int) (position - bufferStart);
        if (at + needed <= buffer.limit()) {
            return;
        }
        if (needed > buffer.capacity()) {
            ByteBuffer larger = ByteBuffer.allocate(needed);
            larger.put(buffer.position(at));
            buffer = larger;
        } else {
            buffer.position(at).compact();
        }
        bufferStart = position;
        while (buffer.position() < needed) {
            if (file.read(bufferStart + buffer.position(), buffer) < 0) {
                throw new IOException("the file ended at " + (bufferStart + buffer.position()) + " while reading it");
            }
        }
        buffer.flip();
    }

    private static void readFully(StorageFile file, long position, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (file.read(position + into.position(), into) < 0) {
                break;
            }
        }
        into.flip();
    }

    /** Whether the file holds nothing but zero bytes from {@code position} on. */
    private static boolean zerosFrom(StorageFile file, long position) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long at = position;
        int read;
        while ((read = file.read(at, chunk.clear())) > 0) {
            byte[] bytes = chunk.array();
            for (int i = 0; i < read; i++) {
                if (bytes[i] != 0) {
                    return false;
                }
            }
            at += read;
        }
        return true;
    }

    private String where(String name) {
        return directory + "/" + name;
    }
}
