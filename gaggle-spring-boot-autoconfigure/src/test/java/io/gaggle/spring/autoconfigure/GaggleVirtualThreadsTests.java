package io.gaggle.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gaggle.test.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * With {@code spring.threads.virtual.enabled=true}, {@link GaggleAutoConfiguration} runs RPC
 * handlers and listeners on virtual threads, and the consensus loop stays on a platform thread.
 * Boot's virtual threading is only active on Java 21 or later, and the build runs on Java 17, so
 * {@link VirtualThreadsApplication} runs in a child JVM of a JDK 21 or later found on the machine.
 * Without one the tests are skipped, unless the environment variable
 * {@value #REQUIRE_JDK21} is {@code 1} (as CI sets it where it has one): then they fail.
 */
class GaggleVirtualThreadsTests {

    static final String REQUIRE_JDK21 = "GAGGLE_TEST_REQUIRE_JDK21";

    private Path javaHome;

    /** Per test rather than per class, so that a skip is reported as two skipped tests. */
    @BeforeEach
    void findJdk21() {
        Optional<Path> found = ChildJvm.findJavaHome(21);
        if (found.isEmpty() && "1".equals(System.getenv(REQUIRE_JDK21))) {
            fail(REQUIRE_JDK21 + "=1, but no JDK 21 or later was found in /usr/lib/jvm or a JAVA_HOME* variable");
        }
        Assumptions.assumeTrue(found.isPresent(),
                "no JDK 21 or later in /usr/lib/jvm or a JAVA_HOME* variable, so virtual threads are not tested");
        this.javaHome = found.get();
    }

    /** Runs the application with {@code args} and returns its reports, "done" last. */
    private List<String> run(String... args) {
        List<String> reports = new CopyOnWriteArrayList<>();
        try (ChildJvm jvm = new ChildJvm("virtual threads application", this.javaHome, List.of("-Xmx256m"),
                VirtualThreadsApplication.class, List.of(args),
                (line) -> line.startsWith(VirtualThreadsApplication.REPORT)
                        && reports.add(line.substring(VirtualThreadsApplication.REPORT.length())))) {
            await().atMost(Duration.ofSeconds(60))
                .failFast(jvm.describe(), () -> !jvm.isAlive() && !reports.contains("done"))
                .until(() -> reports.contains("done"));
        }
        return reports;
    }

    @Test
    void handlersAndListenersRunOnVirtualThreadsAndTheLoopOnAPlatformThread() {
        List<String> reports = run();

        assertThat(reports).anySatisfy((line) -> assertThat(line).startsWith("rpc virtual=true name=gaggle-rpc-"))
            .anySatisfy((line) -> assertThat(line).startsWith("listener virtual=true name=gaggle-delivery-"))
            .anySatisfy((line) -> assertThat(line).startsWith("loop virtual=false name=gaggle-loop-"));
    }

    @Test
    void bootStillCreatesItsApplicationTaskExecutorForTheApplication() {
        List<String> reports = run();

        assertThat(reports).contains("applicationTaskExecutor present=true");
    }

    @Test
    void theApplicationsGaggleRpcExecutorBeanWinsOverVirtualThreads() {
        List<String> reports = run(VirtualThreadsApplication.OWN_EXECUTOR);

        assertThat(reports).contains("rpc virtual=false name=app-rpc")
            .anySatisfy((line) -> assertThat(line).startsWith("listener virtual=true name=gaggle-delivery-"));
    }
}
