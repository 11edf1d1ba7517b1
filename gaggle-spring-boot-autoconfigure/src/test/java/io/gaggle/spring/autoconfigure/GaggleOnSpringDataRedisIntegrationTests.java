package io.gaggle.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.gaggle.Gaggle;
import io.gaggle.channel.ChannelState;
import io.gaggle.test.FreePort;
import io.gaggle.test.PrivateCertificateAuthority;
import io.gaggle.test.RedisClusterServers;
import io.gaggle.test.RedisSentinelServers;
import io.gaggle.test.RedisServerProcess;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Spring Boot applications form a Gaggle cluster over the Redis that Spring Boot's own
 * {@code spring.data.redis.*} properties describe, on Boot's Lettuce client. Each test starts the
 * Redis servers it needs on free ports and stops them.
 */
class GaggleOnSpringDataRedisIntegrationTests {

    @Test
    void standaloneRedisFromHostAndPortCarriesCommits() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.startOnFreePort();
                ThreeApplications applications = ThreeApplications.start("spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.port())) {
            applications.awaitLeader();
            applications.append(1, "over standalone");
            applications.awaitCommittedEverywhere(List.of("over standalone"));
        }
    }

    @Test
    void tlsRedisTrustedThroughAnSslBundleCarriesCommits(@TempDir Path certificates) throws Exception {
        PrivateCertificateAuthority authority = PrivateCertificateAuthority.create(certificates);
        try (RedisServerProcess redis = startTls(authority);
                ThreeApplications applications = ThreeApplications.start("spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.port(),
                        "spring.ssl.bundle.pem.private-ca.truststore.certificate=file:"
                                + authority.authorityCertificate(),
                        "spring.data.redis.ssl.bundle=private-ca")) {
            applications.awaitLeader();
            applications.append(2, "over tls");
            applications.awaitCommittedEverywhere(List.of("over tls"));
        }
    }

    @Test
    void tlsRedisWithoutTheBundleNeverConnects(@TempDir Path certificates) {
        PrivateCertificateAuthority authority = PrivateCertificateAuthority.create(certificates);
        try (RedisServerProcess redis = startTls(authority);
                ThreeApplications applications = ThreeApplications.start("spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.port(), "spring.data.redis.ssl.enabled=true")) {
            // The JVM's default trust does not know the private authority, so no handshake succeeds.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> applications.nodes().stream().map(Gaggle::getStatus)
                    .noneMatch((status) -> status.channelState() == ChannelState.CONNECTED));
        }
    }

    @Test
    void sentinelsMasterCarriesCommitsAcrossAFailover() throws Exception {
        try (RedisSentinelServers redis = RedisSentinelServers.start();
                ThreeApplications applications = ThreeApplications.start(
                        "spring.data.redis.sentinel.master=" + RedisSentinelServers.MASTER_NAME,
                        "spring.data.redis.sentinel.nodes=127.0.0.1:" + redis.sentinelPort())) {
            applications.awaitLeader();
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                applications.append(i, "before failover " + i);
                acknowledged.add("before failover " + i);
            }
            applications.awaitCommittedEverywhere(acknowledged);

            redis.failover();

            for (int i = 0; i < 3; i++) {
                acknowledged.add(applications.appendUntilAcknowledged(i, "after failover " + i));
            }
            applications.awaitCommittedEverywhere(acknowledged);
            // Each node has followed Sentinel to the new master.
            await().atMost(ThreeApplications.TIMEOUT).until(() -> RedisClientList.subscribers(redis.masterPort()) >= 3);
        }
    }

    @Test
    void redisClusterOfThreeShardsCarriesCommits() throws Exception {
        try (RedisClusterServers redis = RedisClusterServers.start(3);
                ThreeApplications applications = ThreeApplications.start("spring.data.redis.cluster.nodes="
                        + String.join(",", redis.urls()).replace("redis://", ""))) {
            applications.awaitLeader();
            applications.append(0, "over cluster");
            applications.awaitCommittedEverywhere(List.of("over cluster"));
            // The nodes' shard subscriptions are on the test's cluster, not on some other Redis.
            assertThat(redis.urls().stream().map(RedisURI::create)
                .mapToLong((uri) -> RedisClientList.subscribers(uri.getPort()))
                .sum()).isGreaterThanOrEqualTo(3);
        }
    }

    /** A Redis that speaks TLS only, with the authority's server certificate. */
    private static RedisServerProcess startTls(PrivateCertificateAuthority authority) {
        int port = FreePort.pick();
        return RedisServerProcess.start(port, "--port", "0", "--tls-port", String.valueOf(port), "--tls-cert-file",
                authority.serverCertificate().toString(), "--tls-key-file", authority.serverKey().toString(),
                "--tls-ca-cert-file", authority.authorityCertificate().toString(), "--tls-auth-clients", "no");
    }
}
