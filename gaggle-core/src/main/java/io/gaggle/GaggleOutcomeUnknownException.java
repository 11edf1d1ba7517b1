package io.gaggle;

/**
 * An append made on a follower whose outcome this node can no longer learn: while it waited, the
 * log was compacted behind a snapshot (Raft paper, §7) further back than the entry ids a snapshot
 * keeps, so the entry may or may not have committed. It is not resent; the application decides,
 * e.g. by reading its own state after a {@link Gaggle#readBarrier()}.
 */
public class GaggleOutcomeUnknownException extends GaggleException {

    public GaggleOutcomeUnknownException(String message) {
        super(message);
    }
}
