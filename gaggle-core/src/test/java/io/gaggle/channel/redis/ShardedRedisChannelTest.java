package io.gaggle.channel.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
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
        byte[] broadcasts = utf8(RedisChannel.shardedBroadcastChannel(cluster));

        List<Long> receivers = new ArrayList<>();
        int refused = 0;
        for (String url : servers.urls()) {
            RedisClient plain = RedisClient.create(url);
            try (StatefulRedisConnection<byte[], byte[]> shard = plain.connect(ByteArrayCodec.INSTANCE)) {
                receivers.add(shard.sync().spublish(broadcasts, utf8("probe")));
            } catch (RedisCommandExecutionException moved) {
                assertThat(moved).hasMessageStartingWith("MOVED");
                refused++;
            } finally {
                plain.shutdown();
            }
        }

        assertThat(receivers).containsExactly(2L);
        assertThat(refused).isEqualTo(2);
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
        a.send("b", utf8("direct after restart"));
        a.broadcast(utf8("broadcast after restart"));
        a.flush();
        await().atMost(TIMEOUT).until(() -> inboxB.texts().size() == 2);
        assertThat(inboxB.texts()).containsExactly("direct after restart", "broadcast after restart");
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
