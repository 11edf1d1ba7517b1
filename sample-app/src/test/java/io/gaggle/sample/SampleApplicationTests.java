package io.gaggle.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drives the sample's HTTP API on its embedded default: three nodes in this JVM over the memory
 * channel, each on a free port.
 */
class SampleApplicationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static List<ConfigurableApplicationContext> nodes;

    private static List<RestClient> clients;

    @BeforeAll
    static void startCluster() {
        nodes = EmbeddedCluster.start("test-" + UUID.randomUUID(), List.of(0, 0, 0));
        clients = nodes.stream()
            .map((node) -> RestClient.create("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port")))
            .toList();
        await().atMost(TIMEOUT).until(() -> roles().contains("LEADER"));
    }

    @AfterAll
    static void stopCluster() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void valuePutOnOneNodeIsReadOnEveryOtherAtOnce() {
        HttpStatusCode put = clients.get(0).put().uri("/kv/{key}", "colour").contentType(MediaType.TEXT_PLAIN)
            .body("green").retrieve().toBodilessEntity().getStatusCode();
        assertThat(put).isEqualTo(HttpStatus.NO_CONTENT);
        for (RestClient client : clients.subList(1, clients.size())) {
            assertThat(client.get().uri("/kv/{key}", "colour").retrieve().body(String.class)).isEqualTo("green");
        }
    }

    @Test
    void unknownKeyIsNotFound() {
        HttpStatusCode status = clients.get(2).get().uri("/kv/{key}", "never-put")
            .exchange((request, response) -> response.getStatusCode());
        assertThat(status).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void idsAskedOfEveryNodeAreUniqueAndIncreasing() {
        List<Long> ids = new ArrayList<>();
        for (RestClient client : clients) {
            ids.add(client.post().uri("/ids").retrieve().body(JsonNode.class).get("id").asLong());
        }
        assertThat(ids).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void healthShowsEachNodesRole() {
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(roles()).containsOnlyOnce("LEADER")
            .containsOnly("LEADER", "FOLLOWER"));
    }

    @Test
    void statusEndpointListsThePagesPeers() {
        JsonNode status = clients.get(0).get().uri("/api/status").retrieve().body(JsonNode.class);
        assertThat(status.at("/node/id").asString()).isEqualTo("node-1");
        assertThat(status.at("/node/clusterSize").asInt()).isEqualTo(3);
        assertThat(status.get("peerPorts")).hasSize(3);
    }

    @Test
    void pageIsServedAtTheRoot() {
        String page = clients.get(1).get().uri("/").retrieve().body(String.class);
        assertThat(page).contains("<title>Gaggle sample cluster</title>", "/api/status");
    }

    private static List<String> roles() {
        return clients.stream()
            .map((client) -> client.get().uri("/actuator/health").retrieve().body(JsonNode.class))
            .map((health) -> health.at("/components/gaggle/details/role").asString())
            .toList();
    }
}
