package io.gaggle.node;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The envelopes received and not yet handled by the loop, bounded in number and in bytes. Past
 * either bound an envelope is dropped on the channel's thread, so a flood costs dropped messages,
 * which Raft resends, rather than the heap. The bounds sit far above what a cluster sends: a
 * leader keeps at most 16 batches of at most 1 MiB in flight to each follower.
 */
final class ReceiveBacklog {

    static final int MAX_ENVELOPES = 65_536;
    static final long MAX_BYTES = 64L << 20;

    private final AtomicInteger envelopes = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    /** Channel thread: takes room for an envelope of {@code size} bytes; false if there is none. */
    boolean admit(int size) {
        // Both counts grow before either is compared (no short circuit), so release undoes both.
        if (envelopes.incrementAndGet() > MAX_ENVELOPES | bytes.addAndGet(size) > MAX_BYTES) {
            release(size);
            return false;
        }
        return true;
    }

    /** Loop thread: an admitted envelope was handled, or will never be. */
    void release(int size) {
        envelopes.decrementAndGet();
        bytes.addAndGet(-size);
    }
}
