package io.gaggle.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A {@code main} class of the test classpath run in a JVM of its own: commanded one line at a
 * time over its standard input, its standard output (and error) read line by line. Lines the
 * caller takes as reports go to it; the last others (its log, the JVM's last words) are kept
 * for {@link #describe()}. Closing its standard input asks it to exit; it can also be sent
 * signals, so a test can {@code kill -9} it or stop it with SIGSTOP.
 */
public final class ChildJvm implements AutoCloseable {

    private static final int LOG_LINES = 30;

    private final String name;
    private final Process process;
    private final Predicate<String> reports;
    private final Queue<String> log = new ConcurrentLinkedQueue<>();
    private final Thread reader;

    /**
     * @param name what to call it in messages
     * @param jvmOptions options for the {@code java} command, such as {@code -Xmx256m}
     * @param main the class to run, which must be on the test classpath
     * @param args its arguments
     * @param reports told every line it prints, in order, on a thread of its own; returns
     *        whether the line was a report, else it is kept as log
     */
    public ChildJvm(String name, List<String> jvmOptions, Class<?> main, List<String> args,
            Predicate<String> reports) {
        this(name, Path.of(System.getProperty("java.home")), jvmOptions, main, args, reports);
    }

    /**
     * As {@link #ChildJvm(String, List, Class, List, Predicate)}, on the JDK or JRE in {@code javaHome}
     * rather than the one running the test, e.g. one {@link #findJavaHome(int) found} newer.
     */
    public ChildJvm(String name, Path javaHome, List<String> jvmOptions, Class<?> main, List<String> args,
            Predicate<String> reports) {
        this.name = name;
        this.reports = reports;
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reader = new Thread(this::read, "output of " + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * A Java home of at least {@code feature} (e.g. 21): the one running the test, else the newest of
     * those in {@code /usr/lib/jvm} (Debian's, and Temurin's packages) or named by an environment
     * variable starting {@code JAVA_HOME} (as GitHub's runners set {@code JAVA_HOME_21_X64}); each
     * is read from its {@code release} file. Empty if there is none.
     */
    public static Optional<Path> findJavaHome(int feature) {
        if (Runtime.version().feature() >= feature) {
            return Optional.of(Path.of(System.getProperty("java.home")));
        }
        List<Path> candidates = new ArrayList<>();
        System.getenv().forEach((variable, value) -> {
            if (variable.startsWith("JAVA_HOME") && !value.isBlank()) {
                candidates.add(Path.of(value));
            }
        });
        try (Stream<Path> installed = Files.list(Path.of("/usr/lib/jvm"))) {
            installed.forEach(candidates::add);
        } catch (IOException e) {
            // No such directory: only the environment's homes are candidates.
        }
        return candidates.stream().filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
                .filter(home -> featureOf(home) >= feature)
                .max(Comparator.comparingInt(ChildJvm::featureOf));
    }

    /** The feature release of the Java home, from {@code JAVA_VERSION="25.0.1"} in its release file; 0 if unknown. */
    private static int featureOf(Path javaHome) {
        try (Stream<String> lines = Files.lines(javaHome.resolve("release"))) {
            return lines.filter(line -> line.startsWith("JAVA_VERSION=")).findFirst()
                    .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
                    .map(version -> Runtime.Version.parse(version).feature()).orElse(0);
        } catch (IOException | IllegalArgumentException e) {
            return 0;
        }
    }

    private void read() {
        try (BufferedReader lines = process.inputReader(StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!reports.test(line)) {
                    log.add(line);
                    if (log.size() > LOG_LINES) {
                        log.poll();
                    }
                }
            }
        } catch (IOException e) {
            // The process ended; isAlive() and describe() tell how.
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Writes {@code command} as a line to its standard input. */
    public void command(String command) {
        try {
            process.outputWriter(StandardCharsets.UTF_8).append(command).append('\n').flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its name, whether it runs or how it exited, and its last lines of log. */
    public String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return name + " (pid " + process.pid() + ") " + state + "; its output ends:\n" + String.join("\n", log);
    }

    /**
     * Sends {@code signal} ({@code KILL}, {@code STOP}, {@code CONT}) to every one of {@code jvms}
     * at once.
     */
    public static void signal(String signal, ChildJvm... jvms) {
        ProcessSignal.send(signal, Arrays.stream(jvms).mapToLong(ChildJvm::pid).toArray());
    }

    /** Waits, for at most ten seconds, until the process has ended and every line it printed was read. */
    public void awaitExit() {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(describe() + "\nhas not exited");
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills it (SIGKILL), and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** Asks it to exit by closing its standard input; kills it if it has not within ten seconds. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
