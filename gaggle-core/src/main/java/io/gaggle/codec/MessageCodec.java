package io.gaggle.codec;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.gaggle.raft.AppendEntriesRequest;
import io.gaggle.raft.AppendEntriesResponse;
import io.gaggle.raft.AppendForwardRequest;
import io.gaggle.raft.InstallSnapshotRequest;
import io.gaggle.raft.InstallSnapshotResponse;
import io.gaggle.raft.RaftMessage;
import io.gaggle.raft.ReadIndexRequest;
import io.gaggle.raft.ReadIndexResponse;
import io.gaggle.raft.RequestVoteRequest;
import io.gaggle.raft.RequestVoteResponse;
import io.gaggle.raft.RpcRequest;
import io.gaggle.raft.RpcResponse;
import io.gaggle.raft.TimeoutNowRequest;

import static io.gaggle.codec.MessageField.ABSENT_THROUGH;
import static io.gaggle.codec.MessageField.ARGS;
import static io.gaggle.codec.MessageField.CONFLICT_INDEX;
import static io.gaggle.codec.MessageField.CONFLICT_TERM;
import static io.gaggle.codec.MessageField.DATA;
import static io.gaggle.codec.MessageField.DONE;
import static io.gaggle.codec.MessageField.ENTRIES;
import static io.gaggle.codec.MessageField.ERROR;
import static io.gaggle.codec.MessageField.GRANTED;
import static io.gaggle.codec.MessageField.INDEX;
import static io.gaggle.codec.MessageField.INSTALLED;
import static io.gaggle.codec.MessageField.LAST_LOG_INDEX;
import static io.gaggle.codec.MessageField.LAST_LOG_TERM;
import static io.gaggle.codec.MessageField.LEADER_COMMIT;
import static io.gaggle.codec.MessageField.MATCH_INDEX;
import static io.gaggle.codec.MessageField.NAME;
import static io.gaggle.codec.MessageField.NEXT_OFFSET;
import static io.gaggle.codec.MessageField.OFFSET;
import static io.gaggle.codec.MessageField.PREV_LOG_INDEX;
import static io.gaggle.codec.MessageField.PREV_LOG_TERM;
import static io.gaggle.codec.MessageField.PRE_VOTE;
import static io.gaggle.codec.MessageField.READ_INDEX;
import static io.gaggle.codec.MessageField.REJECTED_INDEX;
import static io.gaggle.codec.MessageField.REQUEST_ID;
import static io.gaggle.codec.MessageField.RESULT;
import static io.gaggle.codec.MessageField.ROUND;
import static io.gaggle.codec.MessageField.SNAPSHOT_TERM;
import static io.gaggle.codec.MessageField.SUCCESS;
import static io.gaggle.codec.MessageField.TARGET;
import static io.gaggle.codec.MessageField.TERM;
import static io.gaggle.codec.MessageField.TRANSFER;

/**
 * How one message type goes on the wire: its {@code "type"} name, and how its fields are written
 * and read, side by side. The table below is the one place a message is added, with any new
 * fields in {@link MessageField}. Writers keep the field order peers have always seen
 * ({@code WireFormatTest} pins it); readers may take fields in any order.
 *
 * @param <M> the message record
 * @param type the type's name on the wire
 * @param messageClass the message record it encodes
 * @param writer writes the message's fields, after {@code "type"}
 * @param reader builds the message from fields already read, checking presence and range
 */
record MessageCodec<M extends RaftMessage>(String type, Class<M> messageClass, Writer<M> writer, Reader<M> reader) {

