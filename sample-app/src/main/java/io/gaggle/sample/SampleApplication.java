package io.gaggle.sample;

import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * A replicated key-value store on Gaggle, with a page at {@code /} that shows the cluster.
 * <p>
 * By default it runs a whole three-node cluster in this JVM, one application context per node
 * on ports 8081 to 8083, over the memory channel: nothing to install but a JDK; the nodes keep
 * their state in memory. With the {@code redis} profile it runs one node, to be started three
 * times with ids of their own (see the README), each keeping its state in a directory of its own.
 */
@SpringBootApplication
public class SampleApplication {

    /** The ports of the embedded cluster's nodes, which the page polls. */
    static final List<Integer> EMBEDDED_PORTS = List.of(8081, 8082, 8083);

    public static void main(String[] args) {
        StandardEnvironment environment = commandLineEnvironment(args);
        if (environment.matchesProfiles("redis")) {
            requireNodeId(environment);
            SpringApplication.run(SampleApplication.class, args);
        }
        else {
            EmbeddedCluster.start("sample", EMBEDDED_PORTS, args);
        }
    }

    /**
     * A node of the redis profile keeps its state in a directory named after its id, so its id
     * must be given, and be the same at every restart: the default, a random UUID, would start
     * a new, empty node each time. Said plainly rather than as a stack trace.
     */
    private static void requireNodeId(Environment environment) {
        if (!environment.containsProperty("gaggle.id")) {
            System.err.println("The redis profile runs one node, which keeps its state in a directory named after "
                    + "its id: give each node its own id, the same at every restart, e.g. --gaggle.id=node-1");
            System.exit(2);
        }
    }

    /** The command line and the environment, read before any context exists. */
    private static StandardEnvironment commandLineEnvironment(String[] args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        return environment;
    }
}
