package io.gaggle.channel.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.gaggle.channel.ChannelState;
import io.gaggle.channel.Inbox;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GaggleSocketIoServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Shared by the tests, since stopping a relay takes seconds. */
    private static GaggleSocketIoServer relay;

    private final String cluster = "test-" + UUID.randomUUID();
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    static void startRelay() {
        relay = new GaggleSocketIoServer("127.0.0.1", 0).start();
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
    void plainStringDeclarationReceivesBroadcasts() throws Exception {
        RelayWatcher watcher = watcher();
        watcher.declare(cluster);
        SocketIoChannel node = node("a");

        node.broadcast("hello".getBytes(StandardCharsets.UTF_8));
        node.flush();

        await().atMost(TIMEOUT).until(() -> !watcher.received().isEmpty());
        JSONObject msg = (JSONObject) watcher.received().get(0);
        assertThat(msg.get("data")).isEqualTo("hello");
        assertThat(msg.isNull("to")).isTrue();
    }

    @Test
    void aSecondSocketCannotTakeOverAnIdThatALiveSocketHolds() throws Exception {
        RelayWatcher holder = watcher();
        holder.declare(declaration("x"));
        RelayWatcher usurper = watcher();
        long refusedBefore = relay.refusedSockets();

        Object answer = usurper.declare(declaration("x"));

        assertThat(((JSONObject) answer).getString("error")).contains("x");
        assertThat(usurper.disconnect().get(10, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
        assertThat(relay.refusedSockets()).isEqualTo(refusedBefore + 1);
        RelayWatcher sender = watcher();
        sender.declare(cluster);
        sender.emitMsg(msg("x", "direct"));
        await().atMost(TIMEOUT).until(() -> holder.received().size() == 1);
        assertThat(((JSONObject) holder.received().get(0)).get("data")).isEqualTo("direct");
    }

    @Test
    void aNodeWhoseIdIsHeldConnectsOnceTheHolderLeaves() throws Exception {
        RelayWatcher holder = watcher();
        holder.declare(declaration("a"));
        SocketIoChannel node = new SocketIoChannel("http://127.0.0.1:" + relay.port(), cluster);
        clients.add(() -> node.close().get(10, TimeUnit.SECONDS));
        node.open("a", new Inbox());
        await().atMost(TIMEOUT).until(() -> relay.refusedSockets() > 0);
        assertThat(node.state()).isEqualTo(ChannelState.CONNECTING);

        holder.close();

        await().atMost(TIMEOUT).until(() -> node.state() == ChannelState.CONNECTED);
    }

    @Test
    void aSocketThatStopsReadingIsDisconnectedAndCounted() throws Exception {
        long before = relay.disconnectedSlowSockets();
        try (RawSocketIoClient reader = new RawSocketIoClient(relay);
                RawSocketIoClient flooder = new RawSocketIoClient(relay)) {
            join(reader, declaration("reader"));
            join(flooder, cluster);
            reader.stopReading();

            String packet = "42" + new JSONArray(List.of("msg", msg("reader", "x".repeat(256 * 1024))));
            // Bounded: 400 such msgs are over three times what the relay and both TCP buffers hold.
            for (int sent = 0; sent < 400 && relay.disconnectedSlowSockets() == before; sent++) {
                flooder.send(packet);
            }

            await().atMost(TIMEOUT).until(() -> relay.disconnectedSlowSockets() == before + 1);
        }
    }

    @Test
    void msgBeforeDeclareChannelIsDroppedAndCounted() {
        long before = relay.droppedMessages();
        RelayWatcher watcher = watcher();

        watcher.emitMsg(msg(null, "undeclared"));

        await().atMost(TIMEOUT).until(() -> relay.droppedMessages() == before + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undeliverableMsgs")
    void undeliverableMsgIsDroppedAndCounted(String what, Object msg) throws Exception {
        long before = relay.droppedMessages();
        RelayWatcher watcher = watcher();
        watcher.declare(cluster);

        watcher.emitMsg(msg);

        await().atMost(TIMEOUT).until(() -> relay.droppedMessages() == before + 1);
    }

    static Stream<Arguments> undeliverableMsgs() {
        return Stream.of(
                Arguments.of("not an object", "text"),
                Arguments.of("'to' not a string", new JSONObject(Map.of("to", 5, "data", "x"))),
                Arguments.of("'to' an id nobody declared", msg("nobody", "x")));
    }

    @Test
    void declarationWithoutAChannelIsDroppedAndCounted() {
        long before = relay.droppedMessages();
        RelayWatcher watcher = watcher();

        watcher.declareWithoutAck(new JSONObject(Map.of("id", "x")));

        await().atMost(TIMEOUT).until(() -> relay.droppedMessages() == before + 1);
    }

    @Test
    void startFailsClearlyWhenThePortIsTaken() {
        GaggleSocketIoServer second = new GaggleSocketIoServer("127.0.0.1", relay.port());

        assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(String.valueOf(relay.port()));
    }

    @Test
    void aLongPollingSocketThatStopsPollingIsDisconnectedAndCounted() throws Exception {
        long before = relay.disconnectedSlowSockets();
        String handshake = "http://127.0.0.1:" + relay.port() + "/socket.io/?EIO=4&transport=polling";
        String open = poll(handshake);
        String session = handshake + "&sid=" + new JSONObject(open.substring(1)).getString("sid");
        post(session, "40");
        assertThat(poll(session)).startsWith("40");
        post(session, "421" + new JSONArray(List.of("declareChannel", declaration("poller"))));
        assertThat(poll(session)).startsWith("431");
        RelayWatcher flooder = watcher();
        flooder.declare(cluster);

        // Bounded: one msg more than the relay queues for a socket between polls.
        for (int sent = 0; sent <= GaggleSocketIoServer.MAX_QUEUED_POLLING_PACKETS; sent++) {
            flooder.emitMsg(msg("poller", "queued"));
        }

        await().atMost(TIMEOUT).until(() -> relay.disconnectedSlowSockets() == before + 1);
    }

    private static String poll(String url) throws Exception {
        return http().send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void post(String url, String packet) throws Exception {
        HttpResponse<String> response = http().send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(packet)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    /**
     * A client of its own for each request: the relay may close a polling connection once it has
     * answered, and a client that reused it would then read nothing.
     */
    private static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Connects a raw client to the namespace and declares, waiting for each answer. */
    private static void join(RawSocketIoClient client, Object declaration) throws Exception {
        client.send("40");
        assertThat(client.next()).startsWith("40");
        client.send("421" + new JSONArray(List.of("declareChannel", declaration)));
        assertThat(client.next()).startsWith("431");
    }

    private RelayWatcher watcher() {
        RelayWatcher watcher = new RelayWatcher(relay);
        clients.add(watcher);
        return watcher;
    }

    private SocketIoChannel node(String id) throws Exception {
        SocketIoChannel node = new SocketIoChannel("http://127.0.0.1:" + relay.port(), cluster);
        clients.add(() -> node.close().get(10, TimeUnit.SECONDS));
        node.open(id, new Inbox());
        await().atMost(TIMEOUT).until(() -> node.state() == ChannelState.CONNECTED);
        return node;
    }

    private JSONObject declaration(String id) {
        return new JSONObject(Map.of("channel", cluster, "id", id));
    }

    private static JSONObject msg(String to, String data) {
        return new JSONObject(Map.of("to", to == null ? JSONObject.NULL : to, "data", data));
    }
}
