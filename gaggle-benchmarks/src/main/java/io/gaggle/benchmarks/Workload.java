package io.gaggle.benchmarks;

/**
 * One benchmark mode, run against a settled cluster.
 */
interface Workload {

    /** Measures, adding what it measured to {@code result}. */
    void run(BenchmarkCluster cluster, int n, BenchmarkOptions options, BenchmarkResult result) throws Exception;

    /**
     * A workload of appends on one cluster, measured warm: the runner warms the JIT up with rounds
     * of the workload's own appends, and reports the heap its log holds.
     */
    interface OfAppends extends Workload {

        /** One round of warm-up: {@code appends} appends as the measurement makes them. */
        void warmUp(BenchmarkCluster cluster, int appends, BenchmarkOptions options) throws Exception;
    }
}
