package io.gaggle.spring.test;

import io.gaggle.Gaggle;
import io.gaggle.spring.autoconfigure.GaggleProperties;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test's own properties rank above {@link AutoConfigureGaggle}'s: here a hub it names, e.g. to
 * reach the node from a second node the test builds itself.
 */
@SpringBootTest(classes = OrderApplication.class, properties = "gaggle.channel.memory.name=chosen-by-the-test")
@AutoConfigureGaggle
class ExplicitPropertiesTests {

    @Autowired
    private GaggleProperties properties;

    @Autowired
    private Gaggle gaggle;

    @Test
    void hubSetByTheTestWins() {
        assertThat(this.properties.getChannel().getMemory().getName()).isEqualTo("chosen-by-the-test");
        assertThat(this.gaggle.isLeader()).isTrue();
    }
}
