package io.gaggle.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.channel.socketio.GaggleSocketIoServer;
import io.gaggle.channel.socketio.RelayToken;
import io.gaggle.test.FreePort;
import io.gaggle.test.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clusters over a real Socket.IO relay, including a relay restart.
 */
class SocketIoClusterTest extends RealChannelClusterContract {

    private static GaggleSocketIoServer relay;

    @BeforeAll
    static void startRelay() {
        relay = new GaggleSocketIoServer("127.0.0.1", 0).start();
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
    }

    @Override
    Supplier<ChannelConfig> channel() {
        return () -> ChannelConfig.socketIo("http://127.0.0.1:" + relay.port(), "cluster-test-" + UUID.randomUUID());
    }

    @Test
    void aClusterCommitsThroughARelayWithTlsAndAToken(@TempDir Path certificates) {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(certificates);
        String token = RelayToken.fromSecret("cluster secret");
        String channel = "tls-" + UUID.randomUUID();
        try (GaggleSocketIoServer secured = new GaggleSocketIoServer("127.0.0.1", 0).token(token)
                .ssl(certificate.serverContext()).start();
                TestCluster cluster = new TestCluster(3, () -> ChannelConfig.socketIo("https://localhost:"
                        + secured.port(), channel).withToken(token).withTrustManager(certificate.trustManager()),
                        builder -> builder.accelerateHeartbeats(true))) {

            cluster.awaitLeader().append("over tls").join();

            for (Gaggle node : cluster.nodes()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> TestCluster.committed(node).contains("over tls"));
            }
        }
    }

    @Test
    void theClusterRecoversWhenTheRelayRestarts() {
        int port = FreePort.pick();
        GaggleSocketIoServer own = new GaggleSocketIoServer("127.0.0.1", port).start();
        String channel = "relay-restart-" + UUID.randomUUID();
        try (TestCluster cluster = new TestCluster(3, () -> ChannelConfig.socketIo("http://127.0.0.1:" + port, channel),
                builder -> builder.accelerateHeartbeats(true))) {
            cluster.awaitLeader().append("before restart").join();
            own.close();
            own = new GaggleSocketIoServer("127.0.0.1", port).start();

            Gaggle leader = cluster.awaitLeader();
            leader.append("after restart").join();
            for (Gaggle node : cluster.nodes()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> TestCluster.committed(node).contains("after restart"));
                assertThat(TestCluster.committed(node)).containsExactly("before restart", "after restart");
            }
        } finally {
            own.close();
        }
    }
}
