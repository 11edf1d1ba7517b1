package io.gaggle.codec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Suppresses envelopes seen before, per sender and incarnation, over a sliding window of sequence
 * numbers; envelopes older than the window are dropped too (Raft recovers from loss). An envelope
 * from another incarnation of a sender means it restarted. Incarnations are not ordered: they come
 * from wall clocks, which can step back, and a restarted node must never be shut out; a straggler
 * from a replaced process only costs a harmless reset. Not thread-safe.
 */
public final class DuplicateFilter {

    /** What to do with an envelope. */
    public enum Verdict {
        /** First sight: handle it. */
        ACCEPT,
        /** First envelope of another incarnation of the sender: it restarted; handle it. */
        ACCEPT_RESTARTED,
        /** Seen already, or too old: drop it. */
        DROP
    }

    private static final int WINDOW = 4096;
    private static final int MAX_SENDERS = 4096;

    private final Map<String, SenderWindow> senders = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SenderWindow> eldest) {
            return size() > MAX_SENDERS;
        }
    };

    public Verdict check(String from, long incarnation, long seq) {
        SenderWindow window = senders.get(from);
        if (window == null) {
            senders.put(from, new SenderWindow(incarnation, seq));
            return Verdict.ACCEPT;
        }
        if (incarnation != window.incarnation) {
            senders.put(from, new SenderWindow(incarnation, seq));
            return Verdict.ACCEPT_RESTARTED;
        }
        return window.firstSight(seq) ? Verdict.ACCEPT : Verdict.DROP;
    }

    private static final class SenderWindow {

        final long incarnation;
        long highest;
        /** Bit {@code s % WINDOW} is set when sequence number s (within the window) was seen. */
        final long[] seen = new long[WINDOW / 64];

        SenderWindow(long incarnation, long seq) {
            this.incarnation = incarnation;
            this.highest = seq;
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
