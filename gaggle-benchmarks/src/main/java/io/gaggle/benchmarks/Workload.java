package io.gaggle.benchmarks;

/**
 * One benchmark mode, run against a settled cluster.
 */
interface Workload {

    /** Measures, adding what it measured to {@code result}. */
    void run(BenchmarkCluster cluster, int n, BenchmarkOptions options, BenchmarkResult result) throws Exception;

    /** One round of warm-up: {@code appends} appends as the measurement makes them. */
    void warmUp(BenchmarkCluster cluster, int appends, BenchmarkOptions options) throws Exception;
}
