package io.gaggle.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;

/**
 * One node of a three-node cluster on Redis, run in a JVM of its own by {@link SmallHeapFloodTest}
 * so that its heap can be made small. It prints, one per line, {@code committed <data>} for each
 * committed entry whose data is short (the test's own appends; a flood's entries are large) and
 * every 100 ms {@code status <role> <commitIndex> <droppedMessages> <usedHeapBytes>}. A line
 * {@code transfer} on its standard input makes it hand over leadership if it leads; when its
 * standard input closes it leaves the cluster and exits, so it never outlives the test.
 * <p>
 * Arguments: node id, channel name, Redis URL, and optionally the cluster secret.
 */
public final class FloodedNode {

    private static final int SHORT_DATA = 100;

    private FloodedNode() {
    }

    public static void main(String[] args) throws IOException {
        Gaggle.Builder builder = Gaggle.builder().id(args[0]).clusterSize(3)
                .channel(ChannelConfig.redis(args[1], args[2])).accelerateHeartbeats(true);
        if (args.length > 3) {
            builder.secret(args[3]);
        }
        Gaggle node = builder.build();
        node.onCommitted((entry, index) -> {
            if (!entry.isNoop() && entry.data().isString() && entry.data().asString().length() < SHORT_DATA) {
                System.out.println("committed " + entry.data().asString());
            }
        });
        node.start();
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
        reporter.scheduleAtFixedRate(() -> {
            GaggleStatus status = node.getStatus();
            Runtime runtime = Runtime.getRuntime();
            System.out.println("status " + status.role() + " " + status.commitIndex() + " "
                    + status.droppedMessages() + " " + (runtime.totalMemory() - runtime.freeMemory()));
        }, 0, 100, TimeUnit.MILLISECONDS);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = commands.readLine(); command != null; command = commands.readLine()) {
            if (command.equals("transfer") && node.isLeader()) {
                node.transferLeadership();
            }
        }
        reporter.shutdownNow();
        node.close().join();
        System.exit(0);
    }
}
