package io.gaggle.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.gaggle.Role;
import io.gaggle.channel.ChannelState;
import io.gaggle.test.ChildJvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node of a three-node cluster on Redis, run as a process of its own ({@link CommandedNode}),
 * which a test can {@code kill -9}, stop with SIGSTOP, and start again with the same id and
 * storage directory. Each run of the process is an incarnation; what the node delivered is kept
 * per incarnation, what its callers were acknowledged across them all.
 */
final class NodeProcess implements AutoCloseable {

    /** How long a test waits for the cluster to do something. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Small, quick-starting JVMs: several of these share two cores with the test and Redis. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    /** A node's state as it last printed it. */
    record Status(Role role, long term, String leader, long commitIndex, long firstLogIndex, long lastLogIndex,
            ChannelState channelState, String fault) {

        static Status parse(String line) {
            String[] fields = line.split(" ", 9);
            return new Status(Role.valueOf(fields[1]), Long.parseLong(fields[2]),
                    fields[3].equals("-") ? null : fields[3], Long.parseLong(fields[4]), Long.parseLong(fields[5]),
                    Long.parseLong(fields[6]), ChannelState.valueOf(fields[7]),
                    fields[8].equals("-") ? null : fields[8]);
        }
    }

    /** What a {@code heap} command reported: heap used after a collection, and the log's bounds. */
    record Heap(long usedBytes, long firstLogIndex, long lastLogIndex, long commitIndex) {

        /** How many entries the log retained. */
        long retained() {
            return lastLogIndex - firstLogIndex + 1;
        }
    }

    /** One run of the process: what it delivered, what it reported. */
    private static final class Incarnation {

        final List<String> delivered = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final AtomicReference<Status> status = new AtomicReference<>();
        final AtomicReference<String> state = new AtomicReference<>();
        final List<Long> restored = new CopyOnWriteArrayList<>();
        final Map<String, Heap> heaps = new ConcurrentHashMap<>();
        final Map<String, Integer> loaded = new ConcurrentHashMap<>();
        ChildJvm jvm;
    }

    final String id;
    private final String channelName;
    private final String url;
    private final Path storage;
    private final List<String> options;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<String> failed = new CopyOnWriteArrayList<>();
    private final List<Incarnation> incarnations = new CopyOnWriteArrayList<>();

    /**
     * Starts the node, without snapshots; {@link #awaitConnected()} waits until it runs.
     *
     * @param storage its storage directory, or null to keep everything in memory
     */
    NodeProcess(String id, String channelName, String redisUrl, Path storage) {
        this(id, channelName, redisUrl, storage, List.of());
    }

    /**
     * Starts the node; {@link #awaitConnected()} waits until it runs.
     *
     * @param url a Redis URL, or a Socket.IO relay's {@code http://} URL
     * @param storage its storage directory, or null to keep everything in memory
     * @param options {@link CommandedNode}'s options after the storage, such as
     *        {@code --snapshot-threshold 10}
     */
    NodeProcess(String id, String channelName, String url, Path storage, List<String> options) {
        this.id = id;
        this.channelName = channelName;
        this.url = url;
        this.storage = storage;
        this.options = List.copyOf(options);
        start();
    }

    /** Starts a new incarnation, once the last has ended; {@link #awaitConnected()} waits until it runs. */
    void start() {
        Incarnation incarnation = new Incarnation();
        List<String> args = new ArrayList<>(List.of(id, channelName, url));
        if (storage != null) {
            args.addAll(List.of("--storage", storage.toString()));
        }
        args.addAll(options);
        incarnation.jvm = new ChildJvm(id + "#" + incarnations.size(), JVM_OPTIONS, CommandedNode.class, args,
                line -> report(incarnation, line));
        incarnations.add(incarnation);
    }

    /** Waits until the current incarnation reports its channel connected. */
    void awaitConnected() {
        Incarnation incarnation = current();
        await().atMost(Duration.ofSeconds(30))
                .failFast(() -> assertThat(incarnation.jvm.isAlive()).as(incarnation.jvm::describe).isTrue())
                .until(() -> incarnation.status.get() != null
                        && incarnation.status.get().channelState() == ChannelState.CONNECTED);
    }

    private boolean report(Incarnation incarnation, String line) {
        if (line.startsWith("status ")) {
            incarnation.status.set(Status.parse(line));
        } else if (line.startsWith("committed ")) {
            incarnation.delivered.add(line.split(" ", 3)[2]);
        } else if (line.startsWith("acked ")) {
            acknowledged.add(line.substring("acked ".length()));
        } else if (line.startsWith("failed ")) {
            failed.add(line.substring("failed ".length()));
        } else if (line.startsWith("state ")) {
            incarnation.state.set(line.substring("state ".length()));
        } else if (line.startsWith("restored ")) {
            incarnation.restored.add(Long.parseLong(line.substring("restored ".length())));
        } else if (line.startsWith("heap ")) {
            String[] fields = line.split(" ");
            incarnation.heaps.put(fields[1], new Heap(Long.parseLong(fields[2]), Long.parseLong(fields[3]),
                    Long.parseLong(fields[4]), Long.parseLong(fields[5])));
        } else if (line.startsWith("loaded ")) {
            String[] fields = line.split(" ");
            incarnation.loaded.put(fields[1], Integer.parseInt(fields[2]));
        } else {
            if (line.contains(" ERROR ")) {
                incarnation.errors.add(line);
            }
            return false;
        }
        return true;
    }

