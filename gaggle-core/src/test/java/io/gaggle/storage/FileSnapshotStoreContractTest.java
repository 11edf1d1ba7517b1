package io.gaggle.storage;

import io.gaggle.raft.SnapshotStore;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

class FileSnapshotStoreContractTest extends SnapshotStoreContract {

    @TempDir
    Path path;
    private int stores;

    /** Each store in a directory of its own, as a leader and a follower have. */
    @Override
    SnapshotStore newStore() {
        return FileSnapshotStore.open(new FileSystemDirectory(path.resolve("node-" + stores++)));
    }
}
