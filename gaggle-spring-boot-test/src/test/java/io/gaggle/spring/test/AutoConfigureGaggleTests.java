package io.gaggle.spring.test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;
import io.gaggle.spring.autoconfigure.GaggleProperties;
import io.gaggle.spring.test.OrderApplication.CommittedOrders;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user's {@code @SpringBootTest} with {@link AutoConfigureGaggle}: its application is configured
 * for three nodes on Redis, and runs as a single node in memory instead.
 */
@SpringBootTest(classes = OrderApplication.class)
@AutoConfigureGaggle
class AutoConfigureGaggleTests {

    @Autowired
    private Gaggle gaggle;

    @Autowired
    private CommittedOrders committed;

    @Autowired
    private GaggleProperties properties;

    @Test
    void nodeLeadsBeforeTheTestRuns() {
        assertThat(this.gaggle.isLeader()).isTrue();
    }

    @Test
    void appendedEntryIsCommittedWithoutRedis() {
        this.gaggle.append("order-1").orTimeout(10, TimeUnit.SECONDS).join();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.committed.orders())
            .contains("order-1"));
    }

    @Test
    void applicationsChannelMembersAndStorageGiveWayToASingleNodeInMemory() {
        GaggleStatus status = this.gaggle.getStatus();

        assertThat(status.clusterSize()).isEqualTo(1);
        assertThat(status.channel()).containsIgnoringCase("memory");
        assertThat(status.storage()).isEqualTo(GaggleStatus.MEMORY_STORAGE);
    }

    @Test
    void applicationsSocketIoRelayIsSwitchedOff() {
        assertThat(this.properties.getSocketIoServer().isEnabled()).isFalse();
    }

    @Test
    void applicationsNodeIdIsKept() {
        assertThat(this.gaggle.getId()).isEqualTo("node-a");
    }
}
