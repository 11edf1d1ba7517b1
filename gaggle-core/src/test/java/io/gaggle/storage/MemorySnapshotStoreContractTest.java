package io.gaggle.storage;

import io.gaggle.raft.SnapshotStore;

class MemorySnapshotStoreContractTest extends SnapshotStoreContract {

    @Override
    SnapshotStore newStore() {
        return new MemorySnapshotStore();
    }
}
