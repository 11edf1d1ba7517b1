package io.gaggle.codec;

import java.io.ByteArrayOutputStream;
import java.util.List;

import io.gaggle.LogEntry;
import io.gaggle.raft.RaftMessage;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Encodes envelopes as JSON and decodes them strictly: anything that is not exactly a valid
 * envelope is refused with {@link MalformedEnvelopeException}, never half-applied. Entry data goes
 * through the given {@link JsonMapper}, so the application's modules apply to it. Each message's
 * own encoding is its {@link MessageCodec}.
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
    /** Most log entries in one message; a leader sends at most {@code RaftConfig.maxBatchEntries} (1000). */
    public static final int MAX_ENTRIES = 10_000;
    /**
     * Deepest nesting of entry data, and of each RPC argument and result: 500, as deep as Jackson
     * writes by default, so data an application's mapper wrote is never refused for its depth.
     */
    public static final int MAX_DATA_DEPTH = StreamWriteConstraints.DEFAULT_MAX_DEPTH;
    /** Most arguments of one RPC call. */
    public static final int MAX_RPC_ARGS = 256;
    /** Most bytes of an RPC's arguments (as their JSON array), and of its result, as UTF-8 JSON. */
    public static final int MAX_RPC_BYTES = 1 << 20;
    /** Longest RPC error message, in characters; the leader cuts longer ones. */
    public static final int MAX_ERROR_LENGTH = 4096;
    /**
     * Most snapshot bytes in one InstallSnapshot message: 4 MiB, eight times
     * {@code RaftConfig.SNAPSHOT_CHUNK_BYTES}, room for larger configured chunks. As base64 it is
     * about 5.6 MB, well within {@link #MAX_ENVELOPE_BYTES}.
     */
    public static final int MAX_SNAPSHOT_CHUNK_BYTES = 4 << 20;
    /** Longest node id, request id, message type and RPC name, in characters. */
    public static final int MAX_ID_LENGTH = 256;
    /** The envelope's own levels around entry data: envelope, message, entry array, entry. */
    private static final int ENTRY_DATA_LEVEL = 4;
    /**
     * Reads and writes the envelopes themselves: the wire format must not depend on how an
     * application configured its own mapper. Its parser refuses nesting deeper than entry data
     * may go, so a deep document is refused by the parser as it reads, before any tree is built.
     */
    static final JsonMapper WIRE = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DATA_DEPTH + ENTRY_DATA_LEVEL).build())
            .streamWriteConstraints(StreamWriteConstraints.builder()
                    .maxNestingDepth(MAX_DATA_DEPTH + ENTRY_DATA_LEVEL).build())
            .build()).build();
    /** Checks one value on its own, held to {@link #MAX_DATA_DEPTH}. */
    private static final JsonMapper DATA = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DATA_DEPTH).build())
            .build()).build();

    // The envelope's fields and a log entry's, shared with EnvelopeReader; a message's are MessageFields.
    static final String VERSION_FIELD = "v";
    static final String FROM_FIELD = "from";
    static final String INCARNATION_FIELD = "inc";
    static final String TO_FIELD = "to";
    static final String SEQ_FIELD = "seq";
    static final String MESSAGE_FIELD = "msg";
    static final String ENTRY_ID_FIELD = "id";
    static final String ENTRY_TERM_FIELD = "term";
    static final String ENTRY_DATA_FIELD = "data";
    // Written for every entry, so quoted and encoded once.
    private static final SerializableString ENTRY_ID = new SerializedString(ENTRY_ID_FIELD);
    private static final SerializableString ENTRY_TERM = new SerializedString(ENTRY_TERM_FIELD);
    private static final SerializableString ENTRY_DATA = new SerializedString(ENTRY_DATA_FIELD);

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
            writeHead(json, envelope.from());
            json.writeNumberProperty(INCARNATION_FIELD, envelope.incarnation());
            json.writeStringProperty(TO_FIELD, envelope.to());
            json.writeNumberProperty(SEQ_FIELD, envelope.seq());
            json.writeName(MESSAGE_FIELD);
            writeMessage(json, envelope.message());
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }

    /**
     * The bytes that every envelope from {@code from} begins with, and no other sender's: a
     * transport that hears its own node's broadcasts back (Redis sharded pub/sub) skips them
     * with a prefix comparison instead of decoding them.
     */
    public static byte[] senderPrefix(String from) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (JsonGenerator json = WIRE.createGenerator(bytes)) {
            writeHead(json, from);
            json.flush();
            // Taken before close(), which would end the object.
            return bytes.toByteArray();
        }
    }

    /** How every envelope begins, written once for {@link #encode} and {@link #senderPrefix} alike. */
    private static void writeHead(JsonGenerator json, String from) {
        json.writeStartObject();
        json.writeNumberProperty(VERSION_FIELD, VERSION);
        json.writeStringProperty(FROM_FIELD, from);
    }

    public Envelope decode(byte[] bytes) throws MalformedEnvelopeException {
        if (bytes.length > MAX_ENVELOPE_BYTES) {
            throw new MalformedEnvelopeException("envelope of " + bytes.length + " bytes exceeds " + MAX_ENVELOPE_BYTES);
        }
        try {
            return new EnvelopeReader(mapper, bytes).read();
        } catch (StreamConstraintsException e) {
            throw new MalformedEnvelopeException("exceeds a bound: " + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw new MalformedEnvelopeException("not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Checks entry data as it is appended, where a refusal can still reach the caller: peers
     * refuse the envelopes carrying data that is not exactly one JSON value within
     * {@link #MAX_DATA_DEPTH}, and a leader would resend them forever.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code json}
     */
    public static void checkData(byte[] json) {
        checkValue("data", json);
    }

    /**
     * Checks a call's arguments against what peers accept: {@link #MAX_RPC_ARGS},
     * {@link #MAX_RPC_BYTES} and {@link #MAX_DATA_DEPTH}.
     *
     * @throws IllegalArgumentException saying which bound the arguments exceed
     */
    public static void checkRpcArgs(List<JsonNode> args) {
        if (args.size() > MAX_RPC_ARGS) {
            throw new IllegalArgumentException("an RPC takes at most " + MAX_RPC_ARGS + " arguments, not "
                    + args.size());
        }
        long bytes = args.size() + 1; // the array's brackets and commas
        for (JsonNode arg : args) {
            bytes += checkValue("an RPC argument", serialize("an RPC argument", arg)).length;
        }
        if (bytes > MAX_RPC_BYTES) {
            throw new IllegalArgumentException("RPC arguments of " + bytes + " bytes exceed " + MAX_RPC_BYTES);
        }
    }

    /**
     * Checks an RPC's result against what peers accept: {@link #MAX_RPC_BYTES} and {@link #MAX_DATA_DEPTH}.
     *
     * @throws IllegalArgumentException saying which bound the result exceeds
     */
    public static void checkRpcResult(JsonNode result) {
        byte[] json = checkValue("an RPC result", serialize("an RPC result", result));
        if (json.length > MAX_RPC_BYTES) {
            throw new IllegalArgumentException("an RPC result of " + json.length + " bytes exceeds " + MAX_RPC_BYTES);
        }
    }

    private static byte[] serialize(String what, JsonNode value) {
        try {
            return WIRE.writeValueAsBytes(value == null ? NullNode.getInstance() : value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(what + " cannot be written: " + e.getOriginalMessage(), e);
        }
    }

    private static byte[] checkValue(String what, byte[] json) {
        try (JsonParser parser = DATA.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException(what + " is empty");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException(what + " is more than one JSON value");
            }
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException(what + " exceeds a bound: " + e.getOriginalMessage(), e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return json;
    }

    private static void writeMessage(JsonGenerator json, RaftMessage message) {
        MessageCodec<?> codec = MessageCodec.of(message);
        MessageWriter out = new MessageWriter(json);
        json.writeStartObject();
        out.text(MessageField.TYPE, codec.type());
        codec.write(message, out);
        json.writeEndObject();
    }

    /** Writes a message's fields, each under its {@link MessageField} name. */
    static final class MessageWriter {

        private final JsonGenerator json;

        private MessageWriter(JsonGenerator json) {
            this.json = json;
        }

        MessageWriter number(MessageField field, long value) {
            name(field).writeNumber(value);
            return this;
        }

        /** A log index, left out when it is -1: a reader takes an absent index for -1. */
        MessageWriter optionalIndex(MessageField field, long value) {
            if (value >= 0) {
                number(field, value);
            }
            return this;
        }

        MessageWriter flag(MessageField field, boolean value) {
            name(field).writeBoolean(value);
            return this;
        }

        /** A string, or JSON null for null. */
        MessageWriter text(MessageField field, String value) {
            name(field).writeString(value);
            return this;
        }

        /** Bytes as base64 with padding and no line breaks, as every JSON peer decodes it. */
        MessageWriter bytes(MessageField field, byte[] value) {
            name(field).writeBinary(Base64Variants.MIME_NO_LINEFEEDS, value, 0, value.length);
            return this;
        }

        /** A JSON value, or JSON null for null. */
        MessageWriter tree(MessageField field, JsonNode value) {
            name(field).writeTree(value == null ? NullNode.getInstance() : value);
            return this;
        }

        MessageWriter trees(MessageField field, List<JsonNode> values) {
            name(field).writeStartArray();
            for (JsonNode value : values) {
                json.writeTree(value);
            }
            json.writeEndArray();
            return this;
        }

        /**
         * Entries with their data as the bytes it was serialised to; without terms for forwarded
         * appends, whose terms mean nothing until the leader appends them.
         */
        MessageWriter entries(MessageField field, List<LogEntry> entries, boolean withTerm) {
            name(field).writeStartArray();
            for (LogEntry entry : entries) {
                json.writeStartObject();
                json.writeName(ENTRY_ID);
                json.writeString(entry.id());
                if (withTerm) {
                    json.writeName(ENTRY_TERM);
                    json.writeNumber(entry.term());
                }
                json.writeName(ENTRY_DATA);
                json.writeRawValue(new RawJson(entry.dataJson()));
                json.writeEndObject();
            }
            json.writeEndArray();
            return this;
        }

        private JsonGenerator name(MessageField field) {
            return json.writeName(field.serializedName());
        }
    }
}
