package io.gaggle.spring;

import io.gaggle.Gaggle;
import io.gaggle.Role;

/**
 * The node's role changed, e.g. from {@link Role#CANDIDATE} to {@link Role#LEADER}, or a leader
 * stepped down.
 */
public class GaggleRoleChangedEvent extends GaggleEvent {

    private final Role oldRole;

    private final Role newRole;

    private final long term;

    /**
     * @param node the node whose role changed
     * @param oldRole the role it had
     * @param newRole the role it has now
     * @param term the term it is in now
     */
    public GaggleRoleChangedEvent(Gaggle node, Role oldRole, Role newRole, long term) {
        super(node);
        this.oldRole = oldRole;
        this.newRole = newRole;
        this.term = term;
    }

    /** The role the node had. */
    public Role getOldRole() {
        return this.oldRole;
    }

    /** The role the node has now. */
    public Role getNewRole() {
        return this.newRole;
    }

    /** The term the node is in now. */
    public long getTerm() {
        return this.term;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + this.oldRole + "->" + this.newRole + ", term=" + this.term + "}";
    }
}
