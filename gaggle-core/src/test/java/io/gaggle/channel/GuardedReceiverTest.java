package io.gaggle.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class GuardedReceiverTest {

    @Test
    void countsWhatTheReceiverThrowsOnInsteadOfThrowing() {
        GuardedReceiver receiver = new GuardedReceiver(envelope -> {
            throw new IllegalStateException("a receiver bug, thrown on purpose by the test");
        }, "test channel");

        assertThatCode(() -> {
            receiver.accept(new byte[] {1});
            receiver.accept(new byte[] {2});
        }).doesNotThrowAnyException();

        assertThat(receiver.failures()).isEqualTo(2);
    }
}
