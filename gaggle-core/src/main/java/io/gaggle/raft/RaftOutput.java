package io.gaggle.raft;

import java.util.List;

import io.gaggle.LogEntry;
import io.gaggle.Role;
import tools.jackson.databind.JsonNode;

/**
 * What a {@link RaftNode} asks of the world around it. Called synchronously from inside the
 * node's methods, in the order things happen; an implementation must only record or hand off,
 * never call back into the node.
 */
public interface RaftOutput {

    /** Send {@code message} to node {@code to}. */
    void send(String to, RaftMessage message);

    /** Send {@code message} to every other node. */
    void broadcast(RaftMessage message);

    /** The leader appended an application entry to its log. */
    void appended(LogEntry entry, long index);

    /** An application entry is committed; called once per index, in log order. */
    void committed(LogEntry entry, long index);

    /** This node learned that {@code leaderId} leads in {@code term}. */
    void leaderElected(String leaderId, long term);

    /** This node's role changed. */
    void roleChanged(Role from, Role to, long term);

    /** An append made on this node is committed. */
    void appendCommitted(String entryId);

    /** An append made on this node was not committed before its deadline; it may still commit. */
    void appendTimedOut(String entryId);

    /** Run the named RPC handler for the caller on node {@code origin}, then call {@link RaftNode#rpcCompleted}. */
    void invokeRpc(String origin, String requestId, String name, List<JsonNode> args);

    /** An RPC made on this node returned: {@code error} is null on success. */
    void rpcCompleted(String requestId, JsonNode result, String error);

    /** An RPC made on this node had no answer before its deadline. */
    void rpcTimedOut(String requestId);

    /**
     * A read barrier made on this node passed: this node has applied every entry up to
     * {@code readIndex}, which covers every write committed before the barrier was asked for.
     */
    void readCompleted(String requestId, long readIndex);

    /** A read barrier made on this node got no read index before its deadline. */
    void readTimedOut(String requestId);

    /** A leadership transfer this node started did not complete; it leads on. */
    void transferFailed(String reason);

    /**
     * The cluster no longer holds an entry this node saw committed at {@code index}: this node's
     * storage lost it, or another's did (see {@link RaftNode}). This node follows the cluster's
     * log from here on, but what it delivered no longer matches the cluster's.
     */
    void committedEntryLost(long index, String reason);

    /**
     * Take a snapshot: save the application's state after the entry at {@code index}, of
     * {@code term}, once every committed entry up to it has been delivered and no later one, to
     * {@link SnapshotStore#write} with these {@code recentEntryIds}; then call
     * {@link RaftNode#snapshotTaken} with what the store published, or
     * {@link RaftNode#snapshotFailed}. Asked once at a time.
     */
    void snapshotDue(long index, long term, List<String> recentEntryIds);

    /**
     * This node installed the leader's snapshot at {@code index}, of {@code term}, which is now
     * its store's latest: the application's state must be restored from it before the entries
     * after {@code index} are delivered, and the entries up to {@code index} not yet delivered never
     * will be.
     */
    void snapshotInstalled(long index, long term);

    /**
     * An append made on this node can no longer be followed: a snapshot covers where it could be,
     * further back than the entry ids a snapshot keeps, so whether it committed is unknown; it
     * is not resent.
     */
    void appendOutcomeUnknown(String entryId);

    /** A message from {@code from} broke a rule no correct peer breaks; it was ignored. */
    void dropped(String from, String reason);
}
