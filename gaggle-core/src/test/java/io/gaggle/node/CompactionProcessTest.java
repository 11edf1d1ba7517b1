package io.gaggle.node;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.gaggle.test.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes, each a process of its own with a 128 MiB heap and file storage, on a real Redis,
 * take a snapshot every 10,000 entries while clients on every node append small entries: the
 * log each node retains, and its heap, stay flat however many entries commit, and every node
 * applies the same entries. Without compaction the retained entries (measured here: about 120
 * bytes of heap each) would outgrow the heap in about a million.
 * <p>
 * The build appends 200,000 entries; {@code -Dgaggle.compaction.appends=2000000} runs the
 * issue's 2,000,000, which takes several minutes on two cores.
 */
class CompactionProcessTest {

    private static final long THRESHOLD = 10_000;
    /** The node's default trailing margin, {@code Gaggle.Builder.DEFAULT_SNAPSHOT_TRAILING_ENTRIES}. */
    private static final long TRAILING = 5_000;
    /** The most entries one AppendEntries carries ({@code RaftConfig.of}). */
    private static final long BATCH = 1_000;
    private static final int SAMPLES = 10;
    private static final int CLIENTS_PER_NODE = 32;
    /**
     * How much heap may grow from the first sample (at a tenth of the appends, past the first
     * compactions) to the last: 10 MiB. The retained log varies between samples by up to a
     * threshold and a trailing margin, some 15,000 entries, about 2-3 MiB; the rest is room for
     * channel buffers and the clients' pending appends, which vary with timing (measured: up to 6
     * MiB). Measured without compaction, 200,000 appends grew the heap by 22 MiB from that sample.
     */
    private static final long HEAP_MARGIN = 10L << 20;

    private final String channelName = "compaction-" + UUID.randomUUID();
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        nodes.forEach(NodeProcess::close);
    }

    @Test
    void retainedEntriesAndHeapStayFlatAsMillionsOfAppendsCommit(@TempDir Path directories) {
        int perClient = (int) (Long.getLong("gaggle.compaction.appends", 200_000) / (3 * CLIENTS_PER_NODE));
        long appends = 3L * CLIENTS_PER_NODE * perClient;
        Instant started = Instant.now();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60 + appends / 2_000));
        for (String id : List.of("a", "b", "c")) {
            nodes.add(new NodeProcess(id, channelName, TestRedis.url(), directories.resolve(id),
                    List.of("--snapshot-threshold", Long.toString(THRESHOLD))));
        }
        nodes.forEach(NodeProcess::awaitConnected);
        NodeProcess.awaitLeader(nodes);
        nodes.forEach(node -> node.load("load-" + node.id, CLIENTS_PER_NODE, perClient));

        List<List<NodeProcess.Heap>> samples = new ArrayList<>();
        long every = appends / SAMPLES;
        for (int sample = 1; sample <= SAMPLES; sample++) {
            long committed = sample * every;
            await().atMost(remaining(deadline)).failFast(() -> assertThat(failures()).isEmpty())
                    .untilAsserted(() -> assertThat(nodes).as(this::describe)
                            .allMatch(node -> node.status().commitIndex() + 1 >= committed));
            String tag = Long.toString(committed);
            nodes.forEach(node -> node.requestHeap(tag));
            samples.add(nodes.stream().map(node -> await().atMost(remaining(deadline))
                    .until(() -> node.heap(tag).orElse(null), heap -> heap != null)).toList());
        }
        for (NodeProcess node : nodes) {
            await().atMost(remaining(deadline)).until(() -> node.loaded("load-" + node.id).isPresent());
        }
        await().atMost(remaining(deadline)).untilAsserted(() -> assertThat(nodes).extracting(NodeProcess::state)
                .as("applied, count and hash").containsOnly(nodes.get(0).state()));
        printTable(samples, every);
        System.out.println(appends + " appends committed in " + Duration.between(started, Instant.now()));

        assertThat(failures()).isEmpty();
        for (NodeProcess node : nodes) {
            assertThat(node.loaded("load-" + node.id)).as(node.id).contains(CLIENTS_PER_NODE * perClient);
        }
        assertThat(Long.parseLong(nodes.get(0).state().split(" ")[1])).as("entries applied")
                .isGreaterThanOrEqualTo(appends);
        for (int i = 0; i < nodes.size(); i++) {
            int node = i;
            List<NodeProcess.Heap> heaps = samples.stream().map(sample -> sample.get(node)).toList();
            assertThat(heaps).as("retained entries on %s", nodes.get(node).id)
                    .allSatisfy(heap -> assertThat(heap.retained()).isLessThanOrEqualTo(THRESHOLD + TRAILING + BATCH));
            assertThat(heaps.get(heaps.size() - 1).usedBytes()).as("heap used on %s, last against first",
                    nodes.get(node).id).isLessThanOrEqualTo(heaps.get(0).usedBytes() + HEAP_MARGIN);
        }
    }

    private String describe() {
        return String.join("\n", nodes.stream().map(NodeProcess::describe).toList());
    }

    private List<String> failures() {
        return nodes.stream().flatMap(node -> node.failed().stream()).toList();
    }

    private static Duration remaining(Instant deadline) {
        return Duration.between(Instant.now(), deadline);
    }

    private void printTable(List<List<NodeProcess.Heap>> samples, long every) {
        StringBuilder table = new StringBuilder("| committed |");
        nodes.forEach(node -> table.append(" ").append(node.id).append(" retained | ").append(node.id)
                .append(" heap MiB |"));
        for (int sample = 0; sample < samples.size(); sample++) {
            table.append("\n| ").append(String.format("%,d", (sample + 1) * every)).append(" |");
            for (NodeProcess.Heap heap : samples.get(sample)) {
                table.append(String.format(" %,d | %.1f |", heap.retained(), heap.usedBytes() / (double) (1 << 20)));
            }
        }
        System.out.println(table);
    }
}
