package io.gaggle.raft;

/** {@link InMemoryRaftLog} keeps the {@link RaftLog} contract. */
class InMemoryRaftLogContractTest extends RaftLogContract {

    @Override
    protected RaftLog newLog() {
        return new InMemoryRaftLog();
    }
}
