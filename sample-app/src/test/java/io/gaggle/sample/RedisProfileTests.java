package io.gaggle.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import io.gaggle.Gaggle;
import io.gaggle.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drives the sample's {@code redis} profile on a real Redis: a one-node cluster, so that one
 * process can be stopped and started again, keeping its state in the directory named after its id.
 */
class RedisProfileTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path storage;

    private final String channel = "sample-test-" + UUID.randomUUID();

    @Test
    void nodeKeepsItsStateInADirectoryNamedAfterItsId() {
        try (ConfigurableApplicationContext node = start()) {
            assertThat(node.getBean(Gaggle.class).getStatus().storage())
                .isEqualTo(this.storage.resolve("node-1").toAbsolutePath().toString());
        }
    }

    @Test
    void nodeStartedAgainWithItsIdStillHasTheValuesPutBefore() {
        try (ConfigurableApplicationContext node = start()) {
            client(node).put().uri("/kv/{key}", "mary").contentType(MediaType.TEXT_PLAIN).body("lamb")
                .retrieve().toBodilessEntity();
        }
        try (ConfigurableApplicationContext node = start()) {
            assertThat(client(node).get().uri("/kv/{key}", "mary").retrieve().body(String.class)).isEqualTo("lamb");
        }
    }

    private ConfigurableApplicationContext start() {
        ConfigurableApplicationContext node = new SpringApplicationBuilder(SampleApplication.class).profiles("redis")
            .run("--server.port=0", "--gaggle.id=node-1", "--gaggle.cluster-size=1",
                    "--gaggle.channel.redis.channel-name=" + this.channel, "--spring.data.redis.url=" + TestRedis.url(),
                    "--GAGGLE_STORAGE=" + this.storage);
        await().atMost(TIMEOUT).until(node.getBean(Gaggle.class)::isLeader);
        return node;
    }

    private static RestClient client(ConfigurableApplicationContext node) {
        return RestClient.create("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port"));
    }
}
