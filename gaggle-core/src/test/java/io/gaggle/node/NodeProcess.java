package io.gaggle.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.gaggle.Role;
import io.gaggle.channel.ChannelState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node of a three-node cluster on Redis, run as a process of its own ({@link CommandedNode}),
 * which a test can {@code kill -9}, stop with SIGSTOP, and start again with the same id and
 * storage directory. Each run of the process is an incarnation; what the node delivered is kept
 * per incarnation, what its callers were acknowledged across them all.
 */
final class NodeProcess implements AutoCloseable {

    /** Small, quick-starting JVMs: several of these share two cores with the test and Redis. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    /** A node's state as it last printed it. */
    record Status(Role role, long term, String leader, long commitIndex, long lastLogIndex,
            ChannelState channelState, String fault) {

        static Status parse(String line) {
            String[] fields = line.split(" ", 8);
            return new Status(Role.valueOf(fields[1]), Long.parseLong(fields[2]),
                    fields[3].equals("-") ? null : fields[3], Long.parseLong(fields[4]), Long.parseLong(fields[5]),
                    ChannelState.valueOf(fields[6]), fields[7].equals("-") ? null : fields[7]);
        }
    }

    /** One run of the process: what it delivered, what it reported. */
    private static final class Incarnation {

        final List<String> delivered = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final AtomicReference<Status> status = new AtomicReference<>();
        ChildJvm jvm;
    }

    final String id;
    private final String channelName;
    private final String redisUrl;
    private final Path storage;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<String> failed = new CopyOnWriteArrayList<>();
    private final List<Incarnation> incarnations = new CopyOnWriteArrayList<>();

    /**
     * Starts the node; {@link #awaitConnected()} waits until it runs.
     *
     * @param storage its storage directory, or null to keep everything in memory
     */
    NodeProcess(String id, String channelName, String redisUrl, Path storage) {
        this.id = id;
        this.channelName = channelName;
        this.redisUrl = redisUrl;
        this.storage = storage;
        start();
    }

    /** Starts a new incarnation, once the last has ended; {@link #awaitConnected()} waits until it runs. */
    void start() {
        Incarnation incarnation = new Incarnation();
        List<String> args = new ArrayList<>(List.of(id, channelName, redisUrl));
        if (storage != null) {
            args.add(storage.toString());
        }
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
