package io.gaggle.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EntryIdIndex} answers as a {@code HashMap} would, through growth, truncations and hash
 * collisions, comparing ids against those of a stand-in log.
 */
class EntryIdIndexTest {

    private final List<byte[]> log = new ArrayList<>();
    private final EntryIdIndex index = new EntryIdIndex((i, id) -> Arrays.equals(log.get((int) i), id));

    private static byte[] utf8(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private void append(String id) {
        log.add(utf8(id));
        index.put(utf8(id), log.size() - 1);
    }

    private void truncateFrom(int from) {
        for (int i = log.size() - 1; i >= from; i--) {
            index.remove(log.get(i));
            log.remove(i);
        }
    }

    @Test
    void agreesWithAHashMapUnderRandomAppendsAndTruncations() {
        Random random = new Random(7);
        Map<String, Long> reference = new HashMap<>();
        int nextId = 0;
        for (int step = 0; step < 200_000; step++) {
            int action = random.nextInt(100);
            if (action < 60 || log.isEmpty()) {
                // Sometimes re-append an id that a truncation removed.
                String id = "id-" + (random.nextInt(4) == 0 ? random.nextInt(nextId + 1) : nextId++);
                if (!reference.containsKey(id)) {
                    append(id);
                    reference.put(id, log.size() - 1L);
                }
            } else if (action < 62) {
                int from = Math.max(0, log.size() - 1 - random.nextInt(50));
                for (int i = from; i < log.size(); i++) {
                    reference.remove(new String(log.get(i), StandardCharsets.UTF_8));
                }
                truncateFrom(from);
            } else {
                String id = "id-" + random.nextInt(nextId + 10);
                assertThat(index.get(utf8(id))).as(id).isEqualTo(reference.getOrDefault(id, -1L));
            }
        }
        reference.forEach((id, value) -> assertThat(index.get(utf8(id))).as(id).isEqualTo(value));
    }

    @Test
    void idsWithTheSameHashAreToldApart() {
        // "Aa" and "BB" have the same String.hashCode, and so the same hash here.
        append("Aa");
        append("BB");
        assertThat(index.get(utf8("Aa"))).isZero();
        assertThat(index.get(utf8("BB"))).isEqualTo(1);
        truncateFrom(1);
        assertThat(index.get(utf8("BB"))).isEqualTo(-1);
        assertThat(index.get(utf8("Aa"))).isZero();
    }

    @Test
    void anUnknownIdIsAbsent() {
        assertThat(index.get(utf8("nope"))).isEqualTo(-1);
    }
}
