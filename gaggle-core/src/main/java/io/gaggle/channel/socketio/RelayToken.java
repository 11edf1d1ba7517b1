package io.gaggle.channel.socketio;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Socket.IO relay token that follows from a cluster secret, so that a cluster configures one
 * secret rather than a secret and a token. The token is the HMAC-SHA256, keyed with the secret in
 * UTF-8, of the label {@code gaggle socket.io relay token v1}, in lowercase hex: a client in
 * another language can compute it too, and the relay, which needs the token, learns nothing that
 * would let it sign envelopes.
 */
public final class RelayToken {

    private static final String LABEL = "gaggle socket.io relay token v1";

    private RelayToken() {
    }

    /**
     * The relay token for a cluster secret: the same on every node and on the relay.
     *
     * @param secret the cluster secret
     * @return 64 lowercase hex digits
     * @throws IllegalArgumentException if the secret is empty
     */
    public static String fromSecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a relay token needs a non-empty secret");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(LABEL.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256, which every Java platform has, is missing", e);
        }
    }
}
