package io.gaggle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.security.KeyStore;
import java.net.URLClassLoader;
import java.util.stream.Stream;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.gaggle.channel.Channel;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChannelConfigTest {

    @Test
    void redisDefaultsToALocalRedis() {
        assertThat(ChannelConfig.redis("foo").createChannel().describe()).isEqualTo("redis foo@127.0.0.1:6379");
    }

    @Test
    void redisDescriptionLeavesThePasswordOut() {
        String description = ChannelConfig.redis("foo", "redis://user:secret@redis.example:6380/2")
                .createChannel().describe();

        assertThat(description).isEqualTo("redis foo@redis.example:6380");
    }

    @Test
    void redisRejectsANullTrustManager() {
        assertThatThrownBy(() -> ChannelConfig.redis("foo", "rediss://127.0.0.1:6379").withTrustManager(null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redisOnASentinelDescribesTheSentinelsAndMasterWithoutThePassword() {
        String description = ChannelConfig.redis("foo", "redis-sentinel://:secret@127.0.0.1:26379,127.0.0.1:26380#orders")
                .createChannel().describe();

        assertThat(description).isEqualTo("redis foo@127.0.0.1:26379,127.0.0.1:26380#orders");
    }

    @Test
    void redisOnTheApplicationsClientDescribesTheClientWithoutItsUri() {
        RedisClient client = RedisClient.create("redis://user:secret@redis.example:6380");
        try {
            assertThat(ChannelConfig.redis("foo", client).createChannel().describe()).isEqualTo("redis foo@RedisClient");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void redisOnTheApplicationsClientRejectsATrustManagerAsTlsIsTheClients() throws Exception {
        RedisClient client = RedisClient.create();
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init((KeyStore) null);
        try {
            assertThatThrownBy(() -> ChannelConfig.redis("foo", client)
                    .withTrustManager((X509TrustManager) trust.getTrustManagers()[0]))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("sslOptions");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void redisRejectsANullClient() {
        assertThatThrownBy(() -> ChannelConfig.redis("foo", (RedisClient) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("client");
    }

    @Test
    void socketIoDescribesItsRelay() {
        assertThat(ChannelConfig.socketIo("http://localhost:9000", "foo").createChannel().describe())
                .isEqualTo("socket.io foo@http://localhost:9000");
    }

    @Test
    void blankNamesAreRejected() {
        assertThatThrownBy(() -> ChannelConfig.redis(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelConfig.socketIo("http://localhost:9000", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void socketIoRejectsABlankTokenAndANullTrustManager() {
        ChannelConfig.SocketIo config = ChannelConfig.socketIo("https://localhost:9000", "foo");

        assertThatThrownBy(() -> config.withToken(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withTrustManager(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void missingTransportNamesTheArtifactToAdd(String factory, Class<?>[] parameters, Object[] arguments,
            String artifact) throws Throwable {
        URL gaggleClassesOnly = ChannelConfig.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {gaggleClassesOnly},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> channelConfig = loader.loadClass(ChannelConfig.class.getName());
            // Looked up one by one: listing all of ChannelConfig's methods needs Lettuce, since
            // redis(String, AbstractRedisClient) names a Lettuce type, as a plain call does not.
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Object config = lookup.findStatic(channelConfig, factory,
                    MethodType.methodType(loader.loadClass(ChannelConfig.class.getName()
                            + "$" + configType(factory)), parameters)).invokeWithArguments(arguments);
            MethodHandle createChannel = lookup.findVirtual(channelConfig, "createChannel",
                    MethodType.methodType(loader.loadClass(Channel.class.getName())));

            assertThatThrownBy(() -> createChannel.invoke(config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(artifact);
        }
    }

    private static String configType(String factory) {
        return factory.equals("redis") ? "Redis" : "SocketIo";
    }

    static Stream<Arguments> transports() {
        return Stream.of(
                Arguments.of("redis", new Class<?>[] {String.class}, new Object[] {"foo"}, "io.lettuce:lettuce-core"),
                Arguments.of("socketIo", new Class<?>[] {String.class, String.class},
                        new Object[] {"http://localhost:9000", "foo"}, "io.socket:socket.io-client"));
    }
}
