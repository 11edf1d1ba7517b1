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
 * Gaggle's own promises about appends:
 * <ul>
 * <li>Election Safety: at most one leader per term.</li>
 * <li>Log Matching: two logs with an entry of the same index and term agree up to it.</li>
 * <li>State Machine Safety: every node commits the same entry at an index; committed entries
 * never change, and each node applies them once, in order.</li>
 * <li>Every append acknowledged to its caller is committed, exactly once.</li>
 * </ul>
 */
final class SafetyChecker {

    private final Simulation simulation;
    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private final List<LogEntry> committed = new ArrayList<>();
    private final Map<String, Set<String>> appliedIds = new HashMap<>();
    private final Set<String> acknowledged = new LinkedHashSet<>();
    private final Set<String> proposed = new HashSet<>();
    private final List<String> transferFailures = new ArrayList<>();
    private java.util.function.BiConsumer<SimNode, String> readListener;
    private java.util.function.BiConsumer<SimNode, LogEntry> commitListener;
    private java.util.function.BiConsumer<SimNode, String> ackListener;
    private long steps;

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

    /** A read barrier passed: the node must have applied every entry committed anywhere before. */
    void readCompleted(SimNode node, String requestId, long readIndex) {
        if (node.applied < readIndex && node.raft.commitIndex() < readIndex) {
            fail(node.id + " passed read barrier " + requestId + " at " + readIndex + " before applying it");
        }
        if (readListener != null) {
            readListener.accept(node, requestId);
        }
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

    void restarted(SimNode node) {
        node.applied = -1;
        node.checkedCommit = -1;
    }

    /** Cheap checks after every step; the quadratic log comparison every so often. */
    void afterStep() {
        steps++;
        for (SimNode node : simulation.nodes) {
            long commit = node.raft.commitIndex();
            if (commit > node.log.lastIndex()) {
                fail(node.id + " committed beyond its log: " + commit + " > " + node.log.lastIndex());
            }
            for (long i = node.checkedCommit + 1; i <= commit; i++) {
                checkCommitted(node, node.log.get(i), i);
            }
            node.checkedCommit = Math.max(node.checkedCommit, commit);
        }
        if (steps % 256 == 0) {
            checkLogMatching();
            checkCommittedPrefixes();
        }
    }

    /** Committed entries never change, in any log. */
    private void checkCommittedPrefixes() {
        for (SimNode node : simulation.nodes) {
            for (long i = 0; i <= node.raft.commitIndex(); i++) {
                checkCommitted(node, node.log.get(i), i);
            }
        }
    }

    void checkLogMatching() {
        SimNode[] nodes = simulation.nodes;
        for (int a = 0; a < nodes.length; a++) {
            for (int b = a + 1; b < nodes.length; b++) {
                checkLogMatching(nodes[a], nodes[b]);
            }
        }
    }

    private void checkLogMatching(SimNode a, SimNode b) {
        long common = Math.min(a.log.lastIndex(), b.log.lastIndex());
        for (long i = common; i >= 0; i--) {
            if (a.log.term(i) == b.log.term(i)) {
                for (long j = i; j >= 0; j--) {
                    if (!a.log.get(j).equals(b.log.get(j))) {
                        fail("log matching broken: " + a.id + " and " + b.id + " agree at " + i + " but differ at " + j);
                    }
                }
                return;
            }
        }
    }

    /** At the end of a run, with the cluster healed and settled. */
    void checkAcknowledgedAppendsCommittedOnce() {
        checkLogMatching();
        checkCommittedPrefixes();
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
            for (String id : acknowledged) {
                if (!counts.containsKey(id)) {
                    fail("acknowledged append " + id + " is not committed on " + node.id);
                }
            }
        }
    }

    private void fail(String violation) {
        throw new AssertionError("seed " + simulation.seed + " at t=" + simulation.now + " ms: " + violation
                + "\n  replay with: ./mvnw -pl gaggle-core test -Dtest=RaftSimulationTest -Dgaggle.sim.seed="
                + simulation.seed);
    }
}
