package io.gaggle.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;
import io.gaggle.channel.SeverableChannel;

/**
 * One node of a three-node cluster on Redis or a Socket.IO relay, run in a JVM of its own by
 * {@link NodeProcess} so a test can {@code kill -9} it, stop it and restart it. It prints, one per line:
 * <ul>
 * <li>without a snapshotter, {@code committed <index> <data>} for each committed entry, as its listeners
 * are told; with one, every 50 ms its {@link HashedState} as {@code state <applied> <count> <hash>}, and
 * {@code restored <index>} for each snapshot it restores;</li>
 * <li>{@code acked <data>} when an append of its completes, {@code failed <data> <why>} when one fails;</li>
 * <li>every 50 ms, {@code status <role> <term> <leader> <commitIndex> <firstLogIndex> <lastLogIndex>
 * <channelState> <fault>}, {@code -} for no leader or no fault, the fault last since it has spaces;</li>
 * <li>its log, at WARN and above.</li>
 * </ul>
 * Commands on its standard input, one per line:
 * <ul>
 * <li>{@code append <prefix> <clients> <count>}: that many clients, each appending {@code count}
 * entries one after the other, waiting for each to be acknowledged; the data are
 * {@code <prefix>.<client>.<i>};</li>
 * <li>{@code load <prefix> <clients> <count>}: the same without a line per acknowledgement, for
 * millions of appends; {@code loaded <prefix> <acknowledged>} once every client is done;</li>
 * <li>{@code heap <tag>}: collects garbage and prints {@code heap <tag> <usedBytes> <firstLogIndex>
 * <lastLogIndex> <commitIndex>};</li>
 * <li>{@code sever} and {@code restore} cut and reconnect its channel ({@link SeverableChannel}).</li>
 * </ul>
 * When its standard input closes it leaves the cluster and exits, so it never outlives the test.
 * It runs with pre-vote, on which the tests that ask it for votes rely: set here, not left to the default.
 * <p>
 * Arguments: node id, channel name, a Redis URL or a relay's {@code http://} URL, then optionally
 * {@code --storage <directory>}, {@code --snapshot-threshold <entries>} (a {@link HashedState}
 * snapshotter, taking a snapshot every that many entries) and {@code --snapshot-trailing <entries>}.
 */
public final class CommandedNode {

    private CommandedNode() {
    }

    public static void main(String[] args) throws IOException {
        String url = args[2];
        ChannelConfig config = url.startsWith("http") ? ChannelConfig.socketIo(url, args[1])
                : ChannelConfig.redis(args[1], url);
        SeverableChannel channel = new SeverableChannel(config.createChannel());
        Gaggle.Builder builder = Gaggle.builder().id(args[0]).clusterSize(3).channel(() -> channel)
                .accelerateHeartbeats(true).preVote(true);
        HashedState state = null;
        for (int i = 3; i < args.length; i += 2) {
            switch (args[i]) {
                case "--storage" -> builder.storage(Path.of(args[i + 1]));
                case "--snapshot-threshold" -> {
                    state = new HashedState(index -> System.out.println("restored " + index));
                    builder.snapshotter(state).snapshotThreshold(Long.parseLong(args[i + 1]));
                }
                case "--snapshot-trailing" -> builder.snapshotTrailingEntries(Long.parseLong(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Gaggle node = builder.build();
        if (state == null) {
            node.onCommitted((entry, index) -> System.out.println("committed " + index + " "
                    + entry.data().asString()));
        } else {
            state.follow(node);
        }
        node.start();
        HashedState reported = state;
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
        reporter.scheduleAtFixedRate(() -> {
            GaggleStatus status = node.getStatus();
            System.out.println("status " + status.role() + " " + status.term() + " " + status.leader().orElse("-")
                    + " " + status.commitIndex() + " " + status.firstLogIndex() + " " + status.lastLogIndex() + " "
                    + status.channelState() + " " + status.faultReason().orElse("-"));
            if (reported != null) {
                System.out.println("state " + reported.describe());
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = commands.readLine(); command != null; command = commands.readLine()) {
            String[] words = command.split(" ");
            switch (words[0]) {
                case "append" -> appendConcurrently(node, words, data -> System.out.println("acked " + data), () -> {
                });
                case "load" -> {
                    AtomicInteger acked = new AtomicInteger();
                    AtomicInteger running = new AtomicInteger(Integer.parseInt(words[2]));
                    appendConcurrently(node, words, data -> acked.incrementAndGet(), () -> {
                        if (running.decrementAndGet() == 0) {
                            System.out.println("loaded " + words[1] + " " + acked.get());
                        }
                    });
                }
                case "heap" -> {
                    System.gc();
                    GaggleStatus status = node.getStatus();
                    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    System.out.println("heap " + words[1] + " " + used + " " + status.firstLogIndex() + " "
                            + status.lastLogIndex() + " " + status.commitIndex());
                }
                case "sever" -> channel.sever();
                case "restore" -> channel.restore();
                default -> System.out.println("unknown command " + command);
            }
        }
        reporter.shutdownNow();
        node.close().join();
        System.exit(0);
    }

    /** Starts the clients of an {@code append} or {@code load} command: {@code words} is the command. */
    private static void appendConcurrently(Gaggle node, String[] words, Consumer<String> acked, Runnable clientDone) {
        for (int client = 0; client < Integer.parseInt(words[2]); client++) {
            appendOneAfterAnother(node, words[1] + "." + client, 0, Integer.parseInt(words[3]), acked, clientDone);
        }
    }

    /**
     * A client: appends {@code prefix.i} and, once it is acknowledged, {@code prefix.(i + 1)}, up to
     * {@code count}; then, or at its first failure, it is done.
     */
    private static void appendOneAfterAnother(Gaggle node, String prefix, int i, int count, Consumer<String> acked,
            Runnable done) {
        if (i == count) {
            done.run();
            return;
        }
        String data = prefix + "." + i;
        node.append(data).whenComplete((ignored, failure) -> {
            if (failure != null) {
                System.out.println("failed " + data + " " + failure);
                done.run();
                return;
            }
            acked.accept(data);
            appendOneAfterAnother(node, prefix, i + 1, count, acked, done);
        });
    }
}
