package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;
import io.gaggle.Role;
import io.gaggle.channel.ChannelState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GaggleHealthIndicator}'s DOWN rules, on real memory-channel nodes, and on
 * statuses for the faults a test cannot cause on demand.
 */
class GaggleHealthIndicatorTests {

    private static final Duration LEADER_CONTACT_TIMEOUT = Duration.ofMillis(300);

    private static final String FAULT = "the cluster lost a committed entry: entry 7 (id e7, term 2) was committed, "
            + "but leader node-3 of term 4 holds entry n4 of term 4 there; what this node delivered differs from "
            + "the cluster's log until it restarts";

    @Test
    void downWithTheFaultAsReasonWhenTheNodesStateCanNoLongerBeTrusted() {
        Health health = health(status(ChannelState.CONNECTED, 0, FAULT));
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", FAULT);
    }

    @Test
    void theFaultWinsOverTheOtherReasons() {
        Health health = health(status(ChannelState.CONNECTING, Long.MAX_VALUE, FAULT));
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", FAULT);
    }

    @Test
    void upWithoutAFaultWhileConnectedAndFollowingALeader() {
        Health health = health(status(ChannelState.CONNECTED, 0, null));
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).doesNotContainKey("reason");
    }

    @Test
    void detailsShowWhereTheLogStartsAndEndsAndTheLatestSnapshot() {
        Health health = health(status(ChannelState.CONNECTED, 0, null));
        assertThat(health.getDetails()).containsEntry("firstLogIndex", 2L)
            .containsEntry("lastLogIndex", 8L)
            .containsEntry("snapshotIndex", 1L);
    }

    @Test
    void detailsSayWhereTheNodeKeepsItsState() {
        Gaggle node = node(UUID.randomUUID().toString(), 1);
        try {
            Health health = new GaggleHealthIndicator(node, LEADER_CONTACT_TIMEOUT).health();
            assertThat(health.getDetails()).containsEntry("storage", "memory");
        }
        finally {
            node.close().join();
        }
    }

    @Test
    void downWhileTheChannelIsNotConnected() {
        Gaggle node = node(UUID.randomUUID().toString(), 1);
        try {
            Health health = new GaggleHealthIndicator(node, LEADER_CONTACT_TIMEOUT).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("reason", "the channel is NEW");
        }
        finally {
            node.close().join();
        }
    }

    @Test
    void downWhileNoLeaderIsKnown() {
        Gaggle node = node(UUID.randomUUID().toString(), 3);
        try {
            node.start();
            GaggleHealthIndicator indicator = new GaggleHealthIndicator(node, LEADER_CONTACT_TIMEOUT);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(
                    () -> assertThat(indicator.health().getDetails()).containsEntry("channelState", ChannelState.CONNECTED));
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("reason", "no leader known yet");
        }
        finally {
            node.close().join();
        }
    }

    @Test
    void downWhenNoLeaderWasHeardFromForTooLong() {
        String hub = UUID.randomUUID().toString();
        Gaggle first = node(hub, 2);
        Gaggle second = node(hub, 2);
        try {
            first.start();
            second.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> first.isLeader() || second.isLeader());
            Gaggle follower = first.isLeader() ? second : first;
            await().atMost(Duration.ofSeconds(10)).until(() -> follower.getLeaderId().isPresent());
            (first.isLeader() ? first : second).close().join();
            GaggleHealthIndicator indicator = new GaggleHealthIndicator(follower, LEADER_CONTACT_TIMEOUT);
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN));
            assertThat(indicator.health().getDetails().get("reason").toString()).startsWith("no leader heard from for");
        }
        finally {
            first.close().join();
            second.close().join();
        }
    }

    private static Gaggle node(String hub, int clusterSize) {
        return Gaggle.builder()
            .id(UUID.randomUUID().toString())
            .clusterSize(clusterSize)
            .channel(ChannelConfig.memory(hub))
            .electionTimeout(Duration.ofMillis(50), Duration.ofMillis(100))
            .heartbeatInterval(Duration.ofMillis(10))
            .build();
    }

    private static Health health(GaggleStatus status) {
        Health.Builder builder = new Health.Builder();
        GaggleHealthIndicator.describe(status, LEADER_CONTACT_TIMEOUT, builder);
        return builder.build();
    }

    private static GaggleStatus status(ChannelState channelState, long lastLeaderContactMillis, String fault) {
        return new GaggleStatus("node-1", Role.FOLLOWER, 4, "node-3", 6, 8, 2, 1, 3, "memory default", channelState,
                GaggleStatus.MEMORY_STORAGE, 0, 1, 10, lastLeaderContactMillis, 1, 0, 0, 0, fault);
    }
}
