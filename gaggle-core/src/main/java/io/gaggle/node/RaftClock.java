package io.gaggle.node;

/**
 * The time a node's Raft state machine sees: the monotonic clock, except that one loop turn
 * advances it by at most a bound. After a stop-the-world pause (a GC, a stalled VM) every wall
 * clock deadline has passed at once, and a follower would start an election although its leader
 * was silent only because the follower itself was stopped. With the bound, a pause counts as one
 * short step, and the messages queued meanwhile get their chance first; as with etcd-io/raft's
 * logical ticks, of which a paused process also sees only one.
 * Only timers stretch; Raft's safety never depends on time.
 */
final class RaftClock {

    private final long maxStep;
    private long lastReal;
    private long now;

    RaftClock(long maxStep) {
        this.maxStep = maxStep;
        this.lastReal = realMillis();
    }

    /** Advances to the present, by at most the bound; returns the new time. */
    long advance() {
        long real = realMillis();
        now += Math.max(0, Math.min(real - lastReal, maxStep));
        lastReal = real;
        return now;
    }

    private static long realMillis() {
        return System.nanoTime() / 1_000_000;
    }
}
