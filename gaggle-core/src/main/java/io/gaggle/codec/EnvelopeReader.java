package io.gaggle.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.gaggle.LogEntry;
import io.gaggle.raft.RaftMessage;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

import static io.gaggle.codec.EnvelopeCodec.ENTRY_DATA_FIELD;
import static io.gaggle.codec.EnvelopeCodec.ENTRY_ID_FIELD;
import static io.gaggle.codec.EnvelopeCodec.ENTRY_TERM_FIELD;
import static io.gaggle.codec.EnvelopeCodec.FROM_FIELD;
import static io.gaggle.codec.EnvelopeCodec.INCARNATION_FIELD;
import static io.gaggle.codec.EnvelopeCodec.MESSAGE_FIELD;
import static io.gaggle.codec.EnvelopeCodec.SEQ_FIELD;
import static io.gaggle.codec.EnvelopeCodec.TO_FIELD;
import static io.gaggle.codec.EnvelopeCodec.VERSION_FIELD;

/**
 * Reads one envelope with a streaming parser. Entry data is not parsed into trees: its bytes are
 * sliced out of the input as they are, after the parser has checked their syntax; snapshot chunks
 * are decoded from base64 straight out of the input. Fields may come in any order; unknown fields
 * are skipped; anything else amiss, or beyond the bounds {@link EnvelopeCodec} sets, is a
 * {@link MalformedEnvelopeException}.
 */
final class EnvelopeReader {

    private static final int MESSAGE_FIELDS = MessageField.values().length;

    private final JsonParser parser;
    private final byte[] input;
    private final JsonMapper mapper;

    EnvelopeReader(JsonMapper mapper, byte[] input) {
        this.mapper = mapper;
        this.input = input;
        this.parser = EnvelopeCodec.WIRE.createParser(input);
    }

