package io.gaggle.spring.autoconfigure;

import io.gaggle.GaggleStatus;
import io.gaggle.Role;
import io.gaggle.channel.ChannelState;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * The ahead-of-time hints for what Gaggle itself looks up or serialises by reflection, beyond the
 * {@link io.gaggle.spring.GaggleRpc @GaggleRpc} methods and the {@code gaggle.*} properties,
 * which Spring registers from the beans.
 * <ul>
 * <li>The transports are optional libraries, probed by class name before use, so that a missing one
 * is reported by its artifact: a native image must know those names for the probe to find them.</li>
 * <li>The node's status and its enums reach Jackson through the health and info endpoints and
 * through applications that return them from their own controllers.</li>
 * </ul>
 */
class GaggleRuntimeHints implements RuntimeHintsRegistrar {

    /** The classes probed for: Lettuce, the Socket.IO client and the relay's server. */
    private static final String[] PROBED_CLASSES = { GagglePropertiesValidator.REDIS_CLIENT_CLASS,
            GagglePropertiesValidator.SOCKET_IO_CLIENT_CLASS, GagglePropertiesValidator.SOCKET_IO_SERVER_CLASS };

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        for (String className : PROBED_CLASSES) {
            hints.reflection().registerType(TypeReference.of(className));
        }
        new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), GaggleStatus.class,
                Role.class, ChannelState.class);
    }
}
