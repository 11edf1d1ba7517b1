package io.gaggle.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.gaggle.spring.autoconfigure.InvalidGaggleConfigurationException.Problem;

import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Checks {@link GaggleProperties} before a node is built, naming each bad property and its fix.
 * The core would reject most of these too, but in its own terms (builder methods, not
 * properties), and some (a missing channel library) only once a channel is created.
 */
final class GagglePropertiesValidator {

    static final String CHANNEL_NAME = "gaggle.channel.name";

    private static final String CHANNEL_NAMES = "redis, socket.io or memory";

    private GagglePropertiesValidator() {
    }

    /**
     * Checks the settings, reporting every problem at once.
     *
     * @param properties the settings
     * @param classLoader where to look for the chosen channel's library
     * @param channel whether to check the channel settings too
     * @throws InvalidGaggleConfigurationException naming each invalid property
     */
    static void validate(GaggleProperties properties, ClassLoader classLoader, boolean channel) {
        List<Problem> problems = new ArrayList<>();
        validateNode(properties, classLoader, problems);
        if (channel) {
            validateChannel(properties.getChannel(), classLoader, problems);
        }
        if (!problems.isEmpty()) {
            throw InvalidGaggleConfigurationException.of(problems);
        }
    }

    /** Checks the node's own settings: id, cluster size, timing, and the relay it may run. */
    private static void validateNode(GaggleProperties properties, ClassLoader classLoader, List<Problem> problems) {
        if (!StringUtils.hasText(properties.getId())) {
            problems.add(new Problem("gaggle.id", "is empty",
                    "Set gaggle.id to a string unique in the cluster, or remove it to get a random UUID."));
        }
        Integer clusterSize = properties.getClusterSize();
        if (clusterSize == null) {
            problems.add(new Problem("gaggle.cluster-size", "is not set",
                    "Set gaggle.cluster-size to the number of nodes in the cluster, e.g. gaggle.cluster-size=3."));
        }
        else if (clusterSize < 1) {
            problems.add(new Problem("gaggle.cluster-size", "is " + clusterSize + ", but a cluster has at least 1 node",
                    "Set gaggle.cluster-size to the number of nodes in the cluster, e.g. gaggle.cluster-size=3."));
        }
        Duration min = properties.getElectionTimeout().getMin();
        Duration max = properties.getElectionTimeout().getMax();
        Duration heartbeat = properties.getHeartbeatInterval();
        boolean timingPositive = requirePositive(problems, "gaggle.election-timeout.min", min)
                & requirePositive(problems, "gaggle.election-timeout.max", max)
                & requirePositive(problems, "gaggle.heartbeat-interval", heartbeat);
        if (timingPositive && min.compareTo(max) > 0) {
            problems.add(new Problem("gaggle.election-timeout.min",
                    "is " + min.toMillis() + "ms, longer than gaggle.election-timeout.max (" + max.toMillis() + "ms)",
                    "Set gaggle.election-timeout.min to at most gaggle.election-timeout.max, e.g. min: 300ms and max: 500ms."));
        }
        if (timingPositive && heartbeat.compareTo(min) >= 0) {
            problems.add(new Problem("gaggle.heartbeat-interval",
                    "is " + heartbeat.toMillis() + "ms, not shorter than gaggle.election-timeout.min (" + min.toMillis()
                            + "ms), so followers would stand for election while the leader is alive",
                    "Set gaggle.heartbeat-interval well below gaggle.election-timeout.min, e.g. 50ms for a 300ms minimum."));
        }
        if (properties.getMaxPendingAppends() < 1) {
            problems.add(new Problem("gaggle.max-pending-appends",
                    "is " + properties.getMaxPendingAppends() + ", but at least one append must be able to wait",
                    "Set gaggle.max-pending-appends to a positive bound, e.g. 100000 (the default)."));
        }
        if (properties.getSocketIoServer().isEnabled()) {
            requireClass(problems, "gaggle.socket-io-server.enabled", "true",
                    "com.corundumstudio.socketio.SocketIOServer", "com.corundumstudio.socketio:netty-socketio",
                    classLoader);
        }
    }

    private static boolean requirePositive(List<Problem> problems, String property, Duration value) {
        if (value == null || value.toMillis() < 1) {
            problems.add(new Problem(property, "is " + value + ", but must be at least 1ms",
                    "Set " + property + " to a positive duration such as 300ms, or remove it to use the default."));
            return false;
        }
        return true;
    }

    /**
     * Checks the channel settings: a known channel name, that channel's required properties and
     * its library on the classpath.
     */
    private static void validateChannel(GaggleProperties.Channel channel, ClassLoader classLoader,
            List<Problem> problems) {
        String name = channel.getName();
        if (!StringUtils.hasText(name)) {
            problems.add(new Problem(CHANNEL_NAME, "is not set",
                    "Set gaggle.channel.name to " + CHANNEL_NAMES + ", e.g. gaggle.channel.name=redis."));
        }
        else {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "redis" -> validateRedis(channel.getRedis(), classLoader, problems);
                case "socket.io" -> validateSocketIo(channel.getSocketIo(), classLoader, problems);
                case "memory" -> requireText(problems, "gaggle.channel.memory.name", channel.getMemory().getName(),
                        "the name of the in-memory hub, e.g. default");
                default -> problems.add(new Problem(CHANNEL_NAME, "is '" + name + "', which is not a Gaggle channel",
                        "Set gaggle.channel.name to " + CHANNEL_NAMES + "."));
            }
        }
    }

    private static void validateRedis(GaggleProperties.Redis redis, ClassLoader classLoader, List<Problem> problems) {
        requireClass(problems, CHANNEL_NAME, "redis", "io.lettuce.core.RedisClient", "io.lettuce:lettuce-core",
                classLoader);
        requireText(problems, "gaggle.channel.redis.channel-name", redis.getChannelName(),
                "the cluster's name, the same on every node, e.g. gaggle.channel.redis.channel-name=orders");
    }

    private static void validateSocketIo(GaggleProperties.SocketIo socketIo, ClassLoader classLoader,
            List<Problem> problems) {
        requireClass(problems, CHANNEL_NAME, "socket.io", "io.socket.client.IO", "io.socket:socket.io-client",
                classLoader);
        requireText(problems, "gaggle.channel.socket-io.host", socketIo.getHost(),
                "the relay's URL, e.g. gaggle.channel.socket-io.host=http://localhost:9000");
        requireText(problems, "gaggle.channel.socket-io.channel", socketIo.getChannel(),
                "the cluster's name on the relay, the same on every node, e.g. gaggle.channel.socket-io.channel=orders");
    }

    private static void requireText(List<Problem> problems, String property, String value, String what) {
        if (!StringUtils.hasText(value)) {
            problems.add(new Problem(property, "is not set, and the " + channelOf(property) + " channel needs it",
                    "Set " + property + " to " + what + "."));
        }
    }

    private static String channelOf(String property) {
        String section = property.substring("gaggle.channel.".length(), property.lastIndexOf('.'));
        return section.equals("socket-io") ? "socket.io" : section;
    }

    /** The library that a property's value needs, which the starter brings but gaggle-core only offers. */
    private static void requireClass(List<Problem> problems, String property, String value, String className,
            String artifact, ClassLoader classLoader) {
        if (!ClassUtils.isPresent(className, classLoader)) {
            problems.add(new Problem(property, "is " + value + ", but " + artifact + " is not on the classpath",
                    "Add io.gaggle:gaggle-spring-boot-starter, or " + artifact + ", to the application's dependencies."));
        }
    }
}
