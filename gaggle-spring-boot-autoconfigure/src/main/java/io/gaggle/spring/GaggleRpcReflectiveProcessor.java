package io.gaggle.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;

import io.gaggle.Gaggle;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;

/**
 * The ahead-of-time hints for a {@link GaggleRpc @GaggleRpc} method: the node invokes it by
 * reflection, and converts the caller's JSON arguments to its parameter types and its return
 * value back to JSON with Jackson, so those types need binding hints too. A {@link Gaggle}
 * parameter is injected, never bound.
 */
final class GaggleRpcReflectiveProcessor extends SimpleReflectiveProcessor {

    private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

    @Override
    protected void registerMethodHint(ReflectionHints hints, Method method) {
        super.registerMethodHint(hints, method);
        Type[] bound = Arrays.stream(method.getGenericParameterTypes())
            .filter((type) -> type != Gaggle.class)
            .toArray(Type[]::new);
        this.bindingRegistrar.registerReflectionHints(hints, bound);
        this.bindingRegistrar.registerReflectionHints(hints, method.getGenericReturnType());
    }
}
