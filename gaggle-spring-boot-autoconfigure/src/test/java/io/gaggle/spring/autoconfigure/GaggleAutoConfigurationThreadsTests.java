package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.gaggle.Gaggle;
import io.gaggle.GaggleRpcException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the threads {@link GaggleAutoConfiguration} gives the node: the application's
 * {@code gaggleRpcExecutor} and {@code gaggleListenerThreadFactory} beans, else the node's own.
 * Each context runs a one-node cluster on a memory hub of its own.
 */
class GaggleAutoConfigurationThreadsTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GaggleAutoConfiguration.class))
        .withUserConfiguration(ThreadNameRpcConfiguration.class)
        .withPropertyValues("gaggle.cluster-size=1", "gaggle.channel.name=memory",
                "gaggle.channel.memory.name=" + UUID.randomUUID());

    private static String handlerThread(Gaggle node) throws Exception {
        await().atMost(TIMEOUT).until(node::isLeader);
        return node.dispatchOnLeader("thread", List.of(), TIMEOUT, String.class).get();
    }

    private static String listenerThread(Gaggle node) {
        await().atMost(TIMEOUT).until(node::isLeader);
        CompletableFuture<String> thread = new CompletableFuture<>();
        node.onCommitted((entry, index) -> thread.complete(Thread.currentThread().getName()));
        node.append("heard").join();
        return thread.join();
    }

    @Test
    void rpcHandlersRunOnTheApplicationsGaggleRpcExecutorBean() {
        this.contextRunner.withUserConfiguration(RpcExecutorConfiguration.class)
            .run((context) -> assertThat(handlerThread(context.getBean(Gaggle.class))).startsWith("app-rpc"));
    }

    @Test
    void withoutAGaggleRpcExecutorBeanRpcHandlersRunOnTheNodesOwnPoolNotOnAnotherExecutor() {
        this.contextRunner.withUserConfiguration(OtherExecutorConfiguration.class)
            .run((context) -> assertThat(handlerThread(context.getBean(Gaggle.class))).startsWith("gaggle-rpc-"));
    }

    @Test
    void listenersRunOnAThreadOfTheApplicationsGaggleListenerThreadFactoryBean() {
        this.contextRunner.withUserConfiguration(ListenerThreadFactoryConfiguration.class)
            .run((context) -> assertThat(listenerThread(context.getBean(Gaggle.class))).isEqualTo("app-listener"));
    }

    @Test
    void withoutAGaggleListenerThreadFactoryBeanListenersRunOnTheNodesOwnThread() {
        this.contextRunner
            .run((context) -> assertThat(listenerThread(context.getBean(Gaggle.class))).startsWith("gaggle-delivery-"));
    }

    @Test
    void gaggleDefinesNoThreadBeansSoBootStillCreatesItsApplicationTaskExecutor() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
            .withPropertyValues("spring.threads.virtual.enabled=true")
            .run((context) -> {
                assertThat(context.getBeanNamesForType(Executor.class))
                    .containsExactly(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME);
                assertThat(context).doesNotHaveBean(GaggleAutoConfiguration.LISTENER_THREAD_FACTORY_BEAN_NAME);
            });
    }

    @Test
    void aGaggleRpcExecutorBeanThatDiscardsCallsStopsTheStartup() {
        this.contextRunner.withUserConfiguration(DiscardingRpcExecutorConfiguration.class)
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidGaggleConfigurationException.class)
                .hasMessageContaining("Property: the gaggleRpcExecutor bean")
                .hasMessageContaining("discards calls it cannot take (DiscardPolicy)"));
    }

    @Test
    void aGaggleListenerThreadFactoryBeanThatReturnsNoThreadStopsTheStartup() {
        this.contextRunner.withUserConfiguration(NullListenerThreadFactoryConfiguration.class)
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidGaggleConfigurationException.class)
                .hasMessageContaining("Property: the gaggleListenerThreadFactory bean")
                .hasMessageContaining("returned no thread (null), so listeners would never run"));
    }

    @Test
    void theApplicationsGaggleRpcExecutorIsNotShutDownWithTheNode() {
        ExecutorService[] executor = new ExecutorService[1];
        this.contextRunner.withUserConfiguration(RpcExecutorConfiguration.class).run((context) -> {
            executor[0] = context.getBean(GaggleAutoConfiguration.RPC_EXECUTOR_BEAN_NAME, ExecutorService.class);
            handlerThread(context.getBean(Gaggle.class));
            context.getBean(Gaggle.class).close().join();
            assertThat(executor[0].isShutdown()).isFalse();
        });
        assertThat(executor[0].isShutdown()).as("shut down by its own bean's destroy method").isTrue();
    }

    @Test
    void maxPendingRpcsBoundsTheCallsOnTheLeader() {
        this.contextRunner.withUserConfiguration(BlockingRpcConfiguration.class)
            .withPropertyValues("gaggle.max-pending-rpcs=1")
            .run((context) -> {
                assertThat(context.getBean(GaggleProperties.class).getMaxPendingRpcs()).isEqualTo(1);
                Gaggle node = context.getBean(Gaggle.class);
                BlockingRpcConfiguration blocking = context.getBean(BlockingRpcConfiguration.class);
                await().atMost(TIMEOUT).until(node::isLeader);
                CompletableFuture<Boolean> first = node.dispatchOnLeader("block", List.of(), TIMEOUT, Boolean.class);
                assertThat(blocking.running.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

                assertThat(node.dispatchOnLeader("block", List.of(), TIMEOUT)).failsWithin(TIMEOUT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(GaggleRpcException.class)
                    .withMessage("the leader is busy: 1 RPCs running or waiting; retry later");
                blocking.release.countDown();
                assertThat(first).succeedsWithin(TIMEOUT).isEqualTo(true);
            });
    }

    /** Daemon threads all named {@code name}. */
    private static ThreadFactory named(String name) {
        return (runnable) -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Configuration(proxyBeanMethods = false)
    static class ThreadNameRpcConfiguration {

        @Bean
        GaggleBuilderCustomizer threadNameRpc() {
            return (builder) -> builder.rpc("thread", (leader, args) -> Thread.currentThread().getName());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RpcExecutorConfiguration {

        @Bean(GaggleAutoConfiguration.RPC_EXECUTOR_BEAN_NAME)
        ExecutorService gaggleRpcExecutor() {
            return Executors.newSingleThreadExecutor(named("app-rpc"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NullListenerThreadFactoryConfiguration {

        @Bean(GaggleAutoConfiguration.LISTENER_THREAD_FACTORY_BEAN_NAME)
        ThreadFactory gaggleListenerThreadFactory() {
            return (runnable) -> null;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DiscardingRpcExecutorConfiguration {

        @Bean(GaggleAutoConfiguration.RPC_EXECUTOR_BEAN_NAME)
        ThreadPoolExecutor gaggleRpcExecutor() {
            return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>(), named("app-rpc"),
                    new ThreadPoolExecutor.DiscardPolicy());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OtherExecutorConfiguration {

        @Bean
        ExecutorService applicationTaskExecutor() {
            return Executors.newSingleThreadExecutor(named("app-other"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ListenerThreadFactoryConfiguration {

        @Bean(GaggleAutoConfiguration.LISTENER_THREAD_FACTORY_BEAN_NAME)
        ThreadFactory gaggleListenerThreadFactory() {
            return named("app-listener");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BlockingRpcConfiguration {

        final CountDownLatch running = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @Bean
        GaggleBuilderCustomizer blockingRpc() {
            return (builder) -> builder.rpc("block", (leader, args) -> {
                this.running.countDown();
                return this.release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            });
        }
    }
}
