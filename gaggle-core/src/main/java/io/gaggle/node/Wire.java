package io.gaggle.node;

import io.gaggle.codec.DuplicateFilter;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.codec.MalformedEnvelopeException;
import io.gaggle.raft.RaftMessage;
import io.gaggle.raft.RaftNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's end of the wire. What it sends carries its id, its incarnation and a sequence
 * number; what it receives reaches Raft only if it is well formed, addressed to this node, not its
 * own broadcast echoed back, and not seen before from that sender and incarnation. Everything else
 * is dropped and counted.
 */
final class Wire {

    private static final Logger LOG = LoggerFactory.getLogger(Wire.class);

    private final String nodeId;
    /** Tells this run of the node from an earlier one with the same id, whose envelopes may still arrive. */
    private final long incarnation = System.currentTimeMillis();
    private final EnvelopeCodec codec;
    private final DroppedMessages dropped;
    private final RaftNode raft;
    // Loop thread only.
    private final DuplicateFilter duplicates = new DuplicateFilter();
    private long seq;

    Wire(String nodeId, EnvelopeCodec codec, DroppedMessages dropped, RaftNode raft) {
        this.nodeId = nodeId;
        this.codec = codec;
        this.dropped = dropped;
        this.raft = raft;
    }

    /** Loop thread: the envelope carrying {@code message} to node {@code to}, or to every node if null. */
    byte[] encode(String to, RaftMessage message) {
        return codec.encode(new Envelope(nodeId, incarnation, to, seq++, message));
    }

    /** Channel thread: the envelope in {@code bytes}, or null if they are malformed. */
    Envelope decode(byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (MalformedEnvelopeException e) {
            dropped.drop("malformed envelope: " + e.getMessage());
            return null;
        }
    }

    /** Loop thread: hands {@code envelope} to Raft unless it is to be dropped. */
    void receive(Envelope envelope, long now) {
        if (envelope.from().equals(nodeId) && envelope.incarnation() == incarnation) {
            return; // our own broadcast, echoed back
        }
        if (envelope.to() != null && !envelope.to().equals(nodeId)) {
            dropped.drop("envelope addressed to " + GaggleNode.abbreviate(envelope.to()));
            return;
        }
        switch (duplicates.check(envelope.from(), envelope.incarnation(), envelope.seq())) {
            case DROP:
                return;
            case ACCEPT_RESTARTED:
                LOG.info("Gaggle node {}: peer {} restarted", nodeId, envelope.from());
                raft.peerRestarted(envelope.from(), now);
                break;
            default:
                break;
        }
        raft.handle(envelope.from(), envelope.message(), now);
    }
}
