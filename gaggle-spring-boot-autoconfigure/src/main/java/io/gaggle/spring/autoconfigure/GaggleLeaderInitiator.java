package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;
import io.gaggle.Role;
import io.gaggle.Subscription;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.event.LeaderEventPublisher;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;

/**
 * Spring Integration's leader initiator for a Gaggle node, as {@code LockRegistryLeaderInitiator}
 * is for a lock: the {@link Candidate} is granted leadership while the node leads its Raft term
 * and revoked when it stops leading (a newer leader, a check-quorum step-down, a handover, the
 * node closing) or when this initiator stops, and an {@link OnGrantedEvent} or
 * {@link OnRevokedEvent} follows for the candidate's role. The events' source is the
 * {@link Gaggle} node; their {@link Context} is a {@link GaggleContext} of the granted term.
 * <p>
 * Each term the node leads is granted once, and a grant is always revoked before the next one;
 * stopped and started again, the initiator grants the term the node then leads, even the one it
 * revoked. Grants and revokes run one at a time, in order, on a thread of the initiator's own,
 * {@code gaggle-leader-<node id>}, never on the node's delivery thread: a candidate, or a
 * role-bound bean that Spring Integration's role controller starts and stops within the events,
 * may wait on the node, for example on {@code gaggle.append(..).get()}. As with any leader
 * election without leases, a node cut off from the others steps down (check-quorum) only a
 * maximum election timeout after it last heard a majority, so for that long two nodes may both
 * be granted.
 * <p>
 * Its {@link #PHASE phase} follows the node's: it starts once the node runs and stops, revoking a
 * grant, before the node closes and hands leadership over.
 */
public class GaggleLeaderInitiator implements SmartLifecycle, DisposableBean {

    /** Just after {@link GaggleLifecycle#PHASE}. */
    public static final int PHASE = GaggleLifecycle.PHASE + 1;

    /** How long {@link #stop()} waits for the grants and revokes queued before it, its own revoke included. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private static final Log logger = LogFactory.getLog(GaggleLeaderInitiator.class);

    private static final long NONE = -1;

    private final Gaggle node;

    private final Candidate candidate;

    private final LeaderEventPublisher publisher;

    private final Subscription subscription;

    /** Guards {@link #grants}; held to queue work, never while the candidate or publisher runs. */
    private final Object lock = new Object();

    /** Runs the grants and revokes in order while started; null while stopped. */
    private volatile ExecutorService grants;

    /** The grant in force, or null; read without the lock, so a context's isLeader() never waits. */
    private volatile GaggleContext granted;

    /** The last term granted, so that a late notification of it does not grant it again; grants thread only. */
    private long lastGrantedTerm = NONE;

    /**
     * @param node the node whose leadership to grant; it must not have started yet, so that no
     *        role change is missed
     * @param candidate told when it is granted and revoked; its role names the events' role
     * @param publisher publishes the granted and revoked events
     */
    public GaggleLeaderInitiator(Gaggle node, Candidate candidate, LeaderEventPublisher publisher) {
        this.node = node;
        this.candidate = candidate;
        this.publisher = publisher;
        this.subscription = node.onRoleChanged(this::roleChanged);
    }

    /** The node whose leadership this initiator grants. */
    public Gaggle getNode() {
        return this.node;
    }

    /** The candidate granted and revoked. */
    public Candidate getCandidate() {
        return this.candidate;
    }

    /**
     * The grant in force, whose {@link Context#yield()} hands leadership over, or a context that
     * does not lead when nothing is granted.
     */
    public Context getContext() {
        GaggleContext context = this.granted;
        return (context != null) ? context : new GaggleContext(NONE);
    }

    /**
     * Starts the thread that grants and revokes, and has it grant the term in progress if the node
     * already leads: it may have been elected before this start. Returns without waiting for the grant.
     */
    @Override
    public void start() {
        synchronized (this.lock) {
            if (this.grants != null) {
                return;
            }
            this.grants = Executors.newSingleThreadExecutor((task) -> {
                Thread thread = new Thread(task, "gaggle-leader-" + this.node.getId());
                thread.setDaemon(true);
                return thread;
            });
            GaggleStatus status = this.node.getStatus();
            if (status.role() == Role.LEADER) {
                this.grants.execute(() -> grant(status.term()));
            }
        }
    }

