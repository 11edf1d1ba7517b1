package io.gaggle.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.gaggle.LogEntry;
import io.gaggle.raft.AppendEntriesRequest;
import io.gaggle.raft.AppendEntriesResponse;
import io.gaggle.raft.AppendForwardRequest;
import io.gaggle.raft.InstallSnapshotRequest;
import io.gaggle.raft.InstallSnapshotResponse;
import io.gaggle.raft.RaftConfig;
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
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link EnvelopeCodec} round-trips every message and refuses anything malformed.
 */
class EnvelopeCodecTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final EnvelopeCodec codec = new EnvelopeCodec(MAPPER);

    static Stream<RaftMessage> messages() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        List<LogEntry> entries = List.of(
                new LogEntry("a", 3, MAPPER.valueToTree(Map.of("foo", "lamb"))),
                new LogEntry("b", 3, MAPPER.valueToTree(List.of(1, "two", 3.5))),
                LogEntry.noop(4));
        return Stream.of(
                new AppendEntriesRequest(4, 9, 3, entries, 8, 17),
                new AppendEntriesRequest(4, -1, 0, List.of(), -1, 0),
                new ReadIndexRequest("read-1"),
                new ReadIndexResponse("read-1", 41),
                AppendEntriesResponseFixtures.matched(),
                AppendEntriesResponseFixtures.mismatch(),
                new RequestVoteRequest(5, 12, 4, false, false),
                new RequestVoteRequest(6, 12, 4, true, false),
                new RequestVoteRequest(6, 12, 4, false, true),
                new RequestVoteResponse(5, true, false),
                new RequestVoteResponse(6, true, true),
                new TimeoutNowRequest(5, "b"),
                new AppendForwardRequest(List.of(new LogEntry("c", 0, json.stringNode("mary")))),
                new AppendForwardRequest(List.of(new LogEntry("c", 0, json.stringNode("mary"))), 0),
                new AppendForwardRequest(List.of(new LogEntry("c", 0, json.stringNode("mary"))), 99),
                // Chunks of every length modulo 3: base64 with each padding, and none.
                new InstallSnapshotRequest(3, -1, 0, 0, new byte[0], true),
                new InstallSnapshotRequest(3, 10, 2, 0, chunk(1), false),
                new InstallSnapshotRequest(3, 10, 2, 1, chunk(2), false),
                new InstallSnapshotRequest(3, 10, 2, 3, chunk(3), true),
                new InstallSnapshotRequest(3, 10, 2, 1L << 40, chunk(RaftConfig.SNAPSHOT_CHUNK_BYTES), false),
                new InstallSnapshotResponse(3, 10, 0, false),
                new InstallSnapshotResponse(3, 10, 1L << 40, true),
                new RpcRequest("r1", "foo", List.of(json.stringNode("bar"), json.numberNode(2))),
                new RpcResponse("r1", json.stringNode("foo"), null),
                new RpcResponse("r2", json.nullNode(), "I am not ready yet"));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void everyMessageSurvivesARoundTrip(RaftMessage message) throws MalformedEnvelopeException {
        Envelope envelope = new Envelope("node-a", 1234, "node-b", 7, message);
        assertThat(codec.decode(codec.encode(envelope)))
                .usingRecursiveComparison().usingOverriddenEquals()
                .ignoringOverriddenEqualsForTypes(InstallSnapshotRequest.class) // its chunk, an array
                .isEqualTo(envelope);
    }

    @Test
    void aBroadcastHasNoAddressee() throws MalformedEnvelopeException {
        Envelope envelope = new Envelope("node-a", 1, null, 0, new RequestVoteResponse(1, false, false));
        assertThat(codec.decode(codec.encode(envelope)).to()).isNull();
    }

    @Test
    void theWireFormatIsTheDocumentedEnvelope() {
        byte[] bytes = codec.encode(new Envelope("a", 5, null, 9, new RequestVoteResponse(2, true, false)));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(
                "{\"v\":1,\"from\":\"a\",\"inc\":5,\"to\":null,\"seq\":9,"
                        + "\"msg\":{\"type\":\"RequestVoteResponse\",\"term\":2,\"granted\":true,\"preVote\":false}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json at all",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RequestVote\"",
        "[1,2,3]",
        "\"a string\"",
        "{\"v\":2,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RequestVoteResponse\",\"term\":1,\"granted\":true}}",
        "{\"v\":1,\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RequestVoteResponse\",\"term\":1,\"granted\":true}}",
        "{\"v\":1,\"from\":\"\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RequestVoteResponse\",\"term\":1,\"granted\":true}}",
        "{\"v\":1,\"from\":42,\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RequestVoteResponse\",\"term\":1,\"granted\":true}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":\"x\",\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RequestVoteResponse\",\"term\":1,\"granted\":true}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":-1,\"msg\":{\"type\":\"RequestVoteResponse\",\"term\":1,\"granted\":true}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"Explode\"}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RequestVoteResponse\",\"term\":\"1\",\"granted\":true}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RequestVoteResponse\",\"term\":1.5,\"granted\":true}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RequestVoteResponse\",\"term\":-3,\"granted\":true}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RequestVote\",\"term\":9223372036854775807,\"lastLogIndex\":0,\"lastLogTerm\":0}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RequestVote\",\"term\":99999999999999999999999,\"lastLogIndex\":0,\"lastLogTerm\":0}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RequestVoteResponse\",\"term\":1,\"granted\":\"yes\"}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"AppendEntries\",\"term\":1,\"prevLogIndex\":-2,\"prevLogTerm\":0,\"leaderCommit\":0,\"entries\":[]}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"AppendEntries\",\"term\":1,\"prevLogIndex\":0,\"prevLogTerm\":0,\"leaderCommit\":0,\"entries\":{}}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"AppendEntries\",\"term\":1,\"prevLogIndex\":0,\"prevLogTerm\":0,\"leaderCommit\":0,\"entries\":[{\"id\":\"x\",\"term\":1}]}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"AppendEntries\",\"term\":1,\"prevLogIndex\":0,\"prevLogTerm\":0,\"leaderCommit\":0,\"entries\":[7]}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"AppendForward\",\"entries\":[{\"id\":\"x\",\"data\":null}]}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RpcRequest\",\"requestId\":\"r\",\"name\":\"foo\",\"args\":\"bar\"}}",
        "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":{\"type\":\"RpcResponse\",\"requestId\":\"r\",\"result\":1,\"error\":42}}",
    })
    void malformedInputIsRefused(String input) {
        assertThatThrownBy(() -> codec.decode(input.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEnvelopeException.class);
    }

    @Test
    void randomBytesAreRefused() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 1_000; i++) {
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            assertThatThrownBy(() -> codec.decode(garbage)).isInstanceOf(MalformedEnvelopeException.class);
        }
    }

    @Test
    void anEnvelopeInUtf16IsRefused() {
        byte[] utf8 = codec.encode(new Envelope("a", 1, "b", 1, new AppendEntriesRequest(1, -1, 0,
                List.of(new LogEntry("e", 1, MAPPER.valueToTree("x"))), -1, 1)));
        byte[] utf16 = new String(utf8, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> codec.decode(utf16)).isInstanceOf(MalformedEnvelopeException.class);
    }

    @Test
    void anOversizedEnvelopeIsRefusedUnread() {
        assertThatThrownBy(() -> codec.decode(new byte[EnvelopeCodec.MAX_ENVELOPE_BYTES + 1]))
                .isInstanceOf(MalformedEnvelopeException.class).hasMessageContaining("exceeds");
    }

    @Test
    void anOverlongSenderIdIsRefused() {
        String id = "x".repeat(300);
        String input = "{\"v\":1,\"from\":\"" + id + "\",\"inc\":1,\"to\":null,\"seq\":1,"
                + "\"msg\":{\"type\":\"RequestVoteResponse\",\"term\":1,\"granted\":true}}";
        assertThatThrownBy(() -> codec.decode(input.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEnvelopeException.class).hasMessageContaining("longer than");
    }

    /** {@code length} bytes of every value, so that base64 uses its whole alphabet. */
    private static byte[] chunk(int length) {
        byte[] chunk = new byte[length];
        for (int i = 0; i < length; i++) {
            chunk[i] = (byte) (i * 7 + 1);
        }
        return chunk;
    }

    /** Fixtures for responses, whose factories are package-private to the Raft package. */
    private static final class AppendEntriesResponseFixtures {

        static AppendEntriesResponse matched() {
            return new AppendEntriesResponse(4, true, 12, -1, -1, -1, 17);
        }

        static AppendEntriesResponse mismatch() {
            return new AppendEntriesResponse(4, false, -1, 11, 2, 7, 18);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"node-a", "n\u00f6de \"quoted\" \\ \t"})
    void everyEnvelopeFromASenderBeginsWithItsSenderPrefix(String from) {
        byte[] prefix = EnvelopeCodec.senderPrefix(from);
        byte[] bytes = codec.encode(new Envelope(from, 3, null, 1, new RequestVoteResponse(2, true, false)));

        assertThat(Arrays.copyOf(bytes, prefix.length)).isEqualTo(prefix);
    }

    @Test
    void aSenderPrefixDoesNotMatchASenderWhoseIdItBegins() {
        byte[] prefix = EnvelopeCodec.senderPrefix("node-a");
        byte[] bytes = codec.encode(new Envelope("node-ab", 3, null, 1, new RequestVoteResponse(2, true, false)));

        assertThat(Arrays.copyOf(bytes, prefix.length)).isNotEqualTo(prefix);
    }
}
