package io.gaggle.raft;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import io.gaggle.LogEntry;
import io.gaggle.Role;
import io.gaggle.storage.MemorySnapshotStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshots in the core (Raft paper §7): taking them, compacting behind them, restarting from
 * them, and InstallSnapshot between nodes whose messages the test routes by hand.
 */
class SnapshotTest {

    private static final int CHUNK_BYTES = 32;

    private record Sent(String from, String to, RaftMessage message) {
    }

    private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    private final Map<String, MemorySnapshotStore> stores = new LinkedHashMap<>();
    private final Map<String, Output> outputs = new LinkedHashMap<>();
    private final List<Sent> queue = new ArrayList<>();
    /** Every message delivered, in order. */
    private final List<Sent> delivered = new ArrayList<>();
    /** What the nodes report, as "node what index-or-id", in order. */
    private final List<String> events = new ArrayList<>();

    private final class Output extends RaftOutputAdapter {

        final String id;
        /** The snapshot asked for and not yet taken: index, term and recent ids. */
        long[] due;
        List<String> dueIds;

        Output(String id) {
            this.id = id;
        }

        @Override
        public void send(String to, RaftMessage message) {
            queue.add(new Sent(id, to, message));
        }

        @Override
        public void broadcast(RaftMessage message) {
            for (String to : nodes.keySet()) {
                if (!to.equals(id)) {
                    queue.add(new Sent(id, to, message));
                }
            }
        }

        @Override
        public void committed(LogEntry entry, long index) {
            events.add(id + " committed " + index);
        }

        @Override
        public void snapshotDue(long index, long term, List<String> recentEntryIds) {
            due = new long[] {index, term};
            dueIds = recentEntryIds;
            events.add(id + " snapshotDue " + index);
        }

        @Override
        public void snapshotInstalled(long index, long term) {
            events.add(id + " installed " + index);
        }

        @Override
        public void appendCommitted(String entryId) {
            events.add(id + " appendCommitted " + entryId);
        }

        @Override
        public void appendOutcomeUnknown(String entryId) {
            events.add(id + " outcomeUnknown " + entryId);
        }

        @Override
        public void dropped(String from, String reason) {
            events.add(id + " dropped " + reason);
        }
    }

    // ---------------------------------------------------------------- taking snapshots

    @Test
    void aSnapshotIsAskedForAtTheThresholdOnceAfterTheEntriesUpToIt() {
        RaftNode a = alone(3, 0);
        proposeAndCommit(a, 3, 1);

        assertThat(events).filteredOn(e -> !e.contains("appendCommitted"))
                .containsExactly("a committed 0", "a committed 1", "a committed 2", "a snapshotDue 2");
        assertThat(outputs.get("a").dueIds).containsExactly("e0", "e1", "e2");

        proposeAndCommit(a, 3, 2);
        assertThat(events).filteredOn(e -> e.contains("snapshotDue")).hasSize(1);
    }

    @Test
    void aTakenSnapshotCompactsTheLogKeepingTheTrailingEntries() throws IOException {
        RaftNode a = alone(3, 1);
        proposeAndCommit(a, 4, 1); // asks at index 3

        takeSnapshots(2);

        assertThat(a.firstIndex()).isEqualTo(3);
        assertThat(a.logEntries()).extracting(LogEntry::id).containsExactly("e3");
        assertThat(a.snapshotIndex()).isEqualTo(3);
    }

    @Test
    void aFailedSnapshotIsAskedForAgainAThresholdLater() {
        RaftNode a = alone(3, 0);
        proposeAndCommit(a, 3, 1);
        a.snapshotFailed(2, 2);

        proposeAndCommit(a, 2, 3);
        assertThat(events).filteredOn(e -> e.contains("snapshotDue")).containsExactly("a snapshotDue 2");

        proposeAndCommit(a, 1, 4);
        assertThat(events).filteredOn(e -> e.contains("snapshotDue")).containsExactly("a snapshotDue 2",
                "a snapshotDue 5");
    }

    // ---------------------------------------------------------------- restart

