package io.gaggle.node;

import java.util.Set;

import io.gaggle.codec.DuplicateFilter;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.codec.EnvelopeMac;
import io.gaggle.codec.MalformedEnvelopeException;
import io.gaggle.raft.RaftMessage;
import io.gaggle.raft.RaftNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's end of the wire. What it sends carries its id, its incarnation and a sequence
 * number, and with a cluster secret a signature. What it receives reaches Raft only if it is
 * signed with the secret (when there is one), well formed, from a member (when they are fixed),
 * addressed to this node, not from this node itself (its own broadcast echoed back, or an
 * earlier run's), not seen before from that sender and incarnation, not of an earlier
 * incarnation, and from a sender there is room for (see
 * {@link DuplicateFilter}). Everything else is dropped and, duplicates aside, counted; an
 * unsigned envelope is dropped before anything parses it.
 */
final class Wire {

    private static final Logger LOG = LoggerFactory.getLogger(Wire.class);

    private final String nodeId;
    /** Tells this run of the node from an earlier one with the same id, whose envelopes may still arrive. */
    private final long incarnation = System.currentTimeMillis();
    private final EnvelopeCodec codec;
    /** Signs and checks envelopes; null without a cluster secret. */
    private final EnvelopeMac mac;
    /** The ids allowed to speak; null when peers are discovered from the traffic. */
    private final Set<String> members;
    private final DroppedMessages dropped;
    private final RaftNode raft;
    // Loop thread only.
    private final DuplicateFilter duplicates;
    private long seq;

    Wire(String nodeId, EnvelopeCodec codec, EnvelopeMac mac, Set<String> members, DroppedMessages dropped,
            RaftNode raft, DuplicateFilter duplicates) {
        this.nodeId = nodeId;
        this.codec = codec;
        this.mac = mac;
        this.members = members;
        this.dropped = dropped;
        this.raft = raft;
        this.duplicates = duplicates;
    }

    /** Loop thread: the envelope carrying {@code message} to node {@code to}, or to every node if null. */
    byte[] encode(String to, RaftMessage message) {
        byte[] envelope = codec.encode(new Envelope(nodeId, incarnation, to, seq++, message));
        return mac == null ? envelope : mac.sign(envelope);
    }

    /**
     * Channel thread: the envelope in {@code bytes}, or null if it is unsigned or wrongly signed,
     * malformed, or from a node that is not a member.
     */
    Envelope decode(byte[] bytes) {
        if (mac != null && !mac.verify(bytes)) {
            dropped.drop("envelope without a valid signature under the cluster secret");
            return null;
        }
        Envelope envelope;
        try {
            envelope = codec.decode(bytes);
        } catch (MalformedEnvelopeException e) {
            dropped.drop("malformed envelope: " + e.getMessage());
            return null;
        }
        if (members != null && !members.contains(envelope.from())) {
            dropped.drop("envelope from " + GaggleNode.abbreviate(envelope.from()) + ", not a member");
            return null;
        }
        return envelope;
    }

    /** Loop thread: hands {@code envelope} to Raft unless it is to be dropped. */
    void receive(Envelope envelope, long now) {
        if (envelope.from().equals(nodeId)) {
            // Our own broadcast echoed back, or one of an earlier run of this node: Raft ignores
            // both, so neither takes a sender's place or reads as a peer that restarted.
            return;
        }
        if (envelope.to() != null && !envelope.to().equals(nodeId)) {
            dropped.drop("envelope addressed to " + GaggleNode.abbreviate(envelope.to()));
            return;
        }
        switch (duplicates.check(envelope.from(), envelope.incarnation(), envelope.seq(), now)) {
            case DROP:
                return;
            case DROP_STALE_INCARNATION:
                dropped.drop("envelope of an earlier run of " + GaggleNode.abbreviate(envelope.from()));
                return;
            case DROP_UNKNOWN_SENDER:
                dropped.drop("envelope from " + GaggleNode.abbreviate(envelope.from())
                        + ", a new sender while every place for one is taken");
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
