package io.gaggle.spring.autoconfigure;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.X509TrustManager;

import io.gaggle.ChannelConfig;
import io.gaggle.channel.redis.RedisChannel;
import io.gaggle.spring.autoconfigure.InvalidGaggleConfigurationException.Problem;
import io.lettuce.core.RedisURI;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
     * The redis channel on Spring Boot's Redis connection details ({@code spring.data.redis.*} or a
     * service connection such as Testcontainers'), unless
     * {@code gaggle.channel.redis.connection-string} names a Redis of its own.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ RedisURI.class, DataRedisConnectionDetails.class })
    @ConditionalOnProperty(name = GagglePropertiesValidator.CHANNEL_NAME, havingValue = "redis")
    static class RedisFromConnectionDetails {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(DataRedisConnectionDetails.class)
        ChannelConfig gaggleChannelConfig(GaggleProperties properties, DataRedisConnectionDetails connectionDetails) {
            GaggleProperties.Redis redis = properties.getChannel().getRedis();
            if (StringUtils.hasText(redis.getConnectionString())) {
                return Redis.channelConfig(redis.getChannelName(), redis.getConnectionString());
            }
            return ChannelConfig.redis(redis.getChannelName(), connectionString(connectionDetails));
        }

        /**
         * Spring Boot's connection details as a Redis URI, the only connection setting the core
         * takes. Credentials are percent-encoded, which Lettuce decodes.
         */
        static String connectionString(DataRedisConnectionDetails details) {
            DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
            if (standalone == null || details.getSentinel() != null || details.getCluster() != null
                    || details.getMasterReplica() != null) {
                throw InvalidGaggleConfigurationException.of(List.of(new Problem(Redis.CONNECTION_STRING,
                        "is not set, and Spring Boot's Redis connection is a Sentinel, Cluster or master/replica "
                                + "setup, while the Gaggle redis channel takes a single Redis URI",
                        "Set " + Redis.CONNECTION_STRING + " for Gaggle, e.g. redis://host:6379 or, for Sentinel, "
                                + "redis-sentinel://host:26379/0#mymaster.")));
            }
            SslBundle ssl = details.getSslBundle();
            if (ssl != null && hasOwnStores(ssl.getStores())) {
                throw InvalidGaggleConfigurationException.of(List.of(new Problem(Redis.CONNECTION_STRING,
                        "is not set, and Spring Boot's Redis connection uses an SSL bundle with its own key or trust "
                                + "store, while the Gaggle redis channel can only use the JVM's default trust (it "
                                + "takes a rediss:// URI)",
                        "Set " + Redis.CONNECTION_STRING + " to a rediss:// URI and make the Redis certificate trusted "
                                + "by the JVM (javax.net.ssl.trustStore), or drop spring.data.redis.ssl.bundle.")));
            }
            StringBuilder uri = new StringBuilder((ssl != null) ? "rediss://" : "redis://");
            if (details.getPassword() != null) {
                // Lettuce reads a lone user name as the password, and a user without one cannot log in anyway.
                if (details.getUsername() != null) {
                    uri.append(encode(details.getUsername()));
                }
                uri.append(':').append(encode(details.getPassword())).append('@');
            }
            String host = standalone.getHost();
            uri.append(host.contains(":") ? "[" + host + "]" : host);
            return uri.append(':').append(standalone.getPort()).append('/').append(standalone.getDatabase()).toString();
        }

        private static boolean hasOwnStores(SslStoreBundle stores) {
            return stores != null && (stores.getTrustStore() != null || stores.getKeyStore() != null);
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    /**
     * The redis channel on {@code gaggle.channel.redis.connection-string}, else the core's default
     * (a Redis on 127.0.0.1:6379), when Spring Boot's Redis connection details are absent.
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

        /** The core parses the URI only when the node is built; this names the property instead. */
        static ChannelConfig channelConfig(String channelName, String connectionString) {
            try {
                RedisURI.create(connectionString);
            }
            catch (RuntimeException ex) {
                throw InvalidGaggleConfigurationException.of(List.of(new Problem(CONNECTION_STRING,
                        "is not a Redis URI (" + ex.getMessage() + ")",
                        "Set " + CONNECTION_STRING + " to a URI such as redis://user:password@127.0.0.1:6379/0 "
                                + "(rediss:// for TLS), or remove it to use the spring.data.redis.* properties.")));
            }
            return ChannelConfig.redis(channelName, connectionString);
        }
    }
}
