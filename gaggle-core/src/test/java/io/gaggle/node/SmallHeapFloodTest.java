package io.gaggle.node;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.LogEntry;
import io.gaggle.Role;
import io.gaggle.channel.redis.RedisChannel;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.raft.AppendEntriesResponse;
import io.gaggle.raft.AppendForwardRequest;
import io.gaggle.raft.RaftMessage;
import io.gaggle.raft.RequestVoteResponse;
import io.gaggle.raft.RpcRequest;
import io.gaggle.test.ChildJvm;
import io.gaggle.test.FreePort;
import io.gaggle.test.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node in a JVM of its own with a 256 MiB heap, flooded through its Redis channels by an
 * outsider with large forwarded appends and with small messages from thousands of invented ids,
 * keeps committing the cluster's own appends and does not run out of memory.
 * <p>
 * Without a secret the flood's forwarded appends reach Raft: the flooded node is then a follower,
 * which must decode and drop them. A leader would append them, as it appends any node's forwarded
 * entries, and the log keeps what commits: an outsider who may commit can fill any heap, however
 * input is bounded, which is what the secret is for. With a secret the flooded node leads, and
 * every forgery dies at the signature check.
 * <p>
 * The cluster runs on a {@code redis-server} of its own, so the flood does not load the Redis
 * other tests share.
 */
class SmallHeapFloodTest {

    private static final String HEAP = "-Xmx256m";
    private static final long HEAP_BYTES = 256L << 20;
    private static final Duration FLOOD = Duration.ofSeconds(20);
    private static final int LARGE_ENVELOPES = 150;
    private static final int ENTRIES_PER_LARGE_ENVELOPE = 1_000;
    private static final int ENTRY_CHARS = 16 * 1024;
    private static final int GHOSTS_PER_LARGE_ENVELOPE = 1_000;
    private static final String SECRET = "a secret the outsider does not hold";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(MAPPER);

    private final String channelName = "flood-" + UUID.randomUUID();
    /** Room for the whole flood to reach the node, rather than Redis cutting off a subscriber that lags. */
    private final RedisServerProcess redis = RedisServerProcess.start(FreePort.pick(), "--client-output-buffer-limit",
            "pubsub", "512mb", "512mb", "60");
    private final RedisClient client = RedisClient.create(redis.url());
    private final StatefulRedisConnection<byte[], byte[]> outsider = client.connect(ByteArrayCodec.INSTANCE);
    private final List<Gaggle> nodes = new ArrayList<>();
    private ChildNode child;

    @AfterEach
    void tearDown() {
        if (child != null) {
            child.close();
        }
        nodes.stream().map(Gaggle::close).toList().forEach(CompletableFuture::join);
        outsider.close();
        client.shutdown();
        redis.close();
    }

    @Test
    void aFollowerWithoutASecretKeepsCommittingUnderAFlood() throws Exception {
        startCluster(null);
        Gaggle leader = awaitLeaderInTestJvm();

        assertKeepsCommittingUnderAFlood(leader);
    }

