package io.gaggle.sample;

import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * A replicated key-value store on Gaggle, with a page at {@code /} that shows the cluster.
 * <p>
 * By default it runs a whole three-node cluster in this JVM, one application context per node
 * on ports 8081 to 8083, over the memory channel: nothing to install but a JDK. With the
 * {@code redis} profile it runs one node, to be started three times (see the README).
 */
@SpringBootApplication
public class SampleApplication {

    /** The ports of the embedded cluster's nodes, which the page polls. */
    static final List<Integer> EMBEDDED_PORTS = List.of(8081, 8082, 8083);

    public static void main(String[] args) {
        if (activeProfiles(args).matchesProfiles("redis")) {
            SpringApplication.run(SampleApplication.class, args);
        }
        else {
            EmbeddedCluster.start("sample", EMBEDDED_PORTS, args);
        }
    }

    /** Profiles chosen on the command line or in the environment, read before any context exists. */
    private static StandardEnvironment activeProfiles(String[] args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        return environment;
    }
}
