package io.gaggle.channel;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Moves opaque envelopes between the nodes of one cluster. A channel may lose, duplicate and
 * reorder envelopes (Raft copes), but a direct {@link #send} must not be delivered to every node.
 * <p>
 * Implementations must not block the caller of {@link #send}, {@link #broadcast} or
 * {@link #flush()}: the caller is the node's consensus thread.
 */
public interface Channel {

    /**
     * Connects the node and starts delivering envelopes addressed to {@code nodeId}, and
     * broadcasts, to {@code receiver}. A channel that cannot connect yet keeps trying in the
     * background, reporting {@link ChannelState#CONNECTING}.
     *
     * @param nodeId the id of the node this channel serves
     * @param receiver called with each envelope received, possibly from several threads
     */
    void open(String nodeId, Consumer<byte[]> receiver);

    /** Sends an envelope to one node; lost silently if that node is unknown or unreachable. */
    void send(String to, byte[] envelope);

    /** Sends an envelope to every other node of the cluster. */
    void broadcast(byte[] envelope);

    /**
     * Pushes out what {@link #send} and {@link #broadcast} buffered. The node calls this once per
     * turn of its loop, so a channel may batch everything a turn sends into one write.
     */
    default void flush() {
    }

    /** The connection state, for health reporting. */
    ChannelState state();

    /** A short description for logs and health, e.g. {@code redis foo@127.0.0.1:6379}. */
    String describe();

    /**
     * Whether others than this cluster's nodes may be able to send on it (a shared Redis, a relay
     * on the network), so that a node without a cluster secret warns that it trusts whatever
     * arrives. True unless the channel stays inside this JVM.
     */
    default boolean reachableFromOutside() {
        return true;
    }

    /** Disconnects; completes when the underlying connections are closed. */
    CompletableFuture<Void> close();
}
