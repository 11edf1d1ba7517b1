package io.gaggle.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.gaggle.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link FileRaftStorage#sync} writes and forces, in what order, and how a failing disk surfaces. */
class FileRaftStorageSyncTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String FIRST_SEGMENT = LogSegment.name(0);

    @TempDir
    Path path;

    private RecordingDirectory directory;
    private FileRaftStorage storage;

    @BeforeEach
    void open() {
        directory = new RecordingDirectory(new FileSystemDirectory(path));
        storage = FileRaftStorage.open(directory, MAPPER, 256);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private void append(String id, long term) {
        storage.log().append(LogEntry.fromJson(id, term, MAPPER.writeValueAsBytes("value of " + id), MAPPER));
    }

    @Test
    void appendsWaitForTheSync() {
        storage.saveTermAndVote(1, "node-a");
        append("a", 1);
        append("b", 1);

        assertThat(directory.operations).isEmpty();
    }

    @Test
    void syncSavesTheTermAndVoteBeforeTheLogThenMakesTheNewSegmentDurable() {
        storage.saveTermAndVote(1, "node-a");
        append("a", 1);
        storage.sync();

        assertThat(directory.operations).containsExactly("replace state",
                "append " + FIRST_SEGMENT, "force " + FIRST_SEGMENT, "sync directory");
    }

    @Test
    void entriesWrittenOutBeforeTheSyncWaitForTheirTermToBeSaved() {
        storage.saveTermAndVote(1, "node-a");
        storage.sync();
        directory.operations.clear();

        storage.saveTermAndVote(2, null);
        for (int i = 0; i < 3; i++) {
            storage.log().append(LogEntry.fromJson("large-" + i, 2,
                    MAPPER.writeValueAsBytes("l".repeat(FileRaftLog.WRITE_BUFFER_BYTES / 2)), MAPPER));
        }

        assertThat(directory.operations).contains("append " + FIRST_SEGMENT).first().isEqualTo("replace state");
    }

    @Test
    void aSyncWithNothingWrittenTouchesNoFile() {
        storage.saveTermAndVote(1, "node-a");
        append("a", 1);
        storage.sync();
        directory.operations.clear();

        storage.sync();

        assertThat(directory.operations).isEmpty();
    }

    @Test
    void aSyncAfterAppendsToAnExistingSegmentForcesOnlyThatSegment() {
        storage.saveTermAndVote(1, "node-a");
        append("a", 1);
        storage.sync();
        directory.operations.clear();

        append("b", 1);
        storage.sync();

        assertThat(directory.operations).containsExactly("append " + FIRST_SEGMENT, "force " + FIRST_SEGMENT);
    }

    /** The runtime saves the term at the end of its turn, after the turn's appends. */
    @Test
    void entriesOfATermNotYetSavedPutThatTermInTheStateFileBeforeTheyAreWrittenOut() {
        storage.saveTermAndVote(1, "node-a");
        storage.sync();
        directory.operations.clear();

        for (int i = 0; i < 20; i++) {
            append("entry-" + i, 2);
        }

        assertThat(directory.operations).contains("append " + FIRST_SEGMENT).first().isEqualTo("replace state");
    }

    @Test
    void truncatingDeletesLaterSegmentsLastFirstDurablyThenMakesItsOwnCutDurable() throws IOException {
        storage.saveTermAndVote(1, "node-a");
        for (int i = 0; i < 20; i++) {
            append("entry-" + i, 1);
        }
        storage.sync();
        List<String> laterSegments = directory.list().stream().filter(name -> LogSegment.firstIndexOf(name) > 0)
                .sorted().toList();
        assertThat(laterSegments).isNotEmpty();
        directory.operations.clear();

        storage.log().truncateFrom(1);

        List<String> expected = new ArrayList<>();
        for (int i = laterSegments.size() - 1; i >= 0; i--) {
            expected.add("delete " + laterSegments.get(i));
        }
        expected.add("sync directory");
        expected.add("truncate " + FIRST_SEGMENT);
        expected.add("force " + FIRST_SEGMENT);
        assertThat(directory.operations).isEqualTo(expected);
    }

    private List<String> segments() throws IOException {
        return directory.list().stream().filter(name -> LogSegment.firstIndexOf(name) >= 0)
                .sorted(Comparator.comparingLong(LogSegment::firstIndexOf)).toList();
    }

    @Test
    void compactionSyncsTheLogThenDeletesCompactedSegmentsFirstFirstEachDurably() throws IOException {
        storage.saveTermAndVote(1, "node-a");
        // Four records of 48 bytes fill a segment: the last of five keeps room for the unsynced one.
        for (int i = 0; i < 18; i++) {
            append("entry-" + i, 1);
        }
        storage.sync();
        List<String> before = segments();
        assertThat(before).hasSizeGreaterThan(3);
        String last = before.get(before.size() - 1);
        append("unsynced", 1);
        directory.operations.clear();

        storage.log().compactTo(LogSegment.firstIndexOf(before.get(2)) - 1);

        assertThat(directory.operations).containsExactly("append " + last, "force " + last,
                "delete " + before.get(0), "sync directory", "delete " + before.get(1), "sync directory");
        assertThat(segments()).isEqualTo(before.subList(2, before.size()));
    }

    @Test
    void compactionWithinTheFirstSegmentTouchesNoFile() {
        storage.saveTermAndVote(1, "node-a");
        append("a", 1);
        append("b", 1);
        storage.sync();
        directory.operations.clear();

        storage.log().compactTo(0);

        assertThat(directory.operations).isEmpty();
    }

    @Test
    void aResetIsRecordedBeforeAnySegmentGoesAndForgottenOnlyOnceTheNewSegmentIsDurable() throws IOException {
        storage.saveTermAndVote(1, "node-a");
        for (int i = 0; i < 20; i++) {
            append("entry-" + i, 1);
        }
        storage.sync();
        List<String> before = segments();
        directory.operations.clear();

        storage.log().resetTo(99, 1);

        String created = LogSegment.name(100);
        List<String> operations = directory.operations;
        assertThat(operations.get(0)).isEqualTo("replace " + LogReset.NAME);
        assertThat(operations.subList(1, before.size() + 1)).containsExactlyInAnyOrderElementsOf(
                before.stream().map(name -> "delete " + name).toList());
        assertThat(operations.subList(before.size() + 1, operations.size())).containsExactly("sync directory",
                "append " + created, "force " + created, "sync directory", "delete " + LogReset.NAME, "sync directory");
        assertThat(segments()).containsExactly(created);
    }

    @Test
    void aResetToANewerTermSavesThatTermFirst() {
        storage.saveTermAndVote(1, "node-a");
        append("a", 1);
        storage.sync();
        directory.operations.clear();

        storage.log().resetTo(9, 3);

        assertThat(directory.operations).startsWith("replace state", "replace " + LogReset.NAME);
    }

    @Test
    void aFullSegmentIsOnDiskBeforeTheNextOneGetsAByte() throws IOException {
        storage.saveTermAndVote(1, "node-a");
        storage.sync();
        directory.operations.clear();

        for (int i = 0; segments().size() < 3; i++) {
            append("entry-" + i, 1);
        }

        String second = segments().get(1);
        assertThat(directory.operations).containsSubsequence("append " + FIRST_SEGMENT, "force " + FIRST_SEGMENT,
                "append " + second);
    }

    @Test
    void aFailedForceSurfacesAsAStorageException() {
        storage.saveTermAndVote(1, "node-a");
        storage.sync();
        append("a", 1);
        directory.failing = true;

        assertThatThrownBy(storage::sync).isInstanceOf(StorageException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("cannot sync the log")
                .hasMessageContaining("Input/output error");
    }

    @Test
    void aFailedStateSaveSurfacesAsAStorageException() {
        storage.saveTermAndVote(7, "node-b");
        directory.failing = true;

        assertThatThrownBy(storage::sync).isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot save term 7 and vote node-b")
                .hasMessageContaining("Input/output error");
    }
}
