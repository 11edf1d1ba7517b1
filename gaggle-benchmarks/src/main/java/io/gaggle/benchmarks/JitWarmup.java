package io.gaggle.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Warms the JVM up before a measurement: rounds of the workload's own appends until the JIT
 * compilers have settled, that is until a round spent under {@value #QUIET_SHARE} of its time
 * compiling, and at most {@value #MAX_ROUNDS} rounds. A fixed count proved fragile: once appends
 * got faster, 100,000 of them took a third of a second, and C2 went on compiling through the
 * measurement with a quarter of the CPU; with seven nodes the compilers took nine rounds of
 * 100,000 to fall quiet.
 */
final class JitWarmup {

    private static final double QUIET_SHARE = 0.05;
    private static final int MAX_ROUNDS = 10;

    /** One round of warm-up appends. */
    interface Round {
        void run() throws Exception;
    }

    private JitWarmup() {
    }

    /** Runs {@code round} until the JIT is quiet; returns how many rounds ran. */
    static int untilSettled(Round round) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean measurable = jit != null && jit.isCompilationTimeMonitoringSupported();
        for (int rounds = 1; ; rounds++) {
            long compilingBefore = measurable ? jit.getTotalCompilationTime() : 0;
            long start = System.nanoTime();
            round.run();
            double roundMillis = (System.nanoTime() - start) / 1e6;
            long compiling = measurable ? jit.getTotalCompilationTime() - compilingBefore : 0;
            if (!measurable || rounds == MAX_ROUNDS || compiling < QUIET_SHARE * roundMillis) {
                return rounds;
            }
        }
    }
}