    @Test
    void aNodeRestartsAfterItsSnapshotAndResetsALogThatDoesNotContinueIt() throws IOException {
        MemorySnapshotStore store = new MemorySnapshotStore();
        snapshot(store, 5, 2, List.of("e4", "e5"));
        InMemoryRaftLog log = new InMemoryRaftLog();
        for (int i = 0; i < 3; i++) {
            log.append(entry("old" + i).withTerm(1));
        }

        RaftNode c = new RaftNode(config("c", 3, 0, 0), log, store, new Output("c"), new Random(1), 2, null);

        assertThat(c.commitIndex()).isEqualTo(5);
        assertThat(c.appliedIndex()).isEqualTo(5);
        assertThat(c.firstIndex()).isEqualTo(6);
        assertThat(c.lastIndex()).isEqualTo(5);
    }

    @Test
    void aNodeRestartsAfterItsSnapshotKeepingALogThatContinuesIt() throws IOException {
        MemorySnapshotStore store = new MemorySnapshotStore();
        snapshot(store, 1, 1, List.of("e0", "e1"));
        InMemoryRaftLog log = new InMemoryRaftLog();
        for (int i = 0; i < 4; i++) {
            log.append(entry("e" + i).withTerm(1));
        }

        RaftNode c = new RaftNode(config("c", 3, 0, 0), log, store, new Output("c"), new Random(1), 1, null);

        assertThat(c.commitIndex()).isEqualTo(1);
        assertThat(c.logEntries()).extracting(LogEntry::id).containsExactly("e0", "e1", "e2", "e3");
    }

    // ---------------------------------------------------------------- InstallSnapshot

    @Test
    void aLeaderSendsAFollowerBehindItsFirstIndexTheSnapshotInChunksThenEntries() throws IOException {
        RaftNode a = behindFollowerC();

        a.tick(150); // c's probe is presumed lost
        deliver(150, nobody());

        RaftNode c = nodes.get("c");
        assertThat(chunksTo("c")).hasSizeGreaterThan(2)
                .extracting(InstallSnapshotRequest::offset).doesNotHaveDuplicates();
        assertThat(stores.get("c").latest().index()).isEqualTo(5);
        assertThat(events).filteredOn(e -> e.startsWith("c ")).containsExactly("c installed 5", "c committed 6");
        assertThat(c.firstIndex()).isEqualTo(6);
        assertThat(c.commitIndex()).isEqualTo(6);
    }

    @Test
    void aLostChunkIsResentAsSoonAsTheNextOneIsRefusedAndNothingElseIsSentTwice() throws IOException {
        RaftNode a = behindFollowerC();
        boolean[] lostOne = {false};
        Predicate<Sent> secondChunkOnce = sent -> {
            if (!lostOne[0] && sent.message() instanceof InstallSnapshotRequest chunk
                    && chunk.offset() == CHUNK_BYTES) {
                lostOne[0] = true;
                return true;
            }
            return false;
        };
        a.tick(150);
        deliver(150, secondChunkOnce);

        List<Long> offsets = chunksTo("c").stream().map(InstallSnapshotRequest::offset).toList();
        assertThat(offsets).as("the lost chunk comes again once the next one was refused, before any timeout")
                .containsSubsequence(0L, 2L * CHUNK_BYTES, (long) CHUNK_BYTES, 2L * CHUNK_BYTES);
        assertThat(offsets).as("only the chunks in flight behind the lost one are sent twice")
                .hasSizeLessThanOrEqualTo((int) offsets.stream().distinct().count()
                        + SnapshotTransfer.MAX_CHUNKS_IN_FLIGHT);
        assertThat(nodes.get("c").commitIndex()).isEqualTo(6);
    }

    @Test
    void aLeaderSendingItsSnapshotTakesNoNewOneUntilTheTransferEnds() throws IOException {
        RaftNode a = behindFollowerC();
        a.tick(150);
        deliver(150, sent -> sent.message() instanceof InstallSnapshotRequest chunk && chunk.offset() > 0);
        proposeAndCommitOnA(5, 151);
        assertThat(events).as("a new snapshot would replace the one being sent").doesNotContain("a snapshotDue 11");
        a.tick(200); // b answers a heartbeat, so a still hears a majority at 260
        deliver(200, sent -> sent.to().equals("c") || sent.from().equals("c"));

        a.tick(260); // the chunks lost are presumed so after a maximum election timeout
        deliver(260, nobody());
        assertThat(nodes.get("c").commitIndex()).isEqualTo(11);
        proposeAndCommitOnA(1, 261);
        assertThat(events).contains("a snapshotDue 12");
    }

