package io.gaggle.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.gaggle.GaggleOutcomeUnknownException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The futures of callers' requests, settled on the delivery thread. */
class PendingCallsTest {

    private final Delivery delivery = new Delivery(Thread::new);
    private final PendingCalls calls = new PendingCalls("node-a", 10, delivery);

    @AfterEach
    void stop() throws InterruptedException {
        delivery.shutdown(Duration.ofSeconds(10));
    }

    @Test
    void anAppendWhoseOutcomeIsUnknownFailsSayingItMayHaveCommitted() {
        CompletableFuture<Void> append = calls.newAppend();
        calls.append("e-1", append);

        calls.appendOutcomeUnknown("e-1");
        delivery.endTurn();

        assertThat(append).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingCause().isInstanceOf(GaggleOutcomeUnknownException.class)
                .withMessageContaining("append e-1 may or may not have committed")
                .withMessageContaining("node node-a fell behind a snapshot");
    }
}
