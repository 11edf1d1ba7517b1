package io.gaggle.storage;

import io.gaggle.raft.SnapshotMeta;
import io.gaggle.raft.SnapshotWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.gaggle.storage.SnapshotStoreContract.chunks;
import static io.gaggle.storage.SnapshotStoreContract.content;
import static io.gaggle.storage.SnapshotStoreContract.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FileSnapshotStore} on real files: what it leaves in the directory, and what it finds there. */
class FileSnapshotStoreTest {

    @TempDir
    Path path;

    @Test
    void aReopenedStoreFindsTheLatestSnapshot() throws IOException {
        SnapshotMeta latest;
        try (FileSnapshotStore store = open()) {
            take(store, 7, 2, "state at 7");
            latest = take(store, 12, 3, "state at 12");
        }

        try (FileSnapshotStore reopened = open()) {
            assertThat(reopened.latest()).isEqualTo(latest);
            assertThat(content(reopened)).isEqualTo("state at 12");
        }
    }

    @Test
    void onlyTheLatestSnapshotsFileIsKept() throws IOException {
        try (FileSnapshotStore store = open()) {
            take(store, 7, 2, "state at 7");
            take(store, 12, 3, "state at 12");

            assertThat(new FileSystemDirectory(path).list()).containsExactly("snapshot-00000000000000000012-3.snap");
        }
    }

    @Test
    void readChunkReadsExactlyTheFilesBytes() throws IOException {
        try (FileSnapshotStore store = open()) {
            take(store, 12, 3, "state at 12");

            assertThat(chunks(store, 5)).isEqualTo(Files.readAllBytes(path.resolve(FileSnapshotStore.name(12, 3))));
        }
    }

    @Test
    void aReceivedSnapshotGoesToAPartialFileUntilComplete() throws IOException {
        try (FileSnapshotStore leader = FileSnapshotStore.open(new FileSystemDirectory(path.resolve("leader")));
                FileSnapshotStore store = open()) {
            take(leader, 12, 3, "state at 12");
            byte[] first = leader.readChunk(0, 10);

            store.receiveChunk(12, 3, 0, first);

            Path partial = path.resolve(FileSnapshotStore.name(12, 3) + ".partial");
            assertThat(Arrays.copyOf(Files.readAllBytes(partial), first.length)).as("written ahead of completion")
                    .isEqualTo(first);
            SnapshotStoreContract.send(leader, store, 12, 3);
            store.completeReceived();
            assertThat(partial).doesNotExist();
            assertThat(path.resolve(FileSnapshotStore.name(12, 3))).hasBinaryContent(chunks(leader, 1000));
        }
    }

    @Test
    void anAbortedSnapshotLeavesNoFile() throws IOException {
        try (FileSnapshotStore store = open()) {
            SnapshotWriter writer = store.write(12, 3, List.of());
            writer.content().write(new byte[100_000]);

            writer.abort();

            assertThat(new FileSystemDirectory(path).list()).isEmpty();
        }
    }

    @Test
    void aDamagedOrDiscardedTransferLeavesNoFile() throws IOException {
        try (FileSnapshotStore leader = FileSnapshotStore.open(new FileSystemDirectory(path.resolve("leader")));
                FileSnapshotStore store = open()) {
            take(leader, 12, 3, "state at 12");
            byte[] whole = chunks(leader, 1000);
            whole[whole.length - 1] ^= 1;
            store.receiveChunk(12, 3, 0, whole);
            store.completeReceived();
            store.receiveChunk(12, 3, 0, whole);
            store.discardReceived();

            assertThat(new FileSystemDirectory(path).list()).containsExactly("leader");
        }
    }

    @Test
    void publishingForcesTheFileBeforeItIsRenamedAndTheDirectorySynced() throws IOException {
        RecordingDirectory directory = new RecordingDirectory(new FileSystemDirectory(path));
        try (FileSnapshotStore store = FileSnapshotStore.open(directory)) {
            take(store, 12, 3, "state at 12");
        }

        String temporary = FileSnapshotStore.name(12, 3) + ".tmp";
        assertThat(directory.operations.subList(directory.operations.indexOf("force " + temporary),
                directory.operations.size())).containsExactly("force " + temporary,
                        "rename " + temporary + " " + FileSnapshotStore.name(12, 3), "sync directory");
    }

    @Test
    void leftoversOfACrashAreDeletedAtOpen() throws IOException {
        try (FileSnapshotStore store = open()) {
            take(store, 12, 3, "state at 12");
        }
        Files.write(path.resolve(FileSnapshotStore.name(7, 2)), new byte[] {1});
        Files.write(path.resolve(FileSnapshotStore.name(15, 3) + ".tmp"), new byte[] {2});
        Files.write(path.resolve(FileSnapshotStore.name(16, 3) + ".partial"), new byte[] {3});
        Files.write(path.resolve("log-00000000000000000000.seg"), new byte[] {4});

        try (FileSnapshotStore reopened = open()) {
            assertThat(reopened.latest().index()).isEqualTo(12);
        }

        assertThat(new FileSystemDirectory(path).list()).containsExactlyInAnyOrder(FileSnapshotStore.name(12, 3),
                "log-00000000000000000000.seg");
    }

    @Test
    void aDamagedLatestSnapshotIsRefusedNamingTheFileAndWhatToDo() throws IOException {
        try (FileSnapshotStore store = open()) {
            take(store, 7, 2, "state at 7");
        }
        Path file = path.resolve(FileSnapshotStore.name(7, 2));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 6] ^= 1;
        Files.write(file, bytes);

        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("checksum does not match")
                .hasMessageContaining("restore the directory from a backup");
    }

    @Test
    void aSnapshotFileUnderAnotherSnapshotsNameIsRefused() throws IOException {
        try (FileSnapshotStore store = open()) {
            take(store, 7, 2, "state at 7");
        }
        Files.move(path.resolve(FileSnapshotStore.name(7, 2)), path.resolve(FileSnapshotStore.name(8, 2)));

        assertThatThrownBy(this::open).isInstanceOf(StorageException.class)
                .hasMessageContaining(FileSnapshotStore.name(8, 2))
                .hasMessageContaining("its header says index 7 term 2");
    }

    @Test
    void aStoreSharesItsDirectoryWithTheLog() throws IOException {
        Files.write(path.resolve("state"), "term".getBytes(StandardCharsets.UTF_8));
        try (FileSnapshotStore store = open()) {
            take(store, 7, 2, "state at 7");
        }

        assertThat(new FileSystemDirectory(path).list()).containsAll(List.of("state", FileSnapshotStore.name(7, 2)));
    }

    private FileSnapshotStore open() {
        return FileSnapshotStore.open(new FileSystemDirectory(path));
    }
}
