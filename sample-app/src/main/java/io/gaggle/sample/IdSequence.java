package io.gaggle.sample;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.gaggle.Gaggle;
import io.gaggle.spring.GaggleRpc;

import org.springframework.stereotype.Component;

/**
 * Hands out cluster-wide unique, increasing ids. Any node may ask; the work runs on the leader,
 * which appends the request to the log and answers with the number that the request's position in
 * the log gave it. If leadership changes mid-call, the call may run again on the new leader and
 * use up a number: ids can have gaps, never duplicates.
 */
@Component
class IdSequence {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final KeyValueStore store;

    IdSequence(KeyValueStore store) {
        this.store = store;
    }

    @GaggleRpc("nextId")
    long nextId(Gaggle leader) throws Exception {
        String request = UUID.randomUUID().toString();
        CompletableFuture<Long> id = this.store.awaitId(request);
        leader.append(KeyValueCommand.nextId(request), TIMEOUT).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return id.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
