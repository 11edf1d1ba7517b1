package io.gaggle.codec;

import java.io.ByteArrayOutputStream;
import java.util.List;

import io.gaggle.LogEntry;
import io.gaggle.raft.RaftMessage;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
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
    /**
     * Reads and writes the envelopes themselves: the wire format must not depend on how an
     * application configured its own mapper.
     */
    static final JsonMapper WIRE = JsonMapper.builder().build();

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
            json.writeStartObject();
            json.writeNumberProperty(VERSION_FIELD, VERSION);
            json.writeStringProperty(FROM_FIELD, envelope.from());
            json.writeNumberProperty(INCARNATION_FIELD, envelope.incarnation());
            json.writeStringProperty(TO_FIELD, envelope.to());
            json.writeNumberProperty(SEQ_FIELD, envelope.seq());
            json.writeName(MESSAGE_FIELD);
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

        MessageWriter flag(MessageField field, boolean value) {
            name(field).writeBoolean(value);
            return this;
        }

        /** A string, or JSON null for null. */
        MessageWriter text(MessageField field, String value) {
            name(field).writeString(value);
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
