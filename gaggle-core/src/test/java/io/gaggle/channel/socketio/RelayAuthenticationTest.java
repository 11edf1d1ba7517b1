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
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A relay with a token admits the clients that send it in the handshake, and nobody else. */
class RelayAuthenticationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String TOKEN = RelayToken.fromSecret("relay-authentication-test");

    /** Shared by the tests, since stopping a relay takes seconds. */
    private static GaggleSocketIoServer relay;

    private final String cluster = "test-" + UUID.randomUUID();
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    static void startRelay() {
        relay = new GaggleSocketIoServer("127.0.0.1", 0).token(TOKEN).start();
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
    void nodesWithTheTokenExchangeEnvelopes() {
        Inbox inboxB = new Inbox();
        Channel a = node("a", TOKEN, new Inbox());
        Channel b = node("b", TOKEN, inboxB);
        await().atMost(TIMEOUT).until(() -> a.state() == ChannelState.CONNECTED && b.state() == ChannelState.CONNECTED);

        a.send("b", "hello".getBytes(StandardCharsets.UTF_8));
        a.flush();

        await().atMost(TIMEOUT).until(() -> inboxB.texts().contains("hello"));
    }

    @Test
    void aClientWithoutTheTokenGetsAConnectError() throws Exception {
        RelayWatcher watcher = watcher(null);

        Object error = watcher.connectError().get(10, TimeUnit.SECONDS);

        assertThat(((JSONObject) error).getString("message")).contains("no token");
        assertThat(watcher.connected()).isFalse();
    }

    @Test
    void aClientWithAWrongTokenGetsAConnectError() throws Exception {
        RelayWatcher watcher = watcher("wrong");

        Object error = watcher.connectError().get(10, TimeUnit.SECONDS);

        assertThat(((JSONObject) error).getString("message")).contains("wrong token");
        assertThat(watcher.connected()).isFalse();
    }

    @Test
    void aNodeWithAWrongTokenIsRefusedAndKeepsTrying() {
        long before = relay.refusedSockets();

        Channel node = node("a", "wrong", new Inbox());

        await().atMost(TIMEOUT).until(() -> relay.refusedSockets() >= before + 2);
        assertThat(node.state()).isEqualTo(ChannelState.CONNECTING);
    }

    @Test
    void eventsBeforeAuthenticatingAreRefusedAndEndTheConnection() throws Exception {
        Inbox inboxA = new Inbox();
        Channel a = node("a", TOKEN, inboxA);
        Channel b = node("b", TOKEN, new Inbox());
        await().atMost(TIMEOUT).until(() -> a.state() == ChannelState.CONNECTED && b.state() == ChannelState.CONNECTED);
        long before = relay.refusedSockets();
        try (RawSocketIoClient outsider = new RawSocketIoClient(relay)) {

            outsider.send("421" + new JSONArray(List.of("declareChannel", new JSONObject(Map.of("channel", cluster)))));
            outsider.send("42" + new JSONArray(List.of("msg", new JSONObject(Map.of("to", "a", "data", "forged")))));

            assertThat(outsider.next()).isEqualTo("41");
            assertThat(relay.refusedSockets()).isGreaterThan(before);
        }
        b.send("a", "marker".getBytes(StandardCharsets.UTF_8));
        b.flush();
        await().atMost(TIMEOUT).until(() -> inboxA.texts().contains("marker"));
        assertThat(inboxA.texts()).containsExactly("marker");
    }

    @Test
    void aSocketThatNeverAuthenticatesIsDisconnected() throws Exception {
        try (RawSocketIoClient idle = new RawSocketIoClient(relay)) {

            String packet = idle.next(Duration.ofSeconds(GaggleSocketIoServer.AUTHENTICATION_SECONDS + 5));

            assertThat(packet).isEqualTo("41");
        }
    }

    private Channel node(String id, String token, Inbox inbox) {
        Channel node = ChannelConfig.socketIo("http://127.0.0.1:" + relay.port(), cluster).withToken(token)
                .createChannel();
        clients.add(() -> node.close().get(10, TimeUnit.SECONDS));
        node.open(id, inbox);
        return node;
    }

    private RelayWatcher watcher(String token) {
        RelayWatcher watcher = new RelayWatcher(relay, token);
        clients.add(watcher);
        return watcher;
    }
}