    private Incarnation current() {
        return incarnations.get(incarnations.size() - 1);
    }

    /** Waits until one of {@code group} leads and the rest of it follows in the same term; returns it. */
    static NodeProcess awaitLeader(List<NodeProcess> group) {
        String ids = group.stream().map(node -> node.id).toList().toString();
        return await("one leader among " + ids).atMost(WAIT).until(() -> {
            List<NodeProcess> leaders = group.stream().filter(node -> node.status().role() == Role.LEADER).toList();
            if (leaders.size() != 1) {
                return null;
            }
            NodeProcess leader = leaders.get(0);
            boolean followed = group.stream().allMatch(node -> node.status().term() == leader.status().term()
                    && leader.id.equals(node.status().leader()));
            return followed ? leader : null;
        }, leader -> leader != null);
    }

    static void awaitAcknowledged(NodeProcess node, String prefix, int count) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(node.acknowledged()).as(node::describe)
                .filteredOn(data -> data.startsWith(prefix + ".")).hasSize(count));
    }

    /** Sends {@code kill -9} to every one of {@code nodes} at once, and waits until they are gone. */
    static void kill9(NodeProcess... nodes) {
        ChildJvm[] jvms = Arrays.stream(nodes).map(node -> node.current().jvm).toArray(ChildJvm[]::new);
        ChildJvm.signal("KILL", jvms);
        Arrays.stream(jvms).forEach(ChildJvm::awaitExit);
    }

    /** Stops the process (SIGSTOP): it neither runs nor answers, but keeps its connections. */
    void stop() {
        ChildJvm.signal("STOP", current().jvm);
    }

    /** Lets a stopped process run again (SIGCONT). */
    void resume() {
        ChildJvm.signal("CONT", current().jvm);
    }

    /** Starts {@code clients} clients, each appending {@code count} entries one after the other. */
    void append(String prefix, int clients, int count) {
        current().jvm.command("append " + prefix + " " + clients + " " + count);
    }

    /** Like {@link #append}, without a report per acknowledgement; {@link #loaded} tells how many were. */
    void load(String prefix, int clients, int count) {
        current().jvm.command("load " + prefix + " " + clients + " " + count);
    }

    /** How many appends of the {@code load} of {@code prefix} were acknowledged, once all its clients are done. */
    Optional<Integer> loaded(String prefix) {
        return Optional.ofNullable(current().loaded.get(prefix));
    }

    /** Asks the node to collect garbage and report its heap and log as {@code tag}; {@link #heap} tells. */
    void requestHeap(String tag) {
        current().jvm.command("heap " + tag);
    }

    Optional<Heap> heap(String tag) {
        return Optional.ofNullable(current().heaps.get(tag));
    }

    /** Its {@link HashedState} as last reported: {@code <applied> <count> <hash>}; null before the first. */
    String state() {
        return current().state.get();
    }

    /** The indexes of the snapshots this incarnation restored, in order. */
    List<Long> restored() {
        return List.copyOf(current().restored);
    }

    /** Cuts the node's channel: nothing leaves it, nothing reaches it. */
    void sever() {
        current().jvm.command("sever");
    }

    void restore() {
        current().jvm.command("restore");
    }

    Status status() {
        return current().status.get();
    }

    /** The data this incarnation delivered to its listeners, in order. */
    List<String> delivered() {
        return List.copyOf(current().delivered);
    }

    /** What each incarnation delivered, the current one last. */
    List<List<String>> deliveredByIncarnation() {
        return incarnations.stream().map(incarnation -> List.copyOf(incarnation.delivered)).toList();
    }

    /** The data of every append of this node acknowledged to its caller, in any incarnation. */
    Set<String> acknowledged() {
        return Collections.unmodifiableSet(acknowledged);
    }

    /** The appends that failed, with why. */
    List<String> failed() {
        return List.copyOf(failed);
    }

    /** The ERROR lines this incarnation logged. */
    List<String> errors() {
        return List.copyOf(current().errors);
    }

    String describe() {
        return current().jvm.describe() + "\nlast " + status();
    }

    /** Kills the current incarnation, stopped or not: the test is over, and its directory goes with it. */
    @Override
    public void close() {
        current().jvm.kill();
    }
}
