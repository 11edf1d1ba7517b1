package io.gaggle.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A cluster whose nodes keep their state in directories comes back from a restart with its log. */
class FileStorageRestartTest {

    private static final List<String> IDS = List.of("a", "b", "c");

    @TempDir
    Path directories;

    private final Map<String, List<String>> delivered = new ConcurrentHashMap<>();

    private List<Gaggle> startCluster() {
        List<Gaggle> nodes = IDS.stream().map(id -> Gaggle.builder().id(id).clusterSize(IDS.size())
                .channel(ChannelConfig.memory("file-storage-restart")).storage(directories.resolve(id)).build()).toList();
        for (int i = 0; i < nodes.size(); i++) {
            List<String> seen = new CopyOnWriteArrayList<>();
            delivered.put(IDS.get(i), seen);
            nodes.get(i).onCommitted((entry, index) -> seen.add(entry.data().asString()));
        }
        nodes.forEach(Gaggle::start);
        return nodes;
    }

    private static List<String> appendedData(Gaggle node) {
        return node.getLog().stream().filter(entry -> !entry.isNoop()).map(entry -> entry.data().asString()).toList();
    }

    @Test
    void aRestartedClusterKeepsItsLogAndDeliversItAgain() {
        List<Gaggle> nodes = startCluster();
        for (String data : List.of("one", "two", "three")) {
            nodes.get(0).append(data).join();
        }
        nodes.forEach(node -> node.close().join());

        List<Gaggle> restarted = startCluster();
        try {
            restarted.get(1).append("four").join();

            List<String> expected = List.of("one", "two", "three", "four");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (int i = 0; i < IDS.size(); i++) {
                    assertThat(delivered.get(IDS.get(i))).as("delivered on %s", IDS.get(i)).isEqualTo(expected);
                    assertThat(appendedData(restarted.get(i))).as("log of %s", IDS.get(i)).isEqualTo(expected);
                }
            });
        } finally {
            restarted.forEach(node -> node.close().join());
        }
    }
}
