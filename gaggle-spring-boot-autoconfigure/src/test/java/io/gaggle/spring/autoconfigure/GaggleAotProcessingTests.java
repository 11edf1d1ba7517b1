package io.gaggle.spring.autoconfigure;

import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;
import io.gaggle.Role;
import io.gaggle.channel.ChannelState;
import io.gaggle.spring.GaggleRpc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processes an application with the auto-configuration ahead of time, as
 * {@code spring-boot:process-aot} does, and checks the hints that a native image would get.
 */
class GaggleAotProcessingTests {

    private static RuntimeHints hints;

    @BeforeAll
    static void processAheadOfTime() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            TestPropertyValues.of("gaggle.cluster-size=1", "gaggle.channel.name=memory").applyTo(context);
            context.register(GaggleAutoConfiguration.class, SequenceConfiguration.class);
            ClassNameGenerator classNames = new ClassNameGenerator(ClassName.get(GaggleAotProcessingTests.class));
            DefaultGenerationContext generationContext = new DefaultGenerationContext(classNames,
                    new InMemoryGeneratedFiles());
            new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
            hints = generationContext.getRuntimeHints();
        }
    }

    @Test
    void registersGaggleRpcMethodsOfTheApplicationsBeans() {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Sequence.class, "next")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Id.class, "value")).accepts(hints);
    }

    @Test
    void registersThePropertiesForBinding() {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(GaggleProperties.class, "setClusterSize"))
            .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(GaggleProperties.ElectionTimeout.class, "setMin")).accepts(hints);
    }

    @Test
    void registersTheTransportClassesProbedByName() {
        for (String probed : new String[] { "io.lettuce.core.RedisClient", "io.socket.client.IO",
                "com.corundumstudio.socketio.SocketIOServer" }) {
            assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(probed))).accepts(hints);
        }
    }

    @Test
    void registersTheStatusTypesForJsonBinding() {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(GaggleStatus.class, "commitIndex"))
            .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onType(Role.class)
            .withMemberCategory(MemberCategory.ACCESS_DECLARED_FIELDS)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onType(ChannelState.class)
            .withMemberCategory(MemberCategory.ACCESS_DECLARED_FIELDS)).accepts(hints);
    }

    record Id(long value) {
    }

    static class Sequence {

        @GaggleRpc
        Id next(Gaggle leader) {
            return new Id(leader.getStatus().commitIndex());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SequenceConfiguration {

        @Bean
        Sequence sequence() {
            return new Sequence();
        }
    }
}
