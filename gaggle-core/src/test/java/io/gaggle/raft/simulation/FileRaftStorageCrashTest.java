package io.gaggle.raft.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import io.gaggle.LogEntry;
import io.gaggle.raft.RaftLog;
import io.gaggle.raft.simulation.CrashingDirectory.PowerCut;
import io.gaggle.storage.FileRaftStorage;
import io.gaggle.storage.RaftStorage;
import io.gaggle.storage.TestFileRaftStorage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FileRaftStorage} over a {@link CrashingDirectory}: whatever a crash leaves, at whatever
 * point of the storage's work it strikes, the store opens again and holds what it last synced.
 * Segments are small so that runs roll over many of them.
 */
class FileRaftStorageCrashTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int RUNS = 3_000;
    private static final long SEGMENT_BYTES = 200;

    @Test
    void aStoreReopensAfterEveryCrashWithWhatItLastSynced() {
        for (int seed = 0; seed < RUNS; seed++) {
            Random random = new Random(seed);
            CrashingDirectory directory = new CrashingDirectory();
            RaftStorage storage = TestFileRaftStorage.open(directory, MAPPER, SEGMENT_BYTES);
            Node node = new Node();
            try {
                node.work(storage, random);
                directory.cutPowerAfter(random.nextInt(8));
                node.work(storage, random);
            } catch (PowerCut cut) {
                // the crash struck where it was armed to
            }
            directory.crash(random);

            RaftStorage reopened = TestFileRaftStorage.open(directory, MAPPER, SEGMENT_BYTES);
            String problem = node.synced.problemWith(reopened.log());
            if (problem != null && node.resetting != null && node.resetting.problemWith(reopened.log()) == null) {
                problem = null;
            }
            assertThat(problem).as("seed %d: synced log", seed).isNull();
            assertThat(reopened.term()).as("seed %d: term", seed).isGreaterThanOrEqualTo(node.synced.term);
            if (reopened.term() == node.synced.term) {
                assertThat(reopened.votedFor()).as("seed %d: vote", seed).isEqualTo(node.synced.votedFor);
            }
            assertThat(reopened.log().term(reopened.log().lastIndex())).as("seed %d: no entry of an unknown term", seed)
                    .isLessThanOrEqualTo(reopened.term());
        }
    }

    /**
     * A log, a term and a vote: what the store last synced, or the node's current ones. The log is
     * the id and term at each index; a snapshot installed by a reset leaves unknown ids (null)
     * before it.
     */
    private static final class State {
        final List<String> ids = new ArrayList<>();
        final List<Long> terms = new ArrayList<>();
        long term;
        String votedFor;

        State copy() {
            State copy = new State();
            copy.ids.addAll(ids);
            copy.terms.addAll(terms);
            copy.term = term;
            copy.votedFor = votedFor;
            return copy;
        }

        void truncate(int size) {
            ids.subList(size, ids.size()).clear();
            terms.subList(size, terms.size()).clear();
        }

        /** What a reopened log lacks or holds wrongly of this state's log, or null if nothing. */
        String problemWith(RaftLog log) {
            long first = log.firstIndex();
            if (first > ids.size() || log.lastIndex() < ids.size() - 1) {
                return "the log holds " + first + " to " + log.lastIndex() + ", not all of 0 to " + (ids.size() - 1);
            }
            if (first > 0 && log.term(first - 1) != terms.get((int) first - 1)) {
                return "the term before the first index " + first + " is " + log.term(first - 1);
            }
            for (long index = first; index < ids.size(); index++) {
                String id = ids.get((int) index);
                if (id != null && !id.equals(log.get(index).id())) {
                    return "the entry at " + index + " is " + log.get(index).id() + ", not " + id;
                }
            }
            return null;
        }
    }

    /** What a node asked its store to do, and what the store last synced. */
    private static final class Node {
        State current = new State();
        State synced = new State();
        /** The log a reset under way leaves, which a crash during it may leave instead of the synced one. */
        State resetting;

        /**
         * A node's writes: appends, new terms and votes, cuts of what was not synced yet,
         * compactions of what was, resets after a snapshot, and syncs. As the node's runtime
         * does ({@link io.gaggle.node.DurableOutbox}), a new term and vote are handed to the store
         * only just before the sync, after the appends made in that term.
         */
        void work(RaftStorage storage, Random random) {
            RaftLog log = storage.log();
            for (int step = random.nextInt(30); step > 0; step--) {
                int choice = random.nextInt(12);
                if (choice < 5) {
                    for (int i = random.nextInt(4); i >= 0; i--) {
                        String data = "x".repeat(random.nextInt(60));
                        LogEntry entry = new LogEntry("e" + random.nextLong(), current.term,
                                JsonNodeFactory.instance.stringNode(data), MAPPER);
                        log.append(entry);
                        current.ids.add(entry.id());
                        current.terms.add(entry.term());
                    }
                } else if (choice < 6 && log.lastIndex() >= synced.ids.size()) {
                    int from = synced.ids.size() + random.nextInt((int) log.lastIndex() - synced.ids.size() + 1);
                    log.truncateFrom(from);
                    current.truncate(from);
                } else if (choice < 7) {
                    current.term++;
                    current.votedFor = random.nextBoolean() ? "n" + random.nextInt(3) : null;
                } else if (choice < 9) {
                    if (current.term != storage.term() || !Objects.equals(current.votedFor, storage.votedFor())) {
                        storage.saveTermAndVote(current.term, current.votedFor);
                    }
                    storage.sync();
                    synced = current.copy();
                } else if (choice < 11 && synced.ids.size() > log.firstIndex()) {
                    // Only what was synced, as only committed entries get into a snapshot.
                    log.compactTo(log.firstIndex() - 1 + random.nextInt((int) (synced.ids.size() - log.firstIndex()) + 1));
                } else if (choice == 11) {
                    reset(log, random);
                }
            }
        }

        private void reset(RaftLog log, Random random) {
            int index = Math.max(0, synced.ids.size() - 1 + random.nextInt(5));
            State reset = current.copy();
            reset.truncate(Math.min(index + 1, reset.ids.size()));
            while (reset.ids.size() <= index) {
                reset.ids.add(null);
                reset.terms.add(current.term);
            }
            for (int i = 0; i <= index; i++) {
                reset.ids.set(i, null);
            }
            reset.terms.set(index, current.term);
            // The synced term and vote stay: a reset makes only the log durable.
            reset.term = synced.term;
            reset.votedFor = synced.votedFor;
            resetting = reset;
            log.resetTo(index, current.term);
            resetting = null;
            current.ids.clear();
            current.terms.clear();
            current.ids.addAll(reset.ids);
            current.terms.addAll(reset.terms);
            synced.ids.clear();
            synced.terms.clear();
            synced.ids.addAll(reset.ids);
            synced.terms.addAll(reset.terms);
        }
    }
}
