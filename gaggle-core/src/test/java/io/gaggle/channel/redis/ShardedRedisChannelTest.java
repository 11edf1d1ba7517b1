package io.gaggle.channel.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.gaggle.channel.ChannelContractTest;
import io.gaggle.channel.ChannelState;
import io.gaggle.channel.Inbox;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.raft.RequestVoteResponse;
import io.gaggle.test.RedisClusterServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The redis channel on an application's {@link RedisClusterClient}, over a real Redis Cluster of
 * three shards: sharded pub/sub, all of a Gaggle cluster's channels in one slot.
 */
class ShardedRedisChannelTest extends ChannelContractTest<RedisChannel> {

    private static final EnvelopeCodec CODEC = new EnvelopeCodec(JsonMapper.builder().build());

    /** How long a channel must stay connected to count as undisturbed. */
    private static final Duration STAYS = Duration.ofSeconds(3);

    private static RedisClusterServers servers;
    private static ClientResources resources;
    private static RedisClusterClient client;

    /** The application's client, reconnecting within a second as an application might configure it. */
    @BeforeAll
    static void startRedisCluster() {
        servers = RedisClusterServers.start(3);
        resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        client = RedisClusterClient.create(resources, servers.urls().stream().map(RedisURI::create).toList());
    }

    @AfterAll
    static void stopRedisCluster() {
        if (servers == null) {
            return; // skipped for an old redis-server: nothing was started
        }
        client.shutdown();
        resources.shutdown();
        servers.close();
    }

    @Override
    protected RedisChannel newChannel() {
        return new RedisChannel(cluster, client);
    }