    @Test
    void aLeaderWhoseLogOutgrowsATransferTakesANewSnapshotAndSendsItFromOffsetZero() throws IOException {
        RaftNode a = behindFollowerC();
        a.tick(150);
        deliver(150, sent -> sent.message() instanceof InstallSnapshotRequest chunk && chunk.offset() > 0);
        proposeAndCommitOnA(RaftNode.SNAPSHOT_DEFERRAL * 5, 151);
        takeSnapshots(152);
        long newSnapshot = stores.get("a").latest().index();
        assertThat(newSnapshot).isGreaterThan(5);
        delivered.clear();

        a.tick(200);
        deliver(200, nobody());

        assertThat(chunksTo("c")).first().satisfies(chunk -> {
            assertThat(chunk.index()).isEqualTo(newSnapshot);
            assertThat(chunk.offset()).isZero();
        });
        assertThat(nodes.get("c").commitIndex()).isEqualTo(a.commitIndex());
    }

    @Test
    void aHalfReceivedSnapshotIsDiscardedWhenTheFollowersTermChanges() throws IOException {
        RaftNode c = followerOfA();
        MemorySnapshotStore leaderStore = new MemorySnapshotStore();
        SnapshotMeta meta = snapshot(leaderStore, 3, 1, List.of("e3"));
        c.handle("a", new InstallSnapshotRequest(1, 3, 1, 0, leaderStore.readChunk(0, 8), false), 20);
        assertThat(stores.get("c").receivedBytes(meta.index(), meta.term())).isEqualTo(8);

        c.handle("b", new AppendEntriesRequest(2, -1, 0, List.of(), -1, 1), 200);

        assertThat(c.currentTerm()).isEqualTo(2);
        assertThat(stores.get("c").receivedBytes(meta.index(), meta.term())).isZero();
    }

    @Test
    void aFollowerKeepsItsEntriesAfterAnInstalledSnapshotItsLogMatches() throws IOException {
        RaftNode c = followerOfA();
        c.handle("a", new AppendEntriesRequest(1, -1, 0, terms(1, "e0", "e1", "e2", "e3", "e4"), 1, 2), 20);
        MemorySnapshotStore leaderStore = new MemorySnapshotStore();
        snapshot(leaderStore, 3, 1, List.of("e2", "e3"));

        c.handle("a", new InstallSnapshotRequest(1, 3, 1, 0, leaderStore.readChunk(0, 1 << 20), true), 30);

        assertThat(c.firstIndex()).isEqualTo(4);
        assertThat(c.logEntries()).extracting(LogEntry::id).containsExactly("e4");
        assertThat(c.commitIndex()).isEqualTo(3);
        assertThat(queue).last().extracting(Sent::message).isEqualTo(new InstallSnapshotResponse(1, 3, 0, true));
    }

    @Test
    void aPendingAppendAmongAnInstalledSnapshotsIdsIsCommitted() throws IOException {
        RaftNode c = followerOfA();
        c.propose(entry("x"), Long.MAX_VALUE, 20);

        install(c, 3, List.of("e2", "x"));

        assertThat(events).contains("c installed 3", "c appendCommitted x");
    }

    @Test
    void aPendingAppendTheLogHoldsAfterAnInstalledSnapshotIsStillFollowed() throws IOException {
        RaftNode c = followerOfA();
        c.propose(entry("y"), Long.MAX_VALUE, 20); // absent through -1 only
        String[] ids = new String[52];
        for (int i = 0; i <= 50; i++) {
            ids[i] = "e" + i;
        }
        ids[51] = "y";
        c.handle("a", new AppendEntriesRequest(1, -1, 0, terms(1, ids), -1, 2), 25);

        install(c, 50, List.of("e49", "e50"));
        assertThat(events).doesNotContain("c outcomeUnknown y");

        c.handle("a", new AppendEntriesRequest(1, 51, 1, List.of(), 51, 3), 40);
        assertThat(events).contains("c appendCommitted y");
    }

