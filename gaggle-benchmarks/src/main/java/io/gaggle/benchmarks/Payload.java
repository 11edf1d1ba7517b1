package io.gaggle.benchmarks;

/**
 * The entry every benchmark appends: about 100 bytes of JSON, e.g.
 * {@code {"key":"key-000042","seq":42,"value":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}.
 */
record Payload(String key, long seq, String value) {

    private static final String VALUE = "x".repeat(57);

    static Payload of(long seq) {
        return new Payload(String.format("key-%06d", seq), seq, VALUE);
    }
}
