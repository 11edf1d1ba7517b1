package io.gaggle.node;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts received messages a node dropped, and warns about them at most once per interval so a
 * flood of garbage cannot flood the log too.
 */
final class DroppedMessages {

    private static final Logger LOG = LoggerFactory.getLogger(DroppedMessages.class);
    private static final long WARN_INTERVAL_NANOS = 10_000_000_000L;

    private final String nodeId;
    private final AtomicLong count = new AtomicLong();
    private long lastWarnAt = System.nanoTime() - WARN_INTERVAL_NANOS;
    private long unreported;

    DroppedMessages(String nodeId) {
        this.nodeId = nodeId;
    }

    void drop(String reason) {
        count.incrementAndGet();
        synchronized (this) {
            long now = System.nanoTime();
            if (now - lastWarnAt < WARN_INTERVAL_NANOS) {
                unreported++;
                return;
            }
            LOG.warn("Gaggle node {} dropped a message: {}{}", nodeId, reason,
                    unreported > 0 ? " (and " + unreported + " more since the last warning)" : "");
            lastWarnAt = now;
            unreported = 0;
        }
    }

    long count() {
        return count.get();
    }
}
