package io.gaggle.raft;

/**
 * A follower's answer to {@link AppendEntriesRequest}, sent to the leader only.
 * <p>
 * On a log mismatch the follower says where its log diverges, so the leader backs up a whole
 * term per round trip rather than one entry (the optimisation at the end of Raft paper, §5.3).
 *
 * @param term the follower's current term
 * @param success whether the follower's log matched at {@code prevLogIndex}
 * @param matchIndex on success, the last index the follower now holds in agreement with the leader
 * @param rejectedIndex on failure, the {@code prevLogIndex} that did not match
 * @param conflictTerm on failure, the follower's term at {@code rejectedIndex}, or -1 if its log is shorter
 * @param conflictIndex on failure, the follower's first index of {@code conflictTerm}, or its log length
 * @param round the {@link AppendEntriesRequest#round()} answered
 */
public record AppendEntriesResponse(long term, boolean success, long matchIndex, long rejectedIndex,
        long conflictTerm, long conflictIndex, long round) implements TermMessage {

    static AppendEntriesResponse matched(long term, long matchIndex, long round) {
        return new AppendEntriesResponse(term, true, matchIndex, -1, -1, -1, round);
    }

    static AppendEntriesResponse mismatch(long term, long rejectedIndex, long conflictTerm, long conflictIndex,
            long round) {
        return new AppendEntriesResponse(term, false, -1, rejectedIndex, conflictTerm, conflictIndex, round);
    }

    static AppendEntriesResponse staleTerm(long term) {
        return new AppendEntriesResponse(term, false, -1, -1, -1, -1, 0);
    }
}
