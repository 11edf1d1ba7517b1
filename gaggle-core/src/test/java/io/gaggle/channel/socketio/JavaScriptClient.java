package io.gaggle.channel.socketio;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.json.JSONException;
import org.json.JSONObject;
import org.junit.jupiter.api.Assumptions;

/**
 * The JavaScript {@code socket.io-client} of {@code src/test/js/relay-client}, run by Node.js: it
 * connects to a relay as a watcher would and reports each event it sees as a JSON object with an
 * {@code event} member ({@code connect}, {@code connect_error}, {@code declared}, {@code msg},
 * {@code disconnect}).
 * <p>
 * The first use installs the client's locked dependencies with {@code npm ci} into
 * {@code target/relay-client}. Node.js and npm must be on the PATH. Where they are not, the tests
 * are skipped with a message saying so, so that a machine with only a JDK still passes; with
 * {@value #REQUIRE_NODE} set, as {@code .ci/run} sets it, they fail instead, so CI never skips them.
 */
final class JavaScriptClient implements AutoCloseable {

    private static final Path SOURCE = Path.of("src", "test", "js", "relay-client");
    private static final Path INSTALLED = Path.of("target", "relay-client");

    /** Set (to anything) where a missing Node.js must fail the tests rather than skip them. */
    static final String REQUIRE_NODE = "GAGGLE_TEST_REQUIRE_NODE";

    private static boolean installed;

    /** Skips the calling test class, or fails it under {@value #REQUIRE_NODE}, where Node.js or npm is missing. */
    static void requireNode() {
        List<String> missing = Stream.of("node", "npm").filter(command -> !onPath(command)).toList();
        if (missing.isEmpty()) {
            return;
        }
        String message = "the JavaScript client tests need " + String.join(" and ", missing) + " on the PATH "
                + "(Debian: apt-get install nodejs npm; .ci/run installs them)";
        if (System.getenv(REQUIRE_NODE) != null) {
            throw new IllegalStateException(message + ", and " + REQUIRE_NODE + " is set");
        }
        Assumptions.abort("Skipped: " + message);
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, command)));
    }

    private final Process process;
    private final List<JSONObject> events = new CopyOnWriteArrayList<>();

    /**
     * Starts a client.
     *
     * @param url the relay's URL
     * @param options {@code token} for the handshake's auth payload, {@code declare} for the
     *        declareChannel payload to emit once connected
     */
    JavaScriptClient(String url, JSONObject options) {
        install();
        // Its errors go to the test's output; its standard output carries the events.
        process = start(new ProcessBuilder("node", "client.mjs", url, options.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT));
        Thread reader = new Thread(this::readEvents, "javascript-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void readEvents() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                events.add(new JSONObject(line));
            }
        } catch (IOException | JSONException e) {
            throw new IllegalStateException("the JavaScript client's output is not JSON lines", e);
        }
    }

    /** The events reported so far, in order. */
    List<JSONObject> events() {
        return List.copyOf(events);
    }

    /** The first reported event of this kind, or null if none yet. */
    JSONObject event(String kind) {
        return events.stream().filter(event -> kind.equals(event.optString("event"))).findFirst().orElse(null);
    }

    /** Closes the client's standard input, on which it disconnects and exits. */
    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            Files.createDirectories(INSTALLED);
            for (String file : List.of("package.json", "package-lock.json", "client.mjs")) {
                Files.copy(SOURCE.resolve(file), INSTALLED.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + SOURCE + " to " + INSTALLED, e);
        }
        run(List.of("node", "--version"));
        run(List.of("npm", "ci", "--no-audit", "--no-fund"));
        installed = true;
    }

    private static void run(List<String> command) {
        Process process = start(new ProcessBuilder(command).redirectErrorStream(true));
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static Process start(ProcessBuilder command) {
        try {
            return command.directory(INSTALLED.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("The JavaScript client test needs Node.js and npm on the PATH, and "
                    + command.command().get(0) + " cannot be run (" + e.getMessage() + "). Install them, e.g. "
                    + "apt-get install nodejs npm; .ci/run does so.", e);
        }
    }
}
