package io.gaggle.benchmarks;

/**
 * The entry every benchmark appends: about 100 bytes of JSON, e.g.
 * {@code {"key":"key-000042","seq":42,"value":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}.
 */
public record Payload(String key, long seq, String value) {

    private static final String VALUE = "x".repeat(57);

    /** The payload for {@code seq}. */
    public static Payload of(long seq) {
        // Not String.format: the benchmark must measure Gaggle, not java.util.Formatter.
        String digits = Long.toString(seq);
        return new Payload("key-" + "0".repeat(Math.max(0, 6 - digits.length())) + digits, seq, VALUE);
    }
}
