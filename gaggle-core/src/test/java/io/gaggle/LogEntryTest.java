package io.gaggle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LogEntry} converts its JSON data back to application types, also when the data is a
 * region of a larger array.
 */
class LogEntryTest {

    record Order(String item, int quantity) {
    }

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void dataConvertsToARecord() {
        LogEntry entry = new LogEntry("e1", 1, MAPPER.valueToTree(new Order("lamb", 2)));
        assertThat(entry.data(Order.class)).isEqualTo(new Order("lamb", 2));
    }

    @Test
    void dataConvertsToAList() {
        LogEntry entry = new LogEntry("e1", 1, MAPPER.valueToTree(List.of("mary", "had")));
        assertThat((Object) entry.data(List.class)).isEqualTo(List.of("mary", "had"));
    }

    @Test
    void aNoopIsRecognisedByItsNullData() {
        assertThat(LogEntry.noop(3).isNoop()).isTrue();
        assertThat(new LogEntry("e1", 3, MAPPER.valueToTree("x")).isNoop()).isFalse();
    }

    @Test
    void toStringNeverShowsEntryData() {
        LogEntry entry = new LogEntry("e1", 1, MAPPER.valueToTree("secret"));
        assertThat(entry.toString()).doesNotContain("secret");
    }

    /** {@code "mary"} between other bytes, as in a log segment. */
    private static LogEntry entryInRegion(String id) {
        byte[] shared = "xx\"mary\"yyyy".getBytes(StandardCharsets.UTF_8);
        return LogEntry.fromJson(id, 1, shared, 2, 6, MAPPER);
    }

    @Test
    void dataInARegionReadsOnlyThatRegion() {
        LogEntry entry = entryInRegion("e1");
        assertThat(entry.data().asString()).isEqualTo("mary");
        assertThat(entry.data(String.class)).isEqualTo("mary");
        assertThat(entry.dataLength()).isEqualTo(6);
        ByteBuffer json = entry.dataJson();
        assertThat(json.isReadOnly()).isTrue();
        assertThat(StandardCharsets.UTF_8.decode(json).toString()).isEqualTo("\"mary\"");
    }

    @Test
    void entriesWithTheSameDataAreEqualWhereverItLies() {
        LogEntry whole = LogEntry.fromJson("e1", 1, MAPPER.writeValueAsBytes("mary"), MAPPER);
        assertThat(entryInRegion("e1")).isEqualTo(whole).hasSameHashCodeAs(whole);
        assertThat(entryInRegion("e2")).isNotEqualTo(whole);
    }

    @Test
    void aNoopIsRecognisedInARegion() {
        byte[] shared = "[null]".getBytes(StandardCharsets.UTF_8);
        assertThat(LogEntry.fromJson("n", 1, shared, 1, 4, MAPPER).isNoop()).isTrue();
        assertThat(LogEntry.fromJson("n", 1, shared, 0, 5, MAPPER).isNoop()).isFalse();
    }
}
