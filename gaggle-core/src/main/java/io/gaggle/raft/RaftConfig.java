package io.gaggle.raft;

/**
 * The settings of one {@link RaftNode}; times are in milliseconds of the caller's clock.
 *
 * @param id this node's id
 * @param clusterSize number of voting nodes; a majority is {@code clusterSize / 2 + 1}
 * @param electionTimeoutMin lower bound of the randomised election timeout (Raft paper, §5.2)
 * @param electionTimeoutMax upper bound of the randomised election timeout
 * @param heartbeatInterval how often a leader asserts itself and sends what is pending
 * @param accelerateHeartbeats send new entries and commits at the end of the turn that made them,
 *        rather than with the next heartbeat
 * @param maxBatchEntries most entries in one AppendEntries
 * @param maxBatchBytes about the most entry bytes in one AppendEntries (one larger entry still goes)
 * @param maxInflight most unacknowledged AppendEntries per follower while replicating
 * @param preVote whether a node asks for pre-votes before standing for election (Raft thesis §9.6)
 * @param maxUncommittedEntries how many uncommitted entries a leader's log may hold before the
 *        leader refuses appends forwarded by followers, which resend them later (as etcd-io/raft's
 *        {@code MaxUncommittedEntriesSize}, counted in entries); appends made on the leader itself
 *        are bounded by its runtime, where they are made
 * @param snapshotThreshold take a snapshot once this many entries were applied since the last one;
 *        0 for never (no snapshotter: the log keeps every entry)
 * @param snapshotTrailingEntries how many entries before a snapshot's index the log keeps when it is
 *        compacted, so a follower slightly behind still gets entries rather than the snapshot
 * @param snapshotChunkBytes most snapshot bytes in one {@link InstallSnapshotRequest}
 */
public record RaftConfig(String id, int clusterSize, long electionTimeoutMin, long electionTimeoutMax,
        long heartbeatInterval, boolean accelerateHeartbeats, int maxBatchEntries, long maxBatchBytes,
        int maxInflight, boolean preVote, int maxUncommittedEntries, long snapshotThreshold,
        long snapshotTrailingEntries, int snapshotChunkBytes) {

    /**
     * Snapshot bytes per InstallSnapshot message: 512 KiB, about 700 KiB once base64-encoded in the
     * envelope, well under the Socket.IO relay's 16 MiB message limit and Redis's 512 MiB.
     */
    public static final int SNAPSHOT_CHUNK_BYTES = 512 << 10;

    /** Peers silent for this many maximum election timeouts are forgotten. */
    private static final int PEER_SILENCE_TIMEOUTS = 20;
    /** Peers a node tracks at once, per node of the cluster. */
    private static final int PEERS_PER_NODE = 4;

    /** Defaults for batching: 1000 entries or 1 MiB per message, 16 messages in flight. */
    public static RaftConfig of(String id, int clusterSize, long electionTimeoutMin, long electionTimeoutMax,
            long heartbeatInterval, boolean accelerateHeartbeats, boolean preVote, int maxUncommittedEntries) {
        return new RaftConfig(id, clusterSize, electionTimeoutMin, electionTimeoutMax, heartbeatInterval,
                accelerateHeartbeats, 1000, 1 << 20, 16, preVote, maxUncommittedEntries, 0, 0, SNAPSHOT_CHUNK_BYTES);
    }

    /** These settings, taking snapshots every {@code threshold} entries and keeping {@code trailingEntries}. */
    public RaftConfig withSnapshots(long threshold, long trailingEntries) {
        return new RaftConfig(id, clusterSize, electionTimeoutMin, electionTimeoutMax, heartbeatInterval,
                accelerateHeartbeats, maxBatchEntries, maxBatchBytes, maxInflight, preVote, maxUncommittedEntries,
                threshold, trailingEntries, snapshotChunkBytes);
    }

    /** Votes, or matching logs, needed to elect a leader or commit: {@code floor(n/2) + 1}. */
    public int majority() {
        return clusterSize / 2 + 1;
    }

    /**
     * How long a peer may stay silent before this node forgets it: it left, or restarted under
     * another id. Twenty maximum election timeouts.
     */
    public long peerSilenceLimit() {
        return PEER_SILENCE_TIMEOUTS * electionTimeoutMax;
    }

    /**
     * How many peers this node tracks at once: four per node of the cluster, room for every node
     * to have restarted under a new id while its old one is not yet forgotten, twice over. A new
     * peer beyond it is heard only once one falls silent past {@link #peerSilenceLimit()}, so a
     * flood of made-up ids can neither grow a node's memory nor push out peers it hears.
     */
    public int maxPeers() {
        return PEERS_PER_NODE * clusterSize;
    }
}
