package io.gaggle.codec;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import io.gaggle.LogEntry;
import io.gaggle.raft.AppendEntriesRequest;
import io.gaggle.raft.AppendEntriesResponse;
import io.gaggle.raft.AppendForwardRequest;
import io.gaggle.raft.RaftMessage;
import io.gaggle.raft.RequestVoteRequest;
import io.gaggle.raft.RequestVoteResponse;
import io.gaggle.raft.RpcRequest;
import io.gaggle.raft.RpcResponse;
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
    private static final int MAX_ID_LENGTH = 256;

    private final JsonMapper mapper;

    public EnvelopeCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The mapper entry data is read and converted with. */
    public JsonMapper mapper() {
        return mapper;
    }

    public byte[] encode(Envelope envelope) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = mapper.createGenerator(bytes)) {
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
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (JacksonException e) {
            throw new MalformedEnvelopeException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEnvelopeException("envelope is not a JSON object");
        }
        long version = integer(root, "v", 0, Long.MAX_VALUE);
        if (version != VERSION) {
            throw new MalformedEnvelopeException("unsupported envelope version " + version);
        }
        String from = id(root, "from");
        long incarnation = integer(root, "inc", Long.MIN_VALUE, Long.MAX_VALUE);
        JsonNode toNode = root.get("to");
        String to = toNode == null || toNode.isNull() ? null : id(root, "to");
        long seq = integer(root, "seq", 0, Long.MAX_VALUE);
        JsonNode msg = root.get("msg");
        if (msg == null || !msg.isObject()) {
            throw new MalformedEnvelopeException("missing msg object");
        }
        return new Envelope(from, incarnation, to, seq, readMessage(msg));
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
            writeEntries(json, m.entries(), true);
        } else if (message instanceof AppendEntriesResponse m) {
            json.writeStringProperty("type", "AppendEntriesResponse");
            json.writeNumberProperty("term", m.term());
            json.writeBooleanProperty("success", m.success());
            json.writeNumberProperty("matchIndex", m.matchIndex());
            json.writeNumberProperty("rejectedIndex", m.rejectedIndex());
            json.writeNumberProperty("conflictTerm", m.conflictTerm());
            json.writeNumberProperty("conflictIndex", m.conflictIndex());
        } else if (message instanceof RequestVoteRequest m) {
            json.writeStringProperty("type", "RequestVote");
            json.writeNumberProperty("term", m.term());
            json.writeNumberProperty("lastLogIndex", m.lastLogIndex());
            json.writeNumberProperty("lastLogTerm", m.lastLogTerm());
        } else if (message instanceof RequestVoteResponse m) {
            json.writeStringProperty("type", "RequestVoteResponse");
            json.writeNumberProperty("term", m.term());
            json.writeBooleanProperty("granted", m.granted());
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
            json.writeTree(entry.data());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    // ---------------------------------------------------------------- reading

    private RaftMessage readMessage(JsonNode msg) throws MalformedEnvelopeException {
        String type = text(msg, "type");
        switch (type) {
            case "AppendEntries":
                return new AppendEntriesRequest(term(msg), index(msg, "prevLogIndex"), counter(msg, "prevLogTerm"),
                        entries(msg, true), index(msg, "leaderCommit"));
            case "AppendEntriesResponse":
                return new AppendEntriesResponse(term(msg), bool(msg, "success"), index(msg, "matchIndex"),
                        index(msg, "rejectedIndex"), integer(msg, "conflictTerm", -1, MAX_COUNTER),
                        index(msg, "conflictIndex"));
            case "RequestVote":
                return new RequestVoteRequest(term(msg), index(msg, "lastLogIndex"), counter(msg, "lastLogTerm"));
            case "RequestVoteResponse":
                return new RequestVoteResponse(term(msg), bool(msg, "granted"));
            case "AppendForward":
                return new AppendForwardRequest(entries(msg, false));
            case "RpcRequest":
                return new RpcRequest(id(msg, "requestId"), text(msg, "name"), args(msg));
            case "RpcResponse": {
                JsonNode result = msg.get("result");
                JsonNode error = msg.get("error");
                if (error != null && !error.isNull() && !error.isString()) {
                    throw new MalformedEnvelopeException("error is not a string");
                }
                return new RpcResponse(id(msg, "requestId"), result == null ? NullNode.getInstance() : result,
                        error == null || error.isNull() ? null : error.stringValue());
            }
            default:
                throw new MalformedEnvelopeException("unknown message type " + abbreviate(type));
        }
    }

    private List<LogEntry> entries(JsonNode msg, boolean withTerm) throws MalformedEnvelopeException {
        JsonNode array = msg.get("entries");
        if (array == null || !array.isArray()) {
            throw new MalformedEnvelopeException("entries is not an array");
        }
        List<LogEntry> entries = new ArrayList<>(array.size());
        for (JsonNode entry : array.values()) {
            if (!entry.isObject()) {
                throw new MalformedEnvelopeException("entry is not an object");
            }
            JsonNode data = entry.get("data");
            if (data == null || (!withTerm && data.isNull())) {
                throw new MalformedEnvelopeException("entry without data");
            }
            entries.add(new LogEntry(id(entry, "id"), withTerm ? counter(entry, "term") : 0, data, mapper));
        }
        return entries;
    }

    private static List<JsonNode> args(JsonNode msg) throws MalformedEnvelopeException {
        JsonNode array = msg.get("args");
        if (array == null || !array.isArray()) {
            throw new MalformedEnvelopeException("args is not an array");
        }
        return new ArrayList<>(array.values());
    }

    private static long term(JsonNode node) throws MalformedEnvelopeException {
        return counter(node, "term");
    }

    private static long counter(JsonNode node, String field) throws MalformedEnvelopeException {
        return integer(node, field, 0, MAX_COUNTER);
    }

    private static long index(JsonNode node, String field) throws MalformedEnvelopeException {
        return integer(node, field, -1, MAX_COUNTER);
    }

    private static long integer(JsonNode node, String field, long min, long max) throws MalformedEnvelopeException {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new MalformedEnvelopeException(field + " is not an integer");
        }
        long result = value.longValue();
        if (result < min || result > max) {
            throw new MalformedEnvelopeException(field + " out of range: " + result);
        }
        return result;
    }

    private static boolean bool(JsonNode node, String field) throws MalformedEnvelopeException {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw new MalformedEnvelopeException(field + " is not a boolean");
        }
        return value.booleanValue();
    }

    private static String text(JsonNode node, String field) throws MalformedEnvelopeException {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.stringValue().isEmpty()) {
            throw new MalformedEnvelopeException(field + " is not a non-empty string");
        }
        return value.stringValue();
    }

    private static String id(JsonNode node, String field) throws MalformedEnvelopeException {
        String id = text(node, field);
        if (id.length() > MAX_ID_LENGTH) {
            throw new MalformedEnvelopeException(field + " longer than " + MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
