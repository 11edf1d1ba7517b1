package io.gaggle.raft.simulation;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a history of operations on one register is linearizable: whether each
 * operation can be given a single instant between its invocation and its response such that, in
 * that order, every read returns the latest write (Wing and Gong's search, with the memoisation of
 * Lowe and of Porcupine). Operations without a response may take effect at any instant after
 * their invocation, or never.
 */
final class LinearizabilityChecker {

    /** An operation: a write of {@code value}, or a read that returned {@code value} (null: unset). */
    record Operation(boolean write, String value, long invokedAt, long respondedAt) {

        static Operation write(String value, long invokedAt, long respondedAt) {
            return new Operation(true, value, invokedAt, respondedAt);
        }

        static Operation read(String value, long invokedAt, long respondedAt) {
            return new Operation(false, value, invokedAt, respondedAt);
        }

        boolean responded() {
            return respondedAt != Long.MAX_VALUE;
        }
    }

    private record Configuration(BitSet linearized, String state) {
    }

    private final List<Operation> history;
    private final Set<Configuration> visited = new HashSet<>();

    private LinearizabilityChecker(List<Operation> history) {
        this.history = new ArrayList<>(history);
    }

    static boolean isLinearizable(List<Operation> history) {
        return new LinearizabilityChecker(history).search(new BitSet(), null);
    }

    private boolean search(BitSet linearized, String state) {
        if (allRespondedLinearized(linearized)) {
            return true;
        }
        if (!visited.add(new Configuration((BitSet) linearized.clone(), state))) {
            return false;
        }
        long earliestResponse = Long.MAX_VALUE;
        for (int i = 0; i < history.size(); i++) {
            if (!linearized.get(i)) {
                earliestResponse = Math.min(earliestResponse, history.get(i).respondedAt());
            }
        }
        for (int i = 0; i < history.size(); i++) {
            Operation operation = history.get(i);
            // Only an operation invoked before every pending one responded can take effect next.
            if (linearized.get(i) || operation.invokedAt() > earliestResponse) {
                continue;
            }
            if (!operation.write() && !Objects.equals(operation.value(), state)) {
                continue;
            }
            linearized.set(i);
            if (search(linearized, operation.write() ? operation.value() : state)) {
                return true;
            }
            linearized.clear(i);
        }
        return false;
    }

    private boolean allRespondedLinearized(BitSet linearized) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).responded() && !linearized.get(i)) {
                return false;
            }
        }
        return true;
    }
}
