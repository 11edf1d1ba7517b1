package io.gaggle.spring.autoconfigure;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.GaggleRpcException;
import io.gaggle.LogEntry;
import io.gaggle.Role;
import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;
import io.gaggle.channel.socketio.GaggleSocketIoServer;
import io.gaggle.spring.GaggleAppendedEvent;
import io.gaggle.spring.GaggleCommittedEvent;
import io.gaggle.spring.GaggleEvent;
import io.gaggle.spring.GaggleLeaderElectedEvent;
import io.gaggle.spring.GaggleRoleChangedEvent;
import io.gaggle.spring.GaggleRpc;
import io.gaggle.test.FreePort;
import io.gaggle.test.RedisServerProcess;
import io.gaggle.test.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GaggleAutoConfiguration}. Each context runs a one-node cluster on a memory hub
 * of its own, which elects itself at once.
 */
class GaggleAutoConfigurationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GaggleAutoConfiguration.class))
        .withPropertyValues("gaggle.cluster-size=1", "gaggle.channel.name=memory",
                "gaggle.channel.memory.name=" + UUID.randomUUID());

    @Test
    void nodeIsStartedWithTheContext() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(Gaggle.class).hasSingleBean(GaggleLifecycle.class);
            assertThat(context.getBean(GaggleLifecycle.class).isRunning()).isTrue();
            Gaggle node = context.getBean(Gaggle.class);
            await().atMost(TIMEOUT).until(node::isLeader);
        });
    }

    @Test
    void nodeIsClosedWithTheContext() {
        Gaggle[] node = new Gaggle[1];
        this.contextRunner.run((context) -> node[0] = context.getBean(Gaggle.class));
        assertThat(node[0].getStatus().channelState()).isEqualTo(ChannelState.CLOSED);
    }

    @Test
    void propertiesAreBound() {
        this.contextRunner
            .withPropertyValues("gaggle.id=node-a", "gaggle.cluster-size=5", "gaggle.election-timeout.min=1s",
                    "gaggle.election-timeout.max=2s", "gaggle.heartbeat-interval=100ms",
                    "gaggle.accelerate-heartbeats=true", "gaggle.channel.redis.channel-name=orders",
                    "gaggle.channel.redis.connection-string=redis://127.0.0.1:6380",
                    "gaggle.channel.socket-io.host=http://localhost:9001", "gaggle.channel.socket-io.channel=shop",
                    "gaggle.channel.socket-io.token=node-token", "gaggle.channel.socket-io.ssl.bundle=trust",
                    "gaggle.socket-io-server.port=9002", "gaggle.socket-io-server.address=127.0.0.1",
                    "gaggle.socket-io-server.token=relay-token", "gaggle.socket-io-server.ssl.bundle=keys",
                    "gaggle.pre-vote=false", "gaggle.max-pending-appends=500")
            .run((context) -> {
                GaggleProperties properties = context.getBean(GaggleProperties.class);
                assertThat(properties.getId()).isEqualTo("node-a");
                assertThat(properties.getClusterSize()).isEqualTo(5);
                assertThat(properties.getElectionTimeout().getMin()).isEqualTo(Duration.ofSeconds(1));
                assertThat(properties.getElectionTimeout().getMax()).isEqualTo(Duration.ofSeconds(2));
                assertThat(properties.getHeartbeatInterval()).isEqualTo(Duration.ofMillis(100));
                assertThat(properties.isAccelerateHeartbeats()).isTrue();
                assertThat(properties.getChannel().getRedis().getChannelName()).isEqualTo("orders");
                assertThat(properties.getChannel().getRedis().getConnectionString()).isEqualTo("redis://127.0.0.1:6380");
                assertThat(properties.getChannel().getSocketIo().getHost()).isEqualTo("http://localhost:9001");
                assertThat(properties.getChannel().getSocketIo().getChannel()).isEqualTo("shop");
                assertThat(properties.getChannel().getSocketIo().getToken()).isEqualTo("node-token");
                assertThat(properties.getChannel().getSocketIo().getSsl().getBundle()).isEqualTo("trust");
                assertThat(properties.getSocketIoServer().getPort()).isEqualTo(9002);
                assertThat(properties.getSocketIoServer().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
                assertThat(properties.getSocketIoServer().getToken()).isEqualTo("relay-token");
                assertThat(properties.getSocketIoServer().getSsl().getBundle()).isEqualTo("keys");
                assertThat(properties.isPreVote()).isFalse();
                assertThat(properties.getMaxPendingAppends()).isEqualTo(500);
                assertThat(context.getBean(Gaggle.class).getStatus().clusterSize()).isEqualTo(5);
                assertThat(context.getBean(Gaggle.class).getId()).isEqualTo("node-a");
            });
    }

    @Test
    void membersAndSecretAreBound() {
        this.contextRunner
            .withPropertyValues("gaggle.id=node-a", "gaggle.cluster-size=3", "gaggle.members=node-a,node-b,node-c",
                    "gaggle.security.secret=sixteen characters at least",
                    "gaggle.security.previous-secret=the secret before this one")
            .run((context) -> {
                GaggleProperties properties = context.getBean(GaggleProperties.class);
                assertThat(properties.getMembers()).containsExactly("node-a", "node-b", "node-c");
                assertThat(properties.getSecurity().getSecret()).isEqualTo("sixteen characters at least");
                assertThat(properties.getSecurity().getPreviousSecret()).isEqualTo("the secret before this one");
                assertThat(context.getBean(Gaggle.class).getStatus().clusterSize()).isEqualTo(3);
            });
    }

    @Test
    void idDefaultsToARandomUuid() {
        this.contextRunner.run((context) -> assertThat(UUID.fromString(context.getBean(Gaggle.class).getId()))
            .isNotNull());
    }

    @Test
    void memoryChannelUsesTheConfiguredHub() {
        this.contextRunner.withPropertyValues("gaggle.channel.memory.name=orders-hub")
            .run((context) -> assertThat(context.getBean(Gaggle.class).getStatus().channel())
                .isEqualTo("memory orders-hub"));
    }

    @Test
    void backsOffForAnApplicationsGaggle() {
        this.contextRunner.withUserConfiguration(OwnNodeConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(Gaggle.class).doesNotHaveBean(GaggleLifecycle.class);
            assertThat(context.getBean(Gaggle.class).getId()).isEqualTo("own-node");
            assertThat(context).hasSingleBean(GaggleEventPublisher.class);
        });
    }

    @Test
    void usesAnApplicationsChannelConfigWithoutChannelProperties() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GaggleAutoConfiguration.class))
            .withPropertyValues("gaggle.cluster-size=1")
            .withUserConfiguration(OwnChannelConfiguration.class)
            .run((context) -> assertThat(context.getBean(Gaggle.class).getStatus().channel())
                .isEqualTo("memory own-hub"));
    }

    @Test
    void redisChannelUsesTheClientOfSpringBootsLettuceConnectionFactory() {
        try (RedisServerProcess redis = RedisServerProcess.startOnFreePort()) {
            this.contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues("gaggle.channel.name=redis", "gaggle.channel.redis.channel-name=orders",
                        "spring.data.redis.port=" + redis.port(), "spring.data.redis.client-name=boot-client")
                .run((context) -> {
                    Gaggle node = context.getBean(Gaggle.class);
                    await().atMost(TIMEOUT).until(() -> node.getStatus().channelState() == ChannelState.CONNECTED);
                    // Only the factory's client names its connections so, and nothing else uses it.
                    assertThat(RedisClientList.of(redis.port())).contains("name=boot-client");
                });
        }
    }

    @Test
    void redisChannelStartsALettuceConnectionFactoryThatWouldStartAfterTheNodeIsBuilt() {
        try (RedisServerProcess redis = RedisServerProcess.startOnFreePort()) {
            this.contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues("gaggle.channel.name=redis", "gaggle.channel.redis.channel-name=orders")
                .withBean(LettuceConnectionFactory.class, () -> {
                    LettuceConnectionFactory factory = new LettuceConnectionFactory("127.0.0.1", redis.port());
                    factory.setEarlyStartup(false);
                    return factory;
                })
                .run((context) -> {
                    Gaggle node = context.getBean(Gaggle.class);
                    await().atMost(TIMEOUT).until(() -> node.getStatus().channelState() == ChannelState.CONNECTED);
                });
        }
    }

    @Test
    void applicationsChannelConfigWinsOverSpringBootsLettuceConnectionFactory() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
            .withPropertyValues("gaggle.channel.name=redis", "gaggle.channel.redis.channel-name=orders")
            .withUserConfiguration(OwnChannelConfiguration.class)
            .run((context) -> assertThat(context.getBean(Gaggle.class).getStatus().channel())
                .isEqualTo("memory own-hub"));
    }

    @Test
    void redisConnectionStringWinsOverSpringBootsLettuceConnectionFactory() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
            .withPropertyValues("gaggle.channel.name=redis", "gaggle.channel.redis.channel-name=orders",
                    "gaggle.channel.redis.connection-string=redis://gaggle.example.com:6391",
                    "spring.data.redis.host=redis.example.com")
            .run((context) -> assertThat(context.getBean(Gaggle.class).getStatus().channel())
                .isEqualTo("redis orders@gaggle.example.com:6391"));
    }

    @Test
    void redisConnectionStringIsUsedBesideSeveralLettuceConnectionFactories() {
        this.contextRunner
            .withBean("ordersRedis", LettuceConnectionFactory.class, () -> new LettuceConnectionFactory("127.0.0.1", 6391))
            .withBean("cacheRedis", LettuceConnectionFactory.class, () -> new LettuceConnectionFactory("127.0.0.1", 6392))
            .withPropertyValues("gaggle.channel.name=redis", "gaggle.channel.redis.channel-name=orders",
                    "gaggle.channel.redis.connection-string=redis://gaggle.example.com:6391")
            .run((context) -> assertThat(context.getBean(Gaggle.class).getStatus().channel())
                .isEqualTo("redis orders@gaggle.example.com:6391"));
    }

    @Test
    void redisChannelWithoutSpringDataRedisUsesTheLocalDefault() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(DataRedisAutoConfiguration.class))
            .withPropertyValues("gaggle.channel.name=redis", "gaggle.channel.redis.channel-name=orders")
            .run((context) -> assertThat(context.getBean(Gaggle.class).getStatus().channel())
                .isEqualTo("redis orders@127.0.0.1:6379"));
    }

    @Test
    void socketIoChannelIsConfiguredFromProperties() {
        this.contextRunner
            .withPropertyValues("gaggle.channel.name=socket.io", "gaggle.channel.socket-io.host=http://127.0.0.1:1",
                    "gaggle.channel.socket-io.channel=shop")
            .run((context) -> assertThat(context.getBean(Gaggle.class).getStatus().channel())
                .isEqualTo("socket.io shop@http://127.0.0.1:1"));
    }

    @Test
    void socketIoServerIsOffByDefault() {
        this.contextRunner.run((context) -> assertThat(context)
            .doesNotHaveBean(GaggleSocketIoServer.class)
            .doesNotHaveBean(GaggleSocketIoServerLifecycle.class));
    }

    @Test
    void socketIoServerRunsWithTheContextAndCarriesTheNodesChannel() throws Exception {
        int port = FreePort.pick();
        GaggleSocketIoServer[] server = new GaggleSocketIoServer[1];
        this.contextRunner
            .withPropertyValues("gaggle.socket-io-server.enabled=true", "gaggle.socket-io-server.port=" + port,
                    "gaggle.channel.name=socket.io", "gaggle.channel.socket-io.host=http://127.0.0.1:" + port,
                    "gaggle.channel.socket-io.channel=relayed")
            .run((context) -> {
                server[0] = context.getBean(GaggleSocketIoServer.class);
                assertThat(server[0].port()).isEqualTo(port);
                Gaggle node = context.getBean(Gaggle.class);
                await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(node.getStatus().channelState()).isEqualTo(ChannelState.CONNECTED));
                await().atMost(TIMEOUT).until(node::isLeader);
            });
        assertThat(FreePort.isFree(port)).isTrue();
    }

    @Test
    void socketIoServerServesTlsWithATokenToTheNodesChannel(@TempDir Path certificates) {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(certificates);
        int port = FreePort.pick();
        this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
            .withPropertyValues("spring.ssl.bundle.jks.relay.keystore.location=file:" + certificate.keyStore(),
                    "spring.ssl.bundle.jks.relay.keystore.password=" + SelfSignedCertificate.PASSWORD,
                    "spring.ssl.bundle.jks.relay-trust.truststore.location=file:" + certificate.trustStore(),
                    "spring.ssl.bundle.jks.relay-trust.truststore.password=" + SelfSignedCertificate.PASSWORD,
                    "gaggle.socket-io-server.enabled=true", "gaggle.socket-io-server.port=" + port,
                    "gaggle.socket-io-server.address=127.0.0.1", "gaggle.socket-io-server.token=secret-token",
                    "gaggle.socket-io-server.ssl.bundle=relay", "gaggle.channel.name=socket.io",
                    "gaggle.channel.socket-io.host=https://localhost:" + port,
                    "gaggle.channel.socket-io.channel=relayed", "gaggle.channel.socket-io.token=secret-token",
                    "gaggle.channel.socket-io.ssl.bundle=relay-trust")
            .run((context) -> {
                Gaggle node = context.getBean(Gaggle.class);
                await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(node.getStatus().channelState()).isEqualTo(ChannelState.CONNECTED));
                await().atMost(TIMEOUT).until(node::isLeader);
            });
    }

    @Test
    void theClusterSecretLocksTheRelayAndLetsTheNodeIn() {
        int port = FreePort.pick();
        this.contextRunner
            .withPropertyValues("gaggle.security.secret=one secret for messages and relay",
                    "gaggle.socket-io-server.enabled=true", "gaggle.socket-io-server.port=" + port,
                    "gaggle.socket-io-server.address=127.0.0.1", "gaggle.channel.name=socket.io",
                    "gaggle.channel.socket-io.host=http://127.0.0.1:" + port,
                    "gaggle.channel.socket-io.channel=secret-derived")
            .run((context) -> {
                Gaggle node = context.getBean(Gaggle.class);
                await().atMost(TIMEOUT).until(node::isLeader);
                Channel stranger = ChannelConfig.socketIo("http://127.0.0.1:" + port, "secret-derived")
                    .createChannel();
                try {
                    stranger.open("stranger", (bytes) -> { });
                    await().atMost(TIMEOUT).until(() -> context.getBean(GaggleSocketIoServer.class).refusedSockets() > 0);
                    assertThat(stranger.state()).isNotEqualTo(ChannelState.CONNECTED);
                }
                finally {
                    stranger.close().join();
                }
            });
    }

    @Test
    void socketIoServerStartsBeforeTheNodeAndStopsAfterIt() {
        assertThat(GaggleSocketIoServerLifecycle.PHASE).isLessThan(GaggleLifecycle.PHASE);
        // Spring Boot's web server starts at Integer.MAX_VALUE - 2048: the node is up before it serves.
        assertThat(GaggleLifecycle.PHASE).isLessThan(Integer.MAX_VALUE - 2048);
    }

    @Test
    void jsonMapperBeanConvertsEntryData() {
        this.contextRunner.withUserConfiguration(SnakeCaseMapperConfiguration.class).run((context) -> {
            Gaggle node = context.getBean(Gaggle.class);
            node.append(new Person("Ann", "Lee")).get(10, TimeUnit.SECONDS);
            LogEntry entry = node.getLog().stream().filter((candidate) -> !candidate.isNoop()).findFirst().orElseThrow();
            assertThat(entry.data().has("first_name")).isTrue();
            assertThat(entry.data(Person.class)).isEqualTo(new Person("Ann", "Lee"));
        });
    }

    @Test
    void eventsArePublishedForTheNodesListeners() {
        this.contextRunner.withUserConfiguration(EventRecorderConfiguration.class).run((context) -> {
            Gaggle node = context.getBean(Gaggle.class);
            EventRecorder recorder = context.getBean(EventRecorder.class);
            node.append("mary").get(10, TimeUnit.SECONDS);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(recorder.events)
                .hasAtLeastOneElementOfType(GaggleCommittedEvent.class));
            List<GaggleEvent> events = recorder.events.stream()
                .filter((event) -> !(event instanceof GaggleRoleChangedEvent))
                .toList();
            assertThat(events).first().isInstanceOfSatisfying(GaggleLeaderElectedEvent.class, (event) -> {
                assertThat(event.getLeaderId()).isEqualTo(node.getId());
                assertThat(event.getTerm()).isPositive();
            });
            GaggleAppendedEvent appended = (GaggleAppendedEvent) events.get(1);
            GaggleCommittedEvent committed = (GaggleCommittedEvent) events.get(2);
            assertThat(appended.getEntry().data(String.class)).isEqualTo("mary");
            assertThat(committed.getEntry()).isEqualTo(appended.getEntry());
            assertThat(committed.getIndex()).isEqualTo(appended.getIndex());
            assertThat(committed.getNode()).isSameAs(node);
        });
    }

    @Test
    void roleChangesArePublished() {
        this.contextRunner.withUserConfiguration(EventRecorderConfiguration.class).run((context) -> {
            Gaggle node = context.getBean(Gaggle.class);
            EventRecorder recorder = context.getBean(EventRecorder.class);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(recorder.events)
                .filteredOn(GaggleRoleChangedEvent.class::isInstance)
                .map(GaggleRoleChangedEvent.class::cast)
                .anySatisfy((event) -> {
                    assertThat(event.getOldRole()).isEqualTo(Role.CANDIDATE);
                    assertThat(event.getNewRole()).isEqualTo(Role.LEADER);
                    assertThat(event.getTerm()).isEqualTo(node.getTerm());
                    assertThat(event.getNode()).isSameAs(node);
                }));
        });
    }

    @Test
    void eventsArePublishedWithLazyInitialization() {
        this.contextRunner.withUserConfiguration(EventRecorderConfiguration.class)
            .withInitializer((context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
            .run((context) -> {
                EventRecorder recorder = context.getBean(EventRecorder.class);
                context.getBean(Gaggle.class).append("lazy").get(10, TimeUnit.SECONDS);
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(recorder.events)
                    .hasAtLeastOneElementOfType(GaggleCommittedEvent.class));
            });
    }

    @Test
    void rpcMethodRunsOnTheLeaderWithConvertedArgumentsAndTheLeaderNode() {
        this.contextRunner.withUserConfiguration(RpcConfiguration.class).run((context) -> {
            Gaggle node = context.getBean(Gaggle.class);
            String greeting = node.dispatchOnLeader("greet", List.of("ann"), TIMEOUT, String.class).get();
            assertThat(greeting).isEqualTo("hello ann from " + node.getId());
        });
    }

    @Test
    void rpcNameComesFromTheAnnotation() {
        this.contextRunner.withUserConfiguration(RpcConfiguration.class).run((context) -> {
            Gaggle node = context.getBean(Gaggle.class);
            assertThat(node.dispatchOnLeader("sum", List.of(List.of(1, 2, 3)), TIMEOUT, Integer.class).get()).isEqualTo(6);
            assertThatExceptionOfType(Exception.class)
                .isThrownBy(() -> node.dispatchOnLeader("add", List.of(List.of(1)), TIMEOUT).get())
                .withCauseInstanceOf(GaggleRpcException.class);
        });
    }

    @Test
    void rpcExceptionReachesTheCallerWithItsMessage() {
        this.contextRunner.withUserConfiguration(RpcConfiguration.class).run((context) -> {
            Gaggle node = context.getBean(Gaggle.class);
            assertThatExceptionOfType(Exception.class)
                .isThrownBy(() -> node.dispatchOnLeader("refuse", List.of(), TIMEOUT).get())
                .havingCause()
                .isInstanceOf(GaggleRpcException.class)
                .withMessageContaining("not today");
        });
    }

    @Test
    void duplicateRpcNamesFailTheStartupNamingBothBeans() {
        this.contextRunner.withUserConfiguration(RpcConfiguration.class, DuplicateRpcConfiguration.class)
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidGaggleConfigurationException.class)
                .hasMessageContaining("'greet'")
                .hasMessageContaining("bean 'greeter'")
                .hasMessageContaining("bean 'otherGreeter'"));
    }

    @Test
    void builderCustomizerRegistersALambdaRpc() {
        this.contextRunner.withUserConfiguration(CustomizerConfiguration.class).run((context) -> {
            Gaggle node = context.getBean(Gaggle.class);
            assertThat(node.dispatchOnLeader("ping", List.of(), TIMEOUT, String.class).get()).isEqualTo("pong");
        });
    }

    record Person(String firstName, String lastName) {
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnNodeConfiguration {

        @Bean
        Gaggle ownNode() {
            return Gaggle.builder().id("own-node").clusterSize(1).channel(ChannelConfig.memory("own-hub")).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnChannelConfiguration {

        @Bean
        ChannelConfig ownChannel() {
            return ChannelConfig.memory("own-hub");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SnakeCaseMapperConfiguration {

        @Bean
        JsonMapper snakeCaseMapper() {
            return JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class EventRecorderConfiguration {

        @Bean
        EventRecorder eventRecorder() {
            return new EventRecorder();
        }
    }

    static class EventRecorder {

        final List<GaggleEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(GaggleEvent event) {
            this.events.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RpcConfiguration {

        @Bean
        Greeter greeter() {
            return new Greeter();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateRpcConfiguration {

        @Bean
        OtherGreeter otherGreeter() {
            return new OtherGreeter();
        }
    }

    static class OtherGreeter {

        @GaggleRpc("greet")
        String welcome(String name) {
            return "welcome " + name;
        }
    }

    static class Greeter {

        @GaggleRpc
        String greet(Gaggle leader, String name) {
            return "hello " + name + " from " + leader.getId();
        }

        @GaggleRpc("sum")
        int add(List<Integer> numbers) {
            return numbers.stream().mapToInt(Integer::intValue).sum();
        }

        @GaggleRpc
        void refuse() {
            throw new IllegalStateException("not today");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        @Bean
        GaggleBuilderCustomizer pingRpc() {
            return (builder) -> builder.rpc("ping", (leader, args) -> "pong");
        }
    }
}
