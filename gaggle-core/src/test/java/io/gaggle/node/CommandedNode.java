package io.gaggle.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;
import io.gaggle.channel.SeverableChannel;

/**
 * One node of a three-node cluster on Redis, run in a JVM of its own by {@link NodeProcess} so a
 * test can {@code kill -9} it, stop it and restart it. It prints, one per line:
 * <ul>
 * <li>{@code committed <index> <data>} for each committed entry, as its listeners are told;</li>
 * <li>{@code acked <data>} when an append of its completes, {@code failed <data> <why>} when one fails;</li>
 * <li>every 50 ms, {@code status <role> <term> <leader> <commitIndex> <lastLogIndex> <channelState> <fault>},
 * {@code -} for no leader or no fault, the fault last since it has spaces;</li>
 * <li>its log, at WARN and above.</li>
 * </ul>
 * Commands on its standard input, one per line:
 * <ul>
 * <li>{@code append <prefix> <clients> <count>}: that many clients, each appending {@code count}
 * entries one after the other, waiting for each to be acknowledged; the data are
 * {@code <prefix>.<client>.<i>};</li>
 * <li>{@code sever} and {@code restore} cut and reconnect its channel ({@link SeverableChannel}).</li>
 * </ul>
 * When its standard input closes it leaves the cluster and exits, so it never outlives the test.
 * It runs with pre-vote, on which the tests that ask it for votes rely: set here, not left to the default.
 * <p>
 * Arguments: node id, channel name, Redis URL, and optionally a storage directory.
 */
public final class CommandedNode {

    private CommandedNode() {
    }

    public static void main(String[] args) throws IOException {
        SeverableChannel channel = new SeverableChannel(ChannelConfig.redis(args[1], args[2]).createChannel());
        Gaggle.Builder builder = Gaggle.builder().id(args[0]).clusterSize(3).channel(() -> channel)
                .accelerateHeartbeats(true).preVote(true);
        if (args.length > 3) {
            builder.storage(Path.of(args[3]));
        }
        Gaggle node = builder.build();
        node.onCommitted((entry, index) -> System.out.println("committed " + index + " " + entry.data().asString()));
        node.start();
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
        reporter.scheduleAtFixedRate(() -> {
            GaggleStatus status = node.getStatus();
            System.out.println("status " + status.role() + " " + status.term() + " " + status.leader().orElse("-")
                    + " " + status.commitIndex() + " " + status.lastLogIndex() + " " + status.channelState() + " "
                    + status.faultReason().orElse("-"));
        }, 0, 50, TimeUnit.MILLISECONDS);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = commands.readLine(); command != null; command = commands.readLine()) {
            String[] words = command.split(" ");
            switch (words[0]) {
                case "append" -> {
                    for (int client = 0; client < Integer.parseInt(words[2]); client++) {
                        appendOneAfterAnother(node, words[1] + "." + client, 0, Integer.parseInt(words[3]));
                    }
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

    /** A client: appends {@code prefix.i} and, once it is acknowledged, {@code prefix.(i + 1)}, up to {@code count}. */
    private static void appendOneAfterAnother(Gaggle node, String prefix, int i, int count) {
        if (i == count) {
            return;
        }
        String data = prefix + "." + i;
        node.append(data).whenComplete((done, failure) -> {
            if (failure != null) {
                System.out.println("failed " + data + " " + failure);
                return;
            }
            System.out.println("acked " + data);
            appendOneAfterAnother(node, prefix, i + 1, count);
        });
    }
}
