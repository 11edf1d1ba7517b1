package io.gaggle.storage;

class MemorySnapshotStoreContractTest extends SnapshotStoreContract {

    @Override
    SnapshotStore newStore() {
        return new MemorySnapshotStore();
    }
}
