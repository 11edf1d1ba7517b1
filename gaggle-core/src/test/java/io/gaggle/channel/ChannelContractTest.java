package io.gaggle.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the {@link Channel} SPI promises, checked against each channel on a real server. A subclass
 * says how to make an unopened channel of this test's cluster.
 * <p>
 * Some checks prove that something did not arrive by sending a marker after it: the channels
 * deliver one sender's envelopes in order (Redis and the Socket.IO relay both do, though the SPI
 * does not promise it), so once the marker is in, the envelope before it never will be.
 */
public abstract class ChannelContractTest<C extends Channel> {

    protected static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** This test's cluster name, so that tests sharing a server do not hear each other. */
    protected final String cluster = "test-" + UUID.randomUUID();

    private final List<Channel> channels = new ArrayList<>();

    /** A new, unopened channel of {@link #cluster}. */
    protected abstract C newChannel();

    /** How many envelopes {@code channel}'s receiver threw on, as the channel counted them. */
    protected abstract long receiverFailures(C channel);

    /** Closes {@code channel} after the test. */
    protected <T extends Channel> T track(T channel) {
        channels.add(channel);
        return channel;
    }

    /** Opens a new channel of {@link #cluster}, closed after the test. */
    protected C open(String nodeId, Consumer<byte[]> receiver) {
        C channel = track(newChannel());
        channel.open(nodeId, receiver);
        return channel;
    }

    @AfterEach
    void closeChannels() throws Exception {
        for (Channel channel : channels) {
            channel.close().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void reportsConnectedOnceOpened() {
        C channel = track(newChannel());
        assertThat(channel.state()).isEqualTo(ChannelState.NEW);

        channel.open("a", new Inbox());

        awaitConnected(channel);
    }

    @Test
    void reportsClosedOnceClosed() throws Exception {
        C channel = open("a", new Inbox());
        awaitConnected(channel);

        channel.close().get(10, TimeUnit.SECONDS);

        assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
    }

    @Test
    void directSendReachesOnlyItsTarget() {
        Inbox inboxB = new Inbox();
        Inbox inboxC = new Inbox();
        C a = open("a", new Inbox());
        C b = open("b", inboxB);
        C c = open("c", inboxC);
        awaitConnected(a, b, c);

        a.send("b", utf8("for b"));
        a.broadcast(utf8("marker"));
        a.flush();

        await().atMost(TIMEOUT).until(() -> inboxB.texts().contains("marker") && inboxC.texts().contains("marker"));
        assertThat(inboxB.texts()).containsExactly("for b", "marker");
        assertThat(inboxC.texts()).containsExactly("marker");
    }

    @Test
    protected void broadcastReachesAllOthersButNotTheSender() {
        Inbox inboxA = new Inbox();
        Inbox inboxB = new Inbox();
        Inbox inboxC = new Inbox();
        C a = open("a", inboxA);
        C b = open("b", inboxB);
        C c = open("c", inboxC);
        awaitConnected(a, b, c);

        a.broadcast(utf8("from a"));
        a.flush();
        await().atMost(TIMEOUT).until(() -> inboxB.texts().contains("from a") && inboxC.texts().contains("from a"));
        // The server handled a's broadcast before b could see it, so a would have had it first.
        b.send("a", utf8("marker"));
        b.flush();

        await().atMost(TIMEOUT).until(() -> inboxA.texts().contains("marker"));
        assertThat(inboxA.texts()).containsExactly("marker");
    }

    @Test
    void receiverFailureIsCountedAndDeliveryGoesOn() {
        Inbox inboxB = new Inbox();
        AtomicBoolean failed = new AtomicBoolean();
        Consumer<byte[]> failingOnce = envelope -> {
            if (failed.compareAndSet(false, true)) {
                throw new IllegalStateException("a receiver bug, thrown on purpose by the test");
            }
            inboxB.accept(envelope);
        };
        C a = open("a", new Inbox());
        C b = open("b", failingOnce);
        awaitConnected(a, b);

        a.send("b", utf8("thrown on"));
        a.send("b", utf8("delivered"));
        a.flush();

        await().atMost(TIMEOUT).until(() -> inboxB.texts().contains("delivered"));
        assertThat(receiverFailures(b)).isEqualTo(1);
    }

    protected static void awaitConnected(Channel... channels) {
        await().atMost(TIMEOUT).until(() -> List.of(channels).stream()
                .allMatch(channel -> channel.state() == ChannelState.CONNECTED));
    }

    protected static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
