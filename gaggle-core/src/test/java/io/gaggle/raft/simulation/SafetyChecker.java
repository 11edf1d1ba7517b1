package io.gaggle.raft.simulation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.gaggle.LogEntry;
import io.gaggle.Role;
import io.gaggle.raft.SnapshotMeta;
import io.gaggle.raft.simulation.Simulation.SimNode;

/**
 * Checks Raft's safety properties (Raft paper, Figure 3) on a running {@link Simulation}, and
 * Gaggle's own promises about appends and reads.
 * <p>
 * After every step:
 * <ul>
 * <li>Log Matching: two logs with an entry of the same index and term agree up to it, compared
 * where both still hold entries.</li>
 * <li>Committed entries never change: every log up to its node's commit index holds the entries
 * committed there first, from its first index; where it was compacted, the term of the last entry
 * dropped is the committed one's, and a snapshot covers it.</li>
 * </ul>
 * As they happen:
 * <ul>
 * <li>Election Safety: at most one leader per term, and nobody follows another in it.</li>
 * <li>State Machine Safety: each node applies the committed entries once each, in order, and
 * skips none but no-ops; a node restored from a snapshot goes on just after it. No entry id is
 * committed at two indexes, so deduplication held across compaction.</li>
 * <li>The state machine ({@link AppliedIds}) of a node that applied, or restored, up to an index
 * is the state of every other node at that index: the ids of the committed entries up to it, in
 * order. A snapshot is asked for with the state of exactly its index.</li>
 * <li>Only appends somebody made are acknowledged, and none times out after it was.</li>
 * <li>A read barrier passes at an index this node has applied, and that index covers every entry
 * committed anywhere, so every write acknowledged anywhere, before the read began.</li>
 * </ul>
 * At the end of a run, with the cluster healed and settled: every acknowledged append is
 * committed exactly once, and applied (one by one or in a snapshot restored), on every node.
 */
final class SafetyChecker {

    private final Simulation simulation;
    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private final List<LogEntry> committed = new ArrayList<>();
    /** The ids of the committed application entries, in order: the state machine's state, grown. */
    private final List<String> committedIds = new ArrayList<>();
    /** By index: how many application entries are committed up to it, the size of the state there. */
    private final List<Integer> stateSizeAt = new ArrayList<>();
    /** The index each application entry is committed at. */
    private final Map<String, Long> committedIndexes = new HashMap<>();
    private final Map<String, Set<String>> appliedIds = new HashMap<>();
    private final Set<String> acknowledged = new LinkedHashSet<>();
    private final Set<String> proposed = new HashSet<>();
    /** Pending reads: the highest index committed anywhere when each began. */
    private final Map<String, Long> readsBegun = new HashMap<>();
    private final List<String> transferFailures = new ArrayList<>();
    private java.util.function.BiConsumer<SimNode, String> readListener;
    private java.util.function.BiConsumer<SimNode, String> ackListener;

    SafetyChecker(Simulation simulation) {
        this.simulation = simulation;
    }

    void becameLeader(SimNode node, long term) {
        String previous = leaderOfTerm.putIfAbsent(term, node.id);
        if (previous != null && !previous.equals(node.id)) {
            fail("two leaders in term " + term + ": " + previous + " and " + node.id);
        }
    }

    void leaderElected(SimNode node, String leaderId, long term) {
        String known = leaderOfTerm.get(term);
        if (known != null && !known.equals(leaderId)) {
            fail(node.id + " follows " + leaderId + " in term " + term + " but " + known + " leads it");
        }
    }

    void appended(SimNode node, LogEntry entry, long index) {
        if (node.raft.role() != Role.LEADER) {
            fail(node.id + " reported an append while not leading");
        }
    }

    /** Called with each append acknowledged to its caller. */
    void onAcknowledged(java.util.function.BiConsumer<SimNode, String> listener) {
        this.ackListener = listener;
    }

    void committed(SimNode node, LogEntry entry, long index) {
        if (index <= node.applied) {
            fail(node.id + " applied index " + index + " after " + node.applied);
        }
        for (long i = node.applied + 1; i <= index; i++) {
            LogEntry held = committedEntry(node, i);
            if (i < index && !held.isNoop()) {
                fail(node.id + " applied index " + index + " after " + node.applied + ", skipping entry " + held.id()
                        + " at " + i);
            }
        }
        if (!entry.equals(node.log.get(index))) {
            fail(node.id + " applied " + entry + " at " + index + " where its log holds " + node.log.get(index));
        }
        node.applied = index;
        if (!node.state.apply(entry.id())) {
            fail(node.id + " applied entry " + entry.id() + " at " + index + ", which its state machine already holds");
        }
        checkState(node, index, "after applying index " + index);
        if (!appliedIds.computeIfAbsent(node.id + "#" + node.incarnation, k -> new HashSet<>()).add(entry.id())) {
            fail(node.id + " committed entry " + entry.id() + " twice");
        }
    }

