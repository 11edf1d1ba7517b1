package io.gaggle.spring.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.gaggle.Gaggle;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.awaitility.Awaitility.await;

/**
 * A one-node application with {@code spring.threads.virtual.enabled=true}, run by
 * {@link GaggleVirtualThreadsTests} in a JVM of Java 21 or later: it prints, as lines starting
 * {@value #REPORT}, the thread an RPC handler ran on, the thread a committed listener ran on, the
 * node's loop thread and whether Boot created its {@code applicationTaskExecutor}, then
 * {@value #REPORT}done, and exits. With the argument {@value #OWN_EXECUTOR}
 * it defines its own {@code gaggleRpcExecutor} of platform threads named {@code app-rpc}.
 */
public final class VirtualThreadsApplication {

    static final String REPORT = "REPORT ";
    static final String OWN_EXECUTOR = "own-executor";
    private static final String APPLICATION_TASK_EXECUTOR = TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private VirtualThreadsApplication() {
    }

    public static void main(String[] args) throws Exception {
        List<Class<?>> sources = args.length > 0 && args[0].equals(OWN_EXECUTOR)
                ? List.of(Node.class, OwnExecutor.class) : List.of(Node.class);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(sources.toArray(Class[]::new))
            .web(WebApplicationType.NONE)
            .properties("spring.threads.virtual.enabled=true", "gaggle.cluster-size=1", "gaggle.channel.name=memory",
                    "gaggle.channel.memory.name=" + UUID.randomUUID())
            .run()) {
            Gaggle node = context.getBean(Gaggle.class);
            await().atMost(TIMEOUT).until(node::isLeader);
            CompletableFuture<String> listener = new CompletableFuture<>();
            node.onCommitted((entry, index) -> listener.complete(describe(Thread.currentThread())));
            report("rpc " + node.dispatchOnLeader("thread", List.of(), TIMEOUT, String.class).get());
            node.append("heard").get();
            report("listener " + listener.get());
            Thread.getAllStackTraces()
                .keySet()
                .stream()
                .filter((thread) -> thread.getName().startsWith("gaggle-loop-"))
                .forEach((loop) -> report("loop " + describe(loop)));
            report("applicationTaskExecutor present=" + context.containsBean(APPLICATION_TASK_EXECUTOR));
            report("done");
        }
        System.exit(0);
    }

    private static void report(String line) {
        System.out.println(REPORT + line);
    }

    /** {@code virtual=true name=...}; {@code Thread.isVirtual()} is called reflectively, as this builds on Java 17. */
    static String describe(Thread thread) {
        try {
            Object virtual = Thread.class.getMethod("isVirtual").invoke(thread);
            return "virtual=" + virtual + " name=" + thread.getName();
        }
        catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException ex) {
            throw new IllegalStateException("not run on Java 21 or later", ex);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ GaggleAutoConfiguration.class, TaskExecutionAutoConfiguration.class })
    static class Node {

        @Bean
        GaggleBuilderCustomizer threadRpc() {
            return (builder) -> builder.rpc("thread", (leader, args) -> describe(Thread.currentThread()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnExecutor {

        @Bean(GaggleAutoConfiguration.RPC_EXECUTOR_BEAN_NAME)
        ExecutorService gaggleRpcExecutor() {
            return Executors.newSingleThreadExecutor((runnable) -> new Thread(runnable, "app-rpc"));
        }
    }
}
