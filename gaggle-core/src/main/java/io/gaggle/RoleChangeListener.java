package io.gaggle;

/**
 * Told when this node's role changes.
 */
@FunctionalInterface
public interface RoleChangeListener {

    /**
     * @param from the role it had
     * @param to the role it has now
     * @param term the term it is in now
     */
    void on(Role from, Role to, long term);
}
