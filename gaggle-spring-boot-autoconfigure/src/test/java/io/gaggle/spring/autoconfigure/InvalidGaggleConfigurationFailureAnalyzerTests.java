package io.gaggle.spring.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link InvalidGaggleConfigurationFailureAnalyzer}: each invalid setting stops the
 * startup with a message naming the property and its fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidGaggleConfigurationFailureAnalyzerTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GaggleAutoConfiguration.class));

    private final ApplicationContextRunner validRunner = this.contextRunner.withPropertyValues("gaggle.cluster-size=3",
            "gaggle.channel.name=memory", "gaggle.channel.memory.name=" + UUID.randomUUID());

    @Test
    void missingClusterSize() {
        FailureAnalysis analysis = analyze(this.contextRunner.withPropertyValues("gaggle.channel.name=memory"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.cluster-size", "Reason: is not set");
        assertThat(analysis.getAction()).isEqualTo(
                "Set gaggle.cluster-size to the number of nodes in the cluster, e.g. gaggle.cluster-size=3.");
    }

    @Test
    void secretTooShort() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.security.secret=hunter2"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.security.secret",
                "Reason: has 7 characters, fewer than 16");
        assertThat(analysis.getAction()).contains("GAGGLE_SECURITY_SECRET");
    }

    @Test
    void membersWithoutThisNode() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.id=node-a",
                "gaggle.members=node-b,node-c,node-d"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.members",
                "Reason: does not name this node's id, node-a");
    }

    @Test
    void clusterSizeBelowOne() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.cluster-size=0"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.cluster-size",
                "Reason: is 0, but a cluster has at least 1 node");
    }

    @Test
    void storageDirectoryThatIsAFile(@TempDir Path directory) throws IOException {
        Path file = Files.createFile(directory.resolve("state"));
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.storage.directory=" + file));
        assertThat(analysis.getDescription()).contains("Property: gaggle.storage.directory",
                "Reason: is " + file + ", which is not a directory");
        assertThat(analysis.getAction()).startsWith("Set gaggle.storage.directory to a directory of this node's own");
    }

    @Test
    void missingChannelName() {
        FailureAnalysis analysis = analyze(this.contextRunner.withPropertyValues("gaggle.cluster-size=3"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.channel.name", "Reason: is not set");
        assertThat(analysis.getAction()).isEqualTo("Set gaggle.channel.name to redis, socket.io or memory, "
                + "e.g. gaggle.channel.name=redis, or define a ChannelConfig bean.");
    }

    @Test
    void unknownChannelName() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.channel.name=kafka"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.channel.name",
                "Reason: is 'kafka', which is not a Gaggle channel");
        assertThat(analysis.getAction()).isEqualTo("Set gaggle.channel.name to redis, socket.io or memory.");
    }

    @Test
    void redisWithoutChannelName() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.channel.name=redis"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.channel.redis.channel-name",
                "Reason: is not set, and the redis channel needs it");
        assertThat(analysis.getAction()).isEqualTo("Set gaggle.channel.redis.channel-name to the cluster's name, "
                + "the same on every node, e.g. gaggle.channel.redis.channel-name=orders.");
    }

    @Test
    void redisWithoutLettuce() {
        FailureAnalysis analysis = analyze(this.validRunner.withClassLoader(new FilteredClassLoader("io.lettuce"))
            .withPropertyValues("gaggle.channel.name=redis", "gaggle.channel.redis.channel-name=orders"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.channel.name",
                "Reason: is redis, but io.lettuce:lettuce-core is not on the classpath");
        assertThat(analysis.getAction()).isEqualTo(
                "Add io.gaggle:gaggle-spring-boot-starter, or io.lettuce:lettuce-core, to the application's dependencies.");
    }

    @Test
    void redisConnectionStringThatIsNotARedisUri() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.channel.name=redis",
                "gaggle.channel.redis.channel-name=orders", "gaggle.channel.redis.connection-string=http://nowhere"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.channel.redis.connection-string",
                "Reason: is not a Redis URI");
        assertThat(analysis.getAction()).startsWith("Set gaggle.channel.redis.connection-string to a URI such as "
                + "redis://user:password@127.0.0.1:6379/0");
    }

    @Test
    void redisChannelOnSpringBootsStaticMasterReplicaSetup() {
        FailureAnalysis analysis = analyze(this.validRunner
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
            .withPropertyValues("gaggle.channel.name=redis", "gaggle.channel.redis.channel-name=orders",
                    "spring.data.redis.masterreplica.nodes=127.0.0.1:6379,127.0.0.1:6380"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.channel.redis.connection-string",
                "Reason: is not set, and Spring Boot's Redis is a static master/replica setup");
        assertThat(analysis.getAction()).startsWith("Set gaggle.channel.redis.connection-string to the master");
    }

    @Test
    void redisChannelBesideSpringBootsRedisOnAnotherClientThanLettuce() {
        // What Boot's Redis auto-configuration leaves when Spring Data Redis runs on Jedis: connection details, no Lettuce factory.
        DataRedisConnectionDetails jedisStandalone = new DataRedisConnectionDetails() {
            @Override
            public Standalone getStandalone() {
                return Standalone.of("127.0.0.1", 6379);
            }
        };
        FailureAnalysis analysis = analyze(this.validRunner
            .withBean(DataRedisConnectionDetails.class, () -> jedisStandalone)
            .withPropertyValues("gaggle.channel.name=redis", "gaggle.channel.redis.channel-name=orders"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.channel.redis.connection-string",
                "Reason: is not set, and Spring Boot's Redis (spring.data.redis.*) runs on another client than "
                        + "Lettuce");
        assertThat(analysis.getAction()).startsWith("Set gaggle.channel.redis.connection-string to the Redis for Gaggle");
    }

    @Test
    void redisChannelBesideSeveralLettuceConnectionFactoriesNoneOfThemPrimary() {
        FailureAnalysis analysis = analyze(this.validRunner
            .withBean("ordersRedis", LettuceConnectionFactory.class, () -> new LettuceConnectionFactory("127.0.0.1", 6391))
            .withBean("cacheRedis", LettuceConnectionFactory.class, () -> new LettuceConnectionFactory("127.0.0.1", 6392))
            .withPropertyValues("gaggle.channel.name=redis", "gaggle.channel.redis.channel-name=orders"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.channel.redis.connection-string",
                "Reason: is not set, and the application has several LettuceConnectionFactory beans, none of them "
                        + "@Primary");
        assertThat(analysis.getAction()).startsWith("Set gaggle.channel.redis.connection-string to the Redis for Gaggle");
    }

    @Test
    void socketIoWithoutHost() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.channel.name=socket.io",
                "gaggle.channel.socket-io.channel=orders"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.channel.socket-io.host",
                "Reason: is not set, and the socket.io channel needs it");
        assertThat(analysis.getAction()).isEqualTo(
                "Set gaggle.channel.socket-io.host to the relay's URL, e.g. gaggle.channel.socket-io.host=http://localhost:9000.");
    }

    @Test
    void socketIoWithoutChannel() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.channel.name=socket.io",
                "gaggle.channel.socket-io.host=http://localhost:9000"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.channel.socket-io.channel",
                "Reason: is not set, and the socket.io channel needs it");
        assertThat(analysis.getAction()).startsWith("Set gaggle.channel.socket-io.channel to the cluster's name");
    }

    @Test
    void socketIoServerWithoutNettySocketIo() {
        FailureAnalysis analysis = analyze(this.validRunner
            .withClassLoader(new FilteredClassLoader("com.corundumstudio.socketio"))
            .withPropertyValues("gaggle.socket-io-server.enabled=true"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.socket-io-server.enabled",
                "Reason: is true, but com.corundumstudio.socketio:netty-socketio is not on the classpath");
        assertThat(analysis.getAction()).isEqualTo("Add io.gaggle:gaggle-spring-boot-starter, or "
                + "com.corundumstudio.socketio:netty-socketio, to the application's dependencies.");
    }

    @Test
    void socketIoServerWithAnUnknownSslBundle() {
        FailureAnalysis analysis = analyze(this.validRunner
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
            .withPropertyValues("gaggle.socket-io-server.enabled=true", "gaggle.socket-io-server.port=0",
                    "gaggle.socket-io-server.ssl.bundle=missing"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.socket-io-server.ssl.bundle",
                "Reason: is 'missing', but no SSL bundle has that name");
        assertThat(analysis.getAction()).isEqualTo("Define the bundle under spring.ssl.bundle.jks.missing or "
                + "spring.ssl.bundle.pem.missing, or set gaggle.socket-io-server.ssl.bundle to the name of one.");
    }

    @Test
    void socketIoChannelWithAnUnknownSslBundle() {
        FailureAnalysis analysis = analyze(this.validRunner
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
            .withPropertyValues("gaggle.channel.name=socket.io", "gaggle.channel.socket-io.host=https://localhost:9000",
                    "gaggle.channel.socket-io.channel=orders", "gaggle.channel.socket-io.ssl.bundle=missing"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.channel.socket-io.ssl.bundle",
                "Reason: is 'missing', but no SSL bundle has that name");
    }

    @Test
    void electionTimeoutMinAboveMax() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.election-timeout.min=600ms"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.election-timeout.min",
                "Reason: is 600 ms, longer than the maximum election timeout (500 ms)");
        assertThat(analysis.getAction()).isEqualTo("Set gaggle.election-timeout.min to at least 1ms and at most "
                + "gaggle.election-timeout.max, e.g. 300ms (the default).");
    }

    @Test
    void heartbeatNotShorterThanElectionTimeoutMin() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.heartbeat-interval=300ms"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.heartbeat-interval",
                "Reason: is 300 ms, not shorter than the minimum election timeout (300 ms)");
        assertThat(analysis.getAction()).isEqualTo("Set gaggle.heartbeat-interval to at least 1ms and well below "
                + "gaggle.election-timeout.min, e.g. 50ms (the default) for a 300ms minimum.");
    }

    @Test
    void nonPositiveDuration() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.heartbeat-interval=0ms"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.heartbeat-interval",
                "Reason: is PT0S, but must be at least 1 ms");
    }

    @Test
    void maxPendingAppendsBelowOne() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.max-pending-appends=0"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.max-pending-appends",
                "Reason: is 0, but at least one append must be able to wait");
        assertThat(analysis.getAction())
            .isEqualTo("Set gaggle.max-pending-appends to a positive bound, e.g. 100000 (the default).");
    }

    @Test
    void maxPendingRpcsBelowOne() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.max-pending-rpcs=0"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.max-pending-rpcs",
                "Reason: is 0, but at least one RPC call must be able to run");
        assertThat(analysis.getAction())
            .isEqualTo("Set gaggle.max-pending-rpcs to a positive bound, e.g. 1088 (the default).");
    }

    @Test
    void emptyId() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.id="));
        assertThat(analysis.getDescription()).contains("Property: gaggle.id", "Reason: is blank");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        FailureAnalysis analysis = analyze(this.contextRunner.withPropertyValues("gaggle.channel.name=redis",
                "gaggle.election-timeout.min=1s"));
        assertThat(analysis.getDescription()).contains("gaggle.cluster-size", "gaggle.election-timeout.min",
                "gaggle.channel.redis.channel-name");
        assertThat(analysis.getAction().lines()).hasSize(3);
    }

    @Test
    void rejectedChannelPropertiesAreNotReportedAsAMissingChannel() {
        FailureAnalysis analysis = analyze(this.validRunner.withPropertyValues("gaggle.channel.name=redis"));
        assertThat(analysis.getDescription()).contains("Property: gaggle.channel.redis.channel-name")
            .doesNotContain("Property: gaggle.channel.name");
    }

    @Test
    void customizerThatTheBuilderRejects() {
        FailureAnalysis analysis = analyze(this.validRunner.withBean(GaggleBuilderCustomizer.class,
                () -> (builder) -> builder.rpc("ping", (leader, args) -> 1).rpc("ping", (leader, args) -> 2)));
        assertThat(analysis.getDescription())
            .isEqualTo("Gaggle rejected a customization: rpc handler 'ping' is registered twice");
        assertThat(analysis.getAction()).isEqualTo("Review the application's GaggleBuilderCustomizer beans.");
    }

    @Test
    void duplicateRpcNames() {
        InvalidGaggleConfigurationException failure = new InvalidGaggleConfigurationException("two handlers", "rename");
        FailureAnalysis analysis = new InvalidGaggleConfigurationFailureAnalyzer().analyze(new IllegalStateException(failure));
        assertThat(analysis.getDescription()).isEqualTo("two handlers");
        assertThat(analysis.getAction()).isEqualTo("rename");
    }

    @Test
    void springBootReportsTheAnalysisInsteadOfAStackTrace(CapturedOutput output) {
        SpringApplication application = new SpringApplication(EmptyApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run("--gaggle.channel.name=memory"));
        assertThat(output).contains("APPLICATION FAILED TO START", "Property: gaggle.cluster-size",
                "Set gaggle.cluster-size to the number of nodes in the cluster");
    }

    private static FailureAnalysis analyze(ApplicationContextRunner runner) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner.run((context) -> {
            assertThat(context).hasFailed();
            analysis[0] = new InvalidGaggleConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(analysis[0]).as("analysis of the startup failure").isNotNull();
        return analysis[0];
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(GaggleAutoConfiguration.class)
    static class EmptyApplication {
    }
}
