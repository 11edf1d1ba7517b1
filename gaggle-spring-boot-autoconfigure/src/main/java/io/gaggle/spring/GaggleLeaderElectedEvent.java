package io.gaggle.spring;

import io.gaggle.Gaggle;

/**
 * The node learned of a new leader, itself included, as the original's {@code leaderElected}
 * event.
 */
public class GaggleLeaderElectedEvent extends GaggleEvent {

    private final String leaderId;

    private final long term;

    /**
     * @param node the node that learned of the leader
     * @param leaderId the leader's id
     * @param term the term it leads in
     */
    public GaggleLeaderElectedEvent(Gaggle node, String leaderId, long term) {
        super(node);
        this.leaderId = leaderId;
        this.term = term;
    }

    /** The id of the node that leads. */
    public String getLeaderId() {
        return this.leaderId;
    }

    /** The term it leads in. */
    public long getTerm() {
        return this.term;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{leaderId=" + this.leaderId + ", term=" + this.term + "}";
    }
}
