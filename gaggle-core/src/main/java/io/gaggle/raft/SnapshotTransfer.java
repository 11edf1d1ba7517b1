package io.gaggle.raft;

/**
 * A leader sending its latest snapshot to one follower in chunks (Raft paper §7, InstallSnapshot):
 * which snapshot, how far the follower said it holds it, and the chunks in flight. The follower
 * takes a chunk only at the offset where its copy ends and answers every chunk with that offset,
 * so the leader may always go on from the offset a follower answered.
 */
final class SnapshotTransfer {

    /** Most chunks unanswered at once: a few, to fill the round trip without flooding the follower. */
    static final int MAX_CHUNKS_IN_FLIGHT = 4;

    final long index;
    final long term;
    /** The bytes the follower said it holds. */
    private long acknowledged;
    /** Where the next chunk starts. */
    private long nextOffset;
    private int unanswered;
    private boolean doneSent;
    /** The offset last gone back to on a refusal, so the refusals of the later chunks in flight don't repeat it. */
    private long resentFrom = -1;
    /** When the follower last took more, or the first chunk of the unanswered run was sent. */
    private long lastProgressAt;

    SnapshotTransfer(long index, long term) {
        this.index = index;
        this.term = term;
    }

    boolean canSend() {
        return !doneSent && unanswered < MAX_CHUNKS_IN_FLIGHT;
    }

    long nextOffset() {
        return nextOffset;
    }

    void sent(int length, boolean done, long now) {
        if (unanswered == 0) {
            lastProgressAt = now;
        }
        unanswered++;
        nextOffset += length;
        doneSent = done;
    }

    /** The follower holds {@code offset} bytes of the snapshot, and has not installed it. */
    void answered(long offset, long now) {
        unanswered = Math.max(0, unanswered - 1);
        if (offset < acknowledged) {
            // It dropped what it held (a damaged snapshot, or a restart): start again from there.
            acknowledged = offset;
            resendFrom(offset);
            return;
        }
        if (offset > acknowledged) {
            acknowledged = offset;
            lastProgressAt = now;
        } else if (offset < nextOffset && offset != resentFrom) {
            // No progress: the follower refused a chunk that did not start where its copy ends, so
            // one before it was lost. Go back to its offset at once, as the chunks after it are
            // refused too; once, so that their refusals do not make it go back again.
            resentFrom = offset;
            resendFrom(offset);
            return;
        }
        // Every chunk sent is answered, yet the follower is not where they end, or did not install
        // the last: a chunk was lost or came out of order.
        if (unanswered == 0 && (offset != nextOffset || doneSent)) {
            resendFrom(offset);
        }
    }

    /** Presumes lost the chunks unanswered without progress for {@code timeout}: resends from the follower's offset. */
    void expireInflight(long now, long timeout) {
        if (unanswered > 0 && now - lastProgressAt >= timeout) {
            resendFrom(acknowledged);
        }
    }

    private void resendFrom(long offset) {
        nextOffset = offset;
        unanswered = 0;
        doneSent = false;
    }
}