    @Test
    void aLeaderWithASecretKeepsCommittingUnderAFlood() throws Exception {
        startCluster(SECRET);
        Gaggle inJvm = nodes.get(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> inJvm.getLeaderId().isPresent());
        if (!inJvm.getLeaderId().orElseThrow().equals(child.id)) {
            awaitLeaderInTestJvm().transferLeadership(child.id).get(20, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> child.role() == Role.LEADER);

        assertKeepsCommittingUnderAFlood(inJvm);
    }

    private void startCluster(String secret) {
        child = new ChildNode("node-0", secret);
        for (String id : List.of("node-1", "node-2")) {
            Gaggle.Builder builder = Gaggle.builder().id(id).clusterSize(3)
                    .channel(ChannelConfig.redis(channelName, redis.url())).accelerateHeartbeats(true);
            nodes.add((secret == null ? builder : builder.secret(secret)).build());
        }
        nodes.forEach(Gaggle::start);
    }

    /** Waits until a node of this JVM leads and the child follows; asks the child to hand over if it leads. */
    private Gaggle awaitLeaderInTestJvm() {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (child.role() == Role.LEADER) {
                child.command("transfer");
                return null;
            }
            return nodes.stream().filter(Gaggle::isLeader).findFirst()
                    .filter(leader -> child.role() == Role.FOLLOWER).orElse(null);
        }, leader -> leader != null);
    }

    /** Floods the child while {@code appender} appends; every append commits on all three nodes. */
    private void assertKeepsCommittingUnderAFlood(Gaggle appender) throws Exception {
        long droppedBefore = child.dropped();
        long term = appender.getTerm();
        AtomicInteger largeSent = new AtomicInteger();
        CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> flood(term, largeSent));

        List<String> appended = new ArrayList<>();
        while (!flood.isDone()) {
            String data = "legit-" + appended.size();
            appender.append(data).get(15, TimeUnit.SECONDS);
            appended.add(data);
            assertThat(child.isAlive()).as("the flooded node is running; %s", child.describe()).isTrue();
        }
        flood.get();

        for (Gaggle node : nodes) {
            await().atMost(Duration.ofSeconds(15)).until(() -> TestCluster.committed(node).containsAll(appended));
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(child.committed)
                .as(child.describe()).containsAll(appended));
        assertThat(appended).hasSizeGreaterThan(5);
        assertThat(largeSent).hasValueGreaterThan(10);
        assertThat(child.isAlive()).as(child.describe()).isTrue();
        assertThat(child.dropped()).as(child.describe()).isGreaterThan(droppedBefore);
        assertThat(child.maxUsedHeap.get()).isLessThan(HEAP_BYTES);
    }

    /**
     * Publishes, until {@link #FLOOD} has passed or {@link #LARGE_ENVELOPES} were sent, large
     * forwarded appends, each followed by small messages from as many new invented ids: half
     * sent to the child, half broadcast, so the whole cluster hears those.
     */
    private void flood(long term, AtomicInteger largeSent) {
        byte[] to = RedisChannel.directChannel(channelName, child.id).getBytes(StandardCharsets.UTF_8);
        List<byte[]> large = IntStream.range(0, 4).mapToObj(ghost -> envelope("large-ghost-" + ghost,
                largeForward())).toList();
        long deadline = System.nanoTime() + FLOOD.toNanos();
        int ghost = 0;
        while (System.nanoTime() < deadline && largeSent.get() < LARGE_ENVELOPES) {
            outsider.sync().publish(to, large.get(largeSent.getAndIncrement() % large.size()));
            List<RedisFuture<Long>> published = new ArrayList<>();
            for (int i = 0; i < GHOSTS_PER_LARGE_ENVELOPE; i++, ghost++) {
                byte[] channel = ghost % 2 == 0 ? to
                        : RedisChannel.broadcastChannel(channelName, "ghost-" + ghost).getBytes(StandardCharsets.UTF_8);
                published.add(outsider.async().publish(channel, envelope("ghost-" + ghost, ghostMessage(ghost, term))));
            }
            published.forEach(future -> future.toCompletableFuture().join());
        }
    }

    private static AppendForwardRequest largeForward() {
        String data = "x".repeat(ENTRY_CHARS);
        return new AppendForwardRequest(IntStream.range(0, ENTRIES_PER_LARGE_ENVELOPE)
                .mapToObj(i -> new LogEntry(UUID.randomUUID().toString(), 0, JsonNodeFactory.instance.stringNode(data),
                        MAPPER)).toList());
    }

    private static RaftMessage ghostMessage(int ghost, long term) {
        return switch (ghost % 3) {
            case 0 -> new AppendEntriesResponse(term, true, 1_000_000, -1, -1, -1, 1_000_000);
            case 1 -> new RequestVoteResponse(term, true, false);
            default -> new RpcRequest("ghost-request-" + ghost, "no-such-handler", List.of());
        };
    }

    private byte[] envelope(String from, RaftMessage message) {
        return CODEC.encode(new Envelope(from, System.currentTimeMillis(), child.id, 0, message));
    }

    /** The flooded node: a JVM with a small heap, which exits on OutOfMemoryError rather than limp on. */
    private final class ChildNode implements AutoCloseable {

        final String id;
        final Set<String> committed = ConcurrentHashMap.newKeySet();
        final AtomicLong maxUsedHeap = new AtomicLong();
        private final AtomicReference<String[]> status = new AtomicReference<>();
        private final ChildJvm jvm;

        ChildNode(String id, String secret) {
            this.id = id;
            List<String> args = new ArrayList<>(List.of(id, channelName, redis.url()));
            if (secret != null) {
                args.add(secret);
            }
            jvm = new ChildJvm(id, List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"), FloodedNode.class, args,
                    this::report);
            await().atMost(Duration.ofSeconds(20)).until(() -> status.get() != null);
        }

        private boolean report(String line) {
            if (line.startsWith("committed ")) {
                committed.add(line.substring("committed ".length()));
            } else if (line.startsWith("status ")) {
                String[] fields = line.split(" ");
                status.set(fields);
                maxUsedHeap.accumulateAndGet(Long.parseLong(fields[4]), Math::max);
            } else {
                return false;
            }
            return true;
        }

        Role role() {
            return Role.valueOf(status.get()[1]);
        }

        long dropped() {
            return Long.parseLong(status.get()[3]);
        }

        boolean isAlive() {
            return jvm.isAlive();
        }

        void command(String command) {
            jvm.command(command);
        }

        String describe() {
            return "last " + String.join(" ", status.get()) + ", max used heap " + (maxUsedHeap.get() >> 20)
                    + " MiB; " + jvm.describe();
        }

        @Override
        public void close() {
            jvm.close();
        }
    }
}
