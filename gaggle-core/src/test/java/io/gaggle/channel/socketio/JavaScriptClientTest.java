package io.gaggle.channel.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gaggle.ChannelConfig;
import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;
import io.gaggle.channel.Inbox;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay as a real JavaScript {@code socket.io-client} meets it: with the default transports
 * (long-polling, then WebSocket), against a relay that has a token and a live node {@code a}.
 */
class JavaScriptClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String TOKEN = RelayToken.fromSecret("javascript-client-test");

    private static GaggleSocketIoServer relay;

    private final String cluster = "test-" + UUID.randomUUID();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private Channel node;

    @BeforeAll
    static void startRelay() {
        relay = new GaggleSocketIoServer("127.0.0.1", 0).token(TOKEN).start();
    }

    /** Per test, so that a skip for want of Node.js is reported as one, test by test. */
    @BeforeEach
    void requireNode() {
        JavaScriptClient.requireNode();
    }

    @AfterAll
    static void closeRelay() {
        relay.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
    }

    @Test
    void aClientWithoutTheTokenIsRefusedWithAConnectError() throws Exception {
        JavaScriptClient client = client(new JSONObject(Map.of("declare", cluster)));

        await().atMost(TIMEOUT).until(() -> client.event("connect_error") != null);

        assertThat(client.event("connect_error").getString("message")).contains("no token");
        assertThat(client.event("connect")).isNull();
    }

    @Test
    void aClientWithTheTokenCannotDeclareALiveNodesId() throws Exception {
        startNode();
        JavaScriptClient client = client(new JSONObject(Map.of("token", TOKEN,
                "declare", new JSONObject(Map.of("channel", cluster, "id", "a")))));

        await().atMost(TIMEOUT).until(() -> client.event("disconnect") != null);

        assertThat(client.event("declared").getJSONObject("answer").getString("error")).contains("a");
        assertThat(client.event("disconnect").getString("reason")).isEqualTo("io server disconnect");
        assertThat(node.state()).isEqualTo(ChannelState.CONNECTED);
    }

    @Test
    void aClientWithTheTokenAndAFreshIdWatchesTheChannel() throws Exception {
        startNode();
        JavaScriptClient client = client(new JSONObject(Map.of("token", TOKEN,
                "declare", new JSONObject(Map.of("channel", cluster, "id", "watcher")))));
        await().atMost(TIMEOUT).until(() -> client.event("declared") != null);

        node.broadcast("hello".getBytes(StandardCharsets.UTF_8));
        node.flush();

        await().atMost(TIMEOUT).until(() -> client.event("msg") != null);
        assertThat(client.event("msg").getJSONObject("msg").getString("data")).isEqualTo("hello");
    }

    private void startNode() {
        node = ChannelConfig.socketIo(url(), cluster).withToken(TOKEN).createChannel();
        clients.add(() -> node.close().get(10, TimeUnit.SECONDS));
        node.open("a", new Inbox());
        await().atMost(TIMEOUT).until(() -> node.state() == ChannelState.CONNECTED);
    }

    private JavaScriptClient client(JSONObject options) {
        JavaScriptClient client = new JavaScriptClient(url(), options);
        clients.add(client);
        return client;
    }

    private static String url() {
        return "http://127.0.0.1:" + relay.port();
    }
}
