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
}
