package io.gaggle.spring.autoconfigure;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.channel.socketio.GaggleSocketIoServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of a Gaggle node: one {@link Gaggle} bean
 * configured by {@link GaggleProperties gaggle.*}, started and closed with the application
 * context, with its {@link io.gaggle.spring.GaggleRpc @GaggleRpc} handlers and
 * {@link io.gaggle.spring.GaggleEvent application events}. It runs after Spring Boot's Redis and
 * Jackson auto-configurations, so that the redis channel can use Boot's Redis connection details
 * and entry data Boot's {@link JsonMapper}. An application's own {@code Gaggle} or
 * {@link ChannelConfig} bean replaces the auto-configured one.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@ConditionalOnClass(Gaggle.class)
@EnableConfigurationProperties(GaggleProperties.class)
@Import({ GaggleChannelConfigurations.Memory.class, GaggleChannelConfigurations.RedisFromConnectionDetails.class,
        GaggleChannelConfigurations.Redis.class, GaggleChannelConfigurations.SocketIo.class })
public final class GaggleAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GaggleRpcMethodProcessor gaggleRpcMethodProcessor(ConfigurableListableBeanFactory beanFactory,
            ObjectProvider<JsonMapper> jsonMapper) {
        return new GaggleRpcMethodProcessor(beanFactory, jsonMapper.getIfUnique(JsonMapper::shared));
    }

    @Bean
    @ConditionalOnSingleCandidate(Gaggle.class)
    @ConditionalOnMissingBean
    GaggleEventPublisher gaggleEventPublisher(Gaggle gaggle, ApplicationEventPublisher publisher) {
        return new GaggleEventPublisher(gaggle, publisher);
    }

    /**
     * Nothing injects the event publisher, so with {@code spring.main.lazy-initialization=true} it
     * would never be created and no event published.
     */
    @Bean
    static LazyInitializationExcludeFilter gaggleEventPublisherLazyInitializationExcludeFilter() {
        return LazyInitializationExcludeFilter.forBeanTypes(GaggleEventPublisher.class);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(Gaggle.class)
    static class NodeConfiguration {

        @Bean
        Gaggle gaggle(GaggleProperties properties, ConfigurableListableBeanFactory beanFactory,
                ObjectProvider<ChannelConfig> channelConfig, ObjectProvider<JsonMapper> jsonMapper,
                ObjectProvider<GaggleBuilderCustomizer> customizers) {
            // With an application's own ChannelConfig the channel properties are optional, but checked if set.
            boolean channelProperties = properties.getChannel().getName() != null
                    || beanFactory.getBeanNamesForType(ChannelConfig.class, true, false).length == 0;
            GagglePropertiesValidator.validate(properties, beanFactory.getBeanClassLoader(), channelProperties);
            ChannelConfig channel = channelConfig.getIfAvailable();
            if (channel == null) {
                throw new InvalidGaggleConfigurationException(
                        "No Gaggle channel is configured for gaggle.channel.name=" + properties.getChannel().getName()
                                + ".",
                        "Set gaggle.channel.name to redis, socket.io or memory, or define a ChannelConfig bean.");
            }
            Gaggle.Builder builder = Gaggle.builder()
                .id(properties.getId())
                .clusterSize(properties.getClusterSize())
                .channel(channel)
                .electionTimeout(properties.getElectionTimeout().getMin(), properties.getElectionTimeout().getMax())
                .heartbeatInterval(properties.getHeartbeatInterval())
                .accelerateHeartbeats(properties.isAccelerateHeartbeats())
                .preVote(properties.isPreVote())
                .maxPendingAppends(properties.getMaxPendingAppends());
            JsonMapper mapper = jsonMapper.getIfUnique();
            if (mapper != null) {
                builder.jsonMapper(mapper);
            }
            try {
                customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
                return builder.build();
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidGaggleConfigurationException("Gaggle rejected its settings: " + ex.getMessage(),
                        "Review the gaggle.* properties and the application's GaggleBuilderCustomizer beans.");
            }
        }

        @Bean
        @ConditionalOnMissingBean
        GaggleLifecycle gaggleLifecycle(Gaggle gaggle) {
            return new GaggleLifecycle(gaggle);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "com.corundumstudio.socketio.SocketIOServer")
    @ConditionalOnBooleanProperty("gaggle.socket-io-server.enabled")
    static class SocketIoServerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GaggleSocketIoServer gaggleSocketIoServer(GaggleProperties properties) {
            return new GaggleSocketIoServer(properties.getSocketIoServer().getPort());
        }

        @Bean
        @ConditionalOnMissingBean
        GaggleSocketIoServerLifecycle gaggleSocketIoServerLifecycle(GaggleSocketIoServer server) {
            return new GaggleSocketIoServerLifecycle(server);
        }
    }
}
