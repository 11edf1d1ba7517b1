package io.gaggle.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.gaggle.LogEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link RaftLog} does, whatever keeps it: a subclass per implementation runs these
 * against a new, empty log.
 */
public abstract class RaftLogContract {

    protected static final JsonMapper MAPPER = JsonMapper.builder().build();

    private RaftLog log;

    /** A new, empty log. */
    protected abstract RaftLog newLog();

    @BeforeEach
    void createLog() {
        log = newLog();
    }

    protected static LogEntry entry(String id, long term, String value) {
        return LogEntry.fromJson(id, term, MAPPER.writeValueAsBytes(value), MAPPER);
    }

    private void appendAll(List<LogEntry> entries) {
        entries.forEach(log::append);
    }

    @Test
    void anEmptyLogHasNoEntries() {
        assertThat(log.lastIndex()).isEqualTo(-1);
        assertThat(log.term(-1)).isZero();
        assertThat(log.indexOf("a")).isEqualTo(-1);
        assertThat(log.slice(0, 10, Long.MAX_VALUE)).isEmpty();
        assertThatThrownBy(() -> log.get(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void anAppendedEntryComesBackEqual() {
        LogEntry entry = entry("e1", 2, "mary");
        log.append(entry);
        LogEntry stored = log.get(0);
        assertThat(stored).isEqualTo(entry).hasSameHashCodeAs(entry);
        assertThat(stored.id()).isEqualTo("e1");
        assertThat(stored.data().asString()).isEqualTo("mary");
        assertThat(stored.data(String.class)).isEqualTo("mary");
        assertThat(stored.mapper()).isSameAs(MAPPER);
    }

    @Test
    void eachEntryKeepsItsTermAndTheEmptyPrefixHasTermZero() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y"), entry("c", 3, "z")));
        assertThat(log.term(-1)).isZero();
        assertThat(List.of(log.term(0), log.term(1), log.term(2))).containsExactly(1L, 1L, 3L);
        assertThat(log.lastIndex()).isEqualTo(2);
    }

    @Test
    void readingPastTheLastEntryFails() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y")));
        assertThatThrownBy(() -> log.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log.term(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(log.slice(2, 10, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void manyEntriesOfVaryingSizesComeBackIntact() {
        List<LogEntry> appended = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            appended.add(entry("entry-" + i, 1 + i / 50, "value-" + i + "-".repeat(i % 37)));
        }
        appendAll(appended);
        for (int i = 0; i < appended.size(); i++) {
            assertThat(log.get(i)).as("entry %d", i).isEqualTo(appended.get(i));
            assertThat(log.indexOf("entry-" + i)).isEqualTo(i);
        }
    }

    @Test
    void aLargeEntryIsStoredWhole() {
        LogEntry large = entry("large", 1, "l".repeat(100_000));
        appendAll(List.of(entry("before", 1, "b"), large, entry("after", 1, "a")));
        assertThat(log.get(1)).isEqualTo(large);
        assertThat(log.get(2).data().asString()).isEqualTo("a");
    }

    @Test
    void appendsAfterATruncationLeaveEarlierViewsUnchanged() {
        appendAll(List.of(entry("a", 1, "one"), entry("b", 1, "two"), entry("c", 1, "three")));
        List<LogEntry> handedOut = log.slice(0, 10, Long.MAX_VALUE);
        log.truncateFrom(1);
        appendAll(List.of(entry("d", 2, "four"), entry("e", 2, "five")));
        assertThat(handedOut).extracting(e -> e.data().asString()).containsExactly("one", "two", "three");
        assertThat(log.slice(0, 10, Long.MAX_VALUE)).extracting(LogEntry::id).containsExactly("a", "d", "e");
        assertThat(log.term(2)).isEqualTo(2);
    }

    @Test
    void truncatedIdsAreForgottenUntilAppendedAgain() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y"), entry("c", 1, "z")));
        log.truncateFrom(1);
        assertThat(log.indexOf("b")).isEqualTo(-1);
        assertThat(log.indexOf("c")).isEqualTo(-1);
        assertThat(log.indexOf("a")).isZero();
        appendAll(List.of(entry("c", 2, "z"), entry("b", 2, "y")));
        assertThat(log.indexOf("c")).isEqualTo(1);
        assertThat(log.indexOf("b")).isEqualTo(2);
    }

    @Test
    void truncatingEverythingEmptiesTheLog() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y")));
        log.truncateFrom(0);
        assertThat(log.lastIndex()).isEqualTo(-1);
        assertThat(log.indexOf("a")).isEqualTo(-1);
        assertThat(log.slice(0, 10, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void truncatingPastTheLastEntryChangesNothing() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y")));
        log.truncateFrom(2);
        assertThat(log.slice(0, 10, Long.MAX_VALUE)).extracting(LogEntry::id).containsExactly("a", "b");
    }

    @Test
    void sliceStopsAtMaxCount() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y"), entry("c", 1, "z")));
        assertThat(log.slice(1, 1, Long.MAX_VALUE)).extracting(LogEntry::id).containsExactly("b");
        assertThat(log.slice(1, Integer.MAX_VALUE, Long.MAX_VALUE)).extracting(LogEntry::id).containsExactly("b", "c");
    }

    @Test
    void sliceStopsBeforeTheEntryThatExceedsMaxBytes() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y"), entry("c", 1, "z")));
        long twoEntries = EntrySize.estimate(log.get(0)) + EntrySize.estimate(log.get(1));
        assertThat(log.slice(0, 10, twoEntries)).extracting(LogEntry::id).containsExactly("a", "b");
    }

    @Test
    void sliceAlwaysIncludesTheFirstEntry() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y")));
        assertThat(log.slice(0, 10, 1)).extracting(LogEntry::id).containsExactly("a");
    }

    @Test
    void idsAreStoredAsUtf8() {
        String id = "ünïcødé-✓";
        assertThat(id.getBytes(StandardCharsets.UTF_8)).as("an id whose UTF-8 is longer than its chars")
                .hasSizeGreaterThan(id.length());

        log.append(entry(id, 1, "x"));

        assertThat(log.get(0).id()).isEqualTo(id);
        assertThat(log.indexOf(id)).isZero();
    }

    @Test
    void eachEntryKeepsItsOwnMapper() {
        JsonMapper other = JsonMapper.builder().build();
        appendAll(List.of(entry("a", 1, "x"), LogEntry.fromJson("b", 1, MAPPER.writeValueAsBytes("y"), other),
                LogEntry.noop(2)));
        assertThat(log.get(0).mapper()).isSameAs(MAPPER);
        assertThat(log.get(1).mapper()).isSameAs(other);
        assertThat(log.get(2).isNoop()).isTrue();
    }

    @Test
    void aNewLogStartsAtIndexZero() {
        assertThat(log.firstIndex()).isZero();
        log.append(entry("a", 1, "x"));
        assertThat(log.firstIndex()).isZero();
    }

    @Test
    void compactionMovesTheFirstIndexAndKeepsTheTermBeforeIt() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 2, "y"), entry("c", 3, "z")));
        log.compactTo(1);
        assertThat(log.firstIndex()).isEqualTo(2);
        assertThat(log.lastIndex()).isEqualTo(2);
        assertThat(log.term(1)).isEqualTo(2);
        assertThat(log.term(2)).isEqualTo(3);
    }

    @Test
    void compactedEntriesCannotBeRead() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 2, "y"), entry("c", 3, "z")));
        log.compactTo(1);
        assertThatThrownBy(() -> log.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log.term(0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> log.slice(1, 10, Long.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void retainedEntriesReadTheSameAfterCompaction() {
        List<LogEntry> appended = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            appended.add(entry("entry-" + i, 1 + i / 10, "value-" + i));
        }
        appendAll(appended);
        log.compactTo(29);
        assertThat(log.get(30)).isEqualTo(appended.get(30));
        assertThat(log.slice(30, 100, Long.MAX_VALUE)).containsExactlyElementsOf(appended.subList(30, 50));
    }

    @Test
    void compactedIdsAreForgottenAndRetainedOnesKeepTheirIndex() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y"), entry("c", 1, "z")));
        log.compactTo(0);
        assertThat(log.indexOf("a")).isEqualTo(-1);
        assertThat(log.indexOf("b")).isEqualTo(1);
        assertThat(log.indexOf("c")).isEqualTo(2);
    }

    @Test
    void compactingAnEntryKeepsTheIndexOfALaterEntryWithTheSameId() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y"), entry("a", 2, "z")));
        log.compactTo(0);
        assertThat(log.indexOf("a")).isEqualTo(2);
    }

    @Test
    void appendsContinueAfterCompaction() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y")));
        log.compactTo(1);
        log.append(entry("c", 2, "z"));
        assertThat(log.get(2).id()).isEqualTo("c");
        assertThat(log.indexOf("c")).isEqualTo(2);
        assertThat(log.firstIndex()).isEqualTo(2);
    }

    @Test
    void truncationAfterCompactionCutsDownToTheFirstIndex() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y"), entry("c", 2, "z"), entry("d", 2, "w")));
        log.compactTo(1);
        log.truncateFrom(2);
        assertThat(log.lastIndex()).isEqualTo(1);
        assertThat(log.firstIndex()).isEqualTo(2);
        assertThat(log.term(1)).isEqualTo(1);
        assertThat(log.indexOf("c")).isEqualTo(-1);
        log.append(entry("e", 3, "v"));
        assertThat(log.slice(2, 10, Long.MAX_VALUE)).extracting(LogEntry::id).containsExactly("e");
    }

    @Test
    void compactingEverythingLeavesAnEmptyLogThatKnowsTheLastTerm() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 4, "y")));
        log.compactTo(1);
        assertThat(log.firstIndex()).isEqualTo(2);
        assertThat(log.lastIndex()).isEqualTo(1);
        assertThat(log.term(1)).isEqualTo(4);
        assertThat(log.slice(2, 10, Long.MAX_VALUE)).isEmpty();
        assertThat(log.indexOf("b")).isEqualTo(-1);
    }

    @Test
    void compactingToTheIndexBeforeTheFirstChangesNothing() {
        log.compactTo(-1);
        assertThat(log.firstIndex()).isZero();
        appendAll(List.of(entry("a", 1, "x"), entry("b", 2, "y")));
        log.compactTo(0);
        log.compactTo(0);
        assertThat(log.firstIndex()).isEqualTo(1);
        assertThat(log.term(0)).isEqualTo(1);
        assertThat(log.get(1).id()).isEqualTo("b");
    }

    @Test
    void compactingOutsideTheLogIsRejected() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 2, "y"), entry("c", 2, "z")));
        log.compactTo(1);
        assertThatThrownBy(() -> log.compactTo(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.compactTo(3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(log.firstIndex()).isEqualTo(2);
    }

    @Test
    void resettingAnEmptyLogContinuesAfterTheSnapshot() {
        log.resetTo(9, 3);
        assertThat(log.firstIndex()).isEqualTo(10);
        assertThat(log.lastIndex()).isEqualTo(9);
        assertThat(log.term(9)).isEqualTo(3);
        log.append(entry("a", 4, "x"));
        assertThat(log.get(10).id()).isEqualTo("a");
        assertThat(log.indexOf("a")).isEqualTo(10);
    }

    @Test
    void resettingDropsEveryEntry() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y"), entry("c", 2, "z")));
        log.resetTo(1, 5);
        assertThat(log.firstIndex()).isEqualTo(2);
        assertThat(log.lastIndex()).isEqualTo(1);
        assertThat(log.term(1)).isEqualTo(5);
        assertThat(List.of(log.indexOf("a"), log.indexOf("b"), log.indexOf("c"))).containsOnly(-1L);
        assertThatThrownBy(() -> log.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
        log.append(entry("c", 6, "w"));
        assertThat(log.get(2).data().asString()).isEqualTo("w");
    }

    @Test
    void resettingAfterCompactionStartsAfterTheSnapshot() {
        appendAll(List.of(entry("a", 1, "x"), entry("b", 1, "y"), entry("c", 2, "z")));
        log.compactTo(1);
        log.resetTo(100, 7);
        assertThat(log.firstIndex()).isEqualTo(101);
        assertThat(log.term(100)).isEqualTo(7);
        assertThat(log.indexOf("c")).isEqualTo(-1);
        log.append(entry("d", 7, "v"));
        log.compactTo(100);
        assertThat(log.slice(101, 10, Long.MAX_VALUE)).extracting(LogEntry::id).containsExactly("d");
    }

    @Test
    void indexesBeyondTheRangeOfAnIntWorkAfterAReset() {
        long snapshot = 5_000_000_000L;
        log.resetTo(snapshot, 2);
        appendAll(List.of(entry("a", 2, "x"), entry("b", 3, "y"), entry("c", 3, "z")));
        log.compactTo(snapshot + 1);
        assertThat(log.indexOf("b")).isEqualTo(snapshot + 2);
        assertThat(log.indexOf("a")).isEqualTo(-1);
        assertThat(log.get(snapshot + 3).id()).isEqualTo("c");
        log.truncateFrom(snapshot + 3);
        assertThat(log.lastIndex()).isEqualTo(snapshot + 2);
        assertThat(log.term(snapshot + 1)).isEqualTo(2);
    }

    @Test
    void resettingToAnInvalidPlaceIsRejected() {
        assertThatThrownBy(() -> log.resetTo(-2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.resetTo(5, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.resetTo(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
