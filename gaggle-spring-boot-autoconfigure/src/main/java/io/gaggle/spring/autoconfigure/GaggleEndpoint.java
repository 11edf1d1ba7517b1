package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;
import io.gaggle.PeerStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code gaggle} actuator endpoint: reads the node's status and the peers it hears (with
 * each follower's progress on the leader), and hands leadership over, so that a pre-stop hook or
 * an operator can move leadership off a node before maintenance (Raft thesis §3.10). Read-only
 * unless {@code management.endpoint.gaggle.access=unrestricted}.
 */
@Endpoint(id = "gaggle", defaultAccess = Access.READ_ONLY)
public class GaggleEndpoint {

    private final Gaggle node;

    private final Duration transferTimeout;

    /**
     * @param node the node to report on and hand leadership from
     * @param transferTimeout how long the write operation waits for a new leader; the node gives a
     *        transfer up by itself within two maximum election timeouts, so this is only a backstop
     */
    public GaggleEndpoint(Gaggle node, Duration transferTimeout) {
        this.node = node;
        this.transferTimeout = transferTimeout;
    }

    /** The node's status and its peers. */
    @ReadOperation
    public NodeDescriptor node() {
        return new NodeDescriptor(this.node.getStatus(), this.node.getPeers());
    }

    /**
     * Hands leadership to {@code target}, or to the most up-to-date follower, and waits for it.
     *
     * @param target the id of the node to hand leadership to; null for the most up-to-date follower
     * @return the new leader, or why leadership did not move: this node does not lead, knows no
     *         such live follower, or no new leader was elected in time (then it leads on)
     */
    @WriteOperation
    public LeadershipTransferDescriptor transferLeadership(@Nullable String target) {
        CompletableFuture<Void> handover = (target != null) ? this.node.transferLeadership(target)
                : this.node.transferLeadership();
        try {
            handover.get(this.transferTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return LeadershipTransferDescriptor.movedTo(this.node.getLeaderId().orElse(target));
        }
        catch (ExecutionException ex) {
            return LeadershipTransferDescriptor.failed(ex.getCause().getMessage());
        }
        catch (TimeoutException ex) {
            return LeadershipTransferDescriptor.failed(
                    "no new leader within " + this.transferTimeout.toMillis() + " ms");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return LeadershipTransferDescriptor.failed("interrupted while waiting for a new leader");
        }
    }

    /**
     * What the read operation shows.
     *
     * @param status the node's status, as its health details and meters show it
     * @param peers the peers it hears; on the leader, with each follower's progress
     */
    public record NodeDescriptor(GaggleStatus status, List<PeerStatus> peers) implements OperationResponseBody {
    }

    /**
     * The outcome of a leadership transfer.
     *
     * @param transferred whether leadership moved
     * @param leaderId the new leader, or null if leadership did not move
     * @param error why leadership did not move, or null if it did
     */
    public record LeadershipTransferDescriptor(boolean transferred, @Nullable String leaderId, @Nullable String error)
            implements OperationResponseBody {

        static LeadershipTransferDescriptor movedTo(@Nullable String leaderId) {
            return new LeadershipTransferDescriptor(true, leaderId, null);
        }

        static LeadershipTransferDescriptor failed(String error) {
            return new LeadershipTransferDescriptor(false, null, error);
        }
    }
}
