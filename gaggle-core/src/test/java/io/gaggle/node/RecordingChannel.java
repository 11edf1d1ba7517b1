package io.gaggle.node;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.codec.MalformedEnvelopeException;
import io.gaggle.raft.RaftMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * A channel that passes everything to another and records the Raft messages its node sends, and
 * the threads that send them, so a test can see what left the node and from where; its
 * {@link #close()} can also fail, as a broken transport's.
 */
final class RecordingChannel implements Channel {

    private static final EnvelopeCodec CODEC = new EnvelopeCodec(JsonMapper.builder().build());

    private final Channel channel;
    private final List<RaftMessage> sent = new CopyOnWriteArrayList<>();
    private final Set<Thread> senders = ConcurrentHashMap.newKeySet();
    /** When true, {@link #close()} throws instead of closing. */
    volatile boolean failingToClose;

    RecordingChannel(Channel channel) {
        this.channel = channel;
    }

    /** The messages sent so far, to one node or all, in order. */
    List<RaftMessage> sent() {
        return List.copyOf(sent);
    }

    /** The threads that have sent or broadcast so far, as a live view. */
    Set<Thread> senders() {
        return Collections.unmodifiableSet(senders);
    }

    @Override
    public void open(String nodeId, Consumer<byte[]> receiver) {
        channel.open(nodeId, receiver);
    }

    @Override
    public void send(String to, byte[] envelope) {
        record(envelope);
        channel.send(to, envelope);
    }

    @Override
    public void broadcast(byte[] envelope) {
        record(envelope);
        channel.broadcast(envelope);
    }

    private void record(byte[] envelope) {
        senders.add(Thread.currentThread());
        try {
            sent.add(CODEC.decode(envelope).message());
        } catch (MalformedEnvelopeException e) {
            throw new AssertionError("the node sent a malformed envelope", e);
        }
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public ChannelState state() {
        return channel.state();
    }

    @Override
    public String describe() {
        return channel.describe();
    }

    @Override
    public boolean reachableFromOutside() {
        return channel.reachableFromOutside();
    }

    @Override
    public CompletableFuture<Void> close() {
        if (failingToClose) {
            throw new IllegalStateException("the transport is broken");
        }
        return channel.close();
    }
}
