package io.gaggle.raft;

/**
 * One of Raft's own RPCs: every one carries the sender's current term, which updates or
 * rejects the receiver's (Raft paper, §5.1).
 */
public sealed interface TermMessage extends RaftMessage
        permits RequestVoteRequest, RequestVoteResponse, AppendEntriesRequest, AppendEntriesResponse,
                TimeoutNowRequest, InstallSnapshotRequest, InstallSnapshotResponse {

    /** The sender's current term. */
    long term();
}
