package io.gaggle.storage;

import java.nio.file.Path;

import io.gaggle.raft.RaftLog;
import io.gaggle.raft.RaftLogContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log of a {@link FileRaftStorage} keeps the {@link RaftLog} contract, with segments so small
 * that the tests roll over and truncate across them.
 */
class FileRaftLogContractTest extends RaftLogContract {

    @TempDir
    Path directory;

    private FileRaftStorage storage;

    @Override
    protected RaftLog newLog() {
        storage = FileRaftStorage.open(new FileSystemDirectory(directory), MAPPER, 256);
        return storage.log();
    }

    @AfterEach
    void close() {
        storage.close();
    }
}
