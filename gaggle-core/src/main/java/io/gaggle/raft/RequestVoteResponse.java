package io.gaggle.raft;

/**
 * A vote, or its refusal (Raft paper, §5.2), sent to the candidate only.
 *
 * @param term the voter's current term
 * @param granted whether the voter voted for the candidate in {@code term}
 */
public record RequestVoteResponse(long term, boolean granted) implements TermMessage {
}
