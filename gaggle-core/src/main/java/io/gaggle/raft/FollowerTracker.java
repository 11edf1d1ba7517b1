package io.gaggle.raft;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

import io.gaggle.PeerStatus;

/**
 * The peers a node knows, and what a leader knows of each follower's log, as etcd-io/raft's
 * {@code tracker} and {@code quorum} packages. Membership is discovered, as in the original: a
 * peer is known once it has been heard from. It answers, in one place, what a majority of the
 * cluster agrees on: the index it holds (commit, Raft paper §5.3), the time it was last heard
 * (check-quorum) and the heartbeat round it answered (ReadIndex, Raft thesis §6.4).
 * <p>
 * It knows at most {@link RaftConfig#maxPeers()} peers. A new one is admitted while there is
 * room, or once a known one has been silent past {@link RaftConfig#peerSilenceLimit()}; peers that
 * keep being heard keep their place. Only known peers have progress, so both maps are bounded.
 */
final class FollowerTracker {

    private final RaftConfig config;
    private final Map<String, Long> peersLastHeard = new LinkedHashMap<>();
    /** Followers of this node while it leads; empty otherwise. */
    private final Map<String, FollowerProgress> progress = new LinkedHashMap<>();
    /** Reused by {@link #majorityValue}, which the leader asks on every acknowledgement. */
    private long[] values = new long[0];

    FollowerTracker(RaftConfig config) {
        this.config = config;
    }

    // ---------------------------------------------------------------- membership

    /**
     * Whether a message from {@code peer} may be heard: it is known, or there is room for it,
     * made if need be by forgetting silent peers.
     */
    boolean admits(String peer, long now) {
        if (peersLastHeard.containsKey(peer) || peersLastHeard.size() < config.maxPeers()) {
            return true;
        }
        forgetSilentPeers(now);
        return peersLastHeard.size() < config.maxPeers();
    }

    /** A message from {@code peer}, which {@link #admits} it, was heard. */
    void heard(String peer, long now) {
        peersLastHeard.put(peer, now);
    }

    /**
     * Forgets the peers not heard from for a long time, and what this node knew of their logs:
     * they left, or restarted under another id.
     */
    void forgetSilentPeers(long now) {
        peersLastHeard.entrySet().removeIf(peer -> {
            boolean silent = silentSince(peer.getValue(), now);
            if (silent) {
                progress.remove(peer.getKey());
            }
            return silent;
        });
    }

    private boolean silentSince(long heardAt, long now) {
        return now - heardAt > config.peerSilenceLimit();
    }

    /** The known peers, in the order first heard, with what this node knows of each as of {@code now}. */
    List<PeerStatus> peers(long now) {
        List<PeerStatus> peers = new ArrayList<>(peersLastHeard.size());
        peersLastHeard.forEach((peer, heardAt) -> {
            FollowerProgress follower = progress.get(peer);
            peers.add(new PeerStatus(peer, now - heardAt, follower == null ? null
                    : new PeerStatus.Progress(follower.matchIndex, follower.nextIndex, follower.snapshot != null)));
        });
        return peers;
    }

    // ---------------------------------------------------------------- followers of a leader

    /** A new leader starts every known peer at {@code nextIndex}, the index after its last entry (§5.3). */
    void startLeading(long nextIndex, long now) {
        progress.clear();
        for (String peer : peersLastHeard.keySet()) {
            progress.put(peer, new FollowerProgress(nextIndex, now));
        }
    }

    /** This node no longer leads. */
    void stopLeading() {
        progress.clear();
    }

    FollowerProgress get(String follower) {
        return progress.get(follower);
    }

    /**
     * The follower's progress, tracking it from {@code nextIndex} if it is new to this leader.
     * Only for a known peer, which keeps progress as bounded as the peers.
     */
    FollowerProgress track(String follower, long nextIndex, long now) {
        return progress.computeIfAbsent(follower, f -> new FollowerProgress(nextIndex, now));
    }

    /** A follower restarted with an empty memory: start it again from {@code nextIndex}. */
    void restarted(String follower, long nextIndex, long now) {
        if (progress.containsKey(follower)) {
            progress.put(follower, new FollowerProgress(nextIndex, now));
        }
    }

    Collection<FollowerProgress> all() {
        return progress.values();
    }

    void forEach(BiConsumer<String, FollowerProgress> action) {
        progress.forEach(action);
    }

