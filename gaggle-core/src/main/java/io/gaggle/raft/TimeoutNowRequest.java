package io.gaggle.raft;

/**
 * The leader hands leadership over: the receiver, whose log the leader has brought up to date,
 * stands for election at once (Raft thesis §3.10).
 *
 * @param term the leader's term
 */
public record TimeoutNowRequest(long term) implements TermMessage {
}
