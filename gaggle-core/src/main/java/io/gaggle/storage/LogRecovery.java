package io.gaggle.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

import io.gaggle.LogEntry;
import io.gaggle.raft.InMemoryRaftLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a log back from its segment files when a store opens. A segment may end in zeros, space
 * filled ahead of appends. A crash mid-write can leave two kinds of damage, both in the last
 * segment and both after the last sync, so never acknowledged: an incomplete record at its very
 * end, possibly followed by zeros; or, after a power loss, a record with a sector of zeros that
 * its write never reached, possibly followed by intact records written after it. Either is cut
 * off with an INFO. Anything else (a bad record with intact data after it and no zeroed sector,
 * a bad record in an earlier segment, a gap between segments) is corruption, and recovery
 * refuses with a {@link Corruption} message.
 */
final class LogRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);
    private static final int READ_BUFFER_BYTES = 4 << 20;
    /** The unit a disk writes whole: a sector of zeros within a record is one its write never reached. */
    private static final int SECTOR_BYTES = 512;
    /** Zeros a record never holds this many of in a row; see {@link #unwrittenSectorWithin}. */
    private static final int MIN_ZERO_RUN = 16;
    /** Zeros are checked this many bytes at a time: the space filled ahead runs to megabytes. */
    private static final int ZERO_SCAN_BYTES = 64 * 1024;

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
     * The log in {@code directory}, its torn tail cut off; it runs {@code saveStateFirst} before
     * it writes to a segment.
     *
     * @throws StorageException if the log is damaged other than by a crash mid-write
     */
    static FileRaftLog recover(StorageDirectory directory, JsonMapper mapper, long segmentBytes, int writeBufferBytes,
            LongConsumer saveStateFirst) throws IOException {
        LogRecovery recovery = new LogRecovery(directory, mapper);
        try {
            recovery.readSegments();
        } catch (IOException | RuntimeException e) {
            for (LogSegment segment : recovery.segments) {
                segment.file.close();
            }
            throw e;
        }
        return new FileRaftLog(directory, segmentBytes, writeBufferBytes, recovery.memory, recovery.segments,
                recovery.recordOffsets, saveStateFirst);
    }

    private void readSegments() throws IOException {
        LogReset.complete(directory);
        List<String> names = directory.list().stream().filter(name -> LogSegment.firstIndexOf(name) >= 0)
                .sorted(Comparator.comparingLong(LogSegment::firstIndexOf)).toList();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            long firstIndex = LogSegment.firstIndexOf(name);
            long expected = memory.lastIndex() + 1;
            if (i > 0 && firstIndex != expected) {
                throw Corruption.refuse(where(name), 0, firstIndex > expected
                        ? "the log has a gap: the segment starts at index " + firstIndex
                                + " but the entries before end at index "
                                + (expected - 1) + " (a segment file is missing)"
                        : "the segment starts at index " + firstIndex
                                + ", inside the previous segment's entries, which end at "
                                + (expected - 1));
            }
            LogSegment segment = new LogSegment(name, firstIndex, directory.open(name));
            boolean last = i == names.size() - 1;
            if (readHeader(segment, last, i == 0 ? -1 : memory.term(memory.lastIndex()))) {
                segments.add(segment);
                readRecords(segment, last);
            }
        }
    }

    /**
     * Whether the segment has a good header; false for a last segment whose creation a crash cut
     * short (then deleted). The first segment's header sets where the log starts: compaction may
     * have deleted the segments before it.
     */
    private boolean readHeader(LogSegment segment, boolean last, long previousTerm) throws IOException {
        long size = segment.file.size();
        ByteBuffer header = ByteBuffer.allocate(LogSegment.HEADER_BYTES);
        readFully(segment.file, 0, header);
        String problem = size < LogSegment.HEADER_BYTES ? "the segment is shorter than its header"
                : segment.headerProblem(header, previousTerm);
        if (problem == null) {
            if (previousTerm < 0) {
                memory.resetTo(segment.firstIndex - 1, LogSegment.previousTerm(header));
                recordOffsets.reset(segment.firstIndex);
            }
            return true;
        }
        if (last && (size < LogSegment.HEADER_BYTES || headerTorn(segment, header, previousTerm))) {
            segment.file.close();
            directory.delete(segment.name);
            directory.sync();
            LOG.info("Gaggle storage {}: dropped {}, a log segment whose creation a crash cut short ({} bytes)",
                    directory, segment.name, size);
            return false;
        }
        throw Corruption.refuse(where(segment.name), 0, problem);
    }

    /**
     * Whether the segment holds the start of the header it should have, then zeros to the end of
     * the header's disk sector: the write of its header was cut short, or its sector never reached
     * the disk while later ones did. Either way nothing in the segment was synced: its header is
     * written with its first records, and forced with them. (The
     * first segment's header cannot be torn this way: a log starts after index 0 only once its
     * first segment is durable, and a torn one holds no term to compare with.)
     */
    private static boolean headerTorn(LogSegment segment, ByteBuffer header, long previousTerm) throws IOException {
        ByteBuffer expected = LogSegment.header(segment.firstIndex,
                previousTerm >= 0 ? previousTerm : LogSegment.previousTerm(header));
        int written = 0;
        while (written < header.limit() && header.get(written) == expected.get(written)) {
            written++;
        }
        return zerosBetween(segment.file, written, alignUp(written + MIN_ZERO_RUN));
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
                if (zerosFrom(file, position)) {
                    cutUnusedSpace(segment, position);
                    return;
                }
                if (last && unwrittenSectorWithin(file, position, alignUp(position + MIN_ZERO_RUN) - position)) {
                    cutAtUnwrittenSector(segment, position);
                    return;
                }
                throw Corruption.refuse(where(segment.name), position, "a record's length is " + length
                        + ", less than any record's");
            }
            long recordSize = LogRecord.sizeOf(length);
            if (recordSize > remaining) {
                cutTornTail(segment, last, position, "a record of " + length + " bytes runs past the end of the file");
                return;
            }
            fill(file, position, (int) recordSize);
            at = (int) (position - bufferStart);
            byte[] bytes = buffer.array();
            int payload = at + LogRecord.HEADER_BYTES;
            String problem = LogRecord.crc(bytes, payload, length, crc) != buffer.getInt(at + 4)
                    ? "a record's checksum does not match its content"
                    : paddingProblem(payload + length, at + (int) recordSize);
            if (problem != null) {
                if (last && unwrittenSectorWithin(file, position, recordSize)) {
                    cutAtUnwrittenSector(segment, position);
                    return;
                }
                if (!zerosFrom(file, position + recordSize)) {
                    throw Corruption.refuse(where(segment.name), position, problem);
                }
                cutTornTail(segment, last, position, problem);
                return;
            }
            long term = buffer.getLong(payload);
            int idLength = buffer.getInt(payload + 8);
            boolean idFits = idLength >= 0 && idLength <= length - LogRecord.MIN_PAYLOAD_BYTES;
            if (!idFits || term < previousTerm) {
                throw Corruption.refuse(where(segment.name), position, !idFits
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
            position += recordSize;
        }
    }

    /**
     * What is wrong with the padding in {@link #buffer} from {@code from} to {@code to}, or null if
     * nothing. It is written as zeros over space that holds zeros, so a crash mid-write cannot
     * leave other bytes there: they are damage, judged as a failed checksum is, since the checksum
     * does not cover them.
     */
    private String paddingProblem(int from, int to) {
        return allZero(buffer.slice(from, to - from)) ? null : "a record's padding holds a byte other than zero";
    }

    /**
     * Cuts the bad record at {@code position}, and what follows it, off the segment if a crash
     * mid-write can have left it: in the last segment, with no intact record after it (a length
     * damaged in the middle of the log can also make a record run past the end of the file).
     */
    private void cutTornTail(LogSegment segment, boolean last, long position, String problem) throws IOException {
        if (!last) {
            throw Corruption.refuse(where(segment.name), position, problem + ", in a segment that is not the last");
        }
        long intact = intactRecordAfter(segment.file, position);
        if (intact >= 0) {
            throw Corruption.refuse(where(segment.name), position, problem + ", yet an intact record follows at offset "
                    + intact);
        }
        long dropped = cut(segment, position);
        LOG.info("Gaggle storage {}: dropped a torn record at the end of {} (offset {}, {} bytes), left by a crash "
                + "mid-write", directory, segment.name, position, dropped);
    }

    /** Cuts the segment at {@code position}, durably; returns how many bytes went. */
    private static long cut(LogSegment segment, long position) throws IOException {
        long dropped = segment.file.size() - position;
        segment.file.truncate(position);
        segment.file.force();
        return dropped;
    }

    /**
     * The offset of the first whole record with a good checksum that starts after {@code position},
     * or -1. Runs only on a damaged segment, so it reads the rest of the file at once and tries
     * every offset a record can start at.
     */
    private long intactRecordAfter(StorageFile file, long position) throws IOException {
        long start = position + LogRecord.ALIGNMENT;
        ByteBuffer rest = ByteBuffer.allocate(Math.toIntExact(Math.max(0, file.size() - start)));
        readFully(file, start, rest);
        byte[] bytes = rest.array();
        int end = rest.limit();
        for (int at = 0; at <= end - LogRecord.HEADER_BYTES - LogRecord.MIN_PAYLOAD_BYTES; at += LogRecord.ALIGNMENT) {
            int length = rest.getInt(at);
            if (length >= LogRecord.MIN_PAYLOAD_BYTES && length <= end - at - LogRecord.HEADER_BYTES
                    && LogRecord.crc(bytes, at + LogRecord.HEADER_BYTES, length, crc) == rest.getInt(at + 4)) {
                return start + at;
            }
        }
        return -1;
    }

    /**
     * Whether part of the record at {@code position}, {@code length} bytes long, lies in a disk
     * sector that holds only zeros: space filled ahead that a crash kept the record's write from
     * reaching. Pages reach the disk in any order, so after a power loss a record written after the
     * last sync may be missing in part while later ones are intact. As etcd's WAL does, the record
     * is cut at sector boundaries and a piece of zeros marks it torn; a piece must be at least
     * {@value #MIN_ZERO_RUN} bytes, longer than any run of zeros well-formed records hold (at
     * most 11: a checksum ending in zeros, then the high bytes of the term; padding then the high
     * bytes of the next record's length make at most 10; JSON holds no zero byte). The last piece
     * runs on past the record to the end of its sector, which a lost sector zeroes too. A shorter
     * first piece counts: a record starts at a multiple of {@value LogRecord#ALIGNMENT} bytes, as
     * a sector does, so its first piece holds its whole length field, and no record has a length
     * of 0; that is a record whose first sector never reached the disk while the next did. Damage
     * to synced data, say a flipped bit, leaves no such piece.
     */
    private static boolean unwrittenSectorWithin(StorageFile file, long position, long length) throws IOException {
        long end = Math.min(file.size(), alignUp(position + length));
        long from = position;
        while (from < end) {
            long to = Math.min(end, alignUp(from + 1));
            long piece = to - from;
            boolean telling = piece >= MIN_ZERO_RUN || from == position;
            if (telling && zerosBetween(file, from, to)) {
                return true;
            }
            from = to;
        }
        return false;
    }

    private static long alignUp(long position) {
        return (position + SECTOR_BYTES - 1) / SECTOR_BYTES * SECTOR_BYTES;
    }

    private static boolean allZero(ByteBuffer bytes) {
        for (int i = 0; i < bytes.limit(); i++) {
            if (bytes.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Cuts the last segment at a record a crash left partly unwritten. What follows was written
     * after it, so after the last sync, and was never acknowledged: it goes too.
     */
    private void cutAtUnwrittenSector(LogSegment segment, long position) throws IOException {
        boolean intactAfter = intactRecordAfter(segment.file, position) >= 0;
        long dropped = cut(segment, position);
        String message = "Gaggle storage {}: dropped the end of {} from offset {} ({} bytes): a crash kept part of a "
                + "record from reaching the disk, so it and what follows were written after the last sync";
        if (intactAfter) {
            // Only a power loss leaves intact records after a hole; say so louder, as bit rot could too.
            LOG.warn(message + ", intact records after it included", directory, segment.name, position, dropped);
        } else {
            LOG.info(message, directory, segment.name, position, dropped);
        }
    }

    /** Cuts off the zeros after the last record: space the segment had filled ahead of its appends. */
    private void cutUnusedSpace(LogSegment segment, long position) throws IOException {
        long unused = cut(segment, position);
        LOG.debug("Gaggle storage {}: {} ends at offset {}, before {} unused bytes", directory, segment.name, position,
                unused);
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

    /** Whether the file holds nothing but zero bytes from {@code from} to {@code to} or its end. */
    private static boolean zerosBetween(StorageFile file, long from, long to) throws IOException {
        long end = Math.min(to, file.size());
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.max(0, Math.min(ZERO_SCAN_BYTES, end - from)));
        for (long at = from; at < end; at += chunk.limit()) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), end - at));
            readFully(file, at, chunk);
            if (chunk.limit() == 0 || !allZero(chunk)) {
                return chunk.limit() == 0;
            }
        }
        return true;
    }

    /** Whether the file holds nothing but zero bytes from {@code position} on. */
    private static boolean zerosFrom(StorageFile file, long position) throws IOException {
        return zerosBetween(file, position, Long.MAX_VALUE);
    }

    private String where(String name) {
        return directory + "/" + name;
    }
}
