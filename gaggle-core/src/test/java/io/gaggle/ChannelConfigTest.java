package io.gaggle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.stream.Stream;

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
            assertThat(ChannelConfig.RedisOnClient.of("foo", client).createChannel().describe()).isEqualTo("redis foo@RedisClient");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void redisRejectsANullClient() {
        assertThatThrownBy(() -> ChannelConfig.RedisOnClient.of("foo", null))
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
            String artifact) throws Exception {
        URL gaggleClassesOnly = ChannelConfig.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {gaggleClassesOnly},
                ClassLoader.getPlatformClassLoader())) {
            // Listed by reflection, as Spring lists a bean's methods: ChannelConfig names no transport's type.
            Class<?> channelConfig = loader.loadClass(ChannelConfig.class.getName());
            Object config = channelConfig.getMethod(factory, parameters).invoke(null, arguments);

            assertThatThrownBy(() -> channelConfig.getMethod("createChannel").invoke(config))
                    .isInstanceOf(InvocationTargetException.class)
                    .cause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(artifact);
        }
    }

    static Stream<Arguments> transports() {
        return Stream.of(
                Arguments.of("redis", new Class<?>[] {String.class}, new Object[] {"foo"}, "io.lettuce:lettuce-core"),
                Arguments.of("socketIo", new Class<?>[] {String.class, String.class},
                        new Object[] {"http://localhost:9000", "foo"}, "io.socket:socket.io-client"));
    }
}
