package io.gaggle.codec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Reads one envelope with a streaming parser. Entry data is not parsed into trees: its bytes are
 * sliced out of the input as they are, after the parser has checked their syntax. Fields may come
 * in any order; unknown fields are skipped; anything else amiss is a {@link MalformedEnvelopeException}.
 */
final class EnvelopeReader {

    private static final int MAX_ID_LENGTH = 256;

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
                    case "v" -> version = integer(field, 0, Long.MAX_VALUE);
                    case "from" -> from = id(field);
                    case "inc" -> incarnation = integer(field, Long.MIN_VALUE, Long.MAX_VALUE);
                    case "to" -> to = parser.currentToken() == JsonToken.VALUE_NULL ? null : id(field);
                    case "seq" -> seq = integer(field, 0, Long.MAX_VALUE);
                    case "msg" -> message = message();
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw malformed("content after the envelope");
            }
            if (version == null || version != EnvelopeCodec.VERSION) {
                throw malformed("unsupported envelope version " + version);
            }
            return new Envelope(require(from, "from"), require(incarnation, "inc"), to, require(seq, "seq"),
                    require(message, "msg"));
        }
    }

    private RaftMessage message() throws MalformedEnvelopeException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw malformed("msg is not an object");
        }
        String type = null;
        Map<String, Long> numbers = new HashMap<>();
        Map<String, Boolean> flags = new HashMap<>();
        Map<String, String> texts = new HashMap<>();
        List<RawEntry> entries = null;
        List<JsonNode> args = null;
        JsonNode result = NullNode.getInstance();
        String error = null;
        String field;
        while ((field = nextField()) != null) {
            switch (field) {
                case "type" -> type = text(field);
                case "term", "prevLogIndex", "prevLogTerm", "leaderCommit", "matchIndex", "rejectedIndex",
                        "conflictTerm", "conflictIndex", "lastLogIndex", "lastLogTerm", "round", "readIndex" ->
                        numbers.put(field, integer(field, Long.MIN_VALUE, Long.MAX_VALUE));
                case "success", "granted", "preVote", "transfer" -> flags.put(field, bool(field));
                case "requestId", "name" -> texts.put(field, field.equals("requestId") ? id(field) : text(field));
                case "entries" -> entries = entries();
                case "args" -> args = args();
                case "result" -> result = parser.readValueAsTree();
                case "error" -> error = parser.currentToken() == JsonToken.VALUE_NULL ? null : text(field);
                default -> parser.skipChildren();
            }
        }
        MessageFields fields = new MessageFields(numbers, flags, texts);
        switch (require(type, "msg type")) {
            case "AppendEntries":
                return new AppendEntriesRequest(fields.counter("term"), fields.index("prevLogIndex"),
                        fields.counter("prevLogTerm"), logEntries(require(entries, "entries"), true),
                        fields.index("leaderCommit"), fields.counter("round"));
            case "AppendEntriesResponse":
                return new AppendEntriesResponse(fields.counter("term"), fields.flag("success"),
                        fields.index("matchIndex"), fields.index("rejectedIndex"), fields.index("conflictTerm"),
                        fields.index("conflictIndex"), fields.counter("round"));
            case "ReadIndex":
                return new ReadIndexRequest(fields.text("requestId"));
            case "ReadIndexResponse":
                return new ReadIndexResponse(fields.text("requestId"), fields.index("readIndex"));
            case "RequestVote":
                return new RequestVoteRequest(fields.counter("term"), fields.index("lastLogIndex"),
                        fields.counter("lastLogTerm"), fields.optionalFlag("preVote"), fields.optionalFlag("transfer"));
            case "RequestVoteResponse":
                return new RequestVoteResponse(fields.counter("term"), fields.flag("granted"),
                        fields.optionalFlag("preVote"));
            case "TimeoutNow":
                return new TimeoutNowRequest(fields.counter("term"));
            case "AppendForward":
                return new AppendForwardRequest(logEntries(require(entries, "entries"), false));
            case "RpcRequest":
                return new RpcRequest(fields.text("requestId"), fields.text("name"), require(args, "args"));
            case "RpcResponse":
                return new RpcResponse(fields.text("requestId"), result, error);
            default:
                throw malformed("unknown message type " + (type.length() <= 40 ? type : type.substring(0, 40) + "..."));
        }
    }

    /**
     * An entry as read, before its message type says whether it must carry a term; its data is
     * the input's bytes from {@code dataStart}, {@code dataLength} long.
     */
    private record RawEntry(String id, Long term, int dataStart, int dataLength) {
    }

    private List<RawEntry> entries() throws MalformedEnvelopeException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw malformed("entries is not an array");
        }
        List<RawEntry> entries = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw malformed("entry is not an object");
            }
            String id = null;
            Long term = null;
            long data = -1;
            String field;
            while ((field = nextField()) != null) {
                switch (field) {
                    case "id" -> id = id(field);
                    case "term" -> term = integer(field, 0, EnvelopeCodec.MAX_COUNTER);
                    case "data" -> data = rawValue();
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

    private List<LogEntry> logEntries(List<RawEntry> raw, boolean withTerm) throws MalformedEnvelopeException {
        List<LogEntry> entries = new ArrayList<>(raw.size());
        for (RawEntry entry : raw) {
            // A view over the envelope, not a copy: the log copies what it keeps into its segments.
            LogEntry logEntry = LogEntry.fromJson(entry.id(), withTerm ? require(entry.term(), "entry term") : 0,
                    input, entry.dataStart(), entry.dataLength(), mapper);
            if (!withTerm && logEntry.isNoop()) {
                throw malformed("a forwarded append without data");
            }
            entries.add(logEntry);
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
            throw malformed("entry data without byte offsets: the envelope is not UTF-8");
        }
        return start << 32 | (end - start);
    }

    private List<JsonNode> args() throws MalformedEnvelopeException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw malformed("args is not an array");
        }
        List<JsonNode> args = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            args.add(parser.readValueAsTree());
        }
        return args;
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

    private String text(String field) throws MalformedEnvelopeException {
        if (parser.currentToken() != JsonToken.VALUE_STRING || parser.getString().isEmpty()) {
            throw malformed(field + " is not a non-empty string");
        }
        return parser.getString();
    }

    private String id(String field) throws MalformedEnvelopeException {
        String id = text(field);
        if (id.length() > MAX_ID_LENGTH) {
            throw malformed(field + " longer than " + MAX_ID_LENGTH + " characters");
        }
        return id;
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

    /** A message's scalar fields, checked for presence and range as its type requires. */
    private record MessageFields(Map<String, Long> numbers, Map<String, Boolean> flags, Map<String, String> texts) {

        long counter(String field) throws MalformedEnvelopeException {
            return ranged(field, 0);
        }

        long index(String field) throws MalformedEnvelopeException {
            return ranged(field, -1);
        }

        private long ranged(String field, long min) throws MalformedEnvelopeException {
            long value = require(numbers.get(field), field);
            if (value < min || value > EnvelopeCodec.MAX_COUNTER) {
                throw malformed(field + " out of range: " + value);
            }
            return value;
        }

        boolean flag(String field) throws MalformedEnvelopeException {
            return require(flags.get(field), field);
        }

        /** A flag newer peers send; absent means false. */
        boolean optionalFlag(String field) {
            return flags.getOrDefault(field, false);
        }

        String text(String field) throws MalformedEnvelopeException {
            return require(texts.get(field), field);
        }
    }
}
