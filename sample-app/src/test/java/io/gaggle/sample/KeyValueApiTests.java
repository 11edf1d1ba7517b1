package io.gaggle.sample;

import io.gaggle.spring.test.AutoConfigureGaggle;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's HTTP API in a test as a user would write one for their own service: one node of
 * the application as configured, run by {@link AutoConfigureGaggle} as a single-node cluster of its
 * own, which leads before the first request.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureGaggle
class KeyValueApiTests {

    private final RestClient client;

    KeyValueApiTests(@Value("${local.server.port}") int port) {
        this.client = RestClient.create("http://127.0.0.1:" + port);
    }

    @Test
    void valuePutIsReadBack() {
        this.client.put().uri("/kv/{key}", "mary").contentType(MediaType.TEXT_PLAIN).body("lamb")
            .retrieve().toBodilessEntity();

        assertThat(this.client.get().uri("/kv/{key}", "mary").retrieve().body(String.class)).isEqualTo("lamb");
    }

    @Test
    void eachIdFollowsTheLast() {
        long first = nextId();

        assertThat(nextId()).isEqualTo(first + 1);
    }

    private long nextId() {
        return this.client.post().uri("/ids").retrieve().body(JsonNode.class).get("id").asLong();
    }
}
