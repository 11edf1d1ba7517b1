package io.gaggle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One entry of the replicated log: {@code {id, term, data}} as in the original.
 * <p>
 * The data is kept as the UTF-8 JSON it was serialised to once, where it was appended; every node
 * stores and forwards those bytes, and {@link #data()} parses them only when asked. Entries whose
 * data is JSON {@code null} are no-ops that a new leader appends to commit the entries of earlier
 * terms (Raft paper, §8); they occupy an index in {@link Gaggle#getLog()} but are never passed to
 * listeners. Applications cannot append {@code null} themselves.
 */
public final class LogEntry {

    private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder().build();
    private static final byte[] NULL_JSON = "null".getBytes(StandardCharsets.UTF_8);

    private final String id;
    private final long term;
    /** Holds the data JSON at {@link #jsonOffset}; may be shared, e.g. a log segment. */
    private final byte[] json;
    private final int jsonOffset;
    private final int jsonLength;
    private final JsonMapper mapper;
    /** Parsed from {@link #json} on first use; a race parses twice, harmlessly. */
    private volatile JsonNode data;

    /**
     * An entry whose {@link #data(Class)} converts with a default {@link JsonMapper}.
     */
    public LogEntry(String id, long term, JsonNode data) {
        this(id, term, data, DEFAULT_MAPPER);
    }

    /**
     * An entry whose {@link #data(Class)} converts with {@code mapper}, so the application's
     * Jackson modules apply to entry data.
     */
    public LogEntry(String id, long term, JsonNode data, JsonMapper mapper) {
        this(id, term, mapper.writeValueAsBytes(Objects.requireNonNull(data, "data")), data, mapper);
    }

    private LogEntry(String id, long term, byte[] json, JsonNode data, JsonMapper mapper) {
        this(id, term, json, 0, json.length, data, mapper);
    }

    private LogEntry(String id, long term, byte[] json, int offset, int length, JsonNode data, JsonMapper mapper) {
        this.id = Objects.requireNonNull(id, "id");
        this.term = term;
        this.json = json;
        this.jsonOffset = offset;
        this.jsonLength = length;
        this.data = data;
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * An entry from its data as UTF-8 JSON, for codecs and channels. The bytes must hold exactly
     * one JSON value; they are not checked here, and must not be changed afterwards.
     */
    public static LogEntry fromJson(String id, long term, byte[] json, JsonMapper mapper) {
        return new LogEntry(id, term, Objects.requireNonNull(json, "json"), null, mapper);
    }

    /**
     * An entry whose data is the UTF-8 JSON in {@code json[offset, offset + length)}, for logs and
     * codecs that keep many entries in one array: the entry is a view and copies nothing. The
     * region must hold exactly one JSON value (not checked here) and must never change afterwards;
     * the rest of the array may.
     *
     * @throws IndexOutOfBoundsException if the region does not lie within {@code json}
     */
    public static LogEntry fromJson(String id, long term, byte[] json, int offset, int length, JsonMapper mapper) {
        Objects.checkFromIndexSize(offset, length, json.length);
        return new LogEntry(id, term, json, offset, length, null, mapper);
    }

    /** A no-op entry for {@code term}: the one a leader appends when it takes office (§8). */
    public static LogEntry noop(long term) {
        return new LogEntry("noop-" + term, term, NULL_JSON, null, DEFAULT_MAPPER);
    }

    /** The entry's unique id; appends are deduplicated by it. */
    public String id() {
        return id;
    }

    /** The term of the leader that first appended this entry. */
    public long term() {
        return term;
    }

    /** The entry data as a JSON tree, parsed on first use. */
    public JsonNode data() {
        JsonNode parsed = data;
        if (parsed == null) {
            parsed = mapper.readTree(json, jsonOffset, jsonLength);
            data = parsed;
        }
        return parsed;
    }

    /**
     * The entry data converted to {@code type}, e.g. {@code entry.data(Order.class)}.
     *
     * @throws tools.jackson.core.JacksonException if the data does not convert to {@code type}
     */
    public <T> T data(Class<T> type) {
        return mapper.readValue(json, jsonOffset, jsonLength, type);
    }

    /**
     * The entry data as UTF-8 JSON, exactly as serialised where it was appended; read-only, from
     * position 0 to its {@link #dataLength()}.
     */
    public ByteBuffer dataJson() {
        return ByteBuffer.wrap(json, jsonOffset, jsonLength).slice().asReadOnlyBuffer();
    }

    /** Length in bytes of {@link #dataJson()}. */
    public int dataLength() {
        return jsonLength;
    }

    /** The mapper that {@link #data()} and {@link #data(Class)} read the data with. */
    public JsonMapper mapper() {
        return mapper;
    }

    /** Whether this is a leader's no-op rather than application data. */
    public boolean isNoop() {
        return Arrays.equals(json, jsonOffset, jsonOffset + jsonLength, NULL_JSON, 0, NULL_JSON.length);
    }

    /** This entry as first appended in {@code newTerm}, keeping its id, data and mapper. */
    public LogEntry withTerm(long newTerm) {
        return new LogEntry(id, newTerm, json, jsonOffset, jsonLength, data, mapper);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LogEntry that
                && term == that.term && id.equals(that.id)
                && Arrays.equals(json, jsonOffset, jsonOffset + jsonLength,
                        that.json, that.jsonOffset, that.jsonOffset + that.jsonLength);
    }

    @Override
    public int hashCode() {
        // Arrays.hashCode over the data region only: equal entries may sit in differently sized arrays.
        int dataHash = 1;
        for (int i = jsonOffset; i < jsonOffset + jsonLength; i++) {
            dataHash = 31 * dataHash + json[i];
        }
        return 31 * Objects.hash(id, term) + dataHash;
    }

    @Override
    public String toString() {
        return "LogEntry{id=" + id + ", term=" + term + "}";
    }
}
