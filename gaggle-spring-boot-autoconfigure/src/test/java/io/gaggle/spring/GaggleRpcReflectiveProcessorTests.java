package io.gaggle.spring;

import java.util.List;

import io.gaggle.Gaggle;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

class GaggleRpcReflectiveProcessorTests {

    private final RuntimeHints hints = hintsFor(Handlers.class);

    @Test
    void registersTheMethodForInvocation() {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Handlers.class, "move")).accepts(this.hints);
    }

    @Test
    void registersTheParameterTypesForJsonBinding() {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Point.class, "x")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onType(Point.class)
            .withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(this.hints);
    }

    @Test
    void registersTheElementTypesOfGenericParametersForJsonBinding() {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Step.class, "length")).accepts(this.hints);
    }

    @Test
    void registersTheReturnTypeForJsonBinding() {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Moved.class, "to")).accepts(this.hints);
    }

    @Test
    void leavesTheInjectedNodeOutOfBinding() {
        assertThat(RuntimeHintsPredicates.reflection().onType(Gaggle.class)).rejects(this.hints);
    }

    @Test
    void leavesMethodsWithoutTheAnnotationAlone() {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Handlers.class, "local"))
            .rejects(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(Unbound.class)).rejects(this.hints);
    }

    private static RuntimeHints hintsFor(Class<?> beanType) {
        RuntimeHints hints = new RuntimeHints();
        new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, beanType);
        return hints;
    }

    record Point(int x, int y) {
    }

    record Step(int length) {
    }

    record Moved(Point to) {
    }

    record Unbound(int value) {
    }

    static class Handlers {

        @GaggleRpc
        Moved move(Gaggle leader, Point from, List<Step> steps) {
            return new Moved(from);
        }

        Unbound local(Unbound value) {
            return value;
        }
    }
}
