package io.gaggle;

import java.util.Optional;

import io.gaggle.channel.ChannelState;

/**
 * A consistent snapshot of a node's state, as of the end of its latest loop turn; for health
 * checks and metrics.
 *
 * @param id the node's id
 * @param role its role
 * @param term its current term
 * @param leaderId the leader it knows of in that term, or null
 * @param commitIndex index of the last committed entry, -1 before the first
 * @param lastLogIndex index of the last entry in its log, -1 when empty
 * @param firstLogIndex index of the first entry its log retains (where {@link Gaggle#getLog()}
 *        starts): 0 until a snapshot compacts the log, and {@code lastLogIndex + 1} when it retains none
 * @param snapshotIndex index of the last entry its latest snapshot covers, -1 without one
 * @param clusterSize the configured cluster size
 * @param channel a description of the channel
 * @param channelState the channel's connection state
 * @param storage where the node keeps its term, vote and log: {@link #MEMORY_STORAGE}, lost when
 *        the process ends, or the storage directory's absolute path
 * @param droppedMessages received messages dropped as malformed or rule-breaking
 * @param elections how many times this node stood for election
 * @param appends how many appends callers made on this node
 * @param lastLeaderContactMillis milliseconds since this node last heard from (or was) a leader;
 *        {@code Long.MAX_VALUE} if never
 * @param preVotes how many pre-vote rounds this node started
 * @param stepDowns how many times this node stopped leading for want of a quorum
 * @param transfers how many leadership transfers this node completed as the leader handing over
 * @param pendingAppends appends made on this node and not yet committed, timed out or failed
 * @param fault why this node's state can no longer be trusted, or null: its storage failed (the
 *        node then stops), or the cluster lost an entry this node saw committed, so what it
 *        delivered differs from the cluster's log (possible only if some node's storage lost
 *        what it held: a node kept in memory that restarted, or a wiped or lying disk, on this
 *        node or another), or restoring a snapshot failed, so the application's state is unknown
 *        and the node delivers no more entries; a node with a fault stays so until it is restarted
 */
public record GaggleStatus(String id, Role role, long term, String leaderId, long commitIndex, long lastLogIndex,
        long firstLogIndex, long snapshotIndex, int clusterSize, String channel, ChannelState channelState,
        String storage, long droppedMessages, long elections, long appends, long lastLeaderContactMillis,
        long preVotes, long stepDowns, long transfers, int pendingAppends, String fault) {

    /** The {@code storage} of a node that keeps its state in memory. */
    public static final String MEMORY_STORAGE = "memory";

    /** Why this node's state can no longer be trusted, if it cannot; see {@code fault}. */
    public Optional<String> faultReason() {
        return Optional.ofNullable(fault);
    }

    /** The leader, if this node knows one. */
    public Optional<String> leader() {
        return Optional.ofNullable(leaderId);
    }
}