    @Override
    protected long receiverFailures(RedisChannel channel) {
        return channel.receiverFailures();
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders", "{orders}", "or}ders{", "{", "a{b}c"})
    void aClustersChannelsHashToOneSlot(String channelName) {
        int slot = SlotHash.getSlot(RedisChannel.shardedBroadcastChannel(channelName));

        assertThat(List.of("a", "b", "{c}", "}")).allSatisfy(nodeId -> assertThat(
                SlotHash.getSlot(RedisChannel.shardedDirectChannel(channelName, nodeId))).isEqualTo(slot));
    }

    /**
     * Sharded pub/sub has no patterns, so all nodes share one broadcast channel and Redis echoes a
     * node's broadcasts back to it; the channel skips its own envelopes by their sender.
     */
    @Override
    @Test
    protected void broadcastReachesAllOthersButNotTheSender() {
        Inbox inboxA = new Inbox();
        Inbox inboxB = new Inbox();
        RedisChannel a = open("a", inboxA);
        RedisChannel b = open("b", inboxB);
        awaitConnected(a, b);
        byte[] fromA = CODEC.encode(new Envelope("a", 1, null, 1, new RequestVoteResponse(1, true, false)));

        a.broadcast(fromA);
        a.flush();
        await().atMost(TIMEOUT).until(() -> inboxB.envelopes().size() == 1);
        b.send("a", utf8("marker"));
        b.flush();

        await().atMost(TIMEOUT).until(() -> inboxA.texts().contains("marker"));
        assertThat(inboxA.texts()).containsExactly("marker");
        assertThat(inboxB.envelopes().get(0)).isEqualTo(fromA);
    }

    /**
     * Lettuce routes SSUBSCRIBE by the channel's slot: only the shard that owns it knows the
     * subscribers, and the other shards refuse to publish there.
     */
    @Test
    void nodesSubscribeOnTheShardThatOwnsTheirSlot() {
        RedisChannel a = open("a", new Inbox());
        RedisChannel b = open("b", new Inbox());
        awaitConnected(a, b);

        assertThat(broadcastSubscribersByShard()).containsExactly(2L);
    }

    /**
     * Redis ends the shard subscriptions of a slot that moves to another shard; the channel
     * subscribes again, and Lettuce, redirected (MOVED), reaches the slot's new owner.
     */
    @Test
    void followsItsSlotToAnotherShard() {
        Inbox inboxB = new Inbox();
        RedisChannel a = open("a", new Inbox());
        RedisChannel b = open("b", inboxB);
        awaitConnected(a, b);
        String broadcasts = RedisChannel.shardedBroadcastChannel(cluster);
        int to = (servers.indexOfServerFor(broadcasts) + 1) % servers.urls().size();

        servers.moveSlot(broadcasts, to);

        await().atMost(TIMEOUT).until(() -> broadcastSubscribersByShard().equals(List.of(2L)));
        awaitConnected(a, b);
        a.send("b", utf8("direct after the move"));
        a.broadcast(utf8("broadcast after the move"));
        // A publish the old owner redirects (MOVED) is written again on the new owner's connection,
        // which with auto-flush off waits for the next flush: flushed on every poll, as a node
        // flushes every turn. b has the probes too, which went out on the broadcast channel.
        await().atMost(TIMEOUT).until(() -> {
            a.flush();
            return inboxB.texts().containsAll(List.of("direct after the move", "broadcast after the move"));
        });
    }

    /**
     * How many subscribers the cluster's broadcast channel has, per shard that accepts a publish
     * there; the others answer MOVED.
     */
    private List<Long> broadcastSubscribersByShard() {
        byte[] broadcasts = utf8(RedisChannel.shardedBroadcastChannel(cluster));
        List<Long> receivers = new ArrayList<>();
        for (String url : servers.urls()) {
            RedisClient plain = RedisClient.create(url);
            try (StatefulRedisConnection<byte[], byte[]> shard = plain.connect(ByteArrayCodec.INSTANCE)) {
                receivers.add(shard.sync().spublish(broadcasts, utf8("probe")));
            } catch (RedisCommandExecutionException moved) {
                assertThat(moved).hasMessageStartingWith("MOVED");
            } finally {
                plain.shutdown();
            }
        }
        return receivers;
    }

    /**
     * The subscriptions live on Lettuce's connection to the shard, not on the cluster connection
     * the channel opened, so the channel must notice that one drop, and subscribe again.
     */
    @Test
    void reconnectsAndResubscribesAfterItsShardRestarts() {
        Inbox inboxB = new Inbox();
        RedisChannel a = open("a", new Inbox());
        RedisChannel b = open("b", inboxB);
        awaitConnected(a, b);
        int shard = servers.indexOfServerFor(RedisChannel.shardedBroadcastChannel(cluster));

        servers.stopServer(shard);
        await().atMost(TIMEOUT).until(() -> a.state() == ChannelState.CONNECTING && b.state() == ChannelState.CONNECTING);
        servers.startServer(shard);

        awaitConnected(a, b);
        assertSendAndBroadcastArrive(a, "b", inboxB);
    }

    /**
     * The channel's own cluster connections go to any node (their "default" connection), but
     * SPUBLISH goes to the slot's owner: another shard being down must neither drop sends nor show
     * the channel connecting. The client here keeps its default connection on that other shard.
     */
    @Test
    void staysConnectedAndDeliversWhileAnotherShardIsDown() {
        int other = (servers.indexOfServerFor(RedisChannel.shardedBroadcastChannel(cluster)) + 1) % servers.urls().size();
        RedisClusterClient onOtherShard = servers.clientWithDefaultConnectionsTo(other);
        try {
            Inbox inboxB = new Inbox();
            RedisChannel a = track(new RedisChannel(cluster, onOtherShard));
            RedisChannel b = track(new RedisChannel(cluster, onOtherShard));
            a.open("a", new Inbox());
            b.open("b", inboxB);
            awaitConnected(a, b);

            servers.stopServer(other);
            try {
                awaitStaysConnected(a, b);
                a.send("b", utf8("while another shard is down"));
                a.flush();
                await().atMost(TIMEOUT).until(() -> inboxB.texts().contains("while another shard is down"));
                assertThat(a.droppedSends()).isZero();
            } finally {
                servers.startServer(other);
            }
            a.close().join();
            b.close().join();
        } finally {
            onOtherShard.shutdown();
        }
    }

    /**
     * After its slot moved, the shard the channel subscribed on before carries none of its
     * subscriptions: that shard going down and coming back is no reason to subscribe again.
     */
    @Test
    void theShardItsSlotLeftCanRestartWithoutDisturbingIt() {
        RedisChannel a = open("a", new Inbox());
        RedisChannel b = open("b", new Inbox());
        awaitConnected(a, b);
        String broadcasts = RedisChannel.shardedBroadcastChannel(cluster);
        int from = servers.indexOfServerFor(broadcasts);
        int to = (from + 1) % servers.urls().size();
        servers.moveSlot(broadcasts, to);
        await().atMost(TIMEOUT).until(() -> broadcastSubscribersByShard().equals(List.of(2L)));
        awaitConnected(a, b);
        long subscribes = ssubscribeCalls(to);

        servers.stopServer(from);
        try {
            awaitStaysConnected(a, b);
        } finally {
            servers.startServer(from);
        }
        awaitStaysConnected(a, b);
        assertThat(ssubscribeCalls(to)).isEqualTo(subscribes);
    }

    /** How many SSUBSCRIBE commands the server at {@code index} has run. */
    private long ssubscribeCalls(int index) {
        RedisClient plain = RedisClient.create(servers.urls().get(index));
        try (StatefulRedisConnection<String, String> shard = plain.connect()) {
            return shard.sync().info("commandstats").lines().filter(line -> line.startsWith("cmdstat_ssubscribe:"))
                    .map(line -> Long.parseLong(line.replaceAll("^cmdstat_ssubscribe:calls=(\\d+),.*$", "$1")))
                    .findFirst().orElse(0L);
        } finally {
            plain.shutdown();
        }
    }

    /** Polled often, so that even a brief reconnect shows; any restarts the wait, which then times out. */
    private static void awaitStaysConnected(RedisChannel... channels) {
        await().pollInterval(Duration.ofMillis(10)).during(STAYS).atMost(STAYS.plusSeconds(1)).until(() ->
                Arrays.stream(channels).allMatch(channel -> channel.state() == ChannelState.CONNECTED));
    }

    @Test
    void closeLeavesTheApplicationsClusterClientUsable() throws Exception {
        RedisChannel channel = open("a", new Inbox());
        awaitConnected(channel);

        channel.close().get(10, TimeUnit.SECONDS);

        try (StatefulRedisClusterConnection<String, String> stillUsable = client.connect()) {
            assertThat(stillUsable.sync().ping()).isEqualTo("PONG");
        }
    }

    @Test
    void describesTheClustersNodesOnceConnected() {
        RedisChannel channel = track(new RedisChannel(cluster, client));
        assertThat(channel.describe()).isEqualTo("redis " + cluster + "@RedisClusterClient");
        channel.open("a", new Inbox());
        awaitConnected(channel);

        assertThat(channel.describe()).startsWith("redis " + cluster + "@");
        assertThat(channel.describe().substring(("redis " + cluster + "@").length()).split(","))
                .containsExactlyInAnyOrderElementsOf(servers.urls().stream().map(url -> url.substring("redis://".length())).toList());
    }

    @Test
    void rejectsAChannelNameThatWouldEmptyTheHashTag() {
        assertThatThrownBy(() -> new RedisChannel("}orders", client))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hash tag");
    }

    @Test
    void rejectsANullClient() {
        assertThatThrownBy(() -> new RedisChannel(cluster, (RedisClusterClient) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RedisClusterClient");
    }
}
