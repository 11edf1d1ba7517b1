package io.gaggle.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.gaggle.LogEntry;
import io.gaggle.raft.RaftLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link FileRaftStorage} on real files: what was synced survives a reopen and a crash, a torn
 * tail is cut off, and damage anywhere else stops the store from opening.
 */
class FileRaftStorageTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** Small enough that a few dozen entries fill several segments. */
    private static final long SMALL_SEGMENTS = 256;

    @TempDir
    Path directory;

    private final List<FileRaftStorage> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(FileRaftStorage::close);
    }

    private FileRaftStorage open() {
        return open(directory, FileRaftStorage.SEGMENT_BYTES);
    }

    private FileRaftStorage open(Path path, long segmentBytes) {
        return track(FileRaftStorage.open(new FileSystemDirectory(path), MAPPER, segmentBytes));
    }

    private FileRaftStorage track(FileRaftStorage storage) {
        opened.add(storage);
        return storage;
    }

    private static LogEntry entry(String id, long term, String value) {
        return LogEntry.fromJson(id, term, MAPPER.writeValueAsBytes(value), MAPPER);
    }

    private static List<LogEntry> entries(int count, long term) {
        return IntStream.range(0, count).mapToObj(i -> entry("entry-" + i, term, "value-" + i)).toList();
    }

    private static List<LogEntry> logOf(FileRaftStorage storage) {
        return storage.log().slice(0, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** Appends, saves a term that covers the entries, syncs and closes: a store as a clean shutdown leaves it. */
    private void write(long segmentBytes, List<LogEntry> entries) {
        FileRaftStorage storage = open(directory, segmentBytes);
        storage.saveTermAndVote(entries.stream().mapToLong(LogEntry::term).max().orElse(1), "node-a");
        entries.forEach(storage.log()::append);
        storage.sync();
        storage.close();
    }

    /** Writes the entries as {@link #write} does, into the one segment file it returns. */
    private Path writeOneSegment(List<LogEntry> entries) {
        write(FileRaftStorage.SEGMENT_BYTES, entries);
        return segmentFiles().get(0);
    }

    /** Where the record of {@code entries.get(index)} begins in a single segment holding them. */
    private static long recordOffset(List<LogEntry> entries, int index) {
        long offset = LogSegment.HEADER_BYTES;
        for (LogEntry entry : entries.subList(0, index)) {
            offset += LogRecord.size(entry.id().getBytes(StandardCharsets.UTF_8).length, entry.dataLength());
        }
        return offset;
    }

    private List<Path> segmentFiles() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> LogSegment.firstIndexOf(file.getFileName().toString()) >= 0).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x5a)}), offset);
        }
    }

    private static void cutTo(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void aNewDirectoryOpensEmptyWithTermZeroAndNoVote() {
        FileRaftStorage storage = open();
        assertThat(storage.term()).isZero();
        assertThat(storage.votedFor()).isNull();
        assertThat(storage.log().lastIndex()).isEqualTo(-1);
        assertThat(storage.durable()).isTrue();
    }

    @Test
    void reopeningKeepsTermVoteAndLog() {
        FileRaftStorage storage = open();
        storage.saveTermAndVote(3, "node-b");
        List<LogEntry> appended = List.of(entry("a", 1, "x"), entry("b", 2, "y"), entry("c", 3, "z"));
        appended.forEach(storage.log()::append);
        storage.sync();
        storage.close();

        FileRaftStorage reopened = open();
        assertThat(reopened.term()).isEqualTo(3);
        assertThat(reopened.votedFor()).isEqualTo("node-b");
        assertThat(logOf(reopened)).isEqualTo(appended);
        assertThat(reopened.log().indexOf("b")).isEqualTo(1);
        assertThat(reopened.log().get(2).data().asString()).isEqualTo("z");
        assertThat(reopened.log().get(2).mapper()).isSameAs(MAPPER);
    }

    @Test
    void reopeningAfterATruncationKeepsTheShortenedLog() {
        FileRaftStorage storage = open();
        storage.saveTermAndVote(1, null);
        List.of(entry("a", 1, "x"), entry("b", 1, "y"), entry("c", 1, "z")).forEach(storage.log()::append);
        storage.sync();
        storage.saveTermAndVote(2, null);
        storage.log().truncateFrom(1);
        storage.log().append(entry("d", 2, "w"));
        storage.sync();
        storage.close();

        assertThat(logOf(open())).containsExactly(entry("a", 1, "x"), entry("d", 2, "w"));
    }

    @Test
    void reopeningKeepsALogThatRolledOverSegments() {
        List<LogEntry> appended = entries(50, 1);
        write(SMALL_SEGMENTS, appended);
        assertThat(segmentFiles()).hasSizeGreaterThan(5);

        FileRaftStorage reopened = open(directory, SMALL_SEGMENTS);
        assertThat(logOf(reopened)).isEqualTo(appended);
        reopened.log().append(entry("more", 1, "m"));
        reopened.sync();
        reopened.close();

        assertThat(open(directory, SMALL_SEGMENTS).log().get(50)).isEqualTo(entry("more", 1, "m"));
    }

    @Test
    void truncatingAcrossSegmentsDeletesTheLaterOnes() {
        write(SMALL_SEGMENTS, entries(50, 1));
        int segmentsBefore = segmentFiles().size();
        FileRaftStorage storage = open(directory, SMALL_SEGMENTS);
        storage.saveTermAndVote(2, null);
        storage.log().truncateFrom(5);
        storage.log().append(entry("new", 2, "n"));
        storage.sync();
        storage.close();

        assertThat(segmentFiles()).hasSizeLessThan(segmentsBefore);
        List<LogEntry> expected = new ArrayList<>(entries(5, 1));
        expected.add(entry("new", 2, "n"));
        assertThat(logOf(open(directory, SMALL_SEGMENTS))).isEqualTo(expected);
    }

    @Test
    void compactionDeletesTheSegmentsHoldingOnlyCompactedEntries() {
        write(SMALL_SEGMENTS, entries(50, 1));
        FileRaftStorage storage = open(directory, SMALL_SEGMENTS);
        List<Path> before = segmentFiles();
        storage.log().compactTo(29);

        List<Path> after = segmentFiles();
        assertThat(after).hasSizeLessThan(before.size());
        long firstOnDisk = LogSegment.firstIndexOf(after.get(0).getFileName().toString());
        assertThat(firstOnDisk).isPositive().isLessThanOrEqualTo(30);
        assertThat(LogSegment.firstIndexOf(after.get(1).getFileName().toString())).isGreaterThan(30);
        assertThat(storage.log().firstIndex()).isEqualTo(30);
    }

    @Test
    void aCompactedLogReopensAtItsFirstRetainedSegment() {
        List<LogEntry> appended = entries(50, 1);
        write(SMALL_SEGMENTS, appended);
        FileRaftStorage storage = open(directory, SMALL_SEGMENTS);
        storage.saveTermAndVote(2, null);
        storage.log().compactTo(29);
        storage.log().append(entry("more", 2, "m"));
        storage.sync();
        storage.close();

        RaftLog reopened = open(directory, SMALL_SEGMENTS).log();
        long first = LogSegment.firstIndexOf(segmentFiles().get(0).getFileName().toString());
        assertThat(reopened.firstIndex()).isEqualTo(first).isPositive().isLessThanOrEqualTo(30);
        assertThat(reopened.term(first - 1)).isEqualTo(1);
        assertThat(reopened.slice(first, 50 - (int) first, Long.MAX_VALUE))
                .containsExactlyElementsOf(appended.subList((int) first, 50));
        assertThat(reopened.get(50)).isEqualTo(entry("more", 2, "m"));
        assertThat(reopened.indexOf("entry-49")).isEqualTo(49);
    }

    @Test
    void aLogCompactedToItsLastEntryReopensWithThatEntrysTerm() {
        write(SMALL_SEGMENTS, entries(50, 3));
        FileRaftStorage storage = open(directory, SMALL_SEGMENTS);
        storage.log().compactTo(49);
        storage.close();

        RaftLog reopened = open(directory, SMALL_SEGMENTS).log();
        assertThat(reopened.lastIndex()).isEqualTo(49);
        assertThat(reopened.term(reopened.firstIndex() - 1)).isEqualTo(3);
        assertThat(segmentFiles()).hasSize(1);
    }

    @Test
    void aResetLogReopensEmptyAfterTheSnapshot() {
        write(SMALL_SEGMENTS, entries(50, 1));
        FileRaftStorage storage = open(directory, SMALL_SEGMENTS);
        storage.log().resetTo(99, 4);
        storage.close();

        assertThat(segmentFiles()).extracting(file -> file.getFileName().toString())
                .containsExactly(LogSegment.name(100));
        assertThat(directory.resolve(LogReset.NAME)).doesNotExist();
        FileRaftStorage reopened = open(directory, SMALL_SEGMENTS);
        assertThat(reopened.term()).as("the state file knows the snapshot's term").isEqualTo(4);
        RaftLog log = reopened.log();
        assertThat(log.firstIndex()).isEqualTo(100);
        assertThat(log.lastIndex()).isEqualTo(99);
        assertThat(log.term(99)).isEqualTo(4);
        assertThat(log.indexOf("entry-10")).isEqualTo(-1);
        log.append(entry("after", 4, "a"));
        reopened.sync();
        reopened.close();

        assertThat(open(directory, SMALL_SEGMENTS).log().get(100)).isEqualTo(entry("after", 4, "a"));
    }

    @Test
    void aResetToTheStartOfAnExistingSegmentReplacesIt() {
        write(SMALL_SEGMENTS, entries(50, 1));
        long secondStart = LogSegment.firstIndexOf(segmentFiles().get(1).getFileName().toString());
        FileRaftStorage storage = open(directory, SMALL_SEGMENTS);
        storage.log().resetTo(secondStart - 1, 2);
        storage.close();

        RaftLog log = open(directory, SMALL_SEGMENTS).log();
        assertThat(log.firstIndex()).isEqualTo(secondStart);
        assertThat(log.lastIndex()).isEqualTo(secondStart - 1);
        assertThat(log.term(secondStart - 1)).isEqualTo(2);
    }

    @Test
    void openingFinishesAResetACrashInterrupted() throws IOException {
        write(SMALL_SEGMENTS, entries(50, 1));
        try (FileSystemDirectory files = new FileSystemDirectory(directory)) {
            files.replace(LogReset.NAME, LogReset.record(99, 1));
        }

        RaftLog log = open(directory, SMALL_SEGMENTS).log();
        assertThat(log.firstIndex()).isEqualTo(100);
        assertThat(log.term(99)).isEqualTo(1);
        assertThat(segmentFiles()).extracting(file -> file.getFileName().toString())
                .containsExactly(LogSegment.name(100));
        assertThat(directory.resolve(LogReset.NAME)).doesNotExist();
    }

    @Test
    void refusesADamagedResetRecord() throws IOException {
        write(SMALL_SEGMENTS, entries(5, 1));
        Files.write(directory.resolve(LogReset.NAME), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> open(directory, SMALL_SEGMENTS)).isInstanceOf(StorageException.class)
                .hasMessageContaining(LogReset.NAME)
                .hasMessageContaining("not a log reset record");
        assertThat(segmentFiles()).isNotEmpty();
    }

    @Test
    void refusesASegmentWhoseHeaderDisagreesWithTheTermBeforeIt() throws IOException {
        write(SMALL_SEGMENTS, entries(50, 1));
        Path second = segmentFiles().get(1);
        flipByte(second, LogSegment.HEADER_BYTES - 1);

        assertThatThrownBy(() -> open(directory, SMALL_SEGMENTS)).isInstanceOf(StorageException.class)
                .hasMessageContaining(second.toString())
                .hasMessageContaining("to the entry before index");
    }

    @Test
    void anEntryLargerThanTheWriteAndReadBuffersSurvivesAReopen() {
        LogEntry large = entry("large", 1, "l".repeat(5 << 20));
        List<LogEntry> appended = List.of(entry("before", 1, "b"), large, entry("after", 1, "a"));
        write(FileRaftStorage.SEGMENT_BYTES, appended);

        assertThat(logOf(open())).isEqualTo(appended);
    }

    @Test
    void whatWasSyncedSurvivesACrash() throws IOException {
        FileRaftStorage storage = open();
        storage.saveTermAndVote(1, "node-a");
        storage.log().append(entry("a", 1, "x"));
        storage.sync();
        copy(directory, directory.resolve("crash-after-first-sync"));
        storage.log().append(entry("b", 1, "y"));
        storage.saveTermAndVote(2, "node-c");
        storage.sync();
        copy(directory, directory.resolve("crash-after-second-sync"));
        storage.log().append(entry("c", 2, "z"));

        FileRaftStorage first = open(directory.resolve("crash-after-first-sync"), FileRaftStorage.SEGMENT_BYTES);
        assertThat(first.term()).isEqualTo(1);
        assertThat(logOf(first)).extracting(LogEntry::id).containsExactly("a");
        FileRaftStorage second = open(directory.resolve("crash-after-second-sync"), FileRaftStorage.SEGMENT_BYTES);
        assertThat(second.votedFor()).isEqualTo("node-c");
        assertThat(logOf(second)).extracting(LogEntry::id).containsExactly("a", "b");
    }

    @Test
    void closingWritesNothingThatWasNotSynced() {
        FileRaftStorage storage = open();
        storage.saveTermAndVote(1, null);
        storage.log().append(entry("a", 1, "x"));
        storage.sync();
        storage.saveTermAndVote(2, "node-b");
        storage.log().append(entry("b", 2, "y"));
        storage.close();

        FileRaftStorage reopened = open();
        assertThat(reopened.term()).isEqualTo(1);
        assertThat(logOf(reopened)).extracting(LogEntry::id).containsExactly("a");
    }

    @Test
    void truncatesARecordCutShortAtTheTail() throws IOException {
        List<LogEntry> appended = entries(3, 1);
        Path segment = writeOneSegment(appended);
        cutTo(segment, recordOffset(appended, 2) + LogRecord.HEADER_BYTES + 14);

        FileRaftStorage reopened = open();
        assertThat(logOf(reopened)).isEqualTo(appended.subList(0, 2));
        assertThat(Files.size(segment)).isEqualTo(recordOffset(appended, 2));
        reopened.log().append(entry("next", 1, "n"));
        reopened.sync();
        reopened.close();
        assertThat(logOf(open())).extracting(LogEntry::id).containsExactly("entry-0", "entry-1", "next");
    }

    @Test
    void truncatesARecordWhoseHeaderIsCutShort() throws IOException {
        List<LogEntry> appended = entries(3, 1);
        Path segment = writeOneSegment(appended);
        cutTo(segment, recordOffset(appended, 2) + 3);

        assertThat(logOf(open())).isEqualTo(appended.subList(0, 2));
    }

    @Test
    void truncatesATailOfZeros() throws IOException {
        List<LogEntry> appended = entries(3, 1);
        Path segment = writeOneSegment(appended);
        long end = recordOffset(appended, 3);
        cutTo(segment, end);
        Files.write(segment, new byte[4096], StandardOpenOption.APPEND);

        assertThat(logOf(open())).isEqualTo(appended);
        assertThat(Files.size(segment)).isEqualTo(end);
    }

    @Test
    void truncatesALastRecordWhoseChecksumFails() throws IOException {
        List<LogEntry> appended = entries(3, 1);
        Path segment = writeOneSegment(appended);
        flipByte(segment, recordOffset(appended, 2) + LogRecord.HEADER_BYTES + 14);

        assertThat(logOf(open())).isEqualTo(appended.subList(0, 2));
    }

    @Test
    void truncatesATornRecordFollowedByZeros() throws IOException {
        List<LogEntry> appended = entries(3, 1);
        Path segment = writeOneSegment(appended);
        cutTo(segment, recordOffset(appended, 2) + LogRecord.HEADER_BYTES + 14);
        Files.write(segment, new byte[4096], StandardOpenOption.APPEND);

        assertThat(logOf(open())).isEqualTo(appended.subList(0, 2));
        assertThat(Files.size(segment)).isEqualTo(recordOffset(appended, 2));
    }

    @Test
    void truncatesAtARecordWithASectorThePowerLossLeftUnwrittenThoughIntactRecordsFollow() throws IOException {
        List<LogEntry> appended = new ArrayList<>(entries(2, 1));
        appended.add(entry("long", 1, "x".repeat(2000)));
        appended.addAll(entries(2, 1).stream().map(e -> entry("after-" + e.id(), 1, "v")).toList());
        Path segment = writeOneSegment(appended);
        long torn = recordOffset(appended, 2);
        long sector = (torn / 512 + 2) * 512;
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(512), sector);
        }

        assertThat(logOf(open())).isEqualTo(appended.subList(0, 2));
        assertThat(Files.size(segment)).isEqualTo(torn);
    }

    @Test
    void truncatesAtARecordWhoseStartThePowerLossLeftUnwrittenThoughIntactRecordsFollow() throws IOException {
        List<LogEntry> appended = new ArrayList<>(entries(3, 1));
        appended.add(entry("long", 1, "x".repeat(1500)));
        Path segment = writeOneSegment(appended);
        long torn = recordOffset(appended, 1);
        long sectorEnd = (torn + 16 + 511) / 512 * 512;
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate((int) (sectorEnd - torn)), torn);
        }

        assertThat(logOf(open())).isEqualTo(appended.subList(0, 1));
        assertThat(Files.size(segment)).isEqualTo(torn);
    }

    /**
     * The record's header, and nothing more, lay in the sector the power loss kept from the disk:
     * records start at multiples of 8 bytes, so the sector held all of its length field or none.
     */
    @Test
    void truncatesAtARecordWhoseHeaderAloneLayInASectorThePowerLossLeftUnwritten() throws IOException {
        long sectorEnd = 512;
        List<LogEntry> appended = new ArrayList<>(List.of(entry("first", 1, "x"), entry("cut", 1, "y".repeat(300))));
        for (int filler = 2; recordOffset(appended, 1) < sectorEnd - LogRecord.HEADER_BYTES; filler++) {
            appended.set(0, entry("first", 1, "x".repeat(filler)));
        }
        Path segment = writeOneSegment(appended);
        long torn = recordOffset(appended, 1);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate((int) (sectorEnd - torn)), torn);
        }

        assertThat(torn).isEqualTo(sectorEnd - LogRecord.HEADER_BYTES);
        assertThat(logOf(open())).isEqualTo(appended.subList(0, 1));
        assertThat(Files.size(segment)).isEqualTo(torn);
    }

    /**
     * Read from the file, not worked out from the entries, so that it checks the writer; the file
     * may hold zeros after its last record, space filled ahead of appends.
     */
    @Test
    void everyRecordStartsAtAMultipleOfEightBytesAfterZeroPadding() throws IOException {
        List<LogEntry> appended = IntStream.range(0, 40)
                .mapToObj(i -> entry("entry-" + i, 1, "v".repeat(i * 37 % 301))).toList();
        Path segment = writeOneSegment(appended);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));

        long offset = LogSegment.HEADER_BYTES;
        int records = 0;
        while (offset < bytes.limit() && bytes.getInt((int) offset) != 0) {
            assertThat(offset % 8).as("offset of record %d", records).isZero();
            int end = (int) offset + LogRecord.HEADER_BYTES + bytes.getInt((int) offset);
            offset = (end + 7) / 8 * 8;
            for (int padding = end; padding < offset; padding++) {
                assertThat(bytes.get(padding)).as("padding byte at %d", padding).isZero();
            }
            records++;
        }
        assertThat(records).isEqualTo(appended.size());
        for (int unused = (int) offset; unused < bytes.limit(); unused++) {
            assertThat(bytes.get(unused)).as("byte at %d after the last record", unused).isZero();
        }
    }

    @Test
    void refusesARecordWhosePaddingIsNotZeros() throws IOException {
        List<LogEntry> appended = List.of(entry("a", 1, "x"), entry("b", 1, "yy"), entry("c", 1, "z"));
        Path segment = writeOneSegment(appended);
        long next = recordOffset(appended, 2);
        flipByte(segment, next - 1);

        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining("at byte offset " + recordOffset(appended, 1)
                        + ", a record's padding holds a byte other than zero");
    }

    @Test
    void refusesStrayBytesAfterTheLastRecord() throws IOException {
        List<LogEntry> appended = entries(3, 1);
        Path segment = writeOneSegment(appended);
        long end = recordOffset(appended, 3);
        flipByte(segment, end + 100);

        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining("at byte offset " + end + ", a record's length is 0");
    }

    @Test
    void dropsANewSegmentWhoseHeaderACrashCutShort() throws IOException {
        List<LogEntry> appended = entries(3, 1);
        write(FileRaftStorage.SEGMENT_BYTES, appended);
        Path incomplete = directory.resolve(LogSegment.name(3));
        Files.write(incomplete, new byte[] {0x47, 0x47, 0x4c});

        assertThat(logOf(open())).isEqualTo(appended);
        assertThat(incomplete).doesNotExist();
    }

    @Test
    void dropsANewSegmentWhoseHeaderACrashCutShortThenFilledWithZeros() throws IOException {
        List<LogEntry> appended = entries(3, 1);
        write(FileRaftStorage.SEGMENT_BYTES, appended);
        Path incomplete = directory.resolve(LogSegment.name(3));
        byte[] header = LogSegment.header(3, 1).array();
        Files.write(incomplete, Arrays.copyOf(Arrays.copyOf(header, 6), 100));

        assertThat(logOf(open())).isEqualTo(appended);
        assertThat(incomplete).doesNotExist();
    }

    /** The power loss kept the sector holding the new segment's header from the disk, not the next one. */
    @Test
    void dropsANewSegmentWhoseHeaderSectorThePowerLossLeftUnwritten() throws IOException {
        List<LogEntry> appended = entries(3, 1);
        write(FileRaftStorage.SEGMENT_BYTES, appended);
        Path incomplete = directory.resolve(LogSegment.name(3));
        byte[] content = new byte[1024];
        Arrays.fill(content, 512, 1024, (byte) 'x');
        Files.write(incomplete, content);

        assertThat(logOf(open())).isEqualTo(appended);
        assertThat(incomplete).doesNotExist();
    }

    /**
     * A segment rolling over writes entries before the turn's sync; they may reach the disk
     * before the new term is saved, so the state file must already hold their term.
     */
    @Test
    void entriesWrittenBeforeTheSyncAreOfATermTheStateFileKnows() {
        FileRaftStorage storage = open(directory, 256);
        storage.saveTermAndVote(1, "node-a");
        storage.sync();
        entries(10, 2).forEach(storage.log()::append);
        storage.close();

        FileRaftStorage reopened = open(directory, 256);
        assertThat(reopened.term()).isGreaterThanOrEqualTo(reopened.log().term(reopened.log().lastIndex()));
        assertThat(reopened.log().lastIndex()).isPositive();
    }

    @Test
    void refusesACorruptedRecordInTheMiddle() throws IOException {
        List<LogEntry> appended = entries(5, 1);
        Path segment = writeOneSegment(appended);
        long offset = recordOffset(appended, 2);
        flipByte(segment, offset + LogRecord.HEADER_BYTES + 14);

        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining(segment.toString())
                .hasMessageContaining("at byte offset " + offset + ", a record's checksum does not match")
                .hasMessageContaining("restore the directory from a backup");
    }

    @Test
    void refusesALengthDamagedSoThatItsRecordRunsPastTheEnd() throws IOException {
        List<LogEntry> appended = entries(5, 1);
        Path segment = writeOneSegment(appended);
        long offset = recordOffset(appended, 2);
        flipByte(segment, offset);

        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining(segment.toString())
                .hasMessageContaining("at byte offset " + offset + ", a record of")
                .hasMessageContaining("runs past the end of the file, yet an intact record follows at offset "
                        + recordOffset(appended, 3));
    }

    @Test
    void refusesARecordCutShortInASegmentThatIsNotTheLast() throws IOException {
        write(SMALL_SEGMENTS, entries(50, 1));
        Path first = segmentFiles().get(0);
        cutTo(first, Files.size(first) - 3);

        assertThatThrownBy(() -> open(directory, SMALL_SEGMENTS)).isInstanceOf(StorageException.class)
                .hasMessageContaining(first.toString())
                .hasMessageContaining("runs past the end of the file, in a segment that is not the last");
    }

    @Test
    void refusesAGapBetweenSegments() throws IOException {
        write(SMALL_SEGMENTS, entries(50, 1));
        List<Path> segments = segmentFiles();
        Files.delete(segments.get(1));

        assertThatThrownBy(() -> open(directory, SMALL_SEGMENTS)).isInstanceOf(StorageException.class)
                .hasMessageContaining(segments.get(2).toString())
                .hasMessageContaining("the log has a gap");
    }

    @Test
    void refusesACorruptedStateFile() throws IOException {
        write(FileRaftStorage.SEGMENT_BYTES, entries(1, 1));
        Path state = directory.resolve(StateFile.NAME);
        flipByte(state, 10);

        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining(state.toString())
                .hasMessageContaining("checksum does not match");
    }

    @Test
    void refusesALogWhoseTermsAreAheadOfTheStateFile() throws IOException {
        FileRaftStorage storage = open();
        storage.saveTermAndVote(5, null);
        storage.log().append(entry("a", 5, "x"));
        storage.sync();
        storage.close();
        Files.write(directory.resolve(StateFile.NAME), StateFile.encode(1, null));

        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining("entries of term 5 but the state file says the current term is 1");
    }

    @Test
    void aSecondOpenOfTheDirectoryFailsUntilTheFirstCloses() {
        FileRaftStorage first = open();

        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining("is already open in this process")
                .hasMessageContaining(directory.resolve("lock").toString());
        first.close();
        assertThat(open().term()).isZero();
    }

    @Test
    void aPathThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(directory.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> FileRaftStorage.open(file, MAPPER)).isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("cannot create the directory");
    }
}