    /**
     * The entry committed at {@code index}, which the node has committed: its log's, checked against
     * what was committed there first, or, if its log dropped it behind a snapshot (a no-op after the
     * last entry applied), the one committed there first.
     */
    private LogEntry committedEntry(SimNode node, long index) {
        if (index >= node.log.firstIndex()) {
            LogEntry held = node.log.get(index);
            checkCommitted(node, held, index);
            return held;
        }
        if (index >= committed.size()) {
            fail(node.id + " dropped index " + index + " from its log, which is not committed anywhere");
        }
        return committed.get((int) index);
    }

    private void checkCommitted(SimNode node, LogEntry entry, long index) {
        if (index < committed.size()) {
            LogEntry first = committed.get((int) index);
            if (!first.equals(entry)) {
                fail(node.id + " committed " + entry + " at " + index + " where " + first + " was committed");
            }
        } else if (index == committed.size()) {
            committed.add(entry);
            if (!entry.isNoop()) {
                Long first = committedIndexes.putIfAbsent(entry.id(), index);
                if (first != null) {
                    fail("entry " + entry.id() + " is committed at " + first + " and again at " + index);
                }
                committedIds.add(entry.id());
            }
            stateSizeAt.add(committedIds.size());
        } else {
            fail(node.id + " committed index " + index + " before index " + committed.size() + " was committed anywhere");
        }
    }

    /** The index an application entry with this id is committed at, or -1. */
    long committedIndexOf(String entryId) {
        return committedIndexes.getOrDefault(entryId, -1L);
    }

    /**
     * The node's state machine is at {@code index}: it must equal the ids of the committed entries
     * up to there. Checked whole by size and last id, since it only grows by checked applies once
     * restored, and a restore is compared id by id.
     */
    private void checkState(SimNode node, long index, String when) {
        if (index >= committed.size()) {
            fail(node.id + "'s state machine is at index " + index + " " + when + ", which is not committed anywhere");
        }
        int size = index < 0 ? 0 : stateSizeAt.get((int) index);
        String last = size == 0 ? null : committedIds.get(size - 1);
        if (node.state.size() != size || !Objects.equals(node.state.last(), last)) {
            fail(node.id + "'s state machine " + when + " holds " + node.state.size() + " entries ending with "
                    + node.state.last() + ", where the committed log up to " + index + " holds " + size
                    + " ending with " + last);
        }
    }

    /** The runtime is asked for a snapshot at {@code index}: the state it saves now must be the state at that index. */
    void snapshotDue(SimNode node, long index) {
        if (index > node.raft.commitIndex()) {
            fail(node.id + " was asked for a snapshot at " + index + " beyond its commit index "
                    + node.raft.commitIndex());
        }
        for (long i = node.applied + 1; i <= index; i++) {
            LogEntry held = committedEntry(node, i);
            if (!held.isNoop()) {
                fail(node.id + " was asked for a snapshot at " + index + " but never applied entry " + held.id()
                        + " at " + i);
            }
        }
        checkState(node, index, "when asked for a snapshot at " + index);
    }

    /**
     * The node's state machine was restored from its latest snapshot, installed or found at restart,
     * which must be at {@code index}: it must hold exactly the committed entries up to there, and
     * the node delivers what follows.
     */
    void restored(SimNode node, long index, SnapshotMeta latest) {
        if (latest == null || latest.index() != index) {
            fail(node.id + " restores a snapshot at " + index + " but its store's latest is " + latest);
        }
        if (index >= committed.size()) {
            fail(node.id + " restored a snapshot at " + index + ", which is not committed anywhere");
        }
        if (committed.get((int) index).term() != latest.term()) {
            fail(node.id + " restored a snapshot at " + index + " of term " + latest.term() + " where an entry of term "
                    + committed.get((int) index).term() + " was committed");
        }
        List<String> expected = committedIds.subList(0, stateSizeAt.get((int) index));
        List<String> restored = node.state.ids();
        if (!restored.equals(expected)) {
            int at = 0;
            while (at < Math.min(restored.size(), expected.size()) && restored.get(at).equals(expected.get(at))) {
                at++;
            }
            fail(node.id + "'s state restored from the snapshot at " + index + " holds " + restored.size()
                    + " entries, the committed ones up to there " + expected.size() + ", differing from the "
                    + (at + 1) + "th on");
        }
        if (node.applied > index) {
            fail(node.id + " restored a snapshot at " + index + " after it had applied up to " + node.applied);
        }
        node.applied = index;
    }

