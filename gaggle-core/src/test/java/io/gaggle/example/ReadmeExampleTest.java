package io.gaggle.example;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick-start example, word for word, so it keeps working as written.
 */
class ReadmeExampleTest {

    @Test
    void theQuickStartExamplePrintsEveryCommittedEntry() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            quickStart();
        } finally {
            System.setOut(stdout);
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        // Raft orders concurrent appends somehow, the same on every node; "!" came after both.
        assertThat(lines).hasSize(3).last().isEqualTo("2 \"!\"");
        assertThat(lines.subList(0, 2)).extracting(line -> line.substring(2))
                .containsExactlyInAnyOrder("\"mary\"", "{\"foo\":\"lamb\"}");
        assertThat(lines).extracting(line -> line.substring(0, 1)).containsExactly("0", "1", "2");
    }

    private static void quickStart() {
        // --- README example start
        var nodes = Stream.of("a", "b", "c")
                .map(id -> Gaggle.builder().id(id).clusterSize(3).channel(ChannelConfig.memory()).build())
                .toList();
        Gaggle a = nodes.get(0);
        Gaggle c = nodes.get(2);
        c.onCommitted((entry, index) -> System.out.println(index + " " + entry.data()));
        nodes.forEach(Gaggle::start);

        CompletableFuture.allOf(a.append("mary"), c.append(Map.of("foo", "lamb"))).join();
        c.append("!").join(); // c's listener has seen every earlier entry by now
        nodes.forEach(node -> node.close().join());
        // --- README example end
    }
}
