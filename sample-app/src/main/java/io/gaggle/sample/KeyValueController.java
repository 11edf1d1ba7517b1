package io.gaggle.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.gaggle.Gaggle;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The store's HTTP API, served by every node: writes go through the log; reads are this node's
 * committed state once a read barrier has passed, so they see every write acknowledged before
 * them, whichever node took it.
 */
@RestController
class KeyValueController {

    private final Gaggle gaggle;

    private final KeyValueStore store;

    KeyValueController(Gaggle gaggle, KeyValueStore store) {
        this.gaggle = gaggle;
        this.store = store;
    }

    /** Appends the put and answers once it is committed, and so applied, on this node. */
    @PutMapping("/kv/{key}")
    ResponseEntity<Void> put(@PathVariable String key, @RequestBody String value) throws Exception {
        this.gaggle.append(KeyValueCommand.put(key, value), IdSequence.TIMEOUT)
            .get(IdSequence.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/kv/{key}")
    ResponseEntity<String> get(@PathVariable String key) throws Exception {
        awaitReadBarrier();
        return ResponseEntity.of(this.store.get(key));
    }

    @GetMapping("/kv")
    Map<String, String> all() throws Exception {
        awaitReadBarrier();
        return this.store.all();
    }

    /**
     * Waits until this node has applied everything committed when the read began: without it, a
     * follower asked right after a put on another node may not have heard of the commit yet.
     */
    private void awaitReadBarrier() throws Exception {
        this.gaggle.readBarrier(IdSequence.TIMEOUT).get(IdSequence.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the leader for the next id, from whichever node serves the request. */
    @PostMapping("/ids")
    Map<String, Long> nextId() throws Exception {
        Long id = this.gaggle.dispatchOnLeader("nextId", List.of(), IdSequence.TIMEOUT, Long.class)
            .get(IdSequence.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return Map.of("id", id);
    }

    /** No leader in time (e.g. no majority up): the outcome is open, the caller may retry. */
    @ExceptionHandler({ TimeoutException.class, ExecutionException.class })
    ResponseEntity<String> unavailable(Exception ex) {
        Throwable cause = (ex instanceof ExecutionException) ? ex.getCause() : ex;
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(cause.toString());
    }
}
