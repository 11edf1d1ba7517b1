package io.gaggle.spring.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gaggle.Gaggle;
import io.gaggle.spring.GaggleRpc;
import io.gaggle.spring.autoconfigure.ThreeApplications.CommittedEntries;
import io.gaggle.test.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static io.gaggle.spring.autoconfigure.GaggleContexts.awaitLeader;
import static io.gaggle.spring.autoconfigure.GaggleContexts.contextOf;
import static io.gaggle.spring.autoconfigure.GaggleContexts.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three complete Spring Boot applications, each with a web server, form a cluster over a real
 * Redis that they reach through Spring Boot's {@code spring.data.redis.*} properties.
 */
class GaggleRedisClusterIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final HttpClient http = HttpClient.newHttpClient();

    private static List<ConfigurableApplicationContext> cluster;

    @BeforeAll
    static void startCluster() {
        cluster = startCluster("it-" + UUID.randomUUID());
    }

    @AfterAll
    static void stopCluster() {
        cluster.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void nodesElectOneLeaderThatAllOfThemKnow() {
        Gaggle leader = awaitLeader(cluster, TIMEOUT);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster)
            .allSatisfy((context) -> assertThat(node(context).getLeaderId()).hasValue(leader.getId())));
    }

    @Test
    void everyEventListenerSeesTheSameCommittedEntriesInTheSameOrder() throws Exception {
        awaitLeader(cluster, TIMEOUT);
        List<String> appended = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String data = "entry-" + i;
            node(cluster.get(i % 3)).append(data).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            appended.add(data);
        }
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster).allSatisfy((context) -> assertThat(
                context.getBean(CommittedEntries.class).data).containsExactlyInAnyOrderElementsOf(appended)));
        List<String> order = cluster.get(0).getBean(CommittedEntries.class).data;
        assertThat(cluster).allSatisfy(
                (context) -> assertThat(context.getBean(CommittedEntries.class).data).containsExactlyElementsOf(order));
    }

    @Test
    void gaggleRpcCalledFromAFollowerReturnsTheLeadersResult() throws Exception {
        Gaggle leader = awaitLeader(cluster, TIMEOUT);
        Gaggle follower = cluster.stream().map(GaggleContexts::node)
            .filter((node) -> node != leader)
            .findFirst()
            .orElseThrow();
        String answer = follower.dispatchOnLeader("whoLeads", List.of(follower.getId()), TIMEOUT, String.class)
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer).isEqualTo(leader.getId() + " answers " + follower.getId());
    }

    @Test
    void healthEndpointReportsEachNodesRole() {
        awaitLeader(cluster, TIMEOUT);
        // Re-read the leader on each try: a busy machine may trigger an election meanwhile.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Gaggle leader = awaitLeader(cluster, TIMEOUT);
            for (ConfigurableApplicationContext context : cluster) {
                JsonNode health = gaggleHealth(context);
                assertThat(health.get("status").asString()).isEqualTo("UP");
                assertThat(health.at("/details/role").asString())
                    .isEqualTo((node(context) == leader) ? "LEADER" : "FOLLOWER");
                assertThat(health.at("/details/leaderId").asString()).isEqualTo(leader.getId());
                assertThat(health.at("/details/channelState").asString()).isEqualTo("CONNECTED");
            }
        });
    }

    @Test
    void closingTheLeadersApplicationLeadsToANewLeader() {
        List<ConfigurableApplicationContext> own = startCluster("it-failover-" + UUID.randomUUID());
        try {
            Gaggle first = awaitLeader(own, TIMEOUT);
            long firstTerm = first.getTerm();
            ConfigurableApplicationContext leaderContext = contextOf(own, first);
            leaderContext.close();
            List<ConfigurableApplicationContext> rest = own.stream().filter((context) -> context != leaderContext).toList();
            Gaggle second = awaitLeader(rest, TIMEOUT);
            assertThat(second.getId()).isNotEqualTo(first.getId());
            assertThat(second.getTerm()).isGreaterThan(firstTerm);
        }
        finally {
            own.forEach(ConfigurableApplicationContext::close);
        }
    }

    @Test
    void closingTheLeadersApplicationHandsLeadershipOverWithoutWaitingForAnElectionTimeout() throws Exception {
        List<ConfigurableApplicationContext> own = startCluster("it-handover-" + UUID.randomUUID());
        try {
            Gaggle first = awaitLeader(own, TIMEOUT);
            long firstTerm = first.getTerm();
            ConfigurableApplicationContext leaderContext = contextOf(own, first);
            List<ConfigurableApplicationContext> rest = own.stream().filter((context) -> context != leaderContext).toList();
            long electionsBefore = rest.stream().mapToLong((context) -> node(context).getStatus().elections()).sum();

            leaderContext.close();

            // The closing leader handed over before it left: the target stood for election at once,
            // in the very next term, and no follower's election timer had to run out.
            assertThat(first.getStatus().transfers()).isEqualTo(1);
            Gaggle second = awaitLeader(rest, TIMEOUT);
            assertThat(second.getTerm()).isEqualTo(firstTerm + 1);
            assertThat(rest.stream().mapToLong((context) -> node(context).getStatus().elections()).sum())
                .isEqualTo(electionsBefore + 1);
            Gaggle follower = rest.stream().map(GaggleContexts::node)
                .filter((node) -> node != second)
                .findFirst()
                .orElseThrow();
            assertThat(follower.dispatchOnLeader("whoLeads", List.of("me"), TIMEOUT, String.class)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(second.getId() + " answers me");
        }
        finally {
            own.forEach(ConfigurableApplicationContext::close);
        }
    }

    private static List<ConfigurableApplicationContext> startCluster(String channelName) {
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            contexts.add(new SpringApplicationBuilder(ClusterNodeApplication.class).properties("server.port=0",
                    "spring.main.banner-mode=off", "gaggle.id=node-" + i + "-" + channelName, "gaggle.cluster-size=3",
                    "gaggle.channel.name=redis", "gaggle.channel.redis.channel-name=" + channelName,
                    "spring.data.redis.url=" + TestRedis.url(), "management.endpoints.web.exposure.include=health",
                    "management.endpoint.health.show-details=always")
                .run());
        }
        return contexts;
    }

    private static JsonNode gaggleHealth(ConfigurableApplicationContext context) throws IOException, InterruptedException {
        String port = context.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/gaggle")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonMapper.shared().readTree(response.body());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ClusterNodeApplication {

        @Bean
        CommittedEntries committedEntries() {
            return new CommittedEntries();
        }

        @Bean
        LeaderQuestions leaderQuestions() {
            return new LeaderQuestions();
        }
    }

    static class LeaderQuestions {

        @GaggleRpc
        String whoLeads(Gaggle leader, String caller) {
            return leader.getId() + " answers " + caller;
        }
    }
}
