package io.gaggle.spring.autoconfigure;

import java.util.concurrent.TimeUnit;

import io.gaggle.Gaggle;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the auto-configured node with the application context and closes it on shutdown.
 * <p>
 * Its {@link #PHASE phase} is below the web server's: the node starts before the server takes
 * requests and closes after the server's graceful shutdown has let in-flight requests finish, so a
 * request never meets a closed node. A Socket.IO relay run by the application is in an earlier
 * phase still ({@link GaggleSocketIoServerLifecycle#PHASE}), so it is up before the node joins it.
 * Closing is asynchronous: {@code spring.lifecycle.timeout-per-shutdown-phase} bounds the wait.
 */
public class GaggleLifecycle implements SmartLifecycle {

    /**
     * Below Spring Boot's {@code WebServerStartStopLifecycle} ({@code Integer.MAX_VALUE - 2048}),
     * which itself is below its graceful shutdown ({@code Integer.MAX_VALUE - 1024}).
     */
    public static final int PHASE = Integer.MAX_VALUE - 3072;

    /** How long {@link #stop()}, the synchronous variant, waits for the node to close. */
    static final long STOP_TIMEOUT_SECONDS = 30;

    private static final Log logger = LogFactory.getLog(GaggleLifecycle.class);

    private final Gaggle node;

    private volatile boolean running;

    /**
     * @param node the node to start and close; a closed node cannot start again, so stopping and
     *        restarting the context needs a new node
     */
    public GaggleLifecycle(Gaggle node) {
        this.node = node;
    }

    @Override
    public void start() {
        this.node.start();
        this.running = true;
    }

    @Override
    public void stop(Runnable callback) {
        this.running = false;
        this.node.close().whenComplete((closed, failure) -> {
            if (failure != null) {
                logger.warn("Gaggle node " + this.node.getId() + " did not close cleanly", failure);
            }
            callback.run();
        });
    }

    @Override
    public void stop() {
        this.running = false;
        try {
            this.node.close().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Exception ex) {
            logger.warn("Gaggle node " + this.node.getId() + " did not close within " + STOP_TIMEOUT_SECONDS + "s", ex);
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
