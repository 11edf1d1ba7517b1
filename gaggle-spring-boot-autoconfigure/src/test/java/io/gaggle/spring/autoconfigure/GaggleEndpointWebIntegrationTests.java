package io.gaggle.spring.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.gaggle.Gaggle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static io.gaggle.spring.autoconfigure.GaggleContexts.awaitLeader;
import static io.gaggle.spring.autoconfigure.GaggleContexts.contextOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/gaggle} over HTTP: three Spring Boot applications with web servers form a
 * cluster over the memory channel, with the endpoint's write access granted; a fourth, alone in
 * its own cluster, keeps the default read-only access.
 */
class GaggleEndpointWebIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final HttpClient http = HttpClient.newHttpClient();

    private static final List<ConfigurableApplicationContext> cluster = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        String hub = "endpoint-" + UUID.randomUUID();
        for (int i = 1; i <= 3; i++) {
            cluster.add(start("gaggle.id=node-" + i, "gaggle.cluster-size=3", "gaggle.channel.memory.name=" + hub,
                    "management.endpoint.gaggle.access=unrestricted"));
        }
    }

    @AfterAll
    static void stopCluster() {
        cluster.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void readShowsTheLeadersStatusAndEachFollowersProgress() {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Gaggle leader = awaitLeader(cluster, TIMEOUT);
            leader.append("x").join();
            long last = leader.getStatus().lastLogIndex();
            JsonNode body = JsonMapper.shared().readTree(get(contextOf(cluster, leader)).body());
            assertThat(body.at("/status/id").asString()).isEqualTo(leader.getId());
            assertThat(body.at("/status/role").asString()).isEqualTo("LEADER");
            assertThat(body.at("/status/channelState").asString()).isEqualTo("CONNECTED");
            assertThat(body.get("peers").valueStream().map((peer) -> peer.get("id").asString()))
                .containsExactlyInAnyOrderElementsOf(followers(leader).stream().map(Gaggle::getId).toList());
            assertThat(body.get("peers")).allSatisfy((peer) -> {
                assertThat(peer.at("/progress/matchIndex").asLong()).isEqualTo(last);
                assertThat(peer.at("/progress/nextIndex").asLong()).isEqualTo(last + 1);
                assertThat(peer.at("/progress/sendingSnapshot").asBoolean()).isFalse();
                assertThat(peer.get("lastHeardMillis").isNumber()).isTrue();
            });
        });
    }

    @Test
    void postHandsLeadershipToTheNamedFollower() throws Exception {
        Gaggle leader = awaitLeader(cluster, TIMEOUT);
        Gaggle target = followers(leader).get(0);

        HttpResponse<String> response = post(contextOf(cluster, leader), "{\"target\":\"" + target.getId() + "\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode outcome = JsonMapper.shared().readTree(response.body());
        assertThat(outcome.get("leaderId").asString()).isEqualTo(target.getId());
        assertThat(outcome.get("transferred").asBoolean()).isTrue();
        assertThat(awaitLeader(cluster, TIMEOUT)).isSameAs(target);
    }

    @Test
    void postWithoutABodyHandsLeadershipToAFollower() throws Exception {
        Gaggle leader = awaitLeader(cluster, TIMEOUT);

        HttpResponse<String> response = post(contextOf(cluster, leader), null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonMapper.shared().readTree(response.body()).get("leaderId").asString())
            .isNotEqualTo(leader.getId());
        assertThat(awaitLeader(cluster, TIMEOUT)).isNotSameAs(leader);
    }

    @Test
    void postToAFollowerIsAConflictThatSaysOnlyTheLeaderCanTransfer() throws Exception {
        Gaggle follower = followers(awaitLeader(cluster, TIMEOUT)).get(0);

        HttpResponse<String> response = post(contextOf(cluster, follower), null);

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode outcome = JsonMapper.shared().readTree(response.body());
        assertThat(outcome.get("error").asString()).startsWith("only the leader can transfer leadership");
        assertThat(outcome.get("transferred").asBoolean()).isFalse();
    }

    @Test
    void byDefaultTheEndpointIsReadOnly() throws Exception {
        try (ConfigurableApplicationContext alone = start("gaggle.cluster-size=1",
                "gaggle.channel.memory.name=" + UUID.randomUUID())) {
            Gaggle node = alone.getBean(Gaggle.class);
            await().atMost(TIMEOUT).until(node::isLeader);

            assertThat(get(alone).statusCode()).isEqualTo(200);
            assertThat(post(alone, null).statusCode()).isEqualTo(405);
            assertThat(node.isLeader()).isTrue();
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(EndpointApplication.class)
            .properties("server.port=0", "spring.main.banner-mode=off", "gaggle.channel.name=memory",
                    "management.endpoints.web.exposure.include=gaggle")
            .properties(properties)
            .run();
    }

    private static List<Gaggle> followers(Gaggle leader) {
        return cluster.stream()
            .map(GaggleContexts::node)
            .filter((node) -> node != leader)
            .toList();
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext context)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(context)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(ConfigurableApplicationContext context, String json)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(context))
            .header("Content-Type", "application/json")
            .POST((json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody())
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ConfigurableApplicationContext context) {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                + "/actuator/gaggle");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class EndpointApplication {

    }
}
