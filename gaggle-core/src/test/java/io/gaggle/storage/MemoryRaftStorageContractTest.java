package io.gaggle.storage;

/** {@link MemoryRaftStorage} keeps the {@link RaftStorage} contract. */
class MemoryRaftStorageContractTest extends RaftStorageContract {

    @Override
    RaftStorage newStorage() {
        return new MemoryRaftStorage();
    }
}
