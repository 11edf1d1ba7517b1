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
            State synced = new State();
            State current = new State();
            try {
                work(storage, random, current, synced);
                directory.cutPowerAfter(random.nextInt(8));
                work(storage, random, current, synced);
            } catch (PowerCut cut) {
                // the crash struck where it was armed to
            }
            directory.crash(random);

            RaftStorage reopened = TestFileRaftStorage.open(directory, MAPPER, SEGMENT_BYTES);
            assertThat(ids(reopened.log(), synced.ids.size())).as("seed %d: synced entries", seed)
                    .isEqualTo(synced.ids);
            assertThat(reopened.term()).as("seed %d: term", seed).isGreaterThanOrEqualTo(synced.term);
            if (reopened.term() == synced.term) {
                assertThat(reopened.votedFor()).as("seed %d: vote", seed).isEqualTo(synced.votedFor);
            }
            assertThat(reopened.log().term(reopened.log().lastIndex())).as("seed %d: no entry of an unknown term", seed)
                    .isLessThanOrEqualTo(reopened.term());
        }
    }

    /** Entry ids, a term and a vote: what the store last synced, or the node's current term and vote. */
    private static final class State {
        final List<String> ids = new ArrayList<>();
        long term;
        String votedFor;
    }

    /**
     * A node's writes: appends, new terms and votes, cuts of what was not synced yet, and syncs.
     * As the node's runtime does ({@link io.gaggle.node.DurableOutbox}), a new term and vote are
     * handed to the store only just before the sync, after the appends made in that term.
     */
    private static void work(RaftStorage storage, Random random, State current, State synced) {
        RaftLog log = storage.log();
        for (int step = random.nextInt(30); step > 0; step--) {
            int choice = random.nextInt(10);
            if (choice < 5) {
                for (int i = random.nextInt(4); i >= 0; i--) {
                    String data = "x".repeat(random.nextInt(60));
                    log.append(new LogEntry("e" + random.nextLong(), current.term,
                            JsonNodeFactory.instance.stringNode(data), MAPPER));
                }
            } else if (choice < 6 && log.lastIndex() >= synced.ids.size()) {
                log.truncateFrom(synced.ids.size() + random.nextInt((int) log.lastIndex() - synced.ids.size() + 1));
            } else if (choice < 7) {
                current.term++;
                current.votedFor = random.nextBoolean() ? "n" + random.nextInt(3) : null;
            } else if (choice < 9) {
                if (current.term != storage.term() || !Objects.equals(current.votedFor, storage.votedFor())) {
                    storage.saveTermAndVote(current.term, current.votedFor);
                }
                storage.sync();
                synced.ids.clear();
                synced.ids.addAll(ids(log, log.lastIndex() + 1));
                synced.term = current.term;
                synced.votedFor = current.votedFor;
            }
        }
    }

    private static List<String> ids(RaftLog log, long count) {
        List<String> ids = new ArrayList<>();
        for (long index = 0; index < count && index <= log.lastIndex(); index++) {
            ids.add(log.get(index).id());
        }
        return ids;
    }
}