    /**
     * Revokes a grant in force, after the grants and revokes queued before, and waits up to 10 s
     * for that; the node itself still leads until it closes and hands over.
     */
    @Override
    public void stop() {
        ExecutorService stopping;
        synchronized (this.lock) {
            if (this.grants == null) {
                return;
            }
            stopping = this.grants;
            this.grants = null;
            stopping.execute(() -> {
                revoke();
                this.lastGrantedTerm = NONE;
            });
            stopping.shutdown();
        }
        try {
            if (!stopping.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                logger.warn("Candidate " + this.candidate.getId() + " was still being granted or revoked "
                        + STOP_TIMEOUT.toSeconds() + " s after the leader initiator of node " + this.node.getId()
                        + " began to stop");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.grants != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void destroy() {
        this.subscription.close();
        stop();
    }

    /** On the node's delivery thread: queues the change for the grants thread, so that the node is never kept waiting. */
    private void roleChanged(Role from, Role to, long term) {
        synchronized (this.lock) {
            if (this.grants != null) {
                this.grants.execute(() -> grantOrRevoke(from, to, term));
            }
        }
    }

    private void grantOrRevoke(Role from, Role to, long term) {
        if (to == Role.LEADER) {
            grant(term);
        }
        else if (from == Role.LEADER && this.granted != null && term >= this.granted.term) {
            // The term check skips a step-down older than the grant, which start() may have
            // granted before the node's delivery thread told of that step-down.
            revoke();
        }
    }

    private void grant(long term) {
        if (term <= this.lastGrantedTerm) {
            return;
        }
        revoke();
        this.lastGrantedTerm = term;
        GaggleContext context = new GaggleContext(term);
        this.granted = context;
        try {
            this.candidate.onGranted(context);
        }
        catch (InterruptedException ex) {
            // Not re-asserted: the event that follows must still be published, and the thread runs on.
            logger.warn("Candidate " + this.candidate.getId() + " was interrupted when granted term " + term, ex);
        }
        catch (RuntimeException ex) {
            logger.warn("Candidate " + this.candidate.getId() + " failed when granted term " + term, ex);
        }
        try {
            this.publisher.publishOnGranted(this.node, context, this.candidate.getRole());
        }
        catch (RuntimeException ex) {
            logger.warn("Error publishing OnGrantedEvent for term " + term, ex);
        }
    }

    private void revoke() {
        GaggleContext context = this.granted;
        if (context == null) {
            return;
        }
        this.granted = null;
        try {
            this.candidate.onRevoked(context);
        }
        catch (RuntimeException ex) {
            logger.warn("Candidate " + this.candidate.getId() + " failed when revoked term " + context.term, ex);
        }
        try {
            this.publisher.publishOnRevoked(this.node, context, this.candidate.getRole());
        }
        catch (RuntimeException ex) {
            logger.warn("Error publishing OnRevokedEvent for term " + context.term, ex);
        }
    }

    /**
     * One grant: the node leading one term. It leads only while that grant is in force and the node
     * leads that term, so a context kept from an earlier term never yields a later one.
     */
    public final class GaggleContext implements Context {

        private final long term;

        GaggleContext(long term) {
            this.term = term;
        }

        /** The term granted, or -1 for the context of no grant. */
        public long getTerm() {
            return this.term;
        }

        /** The id of the granted node. */
        public String getNodeId() {
            return GaggleLeaderInitiator.this.node.getId();
        }

        /**
         * Whether this grant is in force and its node still leads the term granted: a node that
         * stopped leading, or closed, no longer leads even before the revoke reached its candidate.
         */
        @Override
        public boolean isLeader() {
            GaggleStatus status = GaggleLeaderInitiator.this.node.getStatus();
            return GaggleLeaderInitiator.this.granted == this && status.role() == Role.LEADER
                    && status.term() == this.term;
        }

        /**
         * Hands leadership over to the most up-to-date follower (Raft thesis §3.10), if this grant
         * is in force; the revoke follows once another node leads. Returns at once: if no
         * follower takes over within an election timeout, the node leads on, granted still.
         */
        @Override
        public void yield() {
            if (!isLeader()) {
                return;
            }
            GaggleLeaderInitiator.this.node.transferLeadership().whenComplete((done, failure) -> {
                if (failure != null) {
                    logger.warn("Node " + getNodeId() + " could not yield term " + this.term + ": "
                            + failure.getMessage());
                }
            });
        }

        @Override
        public String getRole() {
            return GaggleLeaderInitiator.this.candidate.getRole();
        }

        @Override
        public String toString() {
            return "GaggleContext{role=" + getRole() + ", node=" + getNodeId() + ", term=" + this.term + ", isLeader="
                    + isLeader() + "}";
        }
    }
}
