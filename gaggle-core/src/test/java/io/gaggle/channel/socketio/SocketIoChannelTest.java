package io.gaggle.channel.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.gaggle.channel.ChannelContractTest;
import io.gaggle.channel.ChannelState;
import io.gaggle.channel.Inbox;
import io.gaggle.test.FreePort;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SocketIoChannelTest extends ChannelContractTest<SocketIoChannel> {

    /** Shared by the tests that do not stop it, since stopping a relay takes seconds. */
    private static GaggleSocketIoServer sharedRelay;

    private final List<GaggleSocketIoServer> ownRelays = new ArrayList<>();

    @BeforeAll
    static void startSharedRelay() {
        sharedRelay = new GaggleSocketIoServer("127.0.0.1", 0).start();
    }

    @AfterAll
    static void closeSharedRelay() {
        sharedRelay.close();
    }

    /** In the background: no test waits on a relay's threads, and stopping one takes seconds. */
    @AfterEach
    void closeOwnRelays() {
        ownRelays.forEach(relay -> CompletableFuture.runAsync(relay::close));
    }

    @Override
    protected SocketIoChannel newChannel() {
        return new SocketIoChannel(host(sharedRelay.port()), cluster);
    }

    @Override
    protected long receiverFailures(SocketIoChannel channel) {
        return channel.receiverFailures();
    }

    @Test
    void reconnectsAndRedeclaresAfterTheRelayRestarts() {
        GaggleSocketIoServer relay = startOwnRelay(0);
        Inbox inboxB = new Inbox();
        Inbox inboxC = new Inbox();
        SocketIoChannel a = open(relay.port(), "a", new Inbox());
        SocketIoChannel b = open(relay.port(), "b", inboxB);
        SocketIoChannel c = open(relay.port(), "c", inboxC);
        awaitConnected(a, b, c);

        relay.close();
        await().atMost(TIMEOUT).until(() -> List.of(a, b, c).stream()
                .allMatch(channel -> channel.state() == ChannelState.CONNECTING));
        startOwnRelay(relay.port());

        awaitConnected(a, b, c);
        a.send("b", utf8("direct after restart"));
        a.broadcast(utf8("broadcast after restart"));
        a.flush();
        await().atMost(TIMEOUT).until(() -> inboxB.texts().size() == 2 && inboxC.texts().size() == 1);
        assertThat(inboxB.texts()).containsExactly("direct after restart", "broadcast after restart");
        assertThat(inboxC.texts()).containsExactly("broadcast after restart");
    }

    @Test
    void connectsOnceTheRelayStartsAfterOpen() {
        int port = FreePort.pick();
        SocketIoChannel a = open(port, "a", new Inbox());
        assertThat(a.state()).isEqualTo(ChannelState.CONNECTING);

        startOwnRelay(port);

        awaitConnected(a);
    }

    @Test
    void sendsWhileDisconnectedAreDroppedAndCounted() {
        SocketIoChannel channel = open(FreePort.pick(), "a", new Inbox());

        channel.send("b", utf8("lost"));
        channel.broadcast(utf8("lost too"));
        channel.flush();

        assertThat(channel.droppedSends()).isEqualTo(2);
    }

    @Test
    void envelopeThatIsNotUtf8IsDroppedAndCounted() {
        Inbox inboxB = new Inbox();
        SocketIoChannel a = open("a", new Inbox());
        SocketIoChannel b = open("b", inboxB);
        awaitConnected(a, b);

        a.send("b", new byte[] {(byte) 0xff, (byte) 0xfe});
        a.send("b", utf8("valid"));
        a.flush();

        await().atMost(TIMEOUT).until(() -> inboxB.texts().contains("valid"));
        assertThat(inboxB.texts()).containsExactly("valid");
        assertThat(a.droppedSends()).isEqualTo(1);
    }

    @Test
    void msgWithoutDataIsDroppedAndCounted() throws Exception {
        SocketIoChannel a = open("a", new Inbox());
        awaitConnected(a);
        try (RelayWatcher watcher = new RelayWatcher(sharedRelay)) {
            watcher.declare(cluster);

            watcher.emitMsg(new JSONObject(Map.of("to", "a")));

            await().atMost(TIMEOUT).until(() -> a.droppedReceives() == 1);
        }
    }

    @Test
    void rejectsAHostThatIsNotAnHttpUrl() {
        assertThatThrownBy(() -> new SocketIoChannel("localhost:9000", cluster))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private GaggleSocketIoServer startOwnRelay(int port) {
        GaggleSocketIoServer relay = new GaggleSocketIoServer("127.0.0.1", port).start();
        ownRelays.add(relay);
        return relay;
    }

    private SocketIoChannel open(int relayPort, String nodeId, Inbox inbox) {
        SocketIoChannel channel = track(new SocketIoChannel(host(relayPort), cluster));
        channel.open(nodeId, inbox);
        return channel;
    }

    private static String host(int relayPort) {
        return "http://127.0.0.1:" + relayPort;
    }
}
