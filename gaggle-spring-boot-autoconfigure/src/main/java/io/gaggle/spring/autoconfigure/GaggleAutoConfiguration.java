package io.gaggle.spring.autoconfigure;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;
import io.gaggle.Snapshotter;
import io.gaggle.channel.socketio.GaggleSocketIoServer;
import io.gaggle.channel.socketio.RelayToken;
import io.gaggle.spring.autoconfigure.InvalidGaggleConfigurationException.Problem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.util.StringUtils;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of a Gaggle node: one {@link Gaggle} bean
 * configured by {@link GaggleProperties gaggle.*}, started and closed with the application
 * context, with its {@link io.gaggle.spring.GaggleRpc @GaggleRpc} handlers and
 * {@link io.gaggle.spring.GaggleEvent application events}, taking snapshots with the application's
 * {@link Snapshotter} bean, if it has exactly one, as {@code gaggle.snapshot.*} says. It runs
 * after Spring Boot's Redis and Jackson auto-configurations, so that the redis channel can use
 * Boot's Lettuce client and entry data Boot's {@link JsonMapper}. An application's own {@code Gaggle} or
 * {@link ChannelConfig} bean replaces the auto-configured one.
 * <p>
 * Threads: the node runs RPC handlers on an {@link Executor} bean named
 * {@value #RPC_EXECUTOR_BEAN_NAME}, if there is one, else on a pool of its own; and its listeners
 * on a thread made by a {@link ThreadFactory} bean named {@value #LISTENER_THREAD_FACTORY_BEAN_NAME},
 * if there is one, else on a thread of its own. With {@code spring.threads.virtual.enabled=true}
 * (Java 21 or later) the node runs both on virtual threads instead, unless the application defines
 * those beans. Its virtual threads are no beans, so that Spring Boot still creates its
 * {@code applicationTaskExecutor}, which it skips when any {@link Executor} bean exists. The
 * consensus loop always runs on a platform thread of the node's own.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration" })
@ConditionalOnClass(Gaggle.class)
@EnableConfigurationProperties(GaggleProperties.class)
@Import({ GaggleChannelConfigurations.Memory.class, GaggleChannelConfigurations.RedisOnLettuceConnectionFactory.class,
        GaggleChannelConfigurations.RedisBesideSeveralLettuceConnectionFactories.class,
        GaggleChannelConfigurations.RedisBesideAnotherRedisClient.class, GaggleChannelConfigurations.Redis.class, GaggleChannelConfigurations.SocketIo.class })
public final class GaggleAutoConfiguration {

    /** The name of the {@link Executor} bean the node runs RPC handlers on. */
    public static final String RPC_EXECUTOR_BEAN_NAME = "gaggleRpcExecutor";

    /** The name of the {@link ThreadFactory} bean that makes the thread the node runs listeners on. */
    public static final String LISTENER_THREAD_FACTORY_BEAN_NAME = "gaggleListenerThreadFactory";

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

        private static final Log logger = LogFactory.getLog(GaggleAutoConfiguration.class);

        @Bean
        Gaggle gaggle(GaggleProperties properties, ConfigurableListableBeanFactory beanFactory,
                ObjectProvider<ChannelConfig> channelConfig, ObjectProvider<JsonMapper> jsonMapper,
                ObjectProvider<GaggleBuilderCustomizer> customizers, ObjectProvider<SslBundles> sslBundles,
                ObjectProvider<Snapshotter> snapshotter,
                @Qualifier(RPC_EXECUTOR_BEAN_NAME) ObjectProvider<Executor> rpcExecutor,
                @Qualifier(LISTENER_THREAD_FACTORY_BEAN_NAME) ObjectProvider<ThreadFactory> listenerThreadFactory,
                Environment environment) {
            List<Problem> problems = GagglePropertiesValidator.validate(properties, beanFactory.getBeanClassLoader(),
                    sslBundles.getIfAvailable());
            Gaggle.Builder builder = Gaggle.builder()
                .id(properties.getId())
                .electionTimeout(properties.getElectionTimeout().getMin(), properties.getElectionTimeout().getMax())
                .heartbeatInterval(properties.getHeartbeatInterval())
                .accelerateHeartbeats(properties.isAccelerateHeartbeats())
                .preVote(properties.isPreVote())
                .maxPendingAppends(properties.getMaxPendingAppends())
                .maxPendingRpcs(properties.getMaxPendingRpcs())
                .secret(properties.getSecurity().getSecret())
                .previousSecret(properties.getSecurity().getPreviousSecret())
                .members(properties.getMembers())
                .storage(properties.getStorage().getDirectory());
            if (properties.getClusterSize() != null) {
                builder.clusterSize(properties.getClusterSize());
            }
            if (problems.isEmpty()) {
                // Invalid channel properties would fail the channel bean on its own, outside the report.
                builder.channel(channelConfig.getIfAvailable());
            }
            snapshotter.ifUnique(builder::snapshotter);
            // With virtual threads, handlers blocking on I/O cost no platform thread each; null keeps the node's own.
            boolean virtual = Threading.VIRTUAL.isActive(environment);
            builder.rpcExecutor(rpcExecutor.getIfAvailable(() -> virtual
                        ? new VirtualThreadTaskExecutor("gaggle-rpc-") : null))
                .listenerThreadFactory(listenerThreadFactory.getIfAvailable(() -> virtual
                        ? new VirtualThreadTaskExecutor("gaggle-delivery-").getVirtualThreadFactory() : null));
            GaggleProperties.Snapshot snapshot = properties.getSnapshot();
            if (snapshot.getThreshold() != null) {
                builder.snapshotThreshold(snapshot.getThreshold());
            }
            if (snapshot.getTrailingEntries() != null) {
                builder.snapshotTrailingEntries(snapshot.getTrailingEntries());
            }
            JsonMapper mapper = jsonMapper.getIfUnique();
            if (mapper != null) {
                builder.jsonMapper(mapper);
            }
            try {
                customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidGaggleConfigurationException("Gaggle rejected a customization: " + ex.getMessage(),
                        "Review the application's GaggleBuilderCustomizer beans.");
            }
            Gaggle node = GagglePropertiesValidator.build(builder, problems);
            warnIfInMemory(node);
            return node;
        }

        /**
         * Says once, at startup, what an in-memory node risks: Raft's safety assumes the term, vote
         * and log survive a restart (Raft paper, Figure 2), and a node in memory forgets them.
         */
        private static void warnIfInMemory(Gaggle node) {
            if (GaggleStatus.MEMORY_STORAGE.equals(node.getStatus().storage())) {
                logger.warn("Gaggle node " + node.getId() + " keeps its term, vote and log in memory, so a restart "
                        + "can lose committed entries; set gaggle.storage.directory to a directory of this node's "
                        + "own to keep them on disk");
            }
        }

        @Bean
        @ConditionalOnMissingBean
        GaggleLifecycle gaggleLifecycle(Gaggle gaggle) {
            return new GaggleLifecycle(gaggle);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = GagglePropertiesValidator.SOCKET_IO_SERVER_CLASS)
    @ConditionalOnBooleanProperty("gaggle.socket-io-server.enabled")
    static class SocketIoServerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GaggleSocketIoServer gaggleSocketIoServer(GaggleProperties properties, ObjectProvider<SslBundles> sslBundles) {
            GaggleProperties.SocketIoServer relay = properties.getSocketIoServer();
            List<Problem> problems = GagglePropertiesValidator.validateSocketIoServer(relay,
                    sslBundles.getIfAvailable());
            if (!problems.isEmpty()) {
                throw InvalidGaggleConfigurationException.of(problems);
            }
            InetAddress address = relay.getAddress();
            GaggleSocketIoServer server = new GaggleSocketIoServer((address != null) ? address.getHostAddress() : null,
                    relay.getPort());
            String token = relayToken(relay.getToken(), properties);
            if (token != null) {
                server.token(token);
            }
            String bundle = relay.getSsl().getBundle();
            if (StringUtils.hasText(bundle)) {
                server.ssl(sslBundles.getObject().getBundle(bundle).createSslContext());
            }
            return server;
        }

        @Bean
        @ConditionalOnMissingBean
        GaggleSocketIoServerLifecycle gaggleSocketIoServerLifecycle(GaggleSocketIoServer server) {
            return new GaggleSocketIoServerLifecycle(server);
        }
    }

    /**
     * The Socket.IO relay's token: the one set, else one derived from the cluster secret, so that
     * setting gaggle.security.secret alone locks the relay too; null if neither is set.
     */
    static String relayToken(String token, GaggleProperties properties) {
        if (StringUtils.hasText(token)) {
            return token;
        }
        String secret = properties.getSecurity().getSecret();
        return StringUtils.hasText(secret) ? RelayToken.fromSecret(secret) : null;
    }

}
