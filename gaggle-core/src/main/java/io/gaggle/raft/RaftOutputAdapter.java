package io.gaggle.raft;

import java.util.List;

import io.gaggle.LogEntry;
import io.gaggle.Role;
import tools.jackson.databind.JsonNode;

/**
 * A {@link RaftOutput} that ignores everything, for drivers of a {@link RaftNode} that care about
 * a few of its outputs only (tests, micro-benchmarks): extend it and override those.
 */
public abstract class RaftOutputAdapter implements RaftOutput {

    @Override
    public void send(String to, RaftMessage message) {
    }

    @Override
    public void broadcast(RaftMessage message) {
    }

    @Override
    public void appended(LogEntry entry, long index) {
    }

    @Override
    public void committed(LogEntry entry, long index) {
    }

    @Override
    public void leaderElected(String leaderId, long term) {
    }

    @Override
    public void roleChanged(Role from, Role to, long term) {
    }

    @Override
    public void appendCommitted(String entryId) {
    }

    @Override
    public void appendTimedOut(String entryId) {
    }

    @Override
    public void invokeRpc(String origin, String requestId, String name, List<JsonNode> args) {
    }

    @Override
    public void rpcCompleted(String requestId, JsonNode result, String error) {
    }

    @Override
    public void rpcTimedOut(String requestId) {
    }

    @Override
    public void readCompleted(String requestId, long readIndex) {
    }

    @Override
    public void readTimedOut(String requestId) {
    }

    @Override
    public void transferFailed(String reason) {
    }

    @Override
    public void dropped(String from, String reason) {
    }

    @Override
    public void committedEntryLost(long index, String reason) {
    }

    @Override
    public void snapshotDue(long index, long term, List<String> recentEntryIds) {
    }

    @Override
    public void snapshotInstalled(long index, long term) {
    }

    @Override
    public void appendOutcomeUnknown(String entryId) {
    }
}
