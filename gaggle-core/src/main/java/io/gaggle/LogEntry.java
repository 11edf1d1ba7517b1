package io.gaggle;

import java.util.Objects;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * One entry of the replicated log: {@code {id, term, data}} as in the original.
 * <p>
 * Entries whose {@link #data()} is JSON {@code null} are no-ops that a new leader appends to
 * commit the entries of earlier terms (Raft paper, §8); they occupy an index in
 * {@link Gaggle#getLog()} but are never passed to listeners. Applications cannot append
 * {@code null} themselves.
 */
public final class LogEntry {

    private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder().build();

    private final String id;
    private final long term;
    private final JsonNode data;
    private final JsonMapper mapper;

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
        this.id = Objects.requireNonNull(id, "id");
        this.term = term;
        this.data = Objects.requireNonNull(data, "data");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** A no-op entry for {@code term}: the one a leader appends when it takes office (§8). */
    public static LogEntry noop(long term) {
        return new LogEntry("noop-" + term, term, NullNode.getInstance());
    }

    /** The entry's unique id; appends are deduplicated by it. */
    public String id() {
        return id;
    }

    /** The term of the leader that first appended this entry. */
    public long term() {
        return term;
    }

    /** The entry data as JSON. */
    public JsonNode data() {
        return data;
    }

    /**
     * The entry data converted to {@code type}, e.g. {@code entry.data(Order.class)}.
     *
     * @throws IllegalArgumentException if the data does not convert to {@code type}
     */
    public <T> T data(Class<T> type) {
        return mapper.convertValue(data, type);
    }

    /** Whether this is a leader's no-op rather than application data. */
    public boolean isNoop() {
        return data.isNull();
    }

    /** This entry as first appended in {@code newTerm}, keeping its id, data and mapper. */
    public LogEntry withTerm(long newTerm) {
        return new LogEntry(id, newTerm, data, mapper);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LogEntry that
                && term == that.term && id.equals(that.id) && data.equals(that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, term, data);
    }

    @Override
    public String toString() {
        return "LogEntry{id=" + id + ", term=" + term + "}";
    }
}