    /** Whether this leader is sending its snapshot to a follower. */
    boolean sendingSnapshot() {
        for (FollowerProgress follower : progress.values()) {
            if (follower.snapshot != null) {
                return true;
            }
        }
        return false;
    }

    /** Stops replicating to followers silent for long; a follower that speaks again is tracked anew. */
    void dropSilentFollowers(long now) {
        Iterator<FollowerProgress> followers = progress.values().iterator();
        while (followers.hasNext()) {
            if (silentSince(followers.next().lastHeardAt, now)) {
                followers.remove();
            }
        }
    }

    /** Whether the follower answered within the minimum election timeout. */
    boolean isLive(FollowerProgress follower, long now) {
        return now - follower.lastHeardAt < config.electionTimeoutMin();
    }

    /**
     * The live follower whose log matches the leader's furthest, or null (thesis §3.10); not one
     * being sent a snapshot, which is far behind.
     */
    String mostUpToDate(long now) {
        String best = null;
        long bestMatch = Long.MIN_VALUE;
        for (Map.Entry<String, FollowerProgress> entry : progress.entrySet()) {
            FollowerProgress follower = entry.getValue();
            if (isLive(follower, now) && follower.snapshot == null && follower.matchIndex > bestMatch) {
                best = entry.getKey();
                bestMatch = follower.matchIndex;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- what a majority agrees on

    /** The highest index a majority holds, the leader's own log included (§5.3); -1 if none. */
    long majorityMatchIndex(long leaderLastIndex) {
        return Math.max(-1, majorityValue(follower -> follower.matchIndex, leaderLastIndex));
    }

    /** Whether a majority, the leader included, was heard from at or after {@code since} (check-quorum). */
    boolean majorityHeardSince(long since, long now) {
        return majorityValue(follower -> follower.lastHeardAt, now) >= since;
    }

    /** Whether a majority, the leader included, answered heartbeat round {@code round} or a later one (§6.4). */
    boolean majorityAcknowledgedRound(long round) {
        return roundAcknowledgedByMajority() >= round;
    }

    /** The latest heartbeat round a majority, the leader included, answered; {@code Long.MIN_VALUE} if none. */
    long roundAcknowledgedByMajority() {
        return majorityValue(follower -> follower.ackedRound, Long.MAX_VALUE);
    }

    /**
     * The largest value that a majority of the cluster has reached: the leader's own value and
     * one per follower, the majority-th largest of them. {@code Long.MIN_VALUE} while fewer nodes
     * than a majority are known, which no majority has reached.
     */
    private long majorityValue(ToLongFunction<FollowerProgress> value, long leaderValue) {
        int count = progress.size() + 1;
        if (count < config.majority()) {
            return Long.MIN_VALUE;
        }
        if (values.length != count) {
            values = new long[count];
        }
        int i = 0;
        for (FollowerProgress follower : progress.values()) {
            values[i++] = value.applyAsLong(follower);
        }
        values[i] = leaderValue;
        Arrays.sort(values);
        return values[count - config.majority()];
    }

    // ---------------------------------------------------------------- one batch for followers in step

    /**
     * The index every replicating follower will be sent from, when each batch can be broadcast
     * once rather than sent to each: more than one follower replicates, all of them are due and
     * at the same next index, and no live follower is catching up (it would decode every batch
     * only to reject it). A silent follower still probing does not hold the broadcast up, nor does
     * one being sent a snapshot, which ignores batches until it has it. -1 otherwise.
     */
    long commonNextIndex(long now) {
        FollowerProgress first = null;
        int replicating = 0;
        for (FollowerProgress follower : progress.values()) {
            if (follower.snapshot != null) {
                continue;
            }
            if (!follower.probing) {
                first = first == null ? follower : first;
                if (!follower.due || follower.nextIndex != first.nextIndex) {
                    return -1;
                }
                replicating++;
            } else if (isLive(follower, now)) {
                return -1;
            }
        }
        return replicating > 1 ? first.nextIndex : -1;
    }

    /** Whether every replicating follower has room for one more batch in flight. */
    boolean replicatingCanSend() {
        for (FollowerProgress follower : progress.values()) {
            if (!follower.probing && !follower.canSend(config.maxInflight())) {
                return false;
            }
        }
        return true;
    }

    /** A batch up to {@code lastIndex} was broadcast to every replicating follower. */
    void sentToReplicating(long lastIndex, long now) {
        for (FollowerProgress follower : progress.values()) {
            if (!follower.probing) {
                follower.sent(lastIndex, now);
            }
        }
    }
}