    void acknowledged(SimNode node, String entryId) {
        if (!proposed.contains(entryId)) {
            fail(node.id + " acknowledged an append nobody made: " + entryId);
        }
        acknowledged.add(entryId);
        if (ackListener != null) {
            ackListener.accept(node, entryId);
        }
    }

    void timedOut(String entryId) {
        if (acknowledged.contains(entryId)) {
            fail("append " + entryId + " timed out after it was acknowledged");
        }
    }

    /** An append was given up as of unknown outcome: it must not have been acknowledged. */
    void outcomeUnknown(String entryId) {
        if (acknowledged.contains(entryId)) {
            fail("append " + entryId + " was reported of unknown outcome after it was acknowledged");
        }
    }

    void proposed(String entryId) {
        proposed.add(entryId);
    }

    /** A client asked for a read barrier: it must see everything committed until now. */
    void readBegan(String requestId) {
        readsBegun.put(requestId, committed.size() - 1L);
    }

    /**
     * A read barrier passed at {@code readIndex}: the node's state machine must have seen every
     * entry up to it, and it must cover every entry committed before the read began.
     */
    void readCompleted(SimNode node, String requestId, long readIndex) {
        Long committedBefore = readsBegun.remove(requestId);
        if (committedBefore == null) {
            fail(node.id + " passed read barrier " + requestId + ", which nobody asked for or which already passed");
        }
        if (readIndex < committedBefore) {
            fail(node.id + " passed read barrier " + requestId + " at " + readIndex + ", missing index "
                    + committedBefore + ", committed before the read began");
        }
        if (!hasApplied(node, readIndex)) {
            fail(node.id + " passed read barrier " + requestId + " at " + readIndex + " having applied only up to "
                    + node.applied + " (commit index " + node.raft.commitIndex() + ")");
        }
        if (readListener != null) {
            readListener.accept(node, requestId);
        }
    }

    /**
     * Whether the node's state machine has seen every entry up to {@code index}: the node commits
     * it, and only no-ops, which the state machine never sees, lie beyond the last entry applied.
     */
    private boolean hasApplied(SimNode node, long index) {
        if (index > node.raft.commitIndex()) {
            return false;
        }
        for (long i = index; i > node.applied; i--) {
            if (!committedEntry(node, i).isNoop()) {
                return false;
            }
        }
        return true;
    }

    /** Called with each completed read barrier, for tests that check histories. */
    void onRead(java.util.function.BiConsumer<SimNode, String> listener) {
        this.readListener = listener;
    }

    void transferFailed(SimNode node, String reason) {
        transferFailures.add(node.id + ": " + reason);
    }

    List<String> transferFailures() {
        return transferFailures;
    }

    /**
     * The node's storage lost an entry it had seen committed, or another node's did: with
     * storage that keeps what it synced, Raft rules this out.
     */
    void committedEntryLost(SimNode node, long index, String reason) {
        fail(node.id + " found a committed entry lost at " + index + ": " + reason);
    }

    /** The node's storage refused to open what a crash left: recovery must accept every crash's leftovers. */
    AssertionError storageRefused(SimNode node, RuntimeException refusal) {
        AssertionError error = failure(node.id + " cannot restart, its storage refused what the crash left: "
                + refusal.getMessage());
        error.initCause(refusal);
        return error;
    }

    /**
     * The node restarted: its state machine starts from scratch, re-applying from index 0 as the
     * node learns the commit index again, and its log is checked afresh.
     */
    void restarted(SimNode node) {
        node.applied = -1;
        node.checkedCommit = -1;
    }

    /**
     * After every step, compares only what changed: the entries of each log from the lowest index
     * appended or removed since the last step on, against the committed entries and each other log.
     */
    void afterStep() {
        SimNode[] nodes = simulation.nodes;
        long[] changedFrom = new long[nodes.length];
        for (int n = 0; n < nodes.length; n++) {
            SimNode node = nodes[n];
            changedFrom[n] = node.log.takeChangedFrom();
            node.checkedCommit = Math.min(node.checkedCommit, changedFrom[n] - 1);
            checkCommittedPrefix(node);
        }
        for (int a = 0; a < nodes.length; a++) {
            for (int b = a + 1; b < nodes.length; b++) {
                long from = Math.min(changedFrom[a], changedFrom[b]);
                if (from != Long.MAX_VALUE) {
                    checkLogMatching(nodes[a], nodes[b], from);
                }
            }
        }
    }

