package io.gaggle.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.gaggle.test.FreePort;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page at {@code /} as a person sees it: Debian's headless Chromium, driven by Selenium,
 * looks at an embedded three-node cluster on free ports. Skipped when Chromium or its driver is
 * not installed, unless {@value #REQUIRE_BROWSER} is set, as on CI, which makes that a failure.
 * The last test stops the leader, so the tests run in order.
 */
@TestMethodOrder(OrderAnnotation.class)
class SamplePageBrowserTests {

    private static final String REQUIRE_BROWSER = "GAGGLE_TEST_REQUIRE_BROWSER";

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final Duration STARTUP = Duration.ofSeconds(20);

    /** What the issue promises a person: a new leader on the page this soon after the old one stops. */
    private static final Duration FAILOVER = Duration.ofSeconds(2);

    private static final Path SCREENSHOT = Path.of("target", "screenshots", "sample-page.png");

    private static List<Integer> ports;

    private static List<ConfigurableApplicationContext> nodes;

    private static ChromeDriver browser;

    @BeforeAll
    static void startClusterAndBrowser(@TempDir Path profile) {
        requireBrowser();
        ports = Stream.generate(FreePort::pick).distinct().limit(3).toList();
        String peerPorts = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
        nodes = EmbeddedCluster.start("page-" + UUID.randomUUID(), ports, "--sample.peer-ports=" + peerPorts);
        browser = startBrowser(profile);
    }

    private static void requireBrowser() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "needs " + CHROMIUM + " and " + CHROMEDRIVER
                + " (Debian packages chromium and chromium-driver)";
        if (System.getenv(REQUIRE_BROWSER) != null) {
            assertThat(installed).as(REQUIRE_BROWSER + " is set, but the browser test " + missing).isTrue();
        }
        Assumptions.assumeTrue(installed, () -> "Skipped: the browser test " + missing);
    }

    /**
     * The driver is named, so Selenium Manager does not try to download one, and the browser is
     * told not to reach out to the internet, which a test machine may not have.
     */
    private static ChromeDriver startBrowser(Path profile) {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
            .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,1200",
                    "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowserAndCluster() {
        if (browser != null) {
            browser.quit();
        }
        if (nodes != null) {
            nodes.forEach(ConfigurableApplicationContext::close);
        }
    }

    @Test
    @Order(1)
    void pageShowsThreeNodesWithExactlyOneLeader() {
        open(ports.get(0));

        onPage("three nodes, one leader", STARTUP)
            .untilAsserted(() -> assertThat(roles().values()).hasSize(3)
                .containsOnlyOnce("LEADER")
                .containsOnly("LEADER", "FOLLOWER"));
    }

    @Test
    @Order(2)
    void valuePutThroughTheFormShowsInAnotherNodesValues() {
        open(ports.get(0));
        browser.findElement(By.id("key")).sendKeys("colour");
        browser.findElement(By.id("value")).sendKeys("green");
        browser.findElement(By.cssSelector("#put button[type=submit]")).click();
        await("the page says the put committed").atMost(STARTUP)
            .until(() -> browser.findElement(By.id("message")).getText(), (text) -> text.startsWith("Committed"));

        open(ports.get(1));

        onPage("the value in another node's values", STARTUP)
            .until(() -> browser.findElements(By.cssSelector("#values tr[data-key='colour'] td")).stream()
                .map(WebElement::getText)
                .toList(), (cells) -> cells.equals(List.of("colour", "green")));
    }

    @Test
    @Order(3)
    void chartRisesForEveryNodeWhileValuesArePut() {
        open(ports.get(2));
        onPage("a line per node", STARTUP)
            .until(() -> browser.findElements(By.cssSelector("#chart g[data-node^='node-']")).size() == 3);

        browser.findElement(By.id("load")).click();

        onPage("every node's line above zero", STARTUP)
            .untilAsserted(() -> assertThat(browser.findElements(By.cssSelector("#chart g[data-node]")))
                .extracting((series) -> Double.parseDouble(series.getDomAttribute("data-peak")))
                .hasSize(3)
                .allSatisfy((peak) -> assertThat(peak).isPositive()));
    }

    @Test
    @Order(4)
    void stoppingTheLeaderShowsANewLeaderAndItsTermInTheTimeline() throws IOException {
        String firstSeen = awaitLeaderOnPage(ports.get(0));
        String leader = awaitLeaderOnPage(ports.get(firstSeen.equals("node-1") ? 1 : 0));
        long term = onPage("the leader's term in the timeline", STARTUP)
            .until(() -> latestTerm(leader), (latest) -> latest > 0);
        browser.findElement(By.id("load")).click();
        await("the page says the puts committed").atMost(STARTUP)
            .until(() -> browser.findElement(By.id("message")).getText(), (text) -> text.contains("of 100 puts"));

        // The two seconds run from the start of the stop, which hands leadership over as it goes.
        ConfigurableApplicationContext leaderNode = nodes.get(ports.indexOf(portOf(leader)));
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(leaderNode::close);

        onPage("another leader, in a later term of the timeline", FAILOVER)
            .until(SamplePageBrowserTests::leaderOnPage,
                    (shown) -> shown != null && !shown.equals(leader) && latestTerm(shown) > term);
        stopping.join();
        saveScreenshot();
    }

    /** Waits on the page, which redraws every second: an element read mid-redraw is read again. */
    private static ConditionFactory onPage(String what, Duration within) {
        return await(what).atMost(within)
            .ignoreExceptionsMatching((thrown) -> thrown instanceof StaleElementReferenceException
                    || thrown instanceof NoSuchElementException);
    }

    private static void open(int port) {
        browser.get("http://127.0.0.1:" + port + "/");
    }

    /** Each reachable node's role as the page's table shows it, by node id. */
    private static Map<String, String> roles() {
        Map<String, String> roles = new LinkedHashMap<>();
        for (WebElement row : browser.findElements(By.cssSelector("#nodes tr[data-node]"))) {
            roles.put(row.getDomAttribute("data-node"), row.getDomAttribute("data-role"));
        }
        return roles;
    }

    private static String leaderOnPage() {
        return roles().entrySet().stream().filter((role) -> role.getValue().equals("LEADER"))
            .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    private static String awaitLeaderOnPage(int port) {
        open(port);
        return onPage("a leader", STARTUP)
            .until(SamplePageBrowserTests::leaderOnPage, (leader) -> leader != null);
    }

    /** The newest term in the page's timeline if {@code leader} led it, else 0. */
    private static long latestTerm(String leader) {
        WebElement newest = browser.findElement(By.cssSelector("#timeline li[data-term]"));
        return leader.equals(newest.getDomAttribute("data-leader"))
                ? Long.parseLong(newest.getDomAttribute("data-term")) : 0;
    }

    /** The HTTP port of the node named {@code node-N}: the Nth, as EmbeddedCluster names them. */
    private static int portOf(String nodeId) {
        return ports.get(Integer.parseInt(nodeId.substring("node-".length())) - 1);
    }

    private static void saveScreenshot() throws IOException {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    }
}
