package io.gaggle.codec;

import io.gaggle.codec.DuplicateFilter.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DuplicateFilter} drops replays per sender and incarnation, and notices restarts.
 */
class DuplicateFilterTest {

    private final DuplicateFilter filter = new DuplicateFilter();

    @Test
    void aFirstSightIsAccepted() {
        assertThat(filter.check("a", 1, 0)).isEqualTo(Verdict.ACCEPT);
        assertThat(filter.check("a", 1, 1)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void aReplayIsDropped() {
        filter.check("a", 1, 5);
        assertThat(filter.check("a", 1, 5)).isEqualTo(Verdict.DROP);
    }

    @Test
    void reorderedEnvelopesWithinTheWindowAreAccepted() {
        filter.check("a", 1, 10);
        assertThat(filter.check("a", 1, 7)).isEqualTo(Verdict.ACCEPT);
        assertThat(filter.check("a", 1, 7)).isEqualTo(Verdict.DROP);
    }

    @Test
    void envelopesOlderThanTheWindowAreDropped() {
        filter.check("a", 1, 10_000);
        assertThat(filter.check("a", 1, 10)).isEqualTo(Verdict.DROP);
    }

    @Test
    void sequenceNumbersAreTrackedPerSender() {
        filter.check("a", 1, 3);
        assertThat(filter.check("b", 1, 3)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void aNewerIncarnationIsARestartNotAReplay() {
        filter.check("a", 1, 50);
        assertThat(filter.check("a", 2, 0)).isEqualTo(Verdict.ACCEPT_RESTARTED);
        assertThat(filter.check("a", 2, 1)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void anOlderIncarnationAlsoCountsAsARestartBecauseClocksCanStepBack() {
        filter.check("a", 2, 0);
        assertThat(filter.check("a", 1, 99)).isEqualTo(Verdict.ACCEPT_RESTARTED);
    }

    @Test
    void aSlotReusedAfterTheWindowMovesOnIsAcceptedAgain() {
        filter.check("a", 1, 0);
        filter.check("a", 1, 5_000);
        assertThat(filter.check("a", 1, 4_096)).isEqualTo(Verdict.ACCEPT);
    }
}
