package io.gaggle.spring.autoconfigure;

import java.util.UUID;

import io.gaggle.Gaggle;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GaggleInfoContributorAutoConfiguration}.
 */
class GaggleInfoContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(GaggleAutoConfiguration.class, GaggleInfoContributorAutoConfiguration.class))
        .withPropertyValues("gaggle.id=node-a", "gaggle.cluster-size=3", "gaggle.channel.name=memory",
                "gaggle.channel.memory.name=" + UUID.randomUUID());

    @Test
    void infoContributorDescribesTheNode() {
        this.contextRunner.run((context) -> {
            Info.Builder builder = new Info.Builder();
            context.getBean(GaggleInfoContributor.class).contribute(builder);
            assertThat(builder.build().get("gaggle")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("id", "node-a")
                .containsEntry("clusterSize", 3)
                .containsEntry("channel", context.getBean(Gaggle.class).getStatus().channel())
                .containsKey("role");
        });
    }

    @Test
    void infoContributorCanBeDisabled() {
        this.contextRunner.withPropertyValues("management.info.gaggle.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(GaggleInfoContributor.class));
    }

    @Test
    void infoContributorNeedsTheActuator() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(InfoContributor.class))
            .run((context) -> assertThat(context).doesNotHaveBean(GaggleInfoContributor.class));
    }

    @Test
    void infoContributorBacksOffForAnApplicationsOwn() {
        GaggleInfoContributor own = new GaggleInfoContributor(null);
        this.contextRunner.withBean(GaggleInfoContributor.class, () -> own)
            .run((context) -> assertThat(context.getBean(GaggleInfoContributor.class)).isSameAs(own));
    }
}
