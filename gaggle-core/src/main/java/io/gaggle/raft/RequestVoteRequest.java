package io.gaggle.raft;

/**
 * A candidate asks for a vote (Raft paper, §5.2), or a would-be candidate asks whether it could win
 * one (pre-vote, Raft thesis §9.6). Broadcast to every node.
 *
 * @param term the candidate's term; for a pre-vote, the term it would stand in (its own plus one)
 * @param lastLogIndex index of the candidate's last entry, -1 if its log is empty
 * @param lastLogTerm term of that entry, 0 if its log is empty
 * @param preVote whether this only asks; nobody changes term or vote for a pre-vote
 * @param transfer whether the leader handed over leadership to the candidate (Raft thesis §3.10),
 *        so voters that still hear that leader vote anyway
 */
public record RequestVoteRequest(long term, long lastLogIndex, long lastLogTerm, boolean preVote, boolean transfer)
        implements TermMessage {
}
