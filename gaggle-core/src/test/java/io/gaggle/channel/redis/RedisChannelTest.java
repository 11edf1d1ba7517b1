package io.gaggle.channel.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gaggle.channel.ChannelContractTest;
import io.gaggle.channel.ChannelState;
import io.gaggle.channel.Inbox;
import io.gaggle.test.FreePort;
import io.gaggle.test.RedisServerProcess;
import io.gaggle.test.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RedisChannelTest extends ChannelContractTest<RedisChannel> {

    private final List<RedisServerProcess> servers = new ArrayList<>();

    @Override
    protected RedisChannel newChannel() {
        return new RedisChannel(cluster, TestRedis.url());
    }

    @Override
    protected long receiverFailures(RedisChannel channel) {
        return channel.receiverFailures();
    }

    @AfterEach
    void stopServers() {
        servers.forEach(RedisServerProcess::close);
    }

    @Test
    void sendIsHeldUntilFlush() {
        Inbox inboxB = new Inbox();
        RedisChannel a = open("a", new Inbox());
        RedisChannel b = open("b", inboxB);
        awaitConnected(a, b);

        a.send("b", utf8("batched"));
        publishRaw(TestRedis.url(), RedisChannel.directChannel(cluster, "b"), utf8("marker"));
        await().atMost(TIMEOUT).until(() -> inboxB.texts().contains("marker"));
        assertThat(inboxB.texts()).containsExactly("marker");

        a.flush();

        await().atMost(TIMEOUT).until(() -> inboxB.texts().contains("batched"));
    }

    @Test
    void sendsWhileDisconnectedAreDroppedAndCounted() {
        RedisChannel channel = open("redis://127.0.0.1:" + FreePort.pick(), "a", new Inbox());

        channel.send("b", utf8("lost"));
        channel.broadcast(utf8("lost too"));
        channel.flush();

        assertThat(channel.state()).isEqualTo(ChannelState.CONNECTING);
        assertThat(channel.droppedSends()).isEqualTo(2);
    }

    @Test
    void connectsOnceRedisStartsAfterOpen() {
        int port = FreePort.pick();
        String url = "redis://127.0.0.1:" + port;
        Inbox inboxB = new Inbox();
        RedisChannel a = open(url, "a", new Inbox());
        RedisChannel b = open(url, "b", inboxB);
        assertThat(a.state()).isEqualTo(ChannelState.CONNECTING);

        servers.add(RedisServerProcess.start(port));

        awaitConnected(a, b);
        a.send("b", utf8("hello"));
        a.flush();
        await().atMost(TIMEOUT).until(() -> inboxB.texts().contains("hello"));
    }

    @Test
    void reconnectsAndResubscribesAfterRedisRestarts() {
        RedisServerProcess redis = startServer();
        Inbox inboxB = new Inbox();
        RedisChannel a = open(redis.url(), "a", new Inbox());
        RedisChannel b = open(redis.url(), "b", inboxB);
        awaitConnected(a, b);

        redis.close();
        await().atMost(TIMEOUT).until(() -> a.state() == ChannelState.CONNECTING && b.state() == ChannelState.CONNECTING);
        servers.add(RedisServerProcess.start(redis.port()));

        awaitConnected(a, b);
        assertSendAndBroadcastArrive(a, "b", inboxB);
    }

    @Test
    void garbageOnTheClusterChannelsReachesTheReceiverAsBytes() {
        Inbox inboxB = new Inbox();
        RedisChannel a = open("a", new Inbox());
        RedisChannel b = open("b", inboxB);
        awaitConnected(a, b);
        byte[] garbage = {(byte) 0xff, 0, (byte) 0xc3, 0x28, '{'};

        publishRaw(TestRedis.url(), RedisChannel.broadcastChannel(cluster, "intruder"), garbage);
        publishRaw(TestRedis.url(), RedisChannel.directChannel(cluster, "b"), garbage);
        a.send("b", utf8("still subscribed"));
        a.flush();

        await().atMost(TIMEOUT).until(() -> inboxB.envelopes().size() == 3);
        assertThat(inboxB.envelopes().subList(0, 2)).containsExactly(garbage, garbage);
        assertThat(inboxB.texts().get(2)).isEqualTo("still subscribed");
    }

    @Test
    void clusterNameWithGlobCharactersHearsOnlyItsOwnBroadcasts() {
        Inbox inboxStar = new Inbox();
        Inbox inboxPlainPeer = new Inbox();
        RedisChannel star = open(TestRedis.url(), cluster + "*", "a", inboxStar);
        RedisChannel plain = open(TestRedis.url(), cluster + "x", "b", new Inbox());
        RedisChannel plainPeer = open(TestRedis.url(), cluster + "x", "c", inboxPlainPeer);
        awaitConnected(star, plain, plainPeer);

        plain.broadcast(utf8("other cluster"));
        plain.flush();
        await().atMost(TIMEOUT).until(() -> inboxPlainPeer.texts().contains("other cluster"));
        publishRaw(TestRedis.url(), RedisChannel.broadcastChannel(cluster + "*", "d"), utf8("marker"));

        await().atMost(TIMEOUT).until(() -> inboxStar.texts().contains("marker"));
        assertThat(inboxStar.texts()).containsExactly("marker");
    }

    @Test
    void connectsWithUserPasswordAndDatabaseFromTheConnectionString() {
        RedisServerProcess redis = startServer(
                "--user", "default", "off", "--user", "gaggle", "on", ">secret", "~*", "&*", "+@all");
        String url = "redis://gaggle:secret@127.0.0.1:" + redis.port() + "/2";
        Inbox inboxB = new Inbox();
        RedisChannel a = open(url, "a", new Inbox());
        RedisChannel b = open(url, "b", inboxB);
        awaitConnected(a, b);

        a.send("b", utf8("authenticated"));
        a.flush();

        await().atMost(TIMEOUT).until(() -> inboxB.texts().contains("authenticated"));
    }

    @Test
    void closeReleasesItsConnections() throws Exception {
        RedisServerProcess redis = startServer();
        RedisChannel channel = open(redis.url(), "a", new Inbox());
        awaitConnected(channel);
        assertThat(otherClients(redis.url())).isEqualTo(2);

        channel.close().get(10, TimeUnit.SECONDS);

        await().atMost(TIMEOUT).until(() -> otherClients(redis.url()) == 0);
    }

    /**
     * A connect to a Redis that accepts but never answers blocks until Lettuce's command timeout
     * (60 s here); close() must not wait for it, or an application's shutdown would. The
     * connection it makes once Redis answers is closed then.
     */
    @Test
    void closeDoesNotWaitForAConnectInProgress() {
        RedisServerProcess redis = startServer();
        redis.pause();
        try {
            RedisChannel channel = open(redis.url(), "a", new Inbox());

            CompletableFuture<Void> closed = channel.close();

            await().atMost(TIMEOUT).until(closed::isDone);
        } finally {
            redis.resume();
        }
        await().atMost(TIMEOUT).until(() -> otherClients(redis.url()) == 0);
    }

    @Test
    void channelsOnTheApplicationsClientCloseTheirConnectionsButNotTheClient() throws Exception {
        RedisServerProcess redis = startServer();
        RedisClient client = RedisClient.create(redis.url());
        try {
            Inbox inboxB = new Inbox();
            RedisChannel a = track(new RedisChannel(cluster, client));
            RedisChannel b = track(new RedisChannel(cluster, client));
            a.open("a", new Inbox());
            b.open("b", inboxB);
            awaitConnected(a, b);
            a.send("b", utf8("over the application's client"));
            a.flush();
            await().atMost(TIMEOUT).until(() -> inboxB.texts().contains("over the application's client"));

            a.close().get(10, TimeUnit.SECONDS);
            b.close().get(10, TimeUnit.SECONDS);

            await().atMost(TIMEOUT).until(() -> otherClients(redis.url()) == 0);
            try (StatefulRedisConnection<String, String> stillUsable = client.connect()) {
                assertThat(stillUsable.sync().ping()).isEqualTo("PONG");
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void anApplicationsClientWithoutADefaultUriIsReportedAsAnErrorAndNotRetried() {
        Logger logger = (Logger) LoggerFactory.getLogger(RedisChannel.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        RedisClient client = RedisClient.create();
        try {
            RedisChannel channel = track(new RedisChannel(cluster, client));
            channel.open("a", new Inbox());

            await().atMost(TIMEOUT).until(() -> log.list.stream().filter(event -> event.getLevel() == Level.ERROR)
                    .count() == 2);
            assertThat(log.list).filteredOn(event -> event.getLevel() == Level.ERROR).allSatisfy(event ->
                    assertThat(event.getFormattedMessage()).contains("has no default RedisURI"));
            assertThat(log.list).noneMatch(event -> event.getFormattedMessage().contains("retrying"));
            assertThat(channel.state()).isEqualTo(ChannelState.CONNECTING);
        } finally {
            logger.detachAppender(log);
            client.shutdown();
        }
    }

    @Test
    void rejectsAConnectionStringThatIsNotARedisUri() {
        assertThatThrownBy(() -> new RedisChannel(cluster, "http://127.0.0.1:6379"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private RedisServerProcess startServer(String... settings) {
        RedisServerProcess redis = RedisServerProcess.start(FreePort.pick(), settings);
        servers.add(redis);
        return redis;
    }

    private RedisChannel open(String url, String nodeId, Consumer<byte[]> receiver) {
        return open(url, cluster, nodeId, receiver);
    }

    private RedisChannel open(String url, String channelName, String nodeId, Consumer<byte[]> receiver) {
        RedisChannel channel = track(new RedisChannel(channelName, url));
        channel.open(nodeId, receiver);
        return channel;
    }

    /** Publishes through a connection of the test's own, as another program on the same Redis would. */
    private static void publishRaw(String url, String channel, byte[] payload) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            connection.sync().publish(utf8(channel), payload);
        } finally {
            client.shutdown();
        }
    }

    /** How many clients other than the one asking are connected to the Redis at {@code url}. */
    private static int otherClients(String url) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return (int) connection.sync().clientList().lines().count() - 1;
        } finally {
            client.shutdown();
        }
    }
}
