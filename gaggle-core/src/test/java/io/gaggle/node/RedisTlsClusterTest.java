package io.gaggle.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;
import io.gaggle.test.FreePort;
import io.gaggle.test.PrivateCertificateAuthority;
import io.gaggle.test.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cluster over a TLS-only Redis ({@code rediss://}) whose certificate a private CA signed: the
 * nodes trust that CA through their channel configuration, never through JVM-wide settings.
 */
class RedisTlsClusterTest {

    @TempDir
    static Path certificates;

    private static PrivateCertificateAuthority authority;
    private static RedisServerProcess redis;

    @BeforeAll
    static void startTlsRedis() {
        authority = PrivateCertificateAuthority.create(certificates);
        int port = FreePort.pick();
        // RedisServerProcess waits for the port to accept TCP connections, which the TLS port does.
        redis = RedisServerProcess.start(port, "--port", "0", "--tls-port", String.valueOf(port),
                "--tls-cert-file", authority.serverCertificate().toString(),
                "--tls-key-file", authority.serverKey().toString(),
                "--tls-ca-cert-file", authority.authorityCertificate().toString(),
                "--tls-auth-clients", "no");
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    private static String url() {
        return "rediss://127.0.0.1:" + redis.port();
    }

    @Test
    void aClusterThatTrustsThePrivateCaElectsALeaderAndCommits() throws Exception {
        String name = "tls-" + UUID.randomUUID();
        try (TestCluster cluster = new TestCluster(3,
                () -> ChannelConfig.redis(name, url()).withTrustManager(authority.trustManager()),
                builder -> builder.accelerateHeartbeats(true))) {
            Gaggle leader = cluster.awaitLeader();
            leader.append("over tls 1").get(10, TimeUnit.SECONDS);
            cluster.aFollower().append("over tls 2").get(10, TimeUnit.SECONDS);

            for (Gaggle node : cluster.nodes()) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> TestCluster.committed(node).contains("over tls 2"));
                assertThat(TestCluster.committed(node)).containsExactly("over tls 1", "over tls 2");
                assertThat(node.getStatus().channelState()).isEqualTo(ChannelState.CONNECTED);
            }
        }
    }

    @Test
    void aNodeThatDoesNotTrustThePrivateCaNeverConnects() {
        Channel channel = ChannelConfig.redis("tls-" + UUID.randomUUID(), url()).createChannel();
        try {
            channel.open("untrusting", envelope -> { });

            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> channel.state() == ChannelState.CONNECTING);
        } finally {
            channel.close().join();
        }
    }
}
