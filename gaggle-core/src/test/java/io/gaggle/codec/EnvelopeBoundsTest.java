package io.gaggle.codec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import io.gaggle.raft.AppendEntriesRequest;
import io.gaggle.raft.InstallSnapshotRequest;
import io.gaggle.raft.RpcRequest;
import io.gaggle.raft.RpcResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import static io.gaggle.codec.EnvelopeCodec.MAX_DATA_DEPTH;
import static io.gaggle.codec.EnvelopeCodec.MAX_ENTRIES;
import static io.gaggle.codec.EnvelopeCodec.MAX_ERROR_LENGTH;
import static io.gaggle.codec.EnvelopeCodec.MAX_ID_LENGTH;
import static io.gaggle.codec.EnvelopeCodec.MAX_RPC_ARGS;
import static io.gaggle.codec.EnvelopeCodec.MAX_RPC_BYTES;
import static io.gaggle.codec.EnvelopeCodec.MAX_SNAPSHOT_CHUNK_BYTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bounds {@link EnvelopeCodec} holds received envelopes to, each accepted at its limit and
 * refused just past it; and the checks that keep a sender within them.
 */
class EnvelopeBoundsTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String ENVELOPE = "{\"v\":1,\"from\":\"a\",\"inc\":1,\"to\":null,\"seq\":1,\"msg\":";
    private final EnvelopeCodec codec = new EnvelopeCodec(MAPPER);

    @Test
    void aMessageMayCarryMaxEntries() throws MalformedEnvelopeException {
        AppendEntriesRequest request = (AppendEntriesRequest) decode(appendEntries(MAX_ENTRIES)).message();

        assertThat(request.entries()).hasSize(MAX_ENTRIES);
    }

    @Test
    void aMessageWithOneEntryMoreIsRefused() {
        assertRefused(appendEntries(MAX_ENTRIES + 1), "more than " + MAX_ENTRIES + " entries");
    }

    @Test
    void entryDataMayNestMaxDataDepthDeep() throws MalformedEnvelopeException {
        AppendEntriesRequest request = (AppendEntriesRequest) decode(appendEntry(nested(MAX_DATA_DEPTH))).message();

        assertThat(request.entries().get(0).dataLength()).isEqualTo(2 * MAX_DATA_DEPTH);
    }

    @Test
    void entryDataNestedOneLevelDeeperIsRefused() {
        assertRefused(appendEntry(nested(MAX_DATA_DEPTH + 1)), "exceeds a bound");
    }

    @Test
    void aTypeLongerThanAnIdIsRefusedForItsLength() {
        assertRefused("{\"type\":\"" + "T".repeat(MAX_ID_LENGTH + 1) + "\"}", "longer than " + MAX_ID_LENGTH);
    }

    @Test
    void anRpcNameMayBeMaxIdLengthLong() throws MalformedEnvelopeException {
        String name = "n".repeat(MAX_ID_LENGTH);

        assertThat(((RpcRequest) decode(rpcRequest(name, "[]")).message()).name()).isEqualTo(name);
    }

    @Test
    void aLongerRpcNameIsRefused() {
        assertRefused(rpcRequest("n".repeat(MAX_ID_LENGTH + 1), "[]"), "longer than " + MAX_ID_LENGTH);
    }

    @Test
    void anRpcErrorMayBeMaxErrorLengthLong() throws MalformedEnvelopeException {
        String error = "e".repeat(MAX_ERROR_LENGTH);

        assertThat(((RpcResponse) decode(rpcResponse("null", quoted(error))).message()).error()).isEqualTo(error);
    }

    @Test
    void aLongerRpcErrorIsRefused() {
        assertRefused(rpcResponse("null", quoted("e".repeat(MAX_ERROR_LENGTH + 1))), "longer than " + MAX_ERROR_LENGTH);
    }

    @Test
    void anRpcMayTakeMaxRpcArgs() throws MalformedEnvelopeException {
        assertThat(((RpcRequest) decode(rpcRequest("f", args(MAX_RPC_ARGS))).message()).args()).hasSize(MAX_RPC_ARGS);
    }

    @Test
    void anRpcWithOneArgumentMoreIsRefused() {
        assertRefused(rpcRequest("f", args(MAX_RPC_ARGS + 1)), "more than " + MAX_RPC_ARGS + " values");
    }

    @Test
    void rpcArgumentsMayTakeMaxRpcBytes() throws MalformedEnvelopeException {
        String args = "[" + quoted("x".repeat(MAX_RPC_BYTES - 4)) + "]";

        assertThat(((RpcRequest) decode(rpcRequest("f", args)).message()).args()).hasSize(1);
    }

    @Test
    void rpcArgumentsOfOneByteMoreAreRefused() {
        assertRefused(rpcRequest("f", "[" + quoted("x".repeat(MAX_RPC_BYTES - 3)) + "]"), "exceeds " + MAX_RPC_BYTES);
    }

    @Test
    void anRpcResultMayTakeMaxRpcBytes() throws MalformedEnvelopeException {
        String result = quoted("x".repeat(MAX_RPC_BYTES - 2));

        assertThat(((RpcResponse) decode(rpcResponse(result, "null")).message()).result().stringValue())
                .hasSize(MAX_RPC_BYTES - 2);
    }

    @Test
    void anRpcResultOfOneByteMoreIsRefused() {
        assertRefused(rpcResponse(quoted("x".repeat(MAX_RPC_BYTES - 1)), "null"), "exceeds " + MAX_RPC_BYTES);
    }

    @Test
    void anRpcResultMayNestMaxDataDepthDeep() throws MalformedEnvelopeException {
        assertThat(((RpcResponse) decode(rpcResponse(nested(MAX_DATA_DEPTH), "null")).message()).result().isArray())
                .isTrue();
    }

    @Test
    void aSnapshotChunkMayCarryMaxSnapshotChunkBytes() throws MalformedEnvelopeException {
        String data = quoted(base64(MAX_SNAPSHOT_CHUNK_BYTES));

        assertThat(((InstallSnapshotRequest) decode(installSnapshot("0", "true", data)).message()).data())
                .hasSize(MAX_SNAPSHOT_CHUNK_BYTES);
    }

    @Test
    void aSnapshotChunkOfOneByteMoreIsRefused() {
        assertRefused(installSnapshot("0", "true", quoted(base64(MAX_SNAPSHOT_CHUNK_BYTES + 1))),
                "data of " + (MAX_SNAPSHOT_CHUNK_BYTES + 1) + " bytes exceeds " + MAX_SNAPSHOT_CHUNK_BYTES);
    }

    @Test
    void aNegativeSnapshotOffsetIsRefused() {
        assertRefused(installSnapshot("-1", "false", quoted("AAAA")), "offset out of range: -1");
    }

    @Test
    void aSnapshotIndexBelowMinusOneIsRefused() {
        assertRefused("{\"type\":\"InstallSnapshotResponse\",\"term\":1,\"index\":-2,\"nextOffset\":0,"
                + "\"installed\":false}", "index out of range: -2");
    }

    @Test
    void aSnapshotChunkWithoutItsDoneFlagIsRefused() {
        assertRefused("{\"type\":\"InstallSnapshot\",\"term\":1,\"index\":5,\"snapshotTerm\":1,\"offset\":0,"
                + "\"data\":\"AAAA\"}", "missing done");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "'AA*A'         | data is not base64",
        "'AAA'          | data is not base64: 3 characters",
        "'AAAAA==='     | data is not base64",
        "'AA AA'        | data is not base64",
        "'A\\u0041AA'    | data is not base64: it holds a JSON escape",
        "'AAAA          | data is not a closed string",
        "42             | data is not a base64 string",
    })
    void aSnapshotChunkThatIsNotBase64IsRefused(String data, String reason) {
        assertRefused(installSnapshot("0", "false", data.replace('\'', '"')), reason);
    }

    // ---------------------------------------------------------------- a sender's checks

    @Test
    void appendedDataMayNestMaxDataDepthDeep() {
        assertThatCode(() -> EnvelopeCodec.checkData(utf8(nested(MAX_DATA_DEPTH)))).doesNotThrowAnyException();
    }

    @Test
    void appendedDataNestedDeeperIsRefusedAtOnce() {
        assertThatThrownBy(() -> EnvelopeCodec.checkData(utf8(nested(MAX_DATA_DEPTH + 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds a bound");
    }

    @Test
    void appendedDataThatIsNotExactlyOneJsonValueIsRefusedAtOnce() {
        assertThatThrownBy(() -> EnvelopeCodec.checkData(utf8("1 2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one JSON value");
        assertThatThrownBy(() -> EnvelopeCodec.checkData(utf8("{\"a\":")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void argumentsASenderChecksAreAcceptedByItsPeers() throws MalformedEnvelopeException {
        List<JsonNode> args = List.of(JSON.stringNode("x".repeat(MAX_RPC_BYTES - 4)));
        EnvelopeCodec.checkRpcArgs(args);

        Envelope envelope = new Envelope("a", 1, "b", 1, new RpcRequest("r", "f", args));
        assertThat(codec.decode(codec.encode(envelope))).isEqualTo(envelope);
    }

    @Test
    void aSenderRefusesArgumentsOfOneByteMore() {
        List<JsonNode> args = List.of(JSON.stringNode("x".repeat(MAX_RPC_BYTES - 3)));

        assertThatThrownBy(() -> EnvelopeCodec.checkRpcArgs(args)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceed " + MAX_RPC_BYTES);
    }

    @Test
    void aSenderRefusesOneArgumentMore() {
        List<JsonNode> args = Collections.nCopies(MAX_RPC_ARGS + 1, JSON.numberNode(1));

        assertThatThrownBy(() -> EnvelopeCodec.checkRpcArgs(args)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most " + MAX_RPC_ARGS + " arguments");
    }

    @Test
    void aSenderRefusesAResultOfOneByteMore() {
        assertThatCode(() -> EnvelopeCodec.checkRpcResult(JSON.stringNode("x".repeat(MAX_RPC_BYTES - 2))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> EnvelopeCodec.checkRpcResult(JSON.stringNode("x".repeat(MAX_RPC_BYTES - 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds " + MAX_RPC_BYTES);
    }

    private Envelope decode(String message) throws MalformedEnvelopeException {
        return codec.decode(utf8(ENVELOPE + message + "}"));
    }

    private void assertRefused(String message, String reason) {
        assertThatThrownBy(() -> decode(message)).isInstanceOf(MalformedEnvelopeException.class)
                .hasMessageContaining(reason);
    }

    private static String appendEntries(int count) {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < count; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"id\":\"e").append(i).append("\",\"term\":1,\"data\":1}");
        }
        return "{\"type\":\"AppendEntries\",\"term\":1,\"prevLogIndex\":-1,\"prevLogTerm\":0,\"leaderCommit\":-1,"
                + "\"round\":0,\"entries\":[" + entries + "]}";
    }

    private static String appendEntry(String data) {
        return "{\"type\":\"AppendEntries\",\"term\":1,\"prevLogIndex\":-1,\"prevLogTerm\":0,\"leaderCommit\":-1,"
                + "\"round\":0,\"entries\":[{\"id\":\"e\",\"term\":1,\"data\":" + data + "}]}";
    }

    private static String installSnapshot(String offset, String done, String data) {
        return "{\"type\":\"InstallSnapshot\",\"term\":1,\"index\":5,\"snapshotTerm\":1,\"offset\":" + offset
                + ",\"done\":" + done + ",\"data\":" + data + "}";
    }

    private static String base64(int bytes) {
        return Base64.getEncoder().encodeToString(new byte[bytes]);
    }

    private static String rpcRequest(String name, String args) {
        return "{\"type\":\"RpcRequest\",\"requestId\":\"r\",\"name\":" + quoted(name) + ",\"args\":" + args + "}";
    }

    private static String rpcResponse(String result, String error) {
        return "{\"type\":\"RpcResponse\",\"requestId\":\"r\",\"result\":" + result + ",\"error\":" + error + "}";
    }

    private static String args(int count) {
        return "[" + String.join(",", Collections.nCopies(count, "1")) + "]";
    }

    /** Arrays nested {@code depth} deep. */
    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
