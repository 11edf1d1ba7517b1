package io.gaggle;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Settings that {@link Gaggle.Builder#build()} rejected, every one of them at once, so that one
 * round of fixes is enough. The message lists them, each as the setting's name and its reason,
 * e.g. {@code clusterSize is 0, but a cluster has at least 1 node}; {@link #getProblems()} gives
 * them one by one, for a framework to report in its own terms.
 */
public class GaggleConfigurationException extends IllegalArgumentException {

    private final List<Problem> problems;

    GaggleConfigurationException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /** The rejected settings, in the builder's order. */
    public List<Problem> getProblems() {
        return problems;
    }

    /**
     * One rejected setting.
     *
     * @param setting the setting
     * @param reason what is wrong with it, phrased to follow the setting's name, e.g. {@code is not set}
     */
    public record Problem(Setting setting, String reason) {

        @Override
        public String toString() {
            return setting + " " + reason;
        }
    }

    /**
     * The settings that {@link Gaggle.Builder#build()} checks, named as the builder names them.
     */
    public enum Setting {

        /** {@link Gaggle.Builder#id(String)}. */
        ID("id"),
        /** {@link Gaggle.Builder#clusterSize(int)}. */
        CLUSTER_SIZE("clusterSize"),
        /** {@link Gaggle.Builder#channel(ChannelConfig)}. */
        CHANNEL("channel"),
        /** The first argument of {@link Gaggle.Builder#electionTimeout(java.time.Duration, java.time.Duration)}. */
        ELECTION_TIMEOUT_MIN("electionTimeout.min"),
        /** The second argument of {@link Gaggle.Builder#electionTimeout(java.time.Duration, java.time.Duration)}. */
        ELECTION_TIMEOUT_MAX("electionTimeout.max"),
        /** {@link Gaggle.Builder#heartbeatInterval(java.time.Duration)}. */
        HEARTBEAT_INTERVAL("heartbeatInterval"),
        /** {@link Gaggle.Builder#maxPendingAppends(int)}. */
        MAX_PENDING_APPENDS("maxPendingAppends"),
        /** {@link Gaggle.Builder#maxPendingRpcs(int)}. */
        MAX_PENDING_RPCS("maxPendingRpcs"),
        /** {@link Gaggle.Builder#rpcExecutor(java.util.concurrent.Executor)}. */
        RPC_EXECUTOR("rpcExecutor"),
        /** {@link Gaggle.Builder#listenerThreadFactory(java.util.concurrent.ThreadFactory)}. */
        LISTENER_THREAD_FACTORY("listenerThreadFactory"),
        /** {@link Gaggle.Builder#secret(String)}. */
        SECRET("secret"),
        /** {@link Gaggle.Builder#previousSecret(String)}. */
        PREVIOUS_SECRET("previousSecret"),
        /** {@link Gaggle.Builder#members(java.util.Collection)}. */
        MEMBERS("members"),
        /** {@link Gaggle.Builder#storage(java.nio.file.Path)}. */
        STORAGE("storage"),
        /** {@link Gaggle.Builder#snapshotThreshold(long)}. */
        SNAPSHOT_THRESHOLD("snapshotThreshold"),
        /** {@link Gaggle.Builder#snapshotTrailingEntries(long)}. */
        SNAPSHOT_TRAILING_ENTRIES("snapshotTrailingEntries");

        private final String builderName;

        Setting(String builderName) {
            this.builderName = builderName;
        }

        /** The builder's name for it, e.g. {@code electionTimeout.min}. */
        @Override
        public String toString() {
            return builderName;
        }
    }
}
