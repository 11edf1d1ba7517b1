package io.gaggle.sample;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The nodes of the sample in one JVM: each is a complete application context with its own web
 * server, and they meet on a memory-channel hub, as separate processes would meet on Redis. The
 * cluster size and channel come from {@code application.yml}; each node gets its port, id and the
 * hub here.
 */
final class EmbeddedCluster {

    private EmbeddedCluster() {
    }

    /**
     * Starts one node per port, named {@code node-1}, {@code node-2}, ...
     *
     * @param hub the memory hub's name: clusters on different hubs do not meet
     * @param ports the nodes' HTTP ports; 0 picks a free one
     * @param args command-line arguments for every node
     * @return the nodes' contexts, in port order
     */
    static List<ConfigurableApplicationContext> start(String hub, List<Integer> ports, String... args) {
        List<ConfigurableApplicationContext> nodes = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            nodes.add(new SpringApplicationBuilder(SampleApplication.class)
                .properties("server.port=" + ports.get(i), "gaggle.id=node-" + (i + 1),
                        "gaggle.channel.memory.name=" + hub)
                .run(args));
        }
        return nodes;
    }
}
