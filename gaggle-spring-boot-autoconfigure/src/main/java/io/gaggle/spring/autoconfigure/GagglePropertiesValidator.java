package io.gaggle.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.gaggle.Gaggle;
import io.gaggle.GaggleConfigurationException;
import io.gaggle.GaggleConfigurationException.Setting;
import io.gaggle.spring.autoconfigure.InvalidGaggleConfigurationException.Problem;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The Spring half of Gaggle's rule book, naming each bad property and its fix. {@link Gaggle.Builder}
 * checks the node's settings; this names the property behind each of them in one table
 * ({@link #problem}), and checks only what the builder cannot see: the channel's name, that
 * channel's required properties, the SSL bundles the properties name, and the libraries that the
 * starter brings but gaggle-core only offers.
 */
final class GagglePropertiesValidator {

    /** The classes whose presence tells whether a channel's library is on the classpath. */
    static final String REDIS_CLIENT_CLASS = "io.lettuce.core.RedisClient";
    static final String SOCKET_IO_CLIENT_CLASS = "io.socket.client.IO";
    static final String SOCKET_IO_SERVER_CLASS = "com.corundumstudio.socketio.SocketIOServer";

    static final String CHANNEL_NAME = "gaggle.channel.name";

    static final String SOCKET_IO_SSL_BUNDLE = "gaggle.channel.socket-io.ssl.bundle";

    static final String SOCKET_IO_SERVER_SSL_BUNDLE = "gaggle.socket-io-server.ssl.bundle";

    private static final String CHANNEL_NAMES = "redis, socket.io or memory";

    private GagglePropertiesValidator() {
    }

    /**
     * Checks what only the properties can get wrong, reporting every problem at once.
     *
     * @param properties the settings
     * @param classLoader where to look for the libraries the properties need
     * @param sslBundles the application's SSL bundles, or null if it has none
     * @return the problems, none if the properties are fine
     */
    static List<Problem> validate(GaggleProperties properties, ClassLoader classLoader, SslBundles sslBundles) {
        List<Problem> problems = new ArrayList<>();
        if (properties.getSocketIoServer().isEnabled()) {
            requireClass(problems, "gaggle.socket-io-server.enabled", "true",
                    SOCKET_IO_SERVER_CLASS, "com.corundumstudio.socketio:netty-socketio",
                    classLoader);
            problems.addAll(validateSocketIoServer(properties.getSocketIoServer(), sslBundles));
        }
        // Without a name the builder reports the missing channel, unless the application has a ChannelConfig.
        if (StringUtils.hasText(properties.getChannel().getName())) {
            validateChannel(properties.getChannel(), classLoader, sslBundles, problems);
        }
        return problems;
    }

    /**
     * Checks the relay's properties, which the relay's own bean needs before the node's.
     *
     * @param relay the relay's settings
     * @param sslBundles the application's SSL bundles, or null if it has none
     * @return the problems, none if the properties are fine
     */
    static List<Problem> validateSocketIoServer(GaggleProperties.SocketIoServer relay, SslBundles sslBundles) {
        List<Problem> problems = new ArrayList<>();
        requireSslBundle(problems, SOCKET_IO_SERVER_SSL_BUNDLE, relay.getSsl().getBundle(), sslBundles);
        return problems;
    }

    /**
     * The SSL bundle that a property names.
     *
     * @throws InvalidGaggleConfigurationException naming the property if no bundle has that name
     */
    static SslBundle sslBundle(String property, String name, SslBundles sslBundles) {
        List<Problem> problems = new ArrayList<>();
        requireSslBundle(problems, property, name, sslBundles);
        if (!problems.isEmpty()) {
            throw InvalidGaggleConfigurationException.of(problems);
        }
        return sslBundles.getBundle(name);
    }

    /**
     * Builds the node, or fails with the builder's problems and the properties' at once.
     *
     * @param builder the builder, with the properties and customizers applied
     * @param problems what {@link #validate} found
     * @throws InvalidGaggleConfigurationException naming each invalid property
     */
    static Gaggle build(Gaggle.Builder builder, List<Problem> problems) {
        List<Problem> report = new ArrayList<>(problems);
        if (!problems.isEmpty()) {
            // The node is then only checked, never built: without a channel build() cannot create
            // one, and its missing channel is no news after the channel properties were rejected.
            builder.channel(null);
        }
        try {
            return builder.build();
        }
        catch (GaggleConfigurationException ex) {
            ex.getProblems()
                .stream()
                .filter((problem) -> problems.isEmpty() || problem.setting() != Setting.CHANNEL)
                .map(GagglePropertiesValidator::problem)
                .forEach(report::add);
        }
        throw InvalidGaggleConfigurationException.of(report);
    }

    /**
     * A builder's problem as the property that sets it, with its fix: the one table of settings
     * to properties. A new {@link Setting} does not compile here until it has its row.
     */
    static Problem problem(GaggleConfigurationException.Problem problem) {
        String reason = problem.reason();
        return switch (problem.setting()) {
            case ID -> new Problem("gaggle.id", reason,
                    "Set gaggle.id to a string unique in the cluster, or remove it to get a random UUID.");
            case CLUSTER_SIZE -> new Problem("gaggle.cluster-size", reason,
                    "Set gaggle.cluster-size to the number of nodes in the cluster, e.g. gaggle.cluster-size=3.");
            case CHANNEL -> new Problem(CHANNEL_NAME, reason, "Set gaggle.channel.name to " + CHANNEL_NAMES
                    + ", e.g. gaggle.channel.name=redis, or define a ChannelConfig bean.");
            case ELECTION_TIMEOUT_MIN -> new Problem("gaggle.election-timeout.min", reason,
                    "Set gaggle.election-timeout.min to at least 1ms and at most gaggle.election-timeout.max, "
                            + "e.g. 300ms (the default).");
            case ELECTION_TIMEOUT_MAX -> new Problem("gaggle.election-timeout.max", reason,
                    "Set gaggle.election-timeout.max to at least gaggle.election-timeout.min, "
                            + "e.g. 500ms (the default).");
            case HEARTBEAT_INTERVAL -> new Problem("gaggle.heartbeat-interval", reason,
                    "Set gaggle.heartbeat-interval to at least 1ms and well below gaggle.election-timeout.min, "
                            + "e.g. 50ms (the default) for a 300ms minimum.");
            case MAX_PENDING_APPENDS -> new Problem("gaggle.max-pending-appends", reason,
                    "Set gaggle.max-pending-appends to a positive bound, e.g. 100000 (the default).");
            case MAX_PENDING_RPCS -> new Problem("gaggle.max-pending-rpcs", reason,
                    "Set gaggle.max-pending-rpcs to a positive bound, e.g. 1088 (the default).");
            case RPC_EXECUTOR -> new Problem("the " + GaggleAutoConfiguration.RPC_EXECUTOR_BEAN_NAME + " bean", reason,
                    "Give the " + GaggleAutoConfiguration.RPC_EXECUTOR_BEAN_NAME + " bean a rejection policy that "
                            + "throws, such as ThreadPoolExecutor.AbortPolicy, or remove it.");
            case LISTENER_THREAD_FACTORY -> new Problem(
                    "the " + GaggleAutoConfiguration.LISTENER_THREAD_FACTORY_BEAN_NAME + " bean", reason,
                    "Make the " + GaggleAutoConfiguration.LISTENER_THREAD_FACTORY_BEAN_NAME + " bean return a "
                            + "thread, or remove it.");
            case SECRET -> new Problem("gaggle.security.secret", reason,
                    "Set gaggle.security.secret (e.g. from the environment variable GAGGLE_SECURITY_SECRET) to the "
                            + "same long random string on every node, e.g. the output of openssl rand -base64 32.");
            case PREVIOUS_SECRET -> new Problem("gaggle.security.previous-secret", reason,
                    "Set gaggle.security.previous-secret only next to gaggle.security.secret, to the secret the "
                            + "cluster is moving away from.");
            case MEMBERS -> new Problem("gaggle.members", reason,
                    "List every node's id in gaggle.members once, this node's gaggle.id included, or remove "
                            + "gaggle.members to discover peers from the traffic.");
            case STORAGE -> new Problem("gaggle.storage.directory", reason,
                    "Set gaggle.storage.directory to a directory of this node's own, e.g. "
                            + "/var/lib/myapp/gaggle/node-1, or remove it to keep the node's state in memory.");
            case SNAPSHOT_THRESHOLD -> new Problem("gaggle.snapshot.threshold", reason,
                    "Define a Snapshotter bean and set gaggle.snapshot.threshold to at least 1, e.g. 100000 (the "
                            + "default), or remove gaggle.snapshot.threshold.");
            case SNAPSHOT_TRAILING_ENTRIES -> new Problem("gaggle.snapshot.trailing-entries", reason,
                    "Define a Snapshotter bean and set gaggle.snapshot.trailing-entries to at least 0, e.g. 5000 (the "
                            + "default), or remove gaggle.snapshot.trailing-entries.");
        };
    }

    /**
     * Checks the channel settings: a known channel name, that channel's required properties and
     * its library on the classpath.
     */
    private static void validateChannel(GaggleProperties.Channel channel, ClassLoader classLoader,
            SslBundles sslBundles, List<Problem> problems) {
        String name = channel.getName();
        switch (name.toLowerCase(Locale.ROOT)) {
            case "redis" -> validateRedis(channel.getRedis(), classLoader, problems);
            case "socket.io" -> validateSocketIo(channel.getSocketIo(), classLoader, sslBundles, problems);
            case "memory" -> requireText(problems, "gaggle.channel.memory.name", channel.getMemory().getName(),
                    "the name of the in-memory hub, e.g. default");
            default -> problems.add(new Problem(CHANNEL_NAME, "is '" + name + "', which is not a Gaggle channel",
                    "Set gaggle.channel.name to " + CHANNEL_NAMES + "."));
        }
    }

    private static void validateRedis(GaggleProperties.Redis redis, ClassLoader classLoader, List<Problem> problems) {
        requireClass(problems, CHANNEL_NAME, "redis", REDIS_CLIENT_CLASS, "io.lettuce:lettuce-core",
                classLoader);
        requireText(problems, "gaggle.channel.redis.channel-name", redis.getChannelName(),
                "the cluster's name, the same on every node, e.g. gaggle.channel.redis.channel-name=orders");
    }

    private static void validateSocketIo(GaggleProperties.SocketIo socketIo, ClassLoader classLoader,
            SslBundles sslBundles, List<Problem> problems) {
        requireClass(problems, CHANNEL_NAME, "socket.io", SOCKET_IO_CLIENT_CLASS, "io.socket:socket.io-client",
                classLoader);
        requireText(problems, "gaggle.channel.socket-io.host", socketIo.getHost(),
                "the relay's URL, e.g. gaggle.channel.socket-io.host=http://localhost:9000");
        requireText(problems, "gaggle.channel.socket-io.channel", socketIo.getChannel(),
                "the cluster's name on the relay, the same on every node, e.g. gaggle.channel.socket-io.channel=orders");
        requireSslBundle(problems, SOCKET_IO_SSL_BUNDLE, socketIo.getSsl().getBundle(), sslBundles);
    }

    private static void requireSslBundle(List<Problem> problems, String property, String name,
            SslBundles sslBundles) {
        if (StringUtils.hasText(name) && !hasSslBundle(sslBundles, name)) {
            problems.add(new Problem(property, "is '" + name + "', but no SSL bundle has that name",
                    "Define the bundle under spring.ssl.bundle.jks." + name + " or spring.ssl.bundle.pem." + name
                            + ", or set " + property + " to the name of one."));
        }
    }

    private static boolean hasSslBundle(SslBundles sslBundles, String name) {
        if (sslBundles == null) {
            return false;
        }
        try {
            sslBundles.getBundle(name);
            return true;
        }
        catch (NoSuchSslBundleException ex) {
            return false;
        }
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
