package io.gaggle.channel.socketio;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gaggle.ChannelConfig;
import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;
import io.gaggle.channel.Inbox;
import io.gaggle.test.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A relay serving https/wss, with nodes that trust its self-signed certificate. */
class RelayTlsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path certificates;

    private static SelfSignedCertificate certificate;
    private static GaggleSocketIoServer relay;

    private final String cluster = "test-" + UUID.randomUUID();
    private final List<Channel> nodes = new ArrayList<>();

    @BeforeAll
    static void startRelay() {
        certificate = SelfSignedCertificate.create(certificates);
        relay = new GaggleSocketIoServer("127.0.0.1", 0).ssl(certificate.serverContext()).start();
    }

    @AfterAll
    static void closeRelay() {
        relay.close();
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (Channel node : nodes) {
            node.close().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void nodesThatTrustTheCertificateExchangeEnvelopes() {
        Inbox inboxB = new Inbox();
        Channel a = node("a", ChannelConfig.socketIo(https(), cluster).withTrustManager(certificate.trustManager()),
                new Inbox());
        Channel b = node("b", ChannelConfig.socketIo(https(), cluster).withTrustManager(certificate.trustManager()),
                inboxB);
        await().atMost(TIMEOUT).until(() -> a.state() == ChannelState.CONNECTED && b.state() == ChannelState.CONNECTED);

        a.send("b", "over tls".getBytes(StandardCharsets.UTF_8));
        a.flush();

        await().atMost(TIMEOUT).until(() -> inboxB.texts().contains("over tls"));
    }

    @Test
    void aNodeThatDoesNotTrustTheCertificateDoesNotConnect() {
        Channel node = node("a", ChannelConfig.socketIo(https(), cluster), new Inbox());

        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> node.state() == ChannelState.CONNECTING);
    }

    @Test
    void aNodeSpeakingPlainHttpDoesNotConnect() {
        Channel node = node("a", ChannelConfig.socketIo("http://127.0.0.1:" + relay.port(), cluster), new Inbox());

        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> node.state() == ChannelState.CONNECTING);
    }

    private Channel node(String id, ChannelConfig config, Inbox inbox) {
        Channel node = config.createChannel();
        nodes.add(node);
        node.open(id, inbox);
        return node;
    }

    private static String https() {
        return "https://localhost:" + relay.port();
    }
}
