package io.gaggle.spring.test;

import io.gaggle.Gaggle;
import io.gaggle.spring.autoconfigure.GaggleProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext.HierarchyMode;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two test contexts alive at once in one JVM, as the test framework's context cache or parallel
 * test classes keep them, with the same node id: each leads a cluster of its own.
 */
class ParallelContextsTests {

    private final TestContext first = new TestContextManager(FirstTest.class).getTestContext();

    private final TestContext second = new TestContextManager(SecondTest.class).getTestContext();

    @AfterEach
    void closeContexts() {
        this.first.markApplicationContextDirty(HierarchyMode.EXHAUSTIVE);
        this.second.markApplicationContextDirty(HierarchyMode.EXHAUSTIVE);
    }

    @Test
    void eachContextLeadsItsOwnClusterOnItsOwnHub() {
        ApplicationContext one = this.first.getApplicationContext();
        ApplicationContext two = this.second.getApplicationContext();

        assertThat(hub(one)).isNotEqualTo(hub(two));
        assertThat(one.getBean(Gaggle.class).isLeader()).isTrue();
        assertThat(two.getBean(Gaggle.class).isLeader()).isTrue();
    }

    private static String hub(ApplicationContext context) {
        return context.getBean(GaggleProperties.class).getChannel().getMemory().getName();
    }

    @SpringBootTest(classes = OrderApplication.class)
    @AutoConfigureGaggle
    static class FirstTest {

    }

    /** Configured differently from {@link FirstTest}, so that the context cache keeps two contexts. */
    @SpringBootTest(classes = OrderApplication.class, properties = "spring.application.name=second")
    @AutoConfigureGaggle
    static class SecondTest {

    }
}
