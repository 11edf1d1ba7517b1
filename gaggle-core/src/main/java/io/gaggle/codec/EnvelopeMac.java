package io.gaggle.codec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs envelopes with HMAC-SHA256 under the cluster's secret, and checks them, so that only
 * holders of the secret can speak on the channel. The signature covers the envelope's exact
 * bytes, header and message, and travels as its last field, {@code "mac"}, in base64url:
 * {@code {"v":1,...,"msg":{...},"mac":"..."}}. A reader without a secret skips the field.
 * <p>
 * A receiver checks the signature over the bytes as they arrived, before anything parses them.
 * It accepts the current secret and, during a rotation, a previous one; it signs with the current
 * one. Thread-safe: each thread uses its own {@link Mac}.
 */
public final class EnvelopeMac {

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] FIELD_START = ",\"mac\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FIELD_END = "\"}".getBytes(StandardCharsets.US_ASCII);
    /** 32 bytes in base64url without padding. */
    private static final int MAC_CHARS = 43;
    private static final int FIELD_LENGTH = FIELD_START.length + MAC_CHARS + FIELD_END.length;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** The current key first: it signs, and is tried first. */
    private final List<ThreadLocal<Mac>> keys = new ArrayList<>();

    /**
     * @param secret the cluster's secret
     * @param previousSecret a secret still accepted while the cluster moves to {@code secret}, or null
     */
    public EnvelopeMac(String secret, String previousSecret) {
        keys.add(macFor(secret));
        if (previousSecret != null) {
            keys.add(macFor(previousSecret));
        }
    }

    private static ThreadLocal<Mac> macFor(String secret) {
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        newMac(key); // fails here, at construction, rather than on a channel thread
        return ThreadLocal.withInitial(() -> newMac(key));
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot compute " + ALGORITHM, e);
        }
    }

    /** The envelope with its signature as last field; {@code envelope} is a JSON object's bytes. */
    public byte[] sign(byte[] envelope) {
        Mac mac = keys.get(0).get();
        byte[] signature = ENCODER.encode(mac.doFinal(envelope));
        int open = envelope.length - 1; // the envelope's closing brace makes way for the field
        byte[] signed = new byte[open + FIELD_LENGTH];
        System.arraycopy(envelope, 0, signed, 0, open);
        System.arraycopy(FIELD_START, 0, signed, open, FIELD_START.length);
        System.arraycopy(signature, 0, signed, open + FIELD_START.length, MAC_CHARS);
        System.arraycopy(FIELD_END, 0, signed, open + FIELD_START.length + MAC_CHARS, FIELD_END.length);
        return signed;
    }

    /** Whether {@code signed} ends with a signature, under one of the accepted secrets, of what precedes it. */
    public boolean verify(byte[] signed) {
        int open = signed.length - FIELD_LENGTH;
        if (open < 1 || !endsWithField(signed, open)) {
            return false;
        }
        byte[] claimed = Arrays.copyOfRange(signed, open + FIELD_START.length, open + FIELD_START.length + MAC_CHARS);
        for (ThreadLocal<Mac> key : keys) {
            Mac mac = key.get();
            mac.update(signed, 0, open);
            mac.update((byte) '}');
            // Compared as sent, in base64: decoding would let the last character's unused bits vary.
            if (MessageDigest.isEqual(ENCODER.encode(mac.doFinal()), claimed)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithField(byte[] signed, int open) {
        return regionEquals(signed, open, FIELD_START)
                && regionEquals(signed, signed.length - FIELD_END.length, FIELD_END);
    }

    private static boolean regionEquals(byte[] bytes, int offset, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (bytes[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
