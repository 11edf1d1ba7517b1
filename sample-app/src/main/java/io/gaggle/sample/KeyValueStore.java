package io.gaggle.sample;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.gaggle.spring.GaggleCommittedEvent;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The replicated state: every node applies the same committed commands in the same order, so
 * every node holds the same map and the same id counter.
 */
@Component
class KeyValueStore {

    private final Map<String, String> values = new ConcurrentHashMap<>();

    private final Map<String, CompletableFuture<Long>> awaitedIds = new ConcurrentHashMap<>();

    private long lastId;

    @EventListener
    void apply(GaggleCommittedEvent event) {
        KeyValueCommand command = event.getEntry().data(KeyValueCommand.class);
        switch (command.op()) {
            case KeyValueCommand.PUT -> this.values.put(command.key(), command.value());
            case KeyValueCommand.NEXT_ID -> issueId(command.request());
            default -> throw new IllegalStateException("unknown command " + command.op());
        }
    }

    /** Called only from the delivery thread, in log order, so the counter needs no lock. */
    private void issueId(String request) {
        this.lastId++;
        CompletableFuture<Long> awaited = this.awaitedIds.remove(request);
        if (awaited != null) {
            awaited.complete(this.lastId);
        }
    }

    /**
     * The id a {@code next-id} command will be given once it is committed on this node. Only the
     * node that appends the command waits; the others just count.
     */
    CompletableFuture<Long> awaitId(String request) {
        CompletableFuture<Long> id = new CompletableFuture<>();
        this.awaitedIds.put(request, id);
        return id.whenComplete((issued, failure) -> this.awaitedIds.remove(request));
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(this.values.get(key));
    }

    Map<String, String> all() {
        return new TreeMap<>(this.values);
    }
}