    /**
     * Committed entries never change: the node's log up to its commit index holds the committed
     * entries, from its first index on; before it, a snapshot holds them, and the log keeps the
     * committed term of the last one it dropped.
     */
    private void checkCommittedPrefix(SimNode node) {
        long commit = node.raft.commitIndex();
        if (commit > node.log.lastIndex()) {
            fail(node.id + " committed beyond its log: " + commit + " > " + node.log.lastIndex());
        }
        long compacted = node.log.firstIndex() - 1;
        // A node that crashed mid-install may hold a reset log and the commit index before it: its memory is gone.
        if (compacted >= 0 && node.up) {
            checkCompacted(node, compacted);
        }
        for (long i = Math.max(node.checkedCommit + 1, compacted + 1); i <= commit; i++) {
            checkCommitted(node, node.log.get(i), i);
        }
        node.checkedCommit = Math.max(node.checkedCommit, commit);
    }

    /** The log dropped its entries up to {@code compacted}: they were committed, and its latest snapshot holds them. */
    private void checkCompacted(SimNode node, long compacted) {
        if (compacted > node.raft.commitIndex()) {
            fail(node.id + "'s log starts at " + (compacted + 1) + ", past its commit index "
                    + node.raft.commitIndex());
        }
        if (compacted >= committed.size()) {
            fail(node.id + "'s log starts at " + (compacted + 1) + ", past every index committed anywhere");
        }
        if (node.log.term(compacted) != committed.get((int) compacted).term()) {
            fail(node.id + "'s log starts after an entry of term " + node.log.term(compacted) + " at " + compacted
                    + ", where an entry of term " + committed.get((int) compacted).term() + " was committed");
        }
        SnapshotMeta latest = node.snapshots.latest();
        if (latest == null || latest.index() < compacted) {
            fail(node.id + "'s log starts at " + (compacted + 1) + " but its latest snapshot is " + latest
                    + ": entries are lost");
        }
    }

    /**
     * Log Matching from index {@code from} on, given that it held below: wherever the two logs
     * hold entries of one term at an index, the entries are equal and so are the terms just
     * before, which by induction makes the logs agree up to that index. Only indexes where both
     * logs hold entries are compared; the term before the first is still known.
     */
    private void checkLogMatching(SimNode a, SimNode b, long from) {
        long common = Math.min(a.log.lastIndex(), b.log.lastIndex());
        long bothHold = Math.max(a.log.firstIndex(), b.log.firstIndex());
        for (long i = Math.max(from, bothHold); i <= common; i++) {
            if (a.log.term(i) != b.log.term(i)) {
                continue;
            }
            if (!a.log.get(i).equals(b.log.get(i))) {
                fail("log matching broken: " + a.id + " and " + b.id + " hold different entries of term "
                        + a.log.term(i) + " at " + i);
            }
            if (a.log.term(i - 1) != b.log.term(i - 1)) {
                fail("log matching broken: " + a.id + " and " + b.id + " agree on term " + a.log.term(i) + " at " + i
                        + " but not at " + (i - 1));
            }
        }
    }

    /**
     * At the end of a run, with the cluster healed and settled: every node has committed every
     * acknowledged append exactly once, and its current incarnation has applied it.
     */
    void checkAcknowledgedAppendsCommittedAndAppliedEverywhere() {
        for (SimNode node : simulation.nodes) {
            Map<String, Integer> counts = new HashMap<>();
            for (long i = node.log.firstIndex(); i <= node.raft.commitIndex(); i++) {
                counts.merge(node.log.get(i).id(), 1, Integer::sum);
            }
            counts.forEach((id, count) -> {
                if (count > 1) {
                    fail(node.id + " holds entry " + id + " committed " + count + " times");
                }
            });
            for (String id : acknowledged) {
                long at = committedIndexOf(id);
                if (at < 0 || (at >= node.log.firstIndex() && !counts.containsKey(id))) {
                    fail("acknowledged append " + id + " is not committed on " + node.id);
                }
                if (!node.state.contains(id)) {
                    fail("acknowledged append " + id + " is not in the state machine of " + node.id
                            + ", which applied up to " + node.applied);
                }
            }
        }
    }

    private void fail(String violation) {
        throw failure(violation);
    }

    private AssertionError failure(String violation) {
        return new AssertionError("seed " + simulation.seed + " at t=" + simulation.now + " ms: " + violation
                + "\n  replay with: ./mvnw -pl gaggle-core -am test -Dtest=RaftSimulationTest -Dgaggle.sim.seed="
                + simulation.seed);
    }
}
