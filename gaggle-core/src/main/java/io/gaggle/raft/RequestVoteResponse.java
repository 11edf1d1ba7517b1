package io.gaggle.raft;

/**
 * A vote, or its refusal (Raft paper, §5.2), sent to the candidate only.
 *
 * @param term the voter's current term; for a granted pre-vote, the term asked about
 * @param granted whether the voter voted (or would vote) for the candidate in {@code term}
 * @param preVote whether this answers a pre-vote
 */
public record RequestVoteResponse(long term, boolean granted, boolean preVote) implements TermMessage {
}
