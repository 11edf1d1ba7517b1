package io.gaggle.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Registers a bean method as a Gaggle RPC handler, callable from any node of the cluster with
 * {@link io.gaggle.Gaggle#dispatchOnLeader(String, java.util.List, java.time.Duration)}; it runs on
 * the leader, as the original's {@code rpc} functions do.
 * <pre>{@code
 * @Component
 * class Sequence {
 *
 *     @GaggleRpc
 *     String greet(Gaggle leader, String name) {
 *         return "hello " + name + " from " + leader.getId();
 *     }
 * }
 * // on any node:
 * node.dispatchOnLeader("greet", List.of("ann"), Duration.ofSeconds(5), String.class)
 * }</pre>
 * <ul>
 * <li>The caller's JSON arguments are converted to the parameter types by position, with the
 * node's {@code JsonMapper}; missing arguments are {@code null}, extra ones are ignored.</li>
 * <li>A parameter of type {@link io.gaggle.Gaggle} takes no argument: it receives the leader
 * node the method runs on (the original's {@code this}).</li>
 * <li>The return value goes back to the caller, serialised as JSON; an exception thrown by the
 * method reaches the caller as a {@link io.gaggle.GaggleRpcException} with its message.</li>
 * <li>Handlers may run more than once when leadership changes mid-call: make them idempotent.</li>
 * </ul>
 * Methods are found on any bean of the application context, by the bean's declared type, when
 * the auto-configured node is built; the bean itself is looked up on the first call. Two handlers
 * with one name fail the startup.
 * <p>
 * For an AOT-processed or native application, the method and its parameter and return types are
 * registered for reflection and JSON binding when the bean is processed ahead of time.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(GaggleRpcReflectiveProcessor.class)
public @interface GaggleRpc {

    /** The name callers dispatch; defaults to the method's name. */
    String value() default "";
}
