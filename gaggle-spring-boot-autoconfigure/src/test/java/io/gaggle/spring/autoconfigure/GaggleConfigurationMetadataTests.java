package io.gaggle.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.gaggle.GaggleConfigurationException.Problem;
import io.gaggle.GaggleConfigurationException.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the configuration metadata IDEs read for completion describes every property, and
 * that every setting the builder checks is reported as one of them.
 */
class GaggleConfigurationMetadataTests {

    private final JsonNode metadata = read("META-INF/spring-configuration-metadata.json");

    @Test
    void everyPropertyIsDescribed() {
        List<String> names = new ArrayList<>();
        this.metadata.get("properties").forEach((property) -> {
            names.add(property.get("name").asString());
            assertThat(property.get("description")).as(property.get("name").asString()).isNotNull();
        });
        assertThat(names).containsExactlyInAnyOrder("gaggle.id", "gaggle.cluster-size", "gaggle.channel.name",
                "gaggle.channel.redis.channel-name", "gaggle.channel.redis.connection-string",
                "gaggle.channel.socket-io.host", "gaggle.channel.socket-io.channel", "gaggle.channel.socket-io.token",
                "gaggle.channel.socket-io.ssl.bundle", "gaggle.channel.memory.name",
                "gaggle.election-timeout.min", "gaggle.election-timeout.max", "gaggle.heartbeat-interval",
                "gaggle.accelerate-heartbeats", "gaggle.pre-vote", "gaggle.max-pending-appends",
                "gaggle.max-pending-rpcs",
                "gaggle.socket-io-server.enabled", "gaggle.socket-io-server.port", "gaggle.socket-io-server.address",
                "gaggle.socket-io-server.token", "gaggle.socket-io-server.ssl.bundle", "gaggle.members",
                "gaggle.security.secret", "gaggle.security.previous-secret", "gaggle.storage.directory",
                "gaggle.snapshot.threshold", "gaggle.snapshot.trailing-entries", "gaggle.leader.enabled",
                "gaggle.leader.role",
                "management.endpoint.gaggle.access", "management.endpoint.gaggle.cache.time-to-live");
    }

    /** The executor and thread factory come from beans, which the failure report names instead. */
    @ParameterizedTest
    @EnumSource(value = Setting.class, mode = EnumSource.Mode.EXCLUDE,
            names = { "RPC_EXECUTOR", "LISTENER_THREAD_FACTORY" })
    void everyBuilderSettingIsReportedAsADescribedProperty(Setting setting) {
        String property = GagglePropertiesValidator.problem(new Problem(setting, "is wrong")).property();
        assertThat(property(property).get("description")).isNotNull();
    }

    @Test
    void durationsHaveTheOriginalsDefaults() {
        assertThat(property("gaggle.election-timeout.min").get("defaultValue").asString()).isEqualTo("300ms");
        assertThat(property("gaggle.election-timeout.max").get("defaultValue").asString()).isEqualTo("500ms");
        assertThat(property("gaggle.heartbeat-interval").get("defaultValue").asString()).isEqualTo("50ms");
        assertThat(property("gaggle.heartbeat-interval").get("type").asString()).isEqualTo("java.time.Duration");
    }

    @Test
    void channelNameHintsTheChannels() {
        JsonNode hint = this.metadata.get("hints").get(0);
        assertThat(hint.get("name").asString()).isEqualTo("gaggle.channel.name");
        List<String> values = new ArrayList<>();
        hint.get("values").forEach((value) -> values.add(value.get("value").asString()));
        assertThat(values).containsExactly("redis", "socket.io", "memory");
    }

    private JsonNode property(String name) {
        for (JsonNode property : this.metadata.get("properties")) {
            if (property.get("name").asString().equals(name)) {
                return property;
            }
        }
        throw new AssertionError("no metadata for " + name);
    }

    private static JsonNode read(String path) {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return JsonMapper.shared().readTree(in);
        }
        catch (IOException ex) {
            throw new AssertionError(path + " is missing", ex);
        }
    }
}
