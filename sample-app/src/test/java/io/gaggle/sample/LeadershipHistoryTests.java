package io.gaggle.sample;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class LeadershipHistoryTests {

    private final LeadershipHistory history = new LeadershipHistory();

    @Test
    void leaderHeardOfAgainInItsTermIsRecordedOnce() {
        this.history.record(1, "node-1");
        this.history.record(1, "node-1");
        this.history.record(2, "node-2");

        assertThat(this.history.terms()).extracting(LeadershipHistory.Term::term, LeadershipHistory.Term::leaderId)
            .containsExactly(tuple(1L, "node-1"),
                    tuple(2L, "node-2"));
    }

    @Test
    void keepsOnlyTheLatestTerms() {
        for (long term = 1; term <= LeadershipHistory.CAPACITY + 5; term++) {
            this.history.record(term, "node-1");
        }

        assertThat(this.history.terms()).hasSize(LeadershipHistory.CAPACITY)
            .first().extracting(LeadershipHistory.Term::term).isEqualTo(6L);
    }
}
