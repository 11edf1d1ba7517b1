package io.gaggle;

/**
 * A peer this node hears, as of the moment {@link Gaggle#getPeers()} was answered; for operators.
 * Peers are discovered from the messages heard (or named by the members), and forgotten once
 * silent for long.
 *
 * @param id the peer's id
 * @param lastHeardMillis milliseconds since this node last heard from it
 * @param progress what this node, while it leads, knows of the peer's log; null otherwise, or
 *        while the leader does not yet replicate to it
 */
public record PeerStatus(String id, long lastHeardMillis, Progress progress) {

    /**
     * What a leader knows of one follower's log (Raft paper, §5.3).
     *
     * @param matchIndex the highest index known to match the leader's log, -1 if none yet
     * @param nextIndex the index of the next entry the leader sends it
     * @param sendingSnapshot whether the leader is sending it its snapshot instead, because its log
     *        has dropped the entries the follower lacks (Raft paper, §7)
     */
    public record Progress(long matchIndex, long nextIndex, boolean sendingSnapshot) {
    }
}
