package io.gaggle.codec;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * Every field a message may carry inside {@code "msg"}: its name on the wire, shared by
 * {@link EnvelopeCodec} and {@link EnvelopeReader}, and the JSON it must hold. Fields may come in
 * any order, so each is checked for its kind as it is read, before the message's type is known;
 * presence and range are checked by the type's reader in {@link MessageCodec}.
 */
enum MessageField {

    TYPE("type", Kind.ID),
    TERM("term", Kind.INTEGER),
    PREV_LOG_INDEX("prevLogIndex", Kind.INTEGER),
    PREV_LOG_TERM("prevLogTerm", Kind.INTEGER),
    LEADER_COMMIT("leaderCommit", Kind.INTEGER),
    MATCH_INDEX("matchIndex", Kind.INTEGER),
    REJECTED_INDEX("rejectedIndex", Kind.INTEGER),
    CONFLICT_TERM("conflictTerm", Kind.INTEGER),
    CONFLICT_INDEX("conflictIndex", Kind.INTEGER),
    LAST_LOG_INDEX("lastLogIndex", Kind.INTEGER),
    LAST_LOG_TERM("lastLogTerm", Kind.INTEGER),
    ROUND("round", Kind.INTEGER),
    READ_INDEX("readIndex", Kind.INTEGER),
    INDEX("index", Kind.INTEGER),
    SNAPSHOT_TERM("snapshotTerm", Kind.INTEGER),
    OFFSET("offset", Kind.INTEGER),
    NEXT_OFFSET("nextOffset", Kind.INTEGER),
    ABSENT_THROUGH("absentThrough", Kind.INTEGER),
    SUCCESS("success", Kind.FLAG),
    GRANTED("granted", Kind.FLAG),
    PRE_VOTE("preVote", Kind.FLAG),
    TRANSFER("transfer", Kind.FLAG),
    DONE("done", Kind.FLAG),
    INSTALLED("installed", Kind.FLAG),
    REQUEST_ID("requestId", Kind.ID),
    TARGET("target", Kind.ID),
    NAME("name", Kind.ID),
    ENTRIES("entries", Kind.ENTRIES),
    ARGS("args", Kind.TREES),
    RESULT("result", Kind.TREE),
    ERROR("error", Kind.OPTIONAL_TEXT),
    DATA("data", Kind.BYTES);

    /** The JSON a field holds. */
    enum Kind {
        /** An integer that fits a long; its type's reader narrows the range. */
        INTEGER,
        /** True or false. */
        FLAG,
        /**
         * A non-empty string of at most {@link EnvelopeCodec#MAX_ID_LENGTH} characters, such as a
         * node id, a request id or a name.
         */
        ID,
        /** A non-empty string of at most {@link EnvelopeCodec#MAX_ERROR_LENGTH} characters, or null. */
        OPTIONAL_TEXT,
        /** Any JSON value of at most {@link EnvelopeCodec#MAX_RPC_BYTES}. */
        TREE,
        /**
         * An array of at most {@link EnvelopeCodec#MAX_RPC_ARGS} JSON values, of at most
         * {@link EnvelopeCodec#MAX_RPC_BYTES} in all.
         */
        TREES,
        /**
         * An array of at most {@link EnvelopeCodec#MAX_ENTRIES} log entries, whose data is kept as
         * the input's bytes.
         */
        ENTRIES,
        /**
         * Binary data as a base64 string (RFC 4648 §4, padded, without line breaks or JSON
         * escapes) of at most {@link EnvelopeCodec#MAX_SNAPSHOT_CHUNK_BYTES} once decoded.
         */
        BYTES
    }

    private static final Map<String, MessageField> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(MessageField::wireName, Function.identity()));

    private final String wireName;
    /** The name quoted and encoded once, not on every write. */
    private final SerializableString serializedName;
    private final Kind kind;

    MessageField(String wireName, Kind kind) {
        this.wireName = wireName;
        this.serializedName = new SerializedString(wireName);
        this.kind = kind;
    }

    /** The field called {@code wireName}, or null for a field no message has. */
    static MessageField named(String wireName) {
        return BY_NAME.get(wireName);
    }

    String wireName() {
        return wireName;
    }

    SerializableString serializedName() {
        return serializedName;
    }

    Kind kind() {
        return kind;
    }
}
