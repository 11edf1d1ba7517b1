package io.gaggle.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line of output: the run's parameters, then what it measured.
 */
final class BenchmarkResult {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    /** A line with only the implementation's name; the caller puts the rest. */
    BenchmarkResult() {
        fields.put("impl", "gaggle-java");
    }

    BenchmarkResult(String channel, int nodes, String mode, int n, int inFlight, boolean accelerate, boolean signed) {
        this();
        fields.put("channel", channel);
        fields.put("nodes", nodes);
        fields.put("mode", mode);
        fields.put("n", n);
        fields.put("inFlight", inFlight);
        fields.put("accelerate", accelerate);
        fields.put("secret", signed);
    }

    BenchmarkResult put(String name, Object value) {
        fields.put(name, value instanceof Double d ? Math.round(d * 1000) / 1000.0 : value);
        return this;
    }

    Map<String, Object> fields() {
        return fields;
    }
}
