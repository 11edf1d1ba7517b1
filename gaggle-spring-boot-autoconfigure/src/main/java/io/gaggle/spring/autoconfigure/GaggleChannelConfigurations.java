package io.gaggle.spring.autoconfigure;

import java.util.Arrays;
import java.util.List;

import javax.net.ssl.X509TrustManager;

import io.gaggle.ChannelConfig;
import io.gaggle.channel.Channel;
import io.gaggle.channel.redis.RedisChannel;
import io.gaggle.spring.autoconfigure.InvalidGaggleConfigurationException.Problem;
import io.lettuce.core.RedisURI;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * The {@link ChannelConfig} for {@code gaggle.channel.name}, one configuration per channel, each
 * backing off for an application's own {@code ChannelConfig} bean. {@link GaggleAutoConfiguration}
 * imports them in order (the redis ones most specific first) and validates the channel
 * properties before any of these beans is created.
 */
abstract class GaggleChannelConfigurations {

    private GaggleChannelConfigurations() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = GagglePropertiesValidator.CHANNEL_NAME, havingValue = "memory")
    static class Memory {

        @Bean
        @ConditionalOnMissingBean
        ChannelConfig gaggleChannelConfig(GaggleProperties properties) {
            return ChannelConfig.memory(properties.getChannel().getMemory().getName());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = GagglePropertiesValidator.SOCKET_IO_CLIENT_CLASS)
    @ConditionalOnProperty(name = GagglePropertiesValidator.CHANNEL_NAME, havingValue = "socket.io")
    static class SocketIo {

        @Bean
        @ConditionalOnMissingBean
        ChannelConfig gaggleChannelConfig(GaggleProperties properties, ObjectProvider<SslBundles> sslBundles) {
            GaggleProperties.SocketIo socketIo = properties.getChannel().getSocketIo();
            ChannelConfig.SocketIo config = ChannelConfig.socketIo(socketIo.getHost(), socketIo.getChannel());
            String token = GaggleAutoConfiguration.relayToken(socketIo.getToken(), properties);
            if (token != null) {
                config = config.withToken(token);
            }
            String bundle = socketIo.getSsl().getBundle();
            if (StringUtils.hasText(bundle)) {
                config = config.withTrustManager(trustManager(GagglePropertiesValidator.sslBundle(
                        GagglePropertiesValidator.SOCKET_IO_SSL_BUNDLE, bundle, sslBundles.getIfAvailable())));
            }
            return config;
        }

        private static X509TrustManager trustManager(SslBundle bundle) {
            return Arrays.stream(bundle.getManagers().getTrustManagers())
                .filter(X509TrustManager.class::isInstance)
                .map(X509TrustManager.class::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("SSL bundle has no X.509 trust manager: " + bundle));
        }
    }

    /**
     * The redis channel on Spring Boot's Lettuce client, the native client of its
     * {@link LettuceConnectionFactory}, so that whatever {@code spring.data.redis.*} configures
     * (standalone, Sentinel or Cluster, SSL bundle, timeouts, client resources and their
     * customizers, observations) applies to Gaggle too; unless
     * {@code gaggle.channel.redis.connection-string} names a Redis of its own.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ RedisURI.class, LettuceConnectionFactory.class, DataRedisConnectionDetails.class })
    @ConditionalOnProperty(name = GagglePropertiesValidator.CHANNEL_NAME, havingValue = "redis")
    static class RedisOnLettuceConnectionFactory {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnSingleCandidate(LettuceConnectionFactory.class)
        ChannelConfig gaggleChannelConfig(GaggleProperties properties, LettuceConnectionFactory connectionFactory,
                ObjectProvider<DataRedisConnectionDetails> connectionDetails) {
            GaggleProperties.Redis redis = properties.getChannel().getRedis();
            DataRedisConnectionDetails details = connectionDetails.getIfAvailable();
            // Lettuce's static master/replica client has no URI of its own to connect pub/sub to.
            if (StringUtils.hasText(redis.getConnectionString())
                    || (details != null && details.getMasterReplica() != null)) {
                return Redis.onItsOwnConnectionString(redis, "Spring Boot's Redis is a static master/replica setup "
                        + "(spring.data.redis.masterreplica.nodes), whose client cannot tell the redis channel which "
                        + "server is the master",
                        "the master, e.g. redis://host:6379, or let Sentinel name it (spring.data.redis.sentinel.*).");
            }
            return new LettuceConnectionFactoryChannelConfig(redis.getChannelName(), connectionFactory);
        }
    }

    /**
     * Creates the redis channel on the factory's client when the node is built. The factory makes
     * its client only when it starts, which with {@code earlyStartup} (the default) is as soon as
     * the bean is ready and otherwise in a lifecycle phase after the node bean has been built, so
     * it is started here first; starting a started factory does nothing. The factory, not the
     * channel, shuts the client down.
     */
    record LettuceConnectionFactoryChannelConfig(String channelName, LettuceConnectionFactory connectionFactory)
            implements ChannelConfig {

        @Override
        public Channel createChannel() {
            this.connectionFactory.start();
            return ChannelConfig.RedisOnClient.of(this.channelName, this.connectionFactory.getRequiredNativeClient())
                .createChannel();
        }
    }

    /**
     * The application has {@link LettuceConnectionFactory} beans, but not one single candidate
     * (several, none {@code @Primary}): which Redis the redis channel should share is not for it to
     * guess, and falling back to the core's default Redis would quietly ignore them, so it takes
     * {@code gaggle.channel.redis.connection-string} or refuses to start.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ RedisURI.class, LettuceConnectionFactory.class })
    @ConditionalOnProperty(name = GagglePropertiesValidator.CHANNEL_NAME, havingValue = "redis")
    static class RedisBesideSeveralLettuceConnectionFactories {

        @Bean
        @ConditionalOnMissingBean(ChannelConfig.class)
        @ConditionalOnBean(LettuceConnectionFactory.class)
        ChannelConfig gaggleChannelConfig(GaggleProperties properties) {
            return Redis.onItsOwnConnectionString(properties.getChannel().getRedis(),
                    "the application has several LettuceConnectionFactory beans, none of them @Primary, so the "
                            + "redis channel cannot tell which Redis to share",
                    "the Redis for Gaggle, e.g. redis://host:6379, or mark the LettuceConnectionFactory for Gaggle "
                            + "@Primary.");
        }
    }

    /**
     * Spring Boot's Redis is configured, but on another client than Lettuce (Jedis): the redis
     * channel cannot share it, and falling back to the core's default Redis would quietly ignore
     * {@code spring.data.redis.*}, so it takes {@code gaggle.channel.redis.connection-string} or
     * refuses to start.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ RedisURI.class, LettuceConnectionFactory.class, DataRedisConnectionDetails.class })
    @ConditionalOnProperty(name = GagglePropertiesValidator.CHANNEL_NAME, havingValue = "redis")
    static class RedisBesideAnotherRedisClient {

        @Bean
        @ConditionalOnMissingBean({ ChannelConfig.class, LettuceConnectionFactory.class })
        @ConditionalOnBean(DataRedisConnectionDetails.class)
        ChannelConfig gaggleChannelConfig(GaggleProperties properties) {
            return Redis.onItsOwnConnectionString(properties.getChannel().getRedis(),
                    "Spring Boot's Redis (spring.data.redis.*) runs on another client than Lettuce, which the redis "
                            + "channel cannot share",
                    "the Redis for Gaggle, e.g. redis://host:6379, or use Lettuce for Spring Data Redis.");
        }
    }

    /**
     * The redis channel on {@code gaggle.channel.redis.connection-string}, else the core's default
     * (a Redis on 127.0.0.1:6379), when the application has no {@link LettuceConnectionFactory}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisURI.class)
    @ConditionalOnProperty(name = GagglePropertiesValidator.CHANNEL_NAME, havingValue = "redis")
    static class Redis {

        static final String CONNECTION_STRING = "gaggle.channel.redis.connection-string";

        @Bean
        @ConditionalOnMissingBean
        ChannelConfig gaggleChannelConfig(GaggleProperties properties) {
            GaggleProperties.Redis redis = properties.getChannel().getRedis();
            return channelConfig(redis.getChannelName(), StringUtils.hasText(redis.getConnectionString())
                    ? redis.getConnectionString() : RedisChannel.DEFAULT_CONNECTION_STRING);
        }

        /**
         * The redis channel on {@code gaggle.channel.redis.connection-string}, where Spring Boot's
         * Redis cannot be shared; without it, the startup fails saying why ({@code reason}) and what
         * to set it to ({@code to}).
         */
        static ChannelConfig onItsOwnConnectionString(GaggleProperties.Redis redis, String reason, String to) {
            if (!StringUtils.hasText(redis.getConnectionString())) {
                throw InvalidGaggleConfigurationException.of(List.of(new Problem(CONNECTION_STRING,
                        "is not set, and " + reason, "Set " + CONNECTION_STRING + " to " + to)));
            }
            return channelConfig(redis.getChannelName(), redis.getConnectionString());
        }

        /** The core parses the URI only when the node is built; this names the property instead. */
        static ChannelConfig channelConfig(String channelName, String connectionString) {
            try {
                RedisURI.create(connectionString);
            }
            catch (RuntimeException ex) {
                throw InvalidGaggleConfigurationException.of(List.of(new Problem(CONNECTION_STRING,
                        "is not a Redis URI (" + ex.getMessage() + ")",
                        "Set " + CONNECTION_STRING + " to a URI such as redis://user:password@127.0.0.1:6379/0 "
                                + "(rediss:// for TLS), or remove it to use Spring Boot's Redis client "
                                + "(spring.data.redis.*).")));
            }
            return ChannelConfig.redis(channelName, connectionString);
        }
    }
}