    Envelope read() throws MalformedEnvelopeException {
        try (parser) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("envelope is not a JSON object");
            }
            Long version = null;
            Long incarnation = null;
            Long seq = null;
            String from = null;
            String to = null;
            RaftMessage message = null;
            String field;
            while ((field = nextField()) != null) {
                switch (field) {
                    case VERSION_FIELD -> version = integer(field, 0, Long.MAX_VALUE);
                    case FROM_FIELD -> from = id(field);
                    case INCARNATION_FIELD -> incarnation = integer(field, Long.MIN_VALUE, Long.MAX_VALUE);
                    case TO_FIELD -> to = parser.currentToken() == JsonToken.VALUE_NULL ? null : id(field);
                    case SEQ_FIELD -> seq = integer(field, 0, Long.MAX_VALUE);
                    case MESSAGE_FIELD -> message = message();
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw malformed("content after the envelope");
            }
            if (version == null || version != EnvelopeCodec.VERSION) {
                throw malformed("unsupported envelope version " + version);
            }
            return new Envelope(require(from, FROM_FIELD), require(incarnation, INCARNATION_FIELD), to,
                    require(seq, SEQ_FIELD), require(message, MESSAGE_FIELD));
        }
    }

    private RaftMessage message() throws MalformedEnvelopeException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw malformed(MESSAGE_FIELD + " is not an object");
        }
        MessageFields fields = new MessageFields();
        String name;
        while ((name = nextField()) != null) {
            MessageField field = MessageField.named(name);
            if (field == null) {
                parser.skipChildren();
                continue;
            }
            fields.values[field.ordinal()] = switch (field.kind()) {
                case INTEGER -> integer(name, Long.MIN_VALUE, Long.MAX_VALUE);
                case FLAG -> bool(name);
                case ID -> id(name);
                case OPTIONAL_TEXT -> parser.currentToken() == JsonToken.VALUE_NULL
                        ? null : text(name, EnvelopeCodec.MAX_ERROR_LENGTH);
                case TREE -> tree(name);
                case TREES -> trees(name);
                case ENTRIES -> entries(name);
                case BYTES -> bytes(name);
            };
        }
        String type = fields.text(MessageField.TYPE);
        MessageCodec<?> codec = MessageCodec.named(type);
        if (codec == null) {
            throw malformed("unknown message type " + (type.length() <= 40 ? type : type.substring(0, 40) + "..."));
        }
        return codec.read(fields);
    }

    /**
     * An entry as read, before its message type says whether it must carry a term; its data is
     * the input's bytes from {@code dataStart}, {@code dataLength} long.
     */
    private record RawEntry(String id, Long term, int dataStart, int dataLength) {
    }

    private List<RawEntry> entries(String field) throws MalformedEnvelopeException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw malformed(field + " is not an array");
        }
        List<RawEntry> entries = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (entries.size() == EnvelopeCodec.MAX_ENTRIES) {
                throw malformed(field + " holds more than " + EnvelopeCodec.MAX_ENTRIES + " entries");
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw malformed("entry is not an object");
            }
            String id = null;
            Long term = null;
            long data = -1;
            String name;
            while ((name = nextField()) != null) {
                switch (name) {
                    case ENTRY_ID_FIELD -> id = id(name);
                    case ENTRY_TERM_FIELD -> term = integer(name, 0, EnvelopeCodec.MAX_COUNTER);
                    case ENTRY_DATA_FIELD -> data = rawValue();
                    default -> parser.skipChildren();
                }
            }
            if (data < 0) {
                throw malformed("missing entry data");
            }
            entries.add(new RawEntry(require(id, "entry id"), term, (int) (data >>> 32), (int) data));
        }
        return entries;
    }

    /** Where the current value's bytes lie in the input: start in the high 32 bits, length in the low. */
    private long rawValue() throws MalformedEnvelopeException {
        long start = parser.currentTokenLocation().getByteOffset();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            parser.skipChildren();
        } else if (token == JsonToken.VALUE_STRING) {
            parser.finishToken();
        }
        long end = parser.currentLocation().getByteOffset();
        // A parser reading characters (UTF-16 or UTF-32 input) knows no byte offsets.
        if (start < 0 || end < start || end > input.length) {
            throw malformed("a value without byte offsets: the envelope is not UTF-8");
        }
        return start << 32 | (end - start);
    }

    /**
     * The current value decoded from base64 straight out of the input, sized before it is decoded:
     * an oversized chunk is refused before anything is allocated, and the one array allocated is
     * the chunk's exact size ({@link JsonParser#getBinaryValue()} grows a buffer, unbounded until
     * done, and copies it). The parser skips the text on its next token.
     */
    private byte[] bytes(String field) throws MalformedEnvelopeException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw malformed(field + " is not a base64 string");
        }
        long quote = parser.currentTokenLocation().getByteOffset();
        if (quote < 0 || quote >= input.length || input[(int) quote] != '"') {
            throw malformed("a value without byte offsets: the envelope is not UTF-8");
        }
        int start = (int) quote + 1;
        int end = start;
        while (end < input.length && input[end] != '"') {
            // Base64 needs no escapes; one here is a character outside its alphabet.
            if (input[end] == '\\') {
                throw malformed(field + " is not base64: it holds a JSON escape");
            }
            end++;
        }
        if (end == input.length) {
            throw malformed(field + " is not a closed string");
        }
        int length = end - start;
        if (length % 4 != 0) {
            throw malformed(field + " is not base64: " + length + " characters, not a padded multiple of 4");
        }
        int padding = length == 0 ? 0 : (input[end - 1] == '=' ? 1 : 0) + (input[end - 2] == '=' ? 1 : 0);
        long size = length / 4 * 3L - padding;
        if (size > EnvelopeCodec.MAX_SNAPSHOT_CHUNK_BYTES) {
            throw malformed(field + " of " + size + " bytes exceeds " + EnvelopeCodec.MAX_SNAPSHOT_CHUNK_BYTES);
        }
        try {
            // The decoder sizes its array from the padding, exactly for any input it accepts.
            return Base64.getDecoder().decode(ByteBuffer.wrap(input, start, length)).array();
        } catch (IllegalArgumentException e) {
            throw malformed(field + " is not base64: " + e.getMessage());
        }
    }

    /**
     * The current value as a tree, built only once its bytes are known to be within
     * {@link EnvelopeCodec#MAX_RPC_BYTES}: a tree takes many times the memory of its JSON.
     */
    private JsonNode tree(String field) throws MalformedEnvelopeException {
        long value = rawValue();
        int length = (int) value;
        if (length > EnvelopeCodec.MAX_RPC_BYTES) {
            throw malformed(field + " of " + length + " bytes exceeds " + EnvelopeCodec.MAX_RPC_BYTES);
        }
        return EnvelopeCodec.WIRE.readTree(input, (int) (value >>> 32), length);
    }

    private List<JsonNode> trees(String field) throws MalformedEnvelopeException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw malformed(field + " is not an array");
        }
        JsonNode array = tree(field);
        if (array.size() > EnvelopeCodec.MAX_RPC_ARGS) {
            throw malformed(field + " holds more than " + EnvelopeCodec.MAX_RPC_ARGS + " values");
        }
        return new ArrayList<>(array.values());
    }

    /** Advances to the next field of the current object and onto its value; null at the object's end. */
    private String nextField() {
        if (parser.nextToken() != JsonToken.PROPERTY_NAME) {
            return null;
        }
        String name = parser.currentName();
        parser.nextToken();
        return name;
    }

    private long integer(String field, long min, long max) throws MalformedEnvelopeException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw malformed(field + " is not an integer");
        }
        long value = parser.getLongValue();
        if (value < min || value > max) {
            throw malformed(field + " out of range: " + value);
        }
        return value;
    }

    private boolean bool(String field) throws MalformedEnvelopeException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw malformed(field + " is not a boolean");
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private String text(String field, int maxLength) throws MalformedEnvelopeException {
        if (parser.currentToken() != JsonToken.VALUE_STRING || parser.getString().isEmpty()) {
            throw malformed(field + " is not a non-empty string");
        }
        String text = parser.getString();
        if (text.length() > maxLength) {
            throw malformed(field + " longer than " + maxLength + " characters");
        }
        return text;
    }

    private String id(String field) throws MalformedEnvelopeException {
        return text(field, EnvelopeCodec.MAX_ID_LENGTH);
    }

    private static <T> T require(T value, String what) throws MalformedEnvelopeException {
        if (value == null) {
            throw malformed("missing " + what);
        }
        return value;
    }

    private static MalformedEnvelopeException malformed(String reason) {
        return new MalformedEnvelopeException(reason);
    }

    /**
     * A message's fields as read, each already of its {@link MessageField.Kind}; its type's reader
     * in {@link MessageCodec} takes them, checked for presence and range as the type requires.
     */
    final class MessageFields {

        private final Object[] values = new Object[MESSAGE_FIELDS];

        private MessageFields() {
        }

        /** A term or other count: 0 to {@link EnvelopeCodec#MAX_COUNTER}. */
        long counter(MessageField field) throws MalformedEnvelopeException {
            return ranged(field, 0);
        }

        /** A log index, or -1 for none. */
        long index(MessageField field) throws MalformedEnvelopeException {
            return ranged(field, -1);
        }

        private long ranged(MessageField field, long min) throws MalformedEnvelopeException {
            long value = (Long) required(field);
            if (value < min || value > EnvelopeCodec.MAX_COUNTER) {
                throw malformed(field.wireName() + " out of range: " + value);
            }
            return value;
        }

        /** An index newer peers may send; absent means -1. */
        long optionalIndex(MessageField field) throws MalformedEnvelopeException {
            return values[field.ordinal()] == null ? -1 : index(field);
        }

        boolean flag(MessageField field) throws MalformedEnvelopeException {
            return (Boolean) required(field);
        }

        /** A flag newer peers send; absent means false. */
        boolean optionalFlag(MessageField field) {
            return values[field.ordinal()] == Boolean.TRUE;
        }

        String text(MessageField field) throws MalformedEnvelopeException {
            return (String) required(field);
        }

        /** A text that may be null or absent. */
        String optionalText(MessageField field) {
            return (String) values[field.ordinal()];
        }

        /** A JSON value; absent reads as JSON null. */
        JsonNode tree(MessageField field) {
            Object tree = values[field.ordinal()];
            return tree == null ? NullNode.getInstance() : (JsonNode) tree;
        }

        byte[] bytes(MessageField field) throws MalformedEnvelopeException {
            return (byte[]) required(field);
        }

        @SuppressWarnings("unchecked")
        List<JsonNode> trees(MessageField field) throws MalformedEnvelopeException {
            return (List<JsonNode>) required(field);
        }

        /**
         * The entries as views over the input, not copies: the log copies what it keeps into its
         * segments. Without terms for forwarded appends, which must carry data: a no-op is the
         * leader's alone.
         */
        List<LogEntry> entries(MessageField field, boolean withTerm) throws MalformedEnvelopeException {
            @SuppressWarnings("unchecked")
            List<RawEntry> raw = (List<RawEntry>) required(field);
            List<LogEntry> entries = new ArrayList<>(raw.size());
            for (RawEntry entry : raw) {
                LogEntry logEntry = LogEntry.fromJson(entry.id(), withTerm ? require(entry.term(), "entry term") : 0,
                        input, entry.dataStart(), entry.dataLength(), mapper);
                if (!withTerm && logEntry.isNoop()) {
                    throw malformed("a forwarded append without data");
                }
                entries.add(logEntry);
            }
            return entries;
        }

        private Object required(MessageField field) throws MalformedEnvelopeException {
            return require(values[field.ordinal()], field.wireName());
        }
    }
}