    @Test
    void aPendingAppendOlderThanAnInstalledSnapshotsIdsHasAnUnknownOutcome() throws IOException {
        RaftNode c = followerOfA();
        c.propose(entry("y"), Long.MAX_VALUE, 20); // absent through -1 only

        install(c, 50, List.of("e49", "e50"));

        assertThat(events).contains("c outcomeUnknown y").doesNotContain("c appendCommitted y");
    }

    @Test
    void anAppendEntriesFromBeforeTheFirstIndexGoesOnAfterTheCommittedEntries() throws IOException {
        MemorySnapshotStore store = new MemorySnapshotStore();
        snapshot(store, 5, 1, List.of("e5"));
        RaftNode c = node("c", 3, new InMemoryRaftLog(), store, 0, 0);
        c.start(0);

        c.handle("a", new AppendEntriesRequest(1, 2, 1, terms(1, "e3", "e4", "e5", "e6", "e7"), 7, 1), 10);

        assertThat(c.logEntries()).extracting(LogEntry::id).containsExactly("e6", "e7");
        assertThat(c.commitIndex()).isEqualTo(7);
        assertThat(queue).last().extracting(Sent::message).isEqualTo(AppendEntriesResponse.matched(1, 7, 1));
    }

    // ---------------------------------------------------------------- deduplication across compaction

    @Test
    void aForwardedResendOfAnEntryCompactedAwayIsNotAppendedAgain() throws IOException {
        RaftNode a = alone(2, 0);
        a.propose(entry("x"), Long.MAX_VALUE, 1);
        proposeAndCommit(a, 1, 1);
        takeSnapshots(2);
        assertThat(a.firstIndex()).isEqualTo(2);

        a.handle("b", new AppendForwardRequest(List.of(entry("x")), -1), 3);

        assertThat(a.lastIndex()).isEqualTo(1);
    }

    @Test
    void aForwardedBatchThatMayBeOlderThanTheLeadersIdsIsRefused() throws IOException {
        MemorySnapshotStore store = new MemorySnapshotStore();
        snapshot(store, 100, 1, List.of("e99", "e100"));
        RaftNode a = node("a", 1, new InMemoryRaftLog(), store, 0, 0);
        a.start(0);

        a.handle("b", new AppendForwardRequest(List.of(entry("x")), 97), 1);
        assertThat(a.lastIndex()).isEqualTo(100);
        assertThat(events).anySatisfy(e -> assertThat(e).contains("dropped 1 forwarded entries"));

        a.handle("b", new AppendForwardRequest(List.of(entry("x")), 98), 2);
        assertThat(a.lastIndex()).isEqualTo(101);
    }

    // ---------------------------------------------------------------- the cluster

    /**
     * Leader a of a, b, c with entries 0 to 6 committed; a and b took a snapshot at 5 and a
     * compacted its log behind it; c, cut off since the election, holds nothing.
     */
    private RaftNode behindFollowerC() throws IOException {
        for (String id : List.of("a", "b", "c")) {
            node(id, 3, new InMemoryRaftLog(), new MemorySnapshotStore(), 5, 0).start(0);
        }
        RaftNode a = nodes.get("a");
        a.tick(100);
        deliver(100, nobody());
        assertThat(a.role()).isEqualTo(Role.LEADER);
        Predicate<Sent> cutOffC = sent -> sent.to().equals("c") || sent.from().equals("c");
        proposeAndCommitOnA(6, 101, cutOffC);
        takeSnapshots(102);
        assertThat(a.firstIndex()).isEqualTo(6);
        a.propose(entry("after"), Long.MAX_VALUE, 103);
        deliver(103, cutOffC);
        assertThat(a.commitIndex()).isEqualTo(6);
        events.clear();
        delivered.clear();
        return a;
    }

    private void proposeAndCommitOnA(int count, long now) {
        proposeAndCommitOnA(count, now, nobody());
    }

    private void proposeAndCommitOnA(int count, long now, Predicate<Sent> lost) {
        RaftNode a = nodes.get("a");
        for (int i = 0; i < count; i++) {
            a.propose(entry("e" + (a.lastIndex() + 1)), Long.MAX_VALUE, now);
        }
        deliver(now, lost);
    }

