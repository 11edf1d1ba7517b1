package io.gaggle.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.gaggle.LogEntry;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * The wire format: the exact bytes of every message, and what a reader accepts. Nodes of
 * different versions share a cluster, so these strings are the contract: a change here breaks
 * mixed-version clusters and needs a new envelope version.
 */
class WireFormatTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String ENVELOPE =
            "{\"v\":1,\"from\":\"node-a\",\"inc\":-1234,\"to\":\"node-b\",\"seq\":7,\"msg\":";
    private final EnvelopeCodec codec = new EnvelopeCodec(MAPPER);

    static Stream<Arguments> pinnedMessages() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        List<LogEntry> entries = List.of(
                new LogEntry("a", 3, MAPPER.valueToTree(Map.of("foo", "lamb"))),
                LogEntry.fromJson("b", 3, "[1, \"tw\u00f6\" ,3.50]".getBytes(StandardCharsets.UTF_8), MAPPER),
                LogEntry.noop(4));
        return Stream.of(
                argumentSet("AppendEntries with entries",
                        new AppendEntriesRequest(4, 9, 3, entries, 8, 17),
                        "{\"type\":\"AppendEntries\",\"term\":4,\"prevLogIndex\":9,\"prevLogTerm\":3,"
                                + "\"leaderCommit\":8,\"round\":17,\"entries\":["
                                + "{\"id\":\"a\",\"term\":3,\"data\":{\"foo\":\"lamb\"}},"
                                + "{\"id\":\"b\",\"term\":3,\"data\":[1, \"tw\u00f6\" ,3.50]},"
                                + "{\"id\":\"noop-4\",\"term\":4,\"data\":null}]}"),
                argumentSet("AppendEntries as a heartbeat",
                        new AppendEntriesRequest(4, -1, 0, List.of(), -1, 0),
                        "{\"type\":\"AppendEntries\",\"term\":4,\"prevLogIndex\":-1,\"prevLogTerm\":0,"
                                + "\"leaderCommit\":-1,\"round\":0,\"entries\":[]}"),
                argumentSet("AppendEntriesResponse, matched",
                        new AppendEntriesResponse(4, true, 12, -1, -1, -1, 17),
                        "{\"type\":\"AppendEntriesResponse\",\"term\":4,\"success\":true,\"matchIndex\":12,"
                                + "\"rejectedIndex\":-1,\"conflictTerm\":-1,\"conflictIndex\":-1,\"round\":17}"),
                argumentSet("AppendEntriesResponse, mismatched",
                        new AppendEntriesResponse(4, false, -1, 11, 2, 7, 18),
                        "{\"type\":\"AppendEntriesResponse\",\"term\":4,\"success\":false,\"matchIndex\":-1,"
                                + "\"rejectedIndex\":11,\"conflictTerm\":2,\"conflictIndex\":7,\"round\":18}"),
                argumentSet("RequestVote",
                        new RequestVoteRequest(5, 12, 4, false, false),
                        "{\"type\":\"RequestVote\",\"term\":5,\"lastLogIndex\":12,\"lastLogTerm\":4,\"preVote\":false,"
                                + "\"transfer\":false}"),
                argumentSet("RequestVote, pre-vote after a transfer",
                        new RequestVoteRequest(6, -1, 0, true, true),
                        "{\"type\":\"RequestVote\",\"term\":6,\"lastLogIndex\":-1,\"lastLogTerm\":0,\"preVote\":true,"
                                + "\"transfer\":true}"),
                argumentSet("RequestVoteResponse",
                        new RequestVoteResponse(6, true, true),
                        "{\"type\":\"RequestVoteResponse\",\"term\":6,\"granted\":true,\"preVote\":true}"),
                argumentSet("TimeoutNow",
                        new TimeoutNowRequest(5, "node-b"),
                        "{\"type\":\"TimeoutNow\",\"term\":5,\"target\":\"node-b\"}"),
                argumentSet("ReadIndex",
                        new ReadIndexRequest("read-1"),
                        "{\"type\":\"ReadIndex\",\"requestId\":\"read-1\"}"),
                argumentSet("ReadIndexResponse",
                        new ReadIndexResponse("read-1", 41),
                        "{\"type\":\"ReadIndexResponse\",\"requestId\":\"read-1\",\"readIndex\":41}"),
                argumentSet("AppendForward",
                        new AppendForwardRequest(List.of(new LogEntry("c", 0, json.stringNode("mary")))),
                        "{\"type\":\"AppendForward\",\"entries\":[{\"id\":\"c\",\"data\":\"mary\"}]}"),
                argumentSet("AppendForward, absent through an index",
                        new AppendForwardRequest(List.of(new LogEntry("c", 0, json.stringNode("mary"))), 12),
                        "{\"type\":\"AppendForward\",\"entries\":[{\"id\":\"c\",\"data\":\"mary\"}],"
                                + "\"absentThrough\":12}"),
                argumentSet("InstallSnapshot, a chunk in base64 with padding",
                        new InstallSnapshotRequest(5, 40, 4, 1024, new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}, false),
                        "{\"type\":\"InstallSnapshot\",\"term\":5,\"index\":40,\"snapshotTerm\":4,\"offset\":1024,"
                                + "\"done\":false,\"data\":\"AAH+/w==\"}"),
                argumentSet("InstallSnapshot, an empty last chunk",
                        new InstallSnapshotRequest(5, 40, 4, 1028, new byte[0], true),
                        "{\"type\":\"InstallSnapshot\",\"term\":5,\"index\":40,\"snapshotTerm\":4,\"offset\":1028,"
                                + "\"done\":true,\"data\":\"\"}"),
                argumentSet("InstallSnapshotResponse",
                        new InstallSnapshotResponse(5, 40, 1028, true),
                        "{\"type\":\"InstallSnapshotResponse\",\"term\":5,\"index\":40,\"nextOffset\":1028,"
                                + "\"installed\":true}"),
                argumentSet("RpcRequest",
                        new RpcRequest("r1", "foo", List.of(json.stringNode("bar"), json.numberNode(2))),
                        "{\"type\":\"RpcRequest\",\"requestId\":\"r1\",\"name\":\"foo\",\"args\":[\"bar\",2]}"),
                argumentSet("RpcResponse, succeeded",
                        new RpcResponse("r1", json.objectNode().put("n", 1), null),
                        "{\"type\":\"RpcResponse\",\"requestId\":\"r1\",\"result\":{\"n\":1},\"error\":null}"),
                argumentSet("RpcResponse, failed",
                        new RpcResponse("r2", json.nullNode(), "I am not ready yet"),
                        "{\"type\":\"RpcResponse\",\"requestId\":\"r2\",\"result\":null,"
                                + "\"error\":\"I am not ready yet\"}"));
    }

    @ParameterizedTest
    @MethodSource("pinnedMessages")
    void eachMessageIsWrittenAsPinned(RaftMessage message, String pinned) {
        assertThat(new String(codec.encode(envelope(message)), StandardCharsets.UTF_8))
                .isEqualTo(ENVELOPE + pinned + "}");
    }

    @ParameterizedTest
    @MethodSource("pinnedMessages")
    void eachPinnedMessageIsReadAsItsMessage(RaftMessage message, String pinned) throws MalformedEnvelopeException {
        assertThat(codec.decode((ENVELOPE + pinned + "}").getBytes(StandardCharsets.UTF_8)))
                .usingRecursiveComparison().usingOverriddenEquals()
                .ignoringOverriddenEqualsForTypes(InstallSnapshotRequest.class) // its chunk, an array
                .isEqualTo(envelope(message));
    }

    @Test
    void aResponseWithoutResultIsWrittenWithANullResult() {
        assertThat(new String(codec.encode(envelope(new RpcResponse("r3", null, "boom"))), StandardCharsets.UTF_8))
                .isEqualTo(ENVELOPE
                        + "{\"type\":\"RpcResponse\",\"requestId\":\"r3\",\"result\":null,\"error\":\"boom\"}}");
    }

    @Test
    void fieldsMayComeInAnyOrder() throws MalformedEnvelopeException {
        String reordered = "{\"msg\":{\"round\":2,\"success\":true,\"conflictIndex\":-1,\"conflictTerm\":-1,"
                + "\"rejectedIndex\":-1,\"matchIndex\":5,\"term\":3,\"type\":\"AppendEntriesResponse\"},"
                + "\"seq\":7,\"to\":\"node-b\",\"inc\":-1234,\"from\":\"node-a\",\"v\":1}";
        assertThat(codec.decode(reordered.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(envelope(new AppendEntriesResponse(3, true, 5, -1, -1, -1, 2)));
    }

    @Test
    void fieldsNoMessageHasAreSkipped() throws MalformedEnvelopeException {
        String input = "{\"v\":1,\"from\":\"node-a\",\"inc\":-1234,\"to\":\"node-b\",\"seq\":7,\"later\":[1],"
                + "\"msg\":{\"type\":\"AppendForward\",\"later\":{\"x\":null},"
                + "\"entries\":[{\"id\":\"c\",\"later\":true,\"data\":\"mary\"}]}}";
        assertThat(codec.decode(input.getBytes(StandardCharsets.UTF_8))).isEqualTo(envelope(
                new AppendForwardRequest(List.of(new LogEntry("c", 0, JsonNodeFactory.instance.stringNode("mary"))))));
    }

    @Test
    void anAppendForwardWithoutAbsentThroughReadsAsNotSaying() throws MalformedEnvelopeException {
        String input = ENVELOPE + "{\"type\":\"AppendForward\",\"entries\":[{\"id\":\"c\",\"data\":1}]}}";
        assertThat(((AppendForwardRequest) codec.decode(input.getBytes(StandardCharsets.UTF_8)).message())
                .absentThrough()).isEqualTo(-1);
    }

    @Test
    void anAppendForwardThatDoesNotSayIsWrittenAsBefore() {
        AppendForwardRequest request = new AppendForwardRequest(List.of(new LogEntry("c", 0,
                JsonNodeFactory.instance.numberNode(1))), -1);
        assertThat(new String(codec.encode(envelope(request)), StandardCharsets.UTF_8)).isEqualTo(ENVELOPE
                + "{\"type\":\"AppendForward\",\"entries\":[{\"id\":\"c\",\"data\":1}]}}");
    }

    @Test
    void flagsOlderPeersDoNotSendReadAsFalse() throws MalformedEnvelopeException {
        String input = ENVELOPE + "{\"type\":\"RequestVote\",\"term\":5,\"lastLogIndex\":12,\"lastLogTerm\":4}}";
        assertThat(codec.decode(input.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(envelope(new RequestVoteRequest(5, 12, 4, false, false)));
    }

    @Test
    void aCounterOfTwoToThe53IsAccepted() throws MalformedEnvelopeException {
        String input = ENVELOPE + "{\"type\":\"TimeoutNow\",\"term\":9007199254740992,\"target\":\"b\"}}";
        assertThat(codec.decode(input.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(envelope(new TimeoutNowRequest(EnvelopeCodec.MAX_COUNTER, "b")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"TimeoutNow\",\"term\":9007199254740993,\"target\":\"b\"}",
        "{\"type\":\"ReadIndexResponse\",\"requestId\":\"r\",\"readIndex\":9007199254740993}",
        "{\"type\":\"AppendEntries\",\"term\":1,\"prevLogIndex\":-1,\"prevLogTerm\":0,\"leaderCommit\":-1,"
                + "\"round\":0,\"entries\":[{\"id\":\"e\",\"term\":9007199254740993,\"data\":1}]}",
    })
    void aCounterAboveTwoToThe53IsRefused(String message) {
        assertThatThrownBy(() -> codec.decode((ENVELOPE + message + "}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEnvelopeException.class).hasMessageContaining("out of range");
    }

    @Test
    void anOverlongRequestIdIsRefused() {
        String input = ENVELOPE + "{\"type\":\"ReadIndex\",\"requestId\":\"" + "r".repeat(257) + "\"}}";
        assertThatThrownBy(() -> codec.decode(input.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEnvelopeException.class).hasMessageContaining("longer than");
    }

    @Test
    void everyMessageTypeIsPinned() {
        Set<Class<?>> pinned = pinnedMessages().map(arguments -> arguments.get()[0].getClass())
                .collect(Collectors.toSet());
        assertThat(pinned).containsExactlyInAnyOrderElementsOf(messageTypes());
    }

    private static Envelope envelope(RaftMessage message) {
        return new Envelope("node-a", -1234, "node-b", 7, message);
    }

    /** Every concrete message the sealed hierarchy permits. */
    private static Set<Class<?>> messageTypes() {
        Set<Class<?>> types = new HashSet<>();
        Deque<Class<?>> open = new ArrayDeque<>(List.of(RaftMessage.class));
        while (!open.isEmpty()) {
            Class<?> type = open.pop();
            if (type.isSealed()) {
                open.addAll(List.of(type.getPermittedSubclasses()));
            } else {
                types.add(type);
            }
        }
        return types;
    }
}
