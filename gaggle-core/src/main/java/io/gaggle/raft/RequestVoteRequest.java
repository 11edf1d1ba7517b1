package io.gaggle.raft;

/**
 * A candidate asks for a vote (Raft paper, §5.2). Broadcast to every node.
 *
 * @param term the candidate's term
 * @param lastLogIndex index of the candidate's last entry, -1 if its log is empty
 * @param lastLogTerm term of that entry, 0 if its log is empty
 */
public record RequestVoteRequest(long term, long lastLogIndex, long lastLogTerm) implements TermMessage {
}
