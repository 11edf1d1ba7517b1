package io.gaggle;

/**
 * Told when a node learns of a new leader, as the original's {@code leaderElected} event.
 */
@FunctionalInterface
public interface LeaderListener {

    /**
     * @param leaderId the id of the node that leads
     * @param term the term it leads in
     */
    void on(String leaderId, long term);
}
