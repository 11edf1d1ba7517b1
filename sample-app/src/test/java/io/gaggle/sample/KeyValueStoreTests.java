package io.gaggle.sample;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.LogEntry;
import io.gaggle.spring.GaggleCommittedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store as its node's snapshotter: a snapshot restored into a fresh store gives the same
 * state, which later commands then change alike.
 */
class KeyValueStoreTests {

    private final JsonMapper mapper = JsonMapper.builder().build();

    /** Only the source of the events; never started. */
    private final Gaggle node = Gaggle.builder()
        .id("node-a")
        .clusterSize(1)
        .channel(ChannelConfig.memory("store-" + UUID.randomUUID()))
        .build();

    private long index;

    @AfterEach
    void closeNode() {
        this.node.close().join();
    }

    @Test
    void aSavedStoreRestoredIntoAFreshOneHasTheSameValuesAndIds() throws Exception {
        KeyValueStore saved = new KeyValueStore(this.mapper);
        commit(saved, KeyValueCommand.put("colour", "green"));
        commit(saved, KeyValueCommand.nextId("r-1"));
        commit(saved, KeyValueCommand.put("shape", "round"));
        commit(saved, KeyValueCommand.nextId("r-2"));
        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        saved.save(this.index, snapshot);

        KeyValueStore restored = new KeyValueStore(this.mapper);
        commit(restored, KeyValueCommand.put("stale", "gone"));
        restored.restore(this.index, new ByteArrayInputStream(snapshot.toByteArray()));

        assertThat(restored.all()).isEqualTo(saved.all()).containsOnlyKeys("colour", "shape");
        assertThat(restored.lastId()).isEqualTo(saved.lastId()).isEqualTo(2);
    }

    @Test
    void aRestoredStoreIssuesTheIdsThatFollowTheSnapshot() throws Exception {
        KeyValueStore saved = new KeyValueStore(this.mapper);
        commit(saved, KeyValueCommand.nextId("r-1"));
        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        saved.save(this.index, snapshot);
        KeyValueStore restored = new KeyValueStore(this.mapper);
        restored.restore(this.index, new ByteArrayInputStream(snapshot.toByteArray()));

        CompletableFuture<Long> id = restored.awaitId("r-2");
        commit(restored, KeyValueCommand.nextId("r-2"));

        assertThat(id).isCompletedWithValue(2L);
    }

    private void commit(KeyValueStore store, KeyValueCommand command) {
        byte[] json = this.mapper.writeValueAsBytes(command);
        store.apply(new GaggleCommittedEvent(this.node,
                LogEntry.fromJson("e-" + this.index, 1, json, this.mapper), this.index++));
    }
}
