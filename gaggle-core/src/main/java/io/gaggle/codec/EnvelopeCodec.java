package io.gaggle.codec;

import java.io.ByteArrayOutputStream;
import java.util.List;

import io.gaggle.LogEntry;
import io.gaggle.raft.AppendEntriesRequest;
import io.gaggle.raft.AppendEntriesResponse;
import io.gaggle.raft.AppendForwardRequest;
import io.gaggle.raft.RaftMessage;
import io.gaggle.raft.ReadIndexRequest;
import io.gaggle.raft.ReadIndexResponse;
import io.gaggle.raft.RequestVoteRequest;
import io.gaggle.raft.RequestVoteResponse;
import io.gaggle.raft.RpcRequest;
import io.gaggle.raft.RpcResponse;
import io.gaggle.raft.TimeoutNowRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Encodes envelopes as JSON and decodes them strictly: anything that is not exactly a valid
 * envelope is refused with {@link MalformedEnvelopeException}, never half-applied. Entry data goes
 * through the given {@link JsonMapper}, so the application's modules apply to it.
 */
public final class EnvelopeCodec {

    /** The envelope format version this codec writes and reads. */
    public static final int VERSION = 1;
    /** Larger envelopes are refused unread. */
    public static final int MAX_ENVELOPE_BYTES = 64 << 20;
    /**
     * Largest term or index accepted: 2^53, the largest integer a JavaScript peer or tool reads
     * exactly. Far beyond any real cluster, and no term arithmetic near it can overflow.
     */
    public static final long MAX_COUNTER = 1L << 53;
    /**
     * Reads and writes the envelopes themselves: the wire format must not depend on how an
     * application configured its own mapper.
     */
    static final JsonMapper WIRE = JsonMapper.builder().build();

    private final JsonMapper mapper;

    /**
     * @param mapper what entry data is converted with, in {@link LogEntry#data(Class)}
     */
    public EnvelopeCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public byte[] encode(Envelope envelope) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = WIRE.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeNumberProperty("v", VERSION);
            json.writeStringProperty("from", envelope.from());
            json.writeNumberProperty("inc", envelope.incarnation());
            json.writeStringProperty("to", envelope.to());
            json.writeNumberProperty("seq", envelope.seq());
            json.writeName("msg");
            writeMessage(json, envelope.message());
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }

    public Envelope decode(byte[] bytes) throws MalformedEnvelopeException {
        if (bytes.length > MAX_ENVELOPE_BYTES) {
            throw new MalformedEnvelopeException("envelope of " + bytes.length + " bytes exceeds " + MAX_ENVELOPE_BYTES);
        }
        try {
            return new EnvelopeReader(mapper, bytes).read();
        } catch (JacksonException e) {
            throw new MalformedEnvelopeException("not valid JSON: " + e.getOriginalMessage());
        }
    }

    // ---------------------------------------------------------------- writing

    private void writeMessage(JsonGenerator json, RaftMessage message) {
        json.writeStartObject();
        if (message instanceof AppendEntriesRequest m) {
            json.writeStringProperty("type", "AppendEntries");
            json.writeNumberProperty("term", m.term());
            json.writeNumberProperty("prevLogIndex", m.prevLogIndex());
            json.writeNumberProperty("prevLogTerm", m.prevLogTerm());
            json.writeNumberProperty("leaderCommit", m.leaderCommit());
            json.writeNumberProperty("round", m.round());
            writeEntries(json, m.entries(), true);
        } else if (message instanceof AppendEntriesResponse m) {
            json.writeStringProperty("type", "AppendEntriesResponse");
            json.writeNumberProperty("term", m.term());
            json.writeBooleanProperty("success", m.success());
            json.writeNumberProperty("matchIndex", m.matchIndex());
            json.writeNumberProperty("rejectedIndex", m.rejectedIndex());
            json.writeNumberProperty("conflictTerm", m.conflictTerm());
            json.writeNumberProperty("conflictIndex", m.conflictIndex());
            json.writeNumberProperty("round", m.round());
        } else if (message instanceof RequestVoteRequest m) {
            json.writeStringProperty("type", "RequestVote");
            json.writeNumberProperty("term", m.term());
            json.writeNumberProperty("lastLogIndex", m.lastLogIndex());
            json.writeNumberProperty("lastLogTerm", m.lastLogTerm());
            json.writeBooleanProperty("preVote", m.preVote());
            json.writeBooleanProperty("transfer", m.transfer());
        } else if (message instanceof RequestVoteResponse m) {
            json.writeStringProperty("type", "RequestVoteResponse");
            json.writeNumberProperty("term", m.term());
            json.writeBooleanProperty("granted", m.granted());
            json.writeBooleanProperty("preVote", m.preVote());
        } else if (message instanceof TimeoutNowRequest m) {
            json.writeStringProperty("type", "TimeoutNow");
            json.writeNumberProperty("term", m.term());
        } else if (message instanceof ReadIndexRequest m) {
            json.writeStringProperty("type", "ReadIndex");
            json.writeStringProperty("requestId", m.requestId());
        } else if (message instanceof ReadIndexResponse m) {
            json.writeStringProperty("type", "ReadIndexResponse");
            json.writeStringProperty("requestId", m.requestId());
            json.writeNumberProperty("readIndex", m.readIndex());
        } else if (message instanceof AppendForwardRequest m) {
            json.writeStringProperty("type", "AppendForward");
            writeEntries(json, m.entries(), false);
        } else if (message instanceof RpcRequest m) {
            json.writeStringProperty("type", "RpcRequest");
            json.writeStringProperty("requestId", m.requestId());
            json.writeStringProperty("name", m.name());
            json.writeName("args");
            json.writeStartArray();
            for (JsonNode arg : m.args()) {
                json.writeTree(arg);
            }
            json.writeEndArray();
        } else if (message instanceof RpcResponse m) {
            json.writeStringProperty("type", "RpcResponse");
            json.writeStringProperty("requestId", m.requestId());
            json.writeName("result");
            json.writeTree(m.result() == null ? NullNode.getInstance() : m.result());
            json.writeStringProperty("error", m.error());
        } else {
            throw new IllegalArgumentException("no encoding for " + message.getClass().getName());
        }
        json.writeEndObject();
    }

    private static void writeEntries(JsonGenerator json, List<LogEntry> entries, boolean withTerm) {
        json.writeName("entries");
        json.writeStartArray();
        for (LogEntry entry : entries) {
            json.writeStartObject();
            json.writeStringProperty("id", entry.id());
            if (withTerm) {
                json.writeNumberProperty("term", entry.term());
            }
            json.writeName("data");
            json.writeRawValue(new RawJson(entry.dataJson()));
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
