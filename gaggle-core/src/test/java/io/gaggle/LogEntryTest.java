package io.gaggle;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LogEntry} converts its JSON data back to application types.
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
        assertThat(entry.data(List.class)).containsExactly("mary", "had");
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
}
