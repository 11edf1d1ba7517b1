package io.gaggle.channel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands received envelopes to a node's receiver on a transport's own thread (a Netty event loop,
 * the Socket.IO event thread) and never lets the receiver's failure escape: an exception there
 * would close the connection or kill the thread that delivers everyone's envelopes. Failures are
 * counted and logged at WARN on the 1st, 2nd, 4th, 8th… occurrence, so a receiver that fails on
 * every envelope cannot flood the log.
 */
public final class GuardedReceiver implements Consumer<byte[]> {

    private static final Logger log = LoggerFactory.getLogger(GuardedReceiver.class);

    private final Consumer<byte[]> receiver;
    private final String channel;
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param receiver the node's receiver
     * @param channel the channel's {@link Channel#describe()}, for the log
     */
    public GuardedReceiver(Consumer<byte[]> receiver, String channel) {
        this.receiver = receiver;
        this.channel = channel;
    }

    @Override
    public void accept(byte[] envelope) {
        try {
            receiver.accept(envelope);
        } catch (RuntimeException e) {
            long count = failures.incrementAndGet();
            if (Long.bitCount(count) == 1) {
                log.warn("{}: the receiver failed on an envelope of {} bytes ({} failures so far)",
                        channel, envelope.length, count, e);
            }
        }
    }

    /** How many envelopes the receiver threw on. */
    public long failures() {
        return failures.get();
    }
}
