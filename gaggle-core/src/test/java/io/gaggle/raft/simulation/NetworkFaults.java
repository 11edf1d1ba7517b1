package io.gaggle.raft.simulation;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * How the virtual network misbehaves: loss, duplication, delay (hence reordering) and partitions.
 */
final class NetworkFaults {

    private double dropRate;
    private double duplicateRate;
    private final int minDelay;
    private int maxDelay;
    private Set<Integer> partition;
    private final Set<List<Integer>> cutLinks = new HashSet<>();

    NetworkFaults(double dropRate, double duplicateRate, int minDelay, int maxDelay) {
        this.dropRate = dropRate;
        this.duplicateRate = duplicateRate;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
    }

    static NetworkFaults reliable() {
        return new NetworkFaults(0, 0, 1, 3);
    }

    static NetworkFaults random(Random random) {
        return new NetworkFaults(random.nextDouble() * 0.2, random.nextDouble() * 0.1, 1, 2 + random.nextInt(40));
    }

    /** How many copies of a message from {@code from} reach {@code to}: 0 (lost), 1, or 2. */
    int copies(Random random, int from, int to) {
        if (partition != null && partition.contains(from) != partition.contains(to)) {
            return 0;
        }
        if (cutLinks.contains(List.of(from, to))) {
            return 0;
        }
        if (random.nextDouble() < dropRate) {
            return 0;
        }
        return random.nextDouble() < duplicateRate ? 2 : 1;
    }

    long delay(Random random) {
        return minDelay + random.nextInt(maxDelay - minDelay + 1);
    }

    void partition(Set<Integer> group) {
        partition = new HashSet<>(group);
    }

    void heal() {
        partition = null;
        cutLinks.clear();
    }

    /** Messages from {@code from} to {@code to} are lost, the other way they still flow. */
    void cut(int from, int to) {
        cutLinks.add(List.of(from, to));
    }

    /** From now on the network loses and duplicates nothing and is quick: the period of stability liveness needs. */
    void calm() {
        heal();
        dropRate = 0;
        duplicateRate = 0;
        maxDelay = Math.min(maxDelay, 10);
    }

    @Override
    public String toString() {
        return String.format("drop %.2f, duplicate %.2f, delay %d..%d ms", dropRate, duplicateRate, minDelay, maxDelay);
    }
}
