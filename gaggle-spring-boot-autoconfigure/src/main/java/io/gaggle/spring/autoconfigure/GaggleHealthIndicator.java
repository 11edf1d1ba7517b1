package io.gaggle.spring.autoconfigure;

import java.time.Duration;

import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;
import io.gaggle.channel.ChannelState;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The node's health, as the {@code gaggle} health contributor. It is DOWN when the node's state
 * can no longer be trusted ({@link GaggleStatus#fault()}: its storage failed, or the cluster lost
 * an entry it saw committed), whatever else holds, with that fault as the reason. It is DOWN too
 * while the channel is not connected, or when the node has not heard from a leader (or been one)
 * for longer than {@code leaderContactTimeout}: such a node can neither commit nor serve committed
 * state that is known to be recent. A node that has never known a leader, such as one waiting for
 * a majority to start, is DOWN too. Otherwise it is UP. Details show the node's role, term,
 * leader, commit index, first and last log index, snapshot index, cluster size, channel and storage.
 */
public class GaggleHealthIndicator extends AbstractHealthIndicator {

    private final Gaggle node;

    private final Duration leaderContactTimeout;

    /**
     * @param node the node to report on
     * @param leaderContactTimeout how long without a leader makes the node DOWN; the
     *        auto-configuration uses 10 times {@code gaggle.election-timeout.max}, long enough for
     *        a few elections to fail in a row, since split votes are normal
     */
    public GaggleHealthIndicator(Gaggle node, Duration leaderContactTimeout) {
        super("Gaggle health check failed");
        this.node = node;
        this.leaderContactTimeout = leaderContactTimeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        describe(this.node.getStatus(), this.leaderContactTimeout, builder);
    }

    /** Fills in the health that {@code status} shows, apart from the node, so that tests can give any status. */
    static void describe(GaggleStatus status, Duration leaderContactTimeout, Health.Builder builder) {
        builder.withDetail("id", status.id())
            .withDetail("role", status.role())
            .withDetail("term", status.term());
        status.leader().ifPresent((leaderId) -> builder.withDetail("leaderId", leaderId));
        builder.withDetail("commitIndex", status.commitIndex())
            .withDetail("firstLogIndex", status.firstLogIndex())
            .withDetail("lastLogIndex", status.lastLogIndex())
            .withDetail("snapshotIndex", status.snapshotIndex())
            .withDetail("clusterSize", status.clusterSize())
            .withDetail("channel", status.channel())
            .withDetail("channelState", status.channelState())
            .withDetail("storage", status.storage());
        long sinceLeader = status.lastLeaderContactMillis();
        if (sinceLeader != Long.MAX_VALUE) {
            builder.withDetail("lastLeaderContactMillis", sinceLeader);
        }
        if (status.faultReason().isPresent()) {
            builder.down().withDetail("reason", status.fault());
        }
        else if (status.channelState() != ChannelState.CONNECTED) {
            builder.down().withDetail("reason", "the channel is " + status.channelState());
        }
        else if (sinceLeader == Long.MAX_VALUE) {
            builder.down().withDetail("reason", "no leader known yet");
        }
        else if (sinceLeader > leaderContactTimeout.toMillis()) {
            builder.down().withDetail("reason", "no leader heard from for " + sinceLeader + " ms");
        }
        else {
            builder.up();
        }
    }
}
