package io.gaggle.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import io.gaggle.Gaggle;
import io.gaggle.spring.autoconfigure.ThreeApplications.CommittedEntries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for where the auto-configured node keeps its term, vote and log: in
 * {@code gaggle.storage.directory}, or in memory with a warning. Each context runs a one-node
 * cluster on a memory hub of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
class GaggleAutoConfigurationStorageTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final String IN_MEMORY_WARNING = "keeps its term, vote and log in memory, so a restart can lose "
            + "committed entries; set gaggle.storage.directory";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GaggleAutoConfiguration.class))
        .withPropertyValues("gaggle.id=node-a", "gaggle.cluster-size=1", "gaggle.channel.name=memory",
                "gaggle.channel.memory.name=" + UUID.randomUUID());

    @Test
    void nodeWithoutAStorageDirectoryWarnsOnceThatARestartCanLoseCommittedEntries(CapturedOutput output) {
        this.contextRunner.run((context) -> {
            assertThat(context.getBean(Gaggle.class).getStatus().storage()).isEqualTo("memory");
            assertThat(output.getAll()).containsOnlyOnce("Gaggle node node-a " + IN_MEMORY_WARNING);
        });
    }

    @Test
    void nodeKeepsItsStateInTheStorageDirectory(@TempDir Path directory) {
        this.contextRunner.withPropertyValues("gaggle.storage.directory=" + directory).run((context) -> {
            assertThat(context.getBean(GaggleProperties.class).getStorage().getDirectory()).isEqualTo(directory);
            assertThat(context.getBean(Gaggle.class).getStatus().storage())
                .isEqualTo(directory.toAbsolutePath().toString());
            assertThat(directory).isNotEmptyDirectory();
        });
    }

    @Test
    void nodeWithAStorageDirectoryDoesNotWarn(@TempDir Path directory, CapturedOutput output) {
        this.contextRunner.withPropertyValues("gaggle.storage.directory=" + directory)
            .run((context) -> assertThat(output.getAll()).contains("Gaggle node node-a starting")
                .doesNotContain(IN_MEMORY_WARNING));
    }

    @Test
    void nodeGivenAStorageDirectoryByACustomizerDoesNotWarn(@TempDir Path directory, CapturedOutput output) {
        this.contextRunner
            .withBean(GaggleBuilderCustomizer.class, () -> (builder) -> builder.storage(directory))
            .run((context) -> {
                assertThat(context.getBean(Gaggle.class).getStatus().storage())
                    .isEqualTo(directory.toAbsolutePath().toString());
                assertThat(output.getAll()).doesNotContain(IN_MEMORY_WARNING);
            });
    }

    @Test
    void restartedNodeDeliversTheCommittedEntriesAgainFromItsStorageDirectory(@TempDir Path directory) {
        ApplicationContextRunner durable = this.contextRunner
            .withPropertyValues("gaggle.storage.directory=" + directory)
            .withUserConfiguration(CommittedEntries.class);
        durable.run((context) -> {
            Gaggle node = context.getBean(Gaggle.class);
            await().atMost(TIMEOUT).until(node::isLeader);
            node.append("mary").get();
            node.append("lamb").get();
        });
        durable.run((context) -> await().atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(context.getBean(CommittedEntries.class).data).containsExactly("mary",
                    "lamb")));
    }
}
