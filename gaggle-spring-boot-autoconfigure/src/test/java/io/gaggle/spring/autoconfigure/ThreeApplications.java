package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.gaggle.Gaggle;
import io.gaggle.spring.GaggleCommittedEvent;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Spring Boot applications, each with an auto-configured node, forming one Gaggle cluster on
 * the redis channel under a channel name of their own. Each records the entries it sees committed.
 */
final class ThreeApplications implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    private final List<ConfigurableApplicationContext> contexts;

    private ThreeApplications(List<ConfigurableApplicationContext> contexts) {
        this.contexts = contexts;
    }

    /**
     * Starts the three applications one after another; should one fail to start, closes those
     * already started.
     *
     * @param properties what every application has besides its id and Gaggle's redis channel,
     *        e.g. {@code spring.data.redis.*}
     */
    static ThreeApplications start(String... properties) {
        String channelName = "spring-redis-" + UUID.randomUUID();
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                contexts.add(new SpringApplicationBuilder(NodeApplication.class).web(WebApplicationType.NONE)
                    .properties("spring.main.banner-mode=off", "gaggle.id=node-" + i, "gaggle.cluster-size=3",
                            "gaggle.channel.name=redis", "gaggle.channel.redis.channel-name=" + channelName)
                    .properties(properties)
                    .run());
            }
        }
        catch (RuntimeException ex) {
            contexts.forEach(ConfigurableApplicationContext::close);
            throw ex;
        }
        return new ThreeApplications(contexts);
    }

    List<Gaggle> nodes() {
        return this.contexts.stream().map(GaggleContexts::node).toList();
    }

    Gaggle awaitLeader() {
        return GaggleContexts.awaitLeader(this.contexts, TIMEOUT);
    }

    /**
     * Appends through the node at {@code index}, which hands it to the leader, and waits for the
     * acknowledgement.
     */
    void append(int index, String data) throws Exception {
        nodes().get(index).append(data).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Appends through the node at {@code index} until an append is acknowledged, as a client does
     * while Redis fails over, and returns the data; a failed attempt may be committed too.
     */
    String appendUntilAcknowledged(int index, String data) {
        Gaggle node = nodes().get(index);
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> {
            node.append(data, ATTEMPT_TIMEOUT).get(ATTEMPT_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
            return true;
        });
        return data;
    }

    /**
     * Waits until every application has seen the same entries committed in the same order, among
     * them every one of {@code acknowledged} in its order. An append that failed may be among them
     * too: its leader may have replicated it before it lost touch.
     */
    void awaitCommittedEverywhere(List<String> acknowledged) {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<String> first = committed(this.contexts.get(0));
            assertThat(first).containsSubsequence(acknowledged);
            assertThat(this.contexts).allSatisfy((context) -> assertThat(committed(context)).isEqualTo(first));
        });
    }

    private static List<String> committed(ConfigurableApplicationContext context) {
        return List.copyOf(context.getBean(CommittedEntries.class).data);
    }

    @Override
    public void close() {
        this.contexts.forEach(ConfigurableApplicationContext::close);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class NodeApplication {

        @Bean
        CommittedEntries committedEntries() {
            return new CommittedEntries();
        }
    }

    static class CommittedEntries {

        final List<String> data = new CopyOnWriteArrayList<>();

        @EventListener
        void on(GaggleCommittedEvent event) {
            this.data.add(event.getEntry().data(String.class));
        }
    }
}