    private static final List<MessageCodec<?>> ALL = List.of(
            new MessageCodec<>("AppendEntries", AppendEntriesRequest.class,
                    (m, out) -> out.number(TERM, m.term())
                            .number(PREV_LOG_INDEX, m.prevLogIndex())
                            .number(PREV_LOG_TERM, m.prevLogTerm())
                            .number(LEADER_COMMIT, m.leaderCommit())
                            .number(ROUND, m.round())
                            .entries(ENTRIES, m.entries(), true),
                    in -> new AppendEntriesRequest(in.counter(TERM), in.index(PREV_LOG_INDEX),
                            in.counter(PREV_LOG_TERM), in.entries(ENTRIES, true), in.index(LEADER_COMMIT),
                            in.counter(ROUND))),
            new MessageCodec<>("AppendEntriesResponse", AppendEntriesResponse.class,
                    (m, out) -> out.number(TERM, m.term())
                            .flag(SUCCESS, m.success())
                            .number(MATCH_INDEX, m.matchIndex())
                            .number(REJECTED_INDEX, m.rejectedIndex())
                            .number(CONFLICT_TERM, m.conflictTerm())
                            .number(CONFLICT_INDEX, m.conflictIndex())
                            .number(ROUND, m.round()),
                    in -> new AppendEntriesResponse(in.counter(TERM), in.flag(SUCCESS), in.index(MATCH_INDEX),
                            in.index(REJECTED_INDEX), in.index(CONFLICT_TERM), in.index(CONFLICT_INDEX),
                            in.counter(ROUND))),
            new MessageCodec<>("RequestVote", RequestVoteRequest.class,
                    (m, out) -> out.number(TERM, m.term())
                            .number(LAST_LOG_INDEX, m.lastLogIndex())
                            .number(LAST_LOG_TERM, m.lastLogTerm())
                            .flag(PRE_VOTE, m.preVote())
                            .flag(TRANSFER, m.transfer()),
                    in -> new RequestVoteRequest(in.counter(TERM), in.index(LAST_LOG_INDEX), in.counter(LAST_LOG_TERM),
                            in.optionalFlag(PRE_VOTE), in.optionalFlag(TRANSFER))),
            new MessageCodec<>("RequestVoteResponse", RequestVoteResponse.class,
                    (m, out) -> out.number(TERM, m.term())
                            .flag(GRANTED, m.granted())
                            .flag(PRE_VOTE, m.preVote()),
                    in -> new RequestVoteResponse(in.counter(TERM), in.flag(GRANTED), in.optionalFlag(PRE_VOTE))),
            new MessageCodec<>("TimeoutNow", TimeoutNowRequest.class,
                    (m, out) -> out.number(TERM, m.term())
                            .text(TARGET, m.target()),
                    in -> new TimeoutNowRequest(in.counter(TERM), in.text(TARGET))),
            new MessageCodec<>("ReadIndex", ReadIndexRequest.class,
                    (m, out) -> out.text(REQUEST_ID, m.requestId()),
                    in -> new ReadIndexRequest(in.text(REQUEST_ID))),
            new MessageCodec<>("ReadIndexResponse", ReadIndexResponse.class,
                    (m, out) -> out.text(REQUEST_ID, m.requestId())
                            .number(READ_INDEX, m.readIndex()),
                    in -> new ReadIndexResponse(in.text(REQUEST_ID), in.index(READ_INDEX))),
            // absentThrough came later: left out when not said, so such a batch is written as
            // before; peers that do not know the field skip it.
            new MessageCodec<>("AppendForward", AppendForwardRequest.class,
                    (m, out) -> out.entries(ENTRIES, m.entries(), false)
                            .optionalIndex(ABSENT_THROUGH, m.absentThrough()),
                    in -> new AppendForwardRequest(in.entries(ENTRIES, false), in.optionalIndex(ABSENT_THROUGH))),
            new MessageCodec<>("InstallSnapshot", InstallSnapshotRequest.class,
                    (m, out) -> out.number(TERM, m.term())
                            .number(INDEX, m.index())
                            .number(SNAPSHOT_TERM, m.snapshotTerm())
                            .number(OFFSET, m.offset())
                            .flag(DONE, m.done())
                            .bytes(DATA, m.data()), // last: every small field before the chunk
                    in -> new InstallSnapshotRequest(in.counter(TERM), in.index(INDEX), in.counter(SNAPSHOT_TERM),
                            in.counter(OFFSET), in.bytes(DATA), in.flag(DONE))),
            new MessageCodec<>("InstallSnapshotResponse", InstallSnapshotResponse.class,
                    (m, out) -> out.number(TERM, m.term())
                            .number(INDEX, m.index())
                            .number(NEXT_OFFSET, m.nextOffset())
                            .flag(INSTALLED, m.installed()),
                    in -> new InstallSnapshotResponse(in.counter(TERM), in.index(INDEX), in.counter(NEXT_OFFSET),
                            in.flag(INSTALLED))),
            new MessageCodec<>("RpcRequest", RpcRequest.class,
                    (m, out) -> out.text(REQUEST_ID, m.requestId())
                            .text(NAME, m.name())
                            .trees(ARGS, m.args()),
                    in -> new RpcRequest(in.text(REQUEST_ID), in.text(NAME), in.trees(ARGS))),
            new MessageCodec<>("RpcResponse", RpcResponse.class,
                    (m, out) -> out.text(REQUEST_ID, m.requestId())
                            .tree(RESULT, m.result())
                            .text(ERROR, m.error()),
                    in -> new RpcResponse(in.text(REQUEST_ID), in.tree(RESULT), in.optionalText(ERROR))));

    private static final Map<Class<?>, MessageCodec<?>> BY_CLASS = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(MessageCodec::messageClass, Function.identity()));
    private static final Map<String, MessageCodec<?>> BY_TYPE = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(MessageCodec::type, Function.identity()));

    /** The codec for {@code message}'s class; every message has one. */
    static MessageCodec<?> of(RaftMessage message) {
        MessageCodec<?> codec = BY_CLASS.get(message.getClass());
        if (codec == null) {
            throw new IllegalArgumentException("no encoding for " + message.getClass().getName());
        }
        return codec;
    }

    /** The codec for the wire type {@code type}, or null for a type no message has. */
    static MessageCodec<?> named(String type) {
        return BY_TYPE.get(type);
    }

    void write(RaftMessage message, EnvelopeCodec.MessageWriter out) {
        writer.write(messageClass.cast(message), out);
    }

    M read(EnvelopeReader.MessageFields in) throws MalformedEnvelopeException {
        return reader.read(in);
    }

    @FunctionalInterface
    interface Writer<M> {
        void write(M message, EnvelopeCodec.MessageWriter out);
    }

    @FunctionalInterface
    interface Reader<M> {
        M read(EnvelopeReader.MessageFields in) throws MalformedEnvelopeException;
    }
}
