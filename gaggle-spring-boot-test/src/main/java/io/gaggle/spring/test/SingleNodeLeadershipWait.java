package io.gaggle.spring.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.gaggle.Gaggle;
import io.gaggle.Subscription;
import io.gaggle.spring.autoconfigure.GaggleLifecycle;
import io.gaggle.spring.autoconfigure.GaggleProperties;

import org.springframework.context.SmartLifecycle;

/**
 * Starts right after the node ({@link GaggleLifecycle#PHASE} + 1) and returns once it leads, so
 * that the context, and with it the test, starts only then; fails the context if the node does
 * not lead in time. A single node leads after its first election timeout (Raft paper, section
 * 5.2), since its own vote is a majority of one.
 */
final class SingleNodeLeadershipWait implements SmartLifecycle {

    /** The shortest wait, for the slowest build machine rather than for Raft. */
    private static final Duration MIN_TIMEOUT = Duration.ofSeconds(10);

    private final Gaggle node;

    private final Duration timeout;

    private volatile boolean running;

    SingleNodeLeadershipWait(Gaggle node, Duration timeout) {
        this.node = node;
        this.timeout = timeout;
    }

    /** Ten election timeouts, and never less than {@link #MIN_TIMEOUT}. */
    static Duration timeout(GaggleProperties properties) {
        Duration elections = properties.getElectionTimeout().getMax().multipliedBy(10);
        return (elections.compareTo(MIN_TIMEOUT) > 0) ? elections : MIN_TIMEOUT;
    }

    @Override
    public void start() {
        CompletableFuture<Void> leads = new CompletableFuture<>();
        try (Subscription subscription = this.node.onLeaderElected((leaderId, term) -> {
            if (leaderId.equals(this.node.getId())) {
                leads.complete(null);
            }
        })) {
            // It may have led before the listener was registered.
            if (this.node.isLeader()) {
                leads.complete(null);
            }
            leads.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException | ExecutionException ex) {
            throw new IllegalStateException("@AutoConfigureGaggle: Gaggle node " + this.node.getId()
                    + " did not lead its single-node test cluster within " + this.timeout + "; check that the "
                    + "test does not set gaggle.cluster-size, gaggle.members or gaggle.channel.* itself. Status: "
                    + this.node.getStatus(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Gaggle node " + this.node.getId()
                    + " to lead", ex);
        }
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return GaggleLifecycle.PHASE + 1;
    }
}