    /** Delivers what the nodes send, turn by turn, until they are quiet; {@code lost} messages are dropped. */
    private void deliver(long now, Predicate<Sent> lost) {
        for (int turn = 0; turn < 1000; turn++) {
            nodes.values().forEach(node -> {
                node.logSynced(node.lastIndex());
                node.flush(now);
            });
            if (queue.isEmpty()) {
                return;
            }
            List<Sent> batch = new ArrayList<>(queue);
            queue.clear();
            for (Sent sent : batch) {
                if (!lost.test(sent)) {
                    delivered.add(sent);
                    nodes.get(sent.to()).handle(sent.from(), sent.message(), now);
                }
            }
        }
        throw new AssertionError("the nodes never went quiet");
    }

    private static Predicate<Sent> nobody() {
        return sent -> false;
    }

    private List<InstallSnapshotRequest> chunksTo(String to) {
        return delivered.stream().filter(sent -> sent.to().equals(to))
                .map(Sent::message).filter(InstallSnapshotRequest.class::isInstance)
                .map(InstallSnapshotRequest.class::cast).toList();
    }

    /** Takes the snapshots asked for, each holding the index it was taken at. */
    private void takeSnapshots(long now) throws IOException {
        for (Output output : outputs.values()) {
            if (output.due != null) {
                SnapshotMeta meta = snapshot(stores.get(output.id), output.due[0], output.due[1], output.dueIds);
                output.due = null;
                nodes.get(output.id).snapshotTaken(meta, now);
            }
        }
    }

    // ---------------------------------------------------------------- single nodes

    /** Node c of a three-node cluster with snapshots, following leader a in term 1. */
    private RaftNode followerOfA() {
        RaftNode c = node("c", 3, new InMemoryRaftLog(), new MemorySnapshotStore(), 0, 0);
        c.start(0);
        c.handle("a", new AppendEntriesRequest(1, -1, 0, List.of(), -1, 1), 10);
        queue.clear();
        return c;
    }

    /** The leader's snapshot at {@code index} of term 1, sent to {@code c} in one chunk. */
    private void install(RaftNode c, long index, List<String> ids) throws IOException {
        MemorySnapshotStore leaderStore = new MemorySnapshotStore();
        snapshot(leaderStore, index, 1, ids);
        c.handle("a", new InstallSnapshotRequest(1, index, 1, 0, leaderStore.readChunk(0, 1 << 20), true), 30);
    }

    /** A one-node cluster a, leading, taking snapshots every {@code threshold} entries. */
    private RaftNode alone(long threshold, long trailing) {
        RaftNode a = node("a", 1, new InMemoryRaftLog(), new MemorySnapshotStore(), threshold, trailing);
        a.start(0);
        a.flush(0);
        return a;
    }

    private void proposeAndCommit(RaftNode node, int count, long now) {
        for (int i = 0; i < count; i++) {
            node.propose(entry("e" + (node.lastIndex() + 1)), Long.MAX_VALUE, now);
        }
        node.logSynced(node.lastIndex());
        node.flush(now);
    }

    private RaftNode node(String id, int clusterSize, RaftLog log, MemorySnapshotStore store, long threshold,
            long trailing) {
        Output output = new Output(id);
        RaftNode node = new RaftNode(config(id, clusterSize, threshold, trailing), log, store, output,
                new Random(id.hashCode()), 0, null);
        nodes.put(id, node);
        stores.put(id, store);
        outputs.put(id, output);
        return node;
    }

    private static RaftConfig config(String id, int clusterSize, long threshold, long trailing) {
        return new RaftConfig(id, clusterSize, 100, 100, 20, true, 8, 4096, 4, false, 100_000, threshold, trailing,
                CHUNK_BYTES);
    }

    private static SnapshotMeta snapshot(MemorySnapshotStore store, long index, long term, List<String> ids)
            throws IOException {
        SnapshotWriter writer = store.write(index, term, ids);
        writer.content().write(("the state after entry " + index).getBytes(StandardCharsets.UTF_8));
        return writer.publish();
    }

    private static List<LogEntry> terms(long term, String... ids) {
        List<LogEntry> entries = new ArrayList<>();
        for (String id : ids) {
            entries.add(entry(id).withTerm(term));
        }
        return entries;
    }

    private static LogEntry entry(String id) {
        return LogEntry.fromJson(id, 0, "{}".getBytes(StandardCharsets.UTF_8), JsonMapper.builder().build());
    }
}
