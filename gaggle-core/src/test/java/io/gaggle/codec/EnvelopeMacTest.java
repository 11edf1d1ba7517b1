package io.gaggle.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.gaggle.raft.ReadIndexRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeMacTest {

    private static final String SECRET = "sixteen or more characters";
    private final EnvelopeCodec codec = new EnvelopeCodec(JsonMapper.builder().build());
    private final byte[] envelope = codec.encode(new Envelope("a", 1, "b", 7, new ReadIndexRequest("r")));
    private final EnvelopeMac mac = new EnvelopeMac(SECRET, null);

    @Test
    void aSignedEnvelopeVerifies() {
        assertThat(mac.verify(mac.sign(envelope))).isTrue();
    }

    @Test
    void theSignatureIsTheEnvelopesLastField() throws MalformedEnvelopeException {
        String signed = new String(mac.sign(envelope), StandardCharsets.UTF_8);

        assertThat(signed).startsWith(new String(envelope, 0, envelope.length - 1, StandardCharsets.UTF_8))
                .matches(".*,\"mac\":\"[A-Za-z0-9_-]{43}\"}");
        assertThat(codec.decode(signed.getBytes(StandardCharsets.UTF_8))).as("a reader skips the field")
                .isEqualTo(codec.decode(envelope));
    }

    @Test
    void anUnsignedEnvelopeDoesNotVerify() {
        assertThat(mac.verify(envelope)).isFalse();
    }

    @Test
    void anyChangedByteFailsTheSignature() {
        byte[] signed = mac.sign(envelope);
        for (int i = 0; i < signed.length; i++) {
            byte[] changed = signed.clone();
            changed[i] ^= 1;
            assertThat(mac.verify(changed)).as("byte %d changed", i).isFalse();
        }
    }

    @Test
    void anEnvelopeSignedUnderAnotherSecretDoesNotVerify() {
        byte[] signed = new EnvelopeMac("another secret, as long", null).sign(envelope);

        assertThat(mac.verify(signed)).isFalse();
    }

    @Test
    void thePreviousSecretIsAcceptedButNotUsedToSign() {
        EnvelopeMac rotating = new EnvelopeMac("the new secret, rotated in", SECRET);

        assertThat(rotating.verify(mac.sign(envelope))).isTrue();
        assertThat(mac.verify(rotating.sign(envelope))).isFalse();
    }

    @Test
    void inputsTooShortOrCutAnywhereDoNotVerify() {
        byte[] signed = mac.sign(envelope);
        for (byte[] input : List.of(new byte[0], "{}".getBytes(StandardCharsets.UTF_8),
                java.util.Arrays.copyOf(signed, signed.length - 1))) {
            assertThat(mac.verify(input)).isFalse();
        }
    }
}
