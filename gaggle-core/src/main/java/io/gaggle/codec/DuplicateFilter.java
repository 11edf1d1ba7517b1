package io.gaggle.codec;

import java.util.HashMap;
import java.util.Map;

/**
 * Suppresses envelopes seen before, per sender and incarnation, over a sliding window of sequence
 * numbers; envelopes older than the window are dropped too (Raft recovers from loss).
 * <p>
 * <b>Incarnations are ordered.</b> A sender's incarnation is its start time in milliseconds. An
 * envelope of a newer incarnation than the sender's last means it restarted; one of an older
 * incarnation is dropped as stale, so a recording of an earlier run cannot be replayed as a
 * "restart". The cost: a node restarted with its clock set back before its previous start is
 * ignored by its peers until its clock passes that start, or until they forget it, once nothing
 * of it was accepted for the silence limit; then whatever incarnation it uses is a restart.
 * <p>
 * <b>Senders are bounded.</b> At most {@code maxSenders} are remembered. A new sender takes a free
 * place, or that of one silent past the limit; with none, its envelopes are refused. Senders that
 * keep being heard keep their place, so a flood of made-up ids cannot push out real peers.
 * <p>
 * Not thread-safe.
 */
public final class DuplicateFilter {

    /** What to do with an envelope. */
    public enum Verdict {
        /** First sight: handle it. */
        ACCEPT,
        /** First envelope of a newer incarnation of the sender: it restarted; handle it. */
        ACCEPT_RESTARTED,
        /** Seen already, or too old: drop it. */
        DROP,
        /** Of an incarnation older than the sender's last: a replay, or a straggler of a replaced run; drop it. */
        DROP_STALE_INCARNATION,
        /** From a new sender with no place free: drop it. */
        DROP_UNKNOWN_SENDER
    }

    private static final int WINDOW = 4096;

    private final int maxSenders;
    private final long silenceLimit;
    private final Map<String, SenderWindow> senders = new HashMap<>();

    /**
     * @param maxSenders how many senders are remembered at most
     * @param silenceLimit how long, in the caller's clock, a sender may go with nothing accepted
     *        before it is forgotten
     */
    public DuplicateFilter(int maxSenders, long silenceLimit) {
        this.maxSenders = maxSenders;
        this.silenceLimit = silenceLimit;
    }

    /** What to do with envelope {@code seq} of {@code from}'s run {@code incarnation}, received at {@code now}. */
    public Verdict check(String from, long incarnation, long seq, long now) {
        SenderWindow window = senders.get(from);
        if (window == null) {
            if (!hasRoom(now)) {
                return Verdict.DROP_UNKNOWN_SENDER;
            }
            senders.put(from, new SenderWindow(incarnation, seq, now));
            return Verdict.ACCEPT;
        }
        if (incarnation > window.incarnation || (incarnation != window.incarnation && isSilent(window, now))) {
            senders.put(from, new SenderWindow(incarnation, seq, now));
            return Verdict.ACCEPT_RESTARTED;
        }
        if (incarnation < window.incarnation) {
            return Verdict.DROP_STALE_INCARNATION;
        }
        if (!window.firstSight(seq)) {
            return Verdict.DROP;
        }
        window.acceptedAt = now;
        return Verdict.ACCEPT;
    }

    /** How many senders are remembered. */
    public int senders() {
        return senders.size();
    }

    private boolean hasRoom(long now) {
        if (senders.size() >= maxSenders) {
            senders.values().removeIf(window -> isSilent(window, now));
        }
        return senders.size() < maxSenders;
    }

    private boolean isSilent(SenderWindow window, long now) {
        return now - window.acceptedAt > silenceLimit;
    }

    private static final class SenderWindow {

        final long incarnation;
        long highest;
        /** When an envelope of this sender was last accepted. */
        long acceptedAt;
        /** Bit {@code s % WINDOW} is set when sequence number s (within the window) was seen. */
        final long[] seen = new long[WINDOW / 64];

        SenderWindow(long incarnation, long seq, long now) {
            this.incarnation = incarnation;
            this.highest = seq;
            this.acceptedAt = now;
            mark(seq);
        }

        boolean firstSight(long seq) {
            if (seq > highest) {
                for (long s = Math.max(highest + 1, seq - WINDOW + 1); s <= seq; s++) {
                    clear(s);
                }
                highest = seq;
                mark(seq);
                return true;
            }
            if (seq <= highest - WINDOW || isMarked(seq)) {
                return false;
            }
            mark(seq);
            return true;
        }

        private void mark(long seq) {
            int bit = (int) Math.floorMod(seq, (long) WINDOW);
            seen[bit >>> 6] |= 1L << (bit & 63);
        }

        private void clear(long seq) {
            int bit = (int) Math.floorMod(seq, (long) WINDOW);
            seen[bit >>> 6] &= ~(1L << (bit & 63));
        }

        private boolean isMarked(long seq) {
            int bit = (int) Math.floorMod(seq, (long) WINDOW);
            return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
        }
    }
}
