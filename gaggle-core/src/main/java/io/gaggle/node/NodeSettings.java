package io.gaggle.node;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

import io.gaggle.ChannelConfig;
import io.gaggle.Gaggle;
import io.gaggle.Snapshotter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validated settings of a {@link GaggleNode}, as {@link Gaggle.Builder} checked them; times in ms.
 * {@code secret} and {@code previousSecret} are null without authentication, {@code members} is
 * null when peers are discovered from the traffic, {@code storage} null when the node keeps its state
 * in memory, {@code snapshotter} null when the node takes no snapshots (its thresholds then unused),
 * {@code rpcExecutor} null when RPC handlers run on the node's own pool, {@code listenerThreadFactory}
 * null when the node makes its own delivery thread.
 */
public record NodeSettings(String id, int clusterSize, ChannelConfig channel, long electionTimeoutMin,
        long electionTimeoutMax, long heartbeatInterval, boolean accelerateHeartbeats, boolean preVote,
        int maxPendingAppends, JsonMapper jsonMapper,
        Map<String, Gaggle.RpcHandler> rpcHandlers, String secret, String previousSecret, Set<String> members,
        Path storage, Snapshotter snapshotter, long snapshotThreshold, long snapshotTrailingEntries,
        Executor rpcExecutor, int maxPendingRpcs, ThreadFactory listenerThreadFactory) {
}
