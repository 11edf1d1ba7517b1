package io.gaggle.node;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids for this node's appends, RPCs and reads. Appends are deduplicated by id across the cluster
 * and across restarts, so ids must never repeat; yet one is drawn per append, where
 * {@link UUID#randomUUID()} costs a SecureRandom draw under a lock. So the randomness is drawn once,
 * as a 64-bit prefix per node instance, and a counter follows it. Ids keep the UUID shape the
 * original used.
 */
final class RequestIds {

    private final long prefix = new SecureRandom().nextLong();
    private final AtomicLong counter = new AtomicLong();

    String next() {
        return new UUID(prefix, counter.incrementAndGet()).toString();
    }
}
