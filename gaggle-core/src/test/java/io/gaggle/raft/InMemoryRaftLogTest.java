package io.gaggle.raft;

import java.util.ArrayList;
import java.util.List;

import io.gaggle.LogEntry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link InMemoryRaftLog} stores entries in shared segments; {@link InMemoryRaftLogContractTest}
 * covers the rest of the {@link RaftLog} contract.
 */
class InMemoryRaftLogTest {

    /** Segments small enough that a few entries cross their boundaries. */
    private final InMemoryRaftLog log = new InMemoryRaftLog(64, 256);

    private static LogEntry entry(String id, long term, String value) {
        return RaftLogContract.entry(id, term, value);
    }

    @Test
    void entriesCrossingSegmentBoundariesComeBackIntact() {
        List<LogEntry> appended = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            appended.add(entry("entry-" + i, 1 + i / 50, "value-" + i + "-".repeat(i % 37)));
        }
        appended.forEach(log::append);
        for (int i = 0; i < appended.size(); i++) {
            assertThat(log.get(i)).as("entry %d", i).isEqualTo(appended.get(i));
        }
    }

    @Test
    void anEntryLargerThanASegmentIsStoredWhole() {
        LogEntry large = entry("large", 1, "l".repeat(1000));
        List.of(entry("before", 1, "b"), large, entry("after", 1, "a")).forEach(log::append);
        assertThat(log.get(1)).isEqualTo(large);
        assertThat(log.get(1).data().asString()).hasSize(1000);
        assertThat(log.get(2).data().asString()).isEqualTo("a");
    }

    @Test
    void compactionReleasesTheSegmentsHoldingOnlyCompactedEntries() {
        for (int i = 0; i < 200; i++) {
            log.append(entry("entry-" + i, 1, "value-" + i));
        }
        int before = log.segments().segmentCount();
        log.compactTo(189);
        assertThat(log.segments().segmentCount()).isLessThan(before).isLessThanOrEqualTo(2);
        assertThat(log.get(190).data().asString()).isEqualTo("value-190");
        assertThat(log.get(199).data().asString()).isEqualTo("value-199");
    }

    @Test
    void compactionKeepsTheTailSegmentThatLaterEntriesShareWithEarlierOnes() {
        // A large entry gets its own segment while small ones before and after it share the tail.
        List<LogEntry> appended = List.of(entry("small-1", 1, "a"), entry("large", 1, "l".repeat(1000)),
                entry("small-2", 1, "b"));
        appended.forEach(log::append);
        log.compactTo(1);
        assertThat(log.get(2)).isEqualTo(appended.get(2));
        assertThat(log.indexOf("small-2")).isEqualTo(2);
        log.compactTo(2);
        log.append(entry("small-3", 2, "c"));
        assertThat(log.get(3).data().asString()).isEqualTo("c");
    }

    @Test
    void viewsHandedOutBeforeCompactionStayReadable() {
        for (int i = 0; i < 100; i++) {
            log.append(entry("entry-" + i, 1, "value-" + i));
        }
        List<LogEntry> handedOut = log.slice(0, 100, Long.MAX_VALUE);
        log.compactTo(98);
        assertThat(handedOut.get(0).data().asString()).isEqualTo("value-0");
        assertThat(handedOut.get(50).id()).isEqualTo("entry-50");
    }

    @Test
    void aLogCompactedAsItGrowsRetainsBoundedMemory() {
        InMemoryRaftLog big = new InMemoryRaftLog();
        long maxSegments = 0;
        long maxBytes = 0;
        for (int i = 0; i < 2_000_000; i++) {
            big.append(entry("e" + i, 1, "v"));
            if ((i + 1) % 100_000 == 0) {
                big.compactTo(i - 1_000);
                maxSegments = Math.max(maxSegments, big.segments().segmentCount());
                maxBytes = Math.max(maxBytes, big.segments().retainedBytes());
            }
        }
        // 100,000 entries of about 12 bytes fit in one 4 MiB segment: at most it, the tail and the one before.
        assertThat(maxSegments).isLessThanOrEqualTo(3);
        assertThat(maxBytes).isLessThanOrEqualTo(3L * LogSegments.MAX_SEGMENT_BYTES);
        assertThat(big.firstIndex()).isEqualTo(2_000_000 - 1_000);
        assertThat(big.get(1_999_999).id()).isEqualTo("e1999999");
        assertThat(big.indexOf("e1998999")).isEqualTo(-1);
        assertThat(big.indexOf("e1999000")).isEqualTo(1_999_000);
    }
}
