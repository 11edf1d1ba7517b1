package io.gaggle.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.gaggle.GaggleException;
import io.gaggle.Role;
import io.gaggle.raft.RaftNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leadership transfer this node started, one at a time: settled by the next election, whoever
 * wins it, or failed at its deadline if none happens (this node may have stepped down without a
 * successor). Its future settles on the delivery thread, after whatever the same loop turn told
 * the listeners before it. Loop thread only, except {@link #completed()}.
 */
final class LeadershipHandover {

    private static final Logger LOG = LoggerFactory.getLogger(LeadershipHandover.class);

    private final String nodeId;
    private final RaftNode raft;
    private final long timeout;
    private final Delivery delivery;
    private final AtomicLong completed = new AtomicLong();
    private PendingTransfer transfer;

    /** {@code timeout}: how long after it starts a transfer fails if no election settled it. */
    LeadershipHandover(String nodeId, RaftNode raft, long timeout, Delivery delivery) {
        this.nodeId = nodeId;
        this.raft = raft;
        this.timeout = timeout;
        this.delivery = delivery;
    }

    /** Starts handing leadership to {@code targetId} (null: the most up-to-date follower), or fails the future. */
    void begin(String targetId, CompletableFuture<Void> future, long now) {
        if (transfer != null) {
            String current = transfer.target();
            delivery.add(() -> future.completeExceptionally(
                    new GaggleException("a leadership transfer to " + current + " is under way")));
            return;
        }
        String target = raft.transferLeadership(targetId, now);
        if (target == null) {
            String reason = raft.role() != Role.LEADER
                    ? "only the leader can transfer leadership; this node is " + raft.role()
                    : "no live follower " + (targetId == null ? "to transfer leadership to" : "named " + targetId);
            delivery.add(() -> future.completeExceptionally(new GaggleException(reason)));
            return;
        }
        LOG.info("Gaggle node {}: handing leadership to {}", nodeId, target);
        transfer = new PendingTransfer(target, future, now + timeout);
    }

    /** An election ended the transfer under way, if any: it completed only if its target won. */
    void leaderElected(String leaderId) {
        if (transfer != null && leaderId.equals(transfer.target())) {
            completed.incrementAndGet();
            settle(handover -> handover.complete(null));
        } else {
            settle(handover -> handover.completeExceptionally(
                    new GaggleException("leadership went to " + leaderId + " instead")));
        }
    }

    /** The Raft node gave up the transfer; it leads on. */
    void failed(String reason) {
        settle(handover -> handover.completeExceptionally(new GaggleException(reason)));
    }

    /** Fails the transfer under way once its deadline has passed. */
    void expire(long now) {
        if (transfer != null && now >= transfer.deadline()) {
            String target = transfer.target();
            settle(handover -> handover.completeExceptionally(
                    new GaggleException("leadership transfer to " + target + " did not complete")));
        }
    }

    /** Fails the transfer under way, as the node closes. */
    void fail(Throwable failure) {
        settle(handover -> handover.completeExceptionally(failure));
    }

    /** How many transfers completed: their target won the election. */
    long completed() {
        return completed.get();
    }

    /** Ends the transfer under way, if any, from what is known now (the field is cleared at once). */
    private void settle(Consumer<CompletableFuture<Void>> outcome) {
        if (transfer != null) {
            CompletableFuture<Void> handover = transfer.future();
            transfer = null;
            delivery.add(() -> outcome.accept(handover));
        }
    }

    private record PendingTransfer(String target, CompletableFuture<Void> future, long deadline) {
    }
}
