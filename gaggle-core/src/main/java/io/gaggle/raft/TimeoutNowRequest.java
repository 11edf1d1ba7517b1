package io.gaggle.raft;

/**
 * The leader hands leadership over (Raft thesis §3.10): the target, whose log the leader has
 * brought up to date, stands for election at once. Broadcast, so that the other followers, who
 * still hear the leader, vote for the target rather than ignore it as a disruptive candidate.
 *
 * @param term the leader's term
 * @param target the node leadership goes to
 */
public record TimeoutNowRequest(long term, String target) implements TermMessage {
}
