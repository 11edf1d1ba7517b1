package io.gaggle.channel.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RelayTokenTest {

    /** A JavaScript client computes the same: HMAC-SHA256, keyed with the secret, of the label, in hex. */
    @Test
    void theTokenIsTheHmacOfAFixedLabelKeyedWithTheSecret() {
        assertThat(RelayToken.fromSecret("cluster secret"))
                .isEqualTo("b0d92ab95bd35d2326b98ffa49760cabc2fe26954327a2ec6949fad97a9949f2");
    }

    @Test
    void anotherSecretGivesAnotherToken() {
        assertThat(RelayToken.fromSecret("cluster secret")).isNotEqualTo(RelayToken.fromSecret("cluster secret 2"));
    }

    @Test
    void anEmptySecretIsRejected() {
        assertThatThrownBy(() -> RelayToken.fromSecret("")).isInstanceOf(IllegalArgumentException.class);
    }
}
