package io.gaggle.codec;

import io.gaggle.codec.DuplicateFilter.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DuplicateFilter} drops replays per sender and incarnation, notices restarts, refuses
 * earlier incarnations and remembers a bounded number of senders.
 */
class DuplicateFilterTest {

    private static final int MAX_SENDERS = 4;
    private static final long SILENCE_LIMIT = 1_000;
    private final DuplicateFilter filter = new DuplicateFilter(MAX_SENDERS, SILENCE_LIMIT);

    @Test
    void aFirstSightIsAccepted() {
        assertThat(filter.check("a", 1, 0, 0)).isEqualTo(Verdict.ACCEPT);
        assertThat(filter.check("a", 1, 1, 0)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void aReplayIsDropped() {
        filter.check("a", 1, 5, 0);
        assertThat(filter.check("a", 1, 5, 0)).isEqualTo(Verdict.DROP);
    }

    @Test
    void reorderedEnvelopesWithinTheWindowAreAccepted() {
        filter.check("a", 1, 10, 0);
        assertThat(filter.check("a", 1, 7, 0)).isEqualTo(Verdict.ACCEPT);
        assertThat(filter.check("a", 1, 7, 0)).isEqualTo(Verdict.DROP);
    }

    @Test
    void envelopesOlderThanTheWindowAreDropped() {
        filter.check("a", 1, 10_000, 0);
        assertThat(filter.check("a", 1, 10, 0)).isEqualTo(Verdict.DROP);
    }

    @Test
    void sequenceNumbersAreTrackedPerSender() {
        filter.check("a", 1, 3, 0);
        assertThat(filter.check("b", 1, 3, 0)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void aNewerIncarnationIsARestartNotAReplay() {
        filter.check("a", 1, 50, 0);
        assertThat(filter.check("a", 2, 0, 0)).isEqualTo(Verdict.ACCEPT_RESTARTED);
        assertThat(filter.check("a", 2, 1, 0)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void anOlderIncarnationIsDroppedAsStale() {
        filter.check("a", 2, 0, 0);

        assertThat(filter.check("a", 1, 99, 10)).isEqualTo(Verdict.DROP_STALE_INCARNATION);
        assertThat(filter.check("a", 2, 1, 20)).as("the newer incarnation carries on").isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void anOlderIncarnationIsARestartOnceTheSenderWasSilentPastTheLimit() {
        filter.check("a", 2, 0, 0);
        filter.check("a", 1, 0, SILENCE_LIMIT); // stale: does not count as heard

        assertThat(filter.check("a", 1, 1, SILENCE_LIMIT + 1)).isEqualTo(Verdict.ACCEPT_RESTARTED);
        assertThat(filter.check("a", 1, 2, SILENCE_LIMIT + 2)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void aNewSenderIsRefusedWhileEveryPlaceHoldsASenderHeardWithinTheLimit() {
        fillWithSenders(0);

        assertThat(filter.check("new", 1, 0, SILENCE_LIMIT)).isEqualTo(Verdict.DROP_UNKNOWN_SENDER);
        assertThat(filter.senders()).isEqualTo(MAX_SENDERS);
    }

    @Test
    void aSenderSilentPastTheLimitMakesRoomForANewOne() {
        fillWithSenders(0);
        for (int i = 1; i < MAX_SENDERS; i++) {
            filter.check("peer-" + i, 1, 1, SILENCE_LIMIT);
        }

        assertThat(filter.check("new", 1, 0, SILENCE_LIMIT + 1)).isEqualTo(Verdict.ACCEPT);
        assertThat(filter.check("peer-0", 1, 1, SILENCE_LIMIT + 2)).as("forgotten, and no room left")
                .isEqualTo(Verdict.DROP_UNKNOWN_SENDER);
    }

    @Test
    void aFloodOfNewSendersPushesOutNoSenderThatKeepsBeingHeard() {
        filter.check("peer", 1, 0, 0);
        for (int i = 0; i < 10_000; i++) {
            filter.check("ghost-" + i, 1, 0, i);
            if (i % 100 == 0) {
                filter.check("peer", 1, 1 + i / 100, i);
            }
        }

        assertThat(filter.senders()).isEqualTo(MAX_SENDERS);
        assertThat(filter.check("peer", 1, 0, 10_000)).as("its replay is still recognised").isEqualTo(Verdict.DROP);
        assertThat(filter.check("peer", 0, 500, 10_000)).as("and so is its earlier run")
                .isEqualTo(Verdict.DROP_STALE_INCARNATION);
    }

    @Test
    void aSlotReusedAfterTheWindowMovesOnIsAcceptedAgain() {
        filter.check("a", 1, 0, 0);
        filter.check("a", 1, 5_000, 0);
        assertThat(filter.check("a", 1, 4_096, 0)).isEqualTo(Verdict.ACCEPT);
    }

    private void fillWithSenders(long now) {
        for (int i = 0; i < MAX_SENDERS; i++) {
            assertThat(filter.check("peer-" + i, 1, 0, now)).isEqualTo(Verdict.ACCEPT);
        }
    }
}
