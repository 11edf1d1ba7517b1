package io.gaggle.sample;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.gaggle.Snapshotter;
import io.gaggle.spring.GaggleCommittedEvent;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The replicated state: every node applies the same committed commands in the same order, so
 * every node holds the same map and the same id counter. As the node's {@link Snapshotter} it
 * saves both as one JSON document, so the log can drop the commands they reflect, and restores
 * them on a node that restarts or fell behind.
 */
@Component
class KeyValueStore implements Snapshotter {

    private final JsonMapper mapper;

    /** Replaced whole by a restore, so that readers see the old state or the new, never a mix. */
    private volatile Map<String, String> values = new ConcurrentHashMap<>();

    private final Map<String, CompletableFuture<Long>> awaitedIds = new ConcurrentHashMap<>();

    private long lastId;

    KeyValueStore(JsonMapper mapper) {
        this.mapper = mapper;
    }

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
     * Writes the map and the counter as they are after the entry at {@code index}: Gaggle calls this
     * on the delivery thread, the thread that applies commands, so neither changes meanwhile. The
     * mapper streams the map entry by entry into {@code out}.
     */
    @Override
    public void save(long index, OutputStream out) {
        this.mapper.writeValue(out, new State(this.lastId, this.values));
    }

    /** Replaces the map and the counter with those saved at {@code index}; the commands after it follow. */
    @Override
    public void restore(long index, InputStream in) {
        State state = this.mapper.readValue(in, State.class);
        this.lastId = state.lastId();
        this.values = new ConcurrentHashMap<>(state.values());
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

    long lastId() {
        return this.lastId;
    }

    /** What a snapshot holds: the last id issued and every value. */
    record State(long lastId, Map<String, String> values) {
    }
}
