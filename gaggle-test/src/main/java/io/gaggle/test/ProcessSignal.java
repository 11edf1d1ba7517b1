package io.gaggle.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Sends a signal to processes the tests started, which the JDK cannot do beyond SIGTERM and
 * SIGKILL. It is the shell's own {@code kill}: a JDK-only machine may have no {@code kill} program.
 */
final class ProcessSignal {

    private ProcessSignal() {
    }

    /**
     * Sends {@code signal} ({@code KILL}, {@code STOP}, {@code CONT}) to every one of {@code pids}
     * with one {@code kill} command, so that they get it at once.
     */
    static void send(String signal, long... pids) {
        String command = "kill -s " + signal + " "
                + Arrays.stream(pids).mapToObj(Long::toString).collect(Collectors.joining(" "));
        try {
            Process kill = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kill.waitFor() != 0) {
                throw new IllegalStateException(command + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
