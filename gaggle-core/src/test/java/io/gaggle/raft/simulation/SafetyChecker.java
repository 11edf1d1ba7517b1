package io.gaggle.raft.simulation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.gaggle.LogEntry;
import io.gaggle.Role;
import io.gaggle.raft.simulation.Simulation.SimNode;

/**
 * Checks Raft's safety properties (Raft paper, Figure 3) on a running {@link Simulation}, and
 * Gaggle's own promises about appends and reads.
 * <p>
 * After every step:
 * <ul>
 * <li>Log Matching: two logs with an entry of the same index and term agree up to it.</li>
 * <li>Committed entries never change: every log up to its node's commit index holds the entries
 * committed there first.</li>
 * </ul>
 * As they happen:
 * <ul>
 * <li>Election Safety: at most one leader per term, and nobody follows another in it.</li>
 * <li>State Machine Safety: each node applies the committed entries once each, in order.</li>
 * <li>Only appends somebody made are acknowledged, and none times out after it was.</li>
 * <li>A read barrier passes at an index this node has applied, and that index covers every entry
 * committed anywhere, so every write acknowledged anywhere, before the read began.</li>
 * </ul>
 * At the end of a run, with the cluster healed and settled: every acknowledged append is
 * committed exactly once, and applied, on every node.
 */
final class SafetyChecker {

    private final Simulation simulation;
    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private final List<LogEntry> committed = new ArrayList<>();
    private final Map<String, Set<String>> appliedIds = new HashMap<>();
    private final Set<String> acknowledged = new LinkedHashSet<>();
    private final Set<String> proposed = new HashSet<>();
    /** Pending reads: the highest index committed anywhere when each began. */
    private final Map<String, Long> readsBegun = new HashMap<>();
    private final List<String> transferFailures = new ArrayList<>();
    private java.util.function.BiConsumer<SimNode, String> readListener;
    private java.util.function.BiConsumer<SimNode, LogEntry> commitListener;
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

    /** Called with each entry a node applies, for tests that keep application state. */
    void onCommit(java.util.function.BiConsumer<SimNode, LogEntry> listener) {
        this.commitListener = listener;
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
            checkCommitted(node, node.log.get(i), i);
        }
        node.applied = index;
        if (commitListener != null) {
            commitListener.accept(node, entry);
        }
        if (!appliedIds.computeIfAbsent(node.id + "#" + node.incarnation, k -> new HashSet<>()).add(entry.id())) {
            fail(node.id + " committed entry " + entry.id() + " twice");
        }
    }

    private void checkCommitted(SimNode node, LogEntry entry, long index) {
        if (index < committed.size()) {
            LogEntry first = committed.get((int) index);
            if (!first.equals(entry)) {
                fail(node.id + " committed " + entry + " at " + index + " where " + first + " was committed");
            }
        } else if (index == committed.size()) {
            committed.add(entry);
        } else {
            fail(node.id + " committed index " + index + " before index " + committed.size() + " was committed anywhere");
        }
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
            if (!node.log.get(i).isNoop()) {
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

    /** Committed entries never change: the node's log up to its commit index holds the committed entries. */
    private void checkCommittedPrefix(SimNode node) {
        long commit = node.raft.commitIndex();
        if (commit > node.log.lastIndex()) {
            fail(node.id + " committed beyond its log: " + commit + " > " + node.log.lastIndex());
        }
        for (long i = node.checkedCommit + 1; i <= commit; i++) {
            checkCommitted(node, node.log.get(i), i);
        }
        node.checkedCommit = Math.max(node.checkedCommit, commit);
    }

    /**
     * Log Matching from index {@code from} on, given that it held below: wherever the two logs
     * hold entries of one term at an index, the entries are equal and so are the terms just
     * before, which by induction makes the logs agree up to that index.
     */
    private void checkLogMatching(SimNode a, SimNode b, long from) {
        long common = Math.min(a.log.lastIndex(), b.log.lastIndex());
        for (long i = from; i <= common; i++) {
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
            for (long i = 0; i <= node.raft.commitIndex(); i++) {
                counts.merge(node.log.get(i).id(), 1, Integer::sum);
            }
            counts.forEach((id, count) -> {
                if (count > 1) {
                    fail(node.id + " holds entry " + id + " committed " + count + " times");
                }
            });
            Set<String> applied = appliedIds.getOrDefault(node.id + "#" + node.incarnation, Set.of());
            for (String id : acknowledged) {
                if (!counts.containsKey(id)) {
                    fail("acknowledged append " + id + " is not committed on " + node.id);
                }
                if (!applied.contains(id)) {
                    fail("acknowledged append " + id + " is committed but not applied on " + node.id);
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
