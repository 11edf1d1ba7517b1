package io.gaggle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;

import io.gaggle.GaggleConfigurationException.Problem;
import io.gaggle.GaggleConfigurationException.Setting;
import io.gaggle.node.GaggleNode;
import io.gaggle.node.NodeSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Raft node: a replicated log that every node of the cluster commits in the same order.
 * <pre>{@code
 * Gaggle node = Gaggle.builder()
 *     .id("node-a")
 *     .clusterSize(3)
 *     .channel(ChannelConfig.memory())
 *     .build();
 * node.onCommitted((entry, index) -> System.out.println(entry.data()));
 * node.start();
 * node.append(Map.of("foo", "lamb")).join();
 * }</pre>
 * Every method is thread-safe. Futures complete, and listeners run, on Gaggle's delivery thread
 * (made by {@link Builder#listenerThreadFactory} if set), never on the consensus thread; do not
 * block them waiting for another Gaggle future.
 */
public interface Gaggle {

    /** A builder with the original's defaults. */
    static Builder builder() {
        return new Builder();
    }

    /** This node's id. */
    String getId();

    /** Joins the channel and starts taking part in elections. Calls made before are queued. */
    void start();

    /**
     * Appends {@code data} to the replicated log, waiting as long as it takes.
     *
     * @see #append(Object, Duration)
     */
    CompletableFuture<Void> append(Object data);

    /**
     * Appends {@code data} to the replicated log. The future completes once the entry is
     * committed on this node (after this node's {@code onCommitted} listeners have been handed it).
     * On a follower the append is passed to the leader and resent across leader changes; it
     * commits at most once.
     * <p>
     * A timeout completes the future with {@link java.util.concurrent.TimeoutException} but leaves
     * the outcome open: the entry may still commit later.
     *
     * When this node already has {@link Builder#maxPendingAppends(int)} appends pending, the
     * future fails at once with {@link GaggleBackpressureException}.
     *
     * @param data anything Jackson serialises except {@code null}, nested at most
     *        {@link io.gaggle.codec.EnvelopeCodec#MAX_DATA_DEPTH} deep
     * @throws IllegalArgumentException if {@code data} is null, cannot be serialised, or
     *         serialises to more than one JSON value or one nested too deep
     */
    CompletableFuture<Void> append(Object data, Duration timeout);

    /**
     * Runs the named RPC handler on the leader and returns its result to this caller only,
     * waiting as long as it takes (see {@link #dispatchOnLeader(String, List, Duration)}).
     */
    CompletableFuture<JsonNode> dispatchOnLeader(String name, List<?> args);

    /**
     * Runs the named RPC handler on the leader and returns its result to this caller only. With
     * no leader yet it waits for one. A handler that throws, or returns a {@link Throwable},
     * completes the future with {@link GaggleRpcException} carrying the message; so does an
     * unknown name. If leadership changes while the call is in flight it is sent to the new
     * leader, so a handler may run more than once then: make handlers idempotent.
     * A timeout completes the future with {@link java.util.concurrent.TimeoutException}. A
     * result beyond the bounds of {@link io.gaggle.codec.EnvelopeCodec#checkRpcResult} fails the
     * call with {@link GaggleRpcException}, and so does a leader too busy to run it.
     *
     * @throws IllegalArgumentException if {@code name} is empty or longer than
     *         {@link io.gaggle.codec.EnvelopeCodec#MAX_ID_LENGTH}, or the arguments cannot be
     *         serialised or exceed the bounds of {@link io.gaggle.codec.EnvelopeCodec#checkRpcArgs}
     */
    CompletableFuture<JsonNode> dispatchOnLeader(String name, List<?> args, Duration timeout);

    /** As {@link #dispatchOnLeader(String, List, Duration)}, converting the result to {@code type}. */
    <T> CompletableFuture<T> dispatchOnLeader(String name, List<?> args, Duration timeout, Class<T> type);

    /**
     * Whether this node leads in its current term. Several nodes may return true at once,
     * leaders of different terms, until the older one hears of the newer.
     */
    boolean isLeader();

    Role getRole();

    /** The leader of the current term, if this node knows it. */
    Optional<String> getLeaderId();

    long getTerm();

    /**
     * A copy of the entries the log retains: the first has index {@link GaggleStatus#firstLogIndex()}
     * of {@link #getStatus()} (0 until a snapshot compacts the log), and entry {@code i} of the list
     * has index {@code firstLogIndex + i}. Indexes stay global: {@link #getCommitIndex()} and the
     * listeners' indexes count every entry ever appended, compacted ones included. It includes the
     * no-ops leaders append (see {@link LogEntry#isNoop()}), which listeners never see. Without a
     * {@link Builder#snapshotter snapshotter} nothing is compacted and the list starts at index 0.
     */
    List<LogEntry> getLog();

    /**
     * A linearizable read barrier (ReadIndex, Raft thesis §6.4), waiting as long as it takes.
     *
     * @see #readBarrier(Duration)
     */
    CompletableFuture<Long> readBarrier();

    /**
     * A linearizable read barrier: completes once this node's {@code onCommitted} listeners have
     * seen every entry committed before the call, with the index they have seen up to. Reading the
     * state those listeners maintain then reflects every append acknowledged before the call, on
     * any node, without appending anything. The leader confirms it still leads with one
     * heartbeat round; a follower asks the leader. No clocks are trusted: no lease.
     * A timeout completes the future with {@link java.util.concurrent.TimeoutException}.
     */
    CompletableFuture<Long> readBarrier(Duration timeout);

    /** Index of the last committed entry; -1 until the first commit. */
    long getCommitIndex();

    /**
     * Whether the log holds uncommitted entries of earlier terms. A new leader commits them by
     * appending a no-op of its own term; this tells an RPC handler the leader is not settled yet.
     */
    boolean hasUncommittedEntriesInPreviousTerms();

    /** A snapshot of this node's state, for health checks and metrics. */
    GaggleStatus getStatus();

    /**
     * The peers this node hears, with how long ago it last heard each; while it leads, also what
     * it knows of each follower's log (Raft paper, §5.3), as of the call. Read on the consensus
     * thread, like {@link #getLog()}: for operators, not for every request.
     */
    List<PeerStatus> getPeers();

    /** Told of every entry this node appends while it leads; not of no-ops. */
    Subscription onAppended(EntryListener listener);

    /** Told of every committed entry, once each and in log order; not of no-ops. */
    Subscription onCommitted(EntryListener listener);

    /** Told whenever this node learns of a new leader, itself included. */
    Subscription onLeaderElected(LeaderListener listener);

    /**
     * Told whenever this node's role changes, closing included: a leader or candidate that closes,
     * or is closed by a failure of its storage, is told it became a follower.
     */
    Subscription onRoleChanged(RoleChangeListener listener);

    /**
     * Hands leadership to the most up-to-date follower (Raft thesis §3.10): appends made meanwhile
     * wait and then go to the new leader. Completes when another node leads; fails with
     * {@link GaggleException} if this node does not lead, or the handover does not happen within
     * a maximum election timeout (this node then leads on).
     */
    CompletableFuture<Void> transferLeadership();

    /** As {@link #transferLeadership()}, to the node {@code targetId}; completes when it leads. */
    CompletableFuture<Void> transferLeadership(String targetId);

    /**
     * Leaves the cluster: a leader first hands leadership over (bounded by a maximum election
     * timeout), so a rolling restart leaves no election gap; then pending futures fail with
     * {@link GaggleClosedException}, the channel disconnects, and later calls fail with
     * {@link GaggleClosedException}. Idempotent.
     */
    CompletableFuture<Void> close();

    /**
     * A function callable through {@link #dispatchOnLeader}; it runs on the leader, on a thread
     * of its own.
     */
    @FunctionalInterface
    interface RpcHandler {

        /**
         * @param leader the leader node it runs on (the original's {@code this})
         * @param args the caller's arguments as JSON
         * @return the result, serialised with the node's mapper; a returned {@link Throwable}
         *         is passed to the caller as an error, as the original's handlers return Errors
         */
        Object handle(Gaggle leader, List<JsonNode> args) throws Exception;
    }

    /**
     * Settings of a node, with the original's names and defaults.
     */
    final class Builder {

        private static final int MIN_SECRET_LENGTH = 16;
        private static final long DEFAULT_SNAPSHOT_THRESHOLD = 100_000;
        /** As etcd's {@code DefaultSnapshotCatchUpEntries}. */
        private static final long DEFAULT_SNAPSHOT_TRAILING_ENTRIES = 5_000;
        /** All 64 threads of the node's own pool busy and 1,024 calls waiting. */
        private static final int DEFAULT_MAX_PENDING_RPCS = 1_088;

        private String id;
        private Integer clusterSize;
        private ChannelConfig channel;
        private Duration electionTimeoutMin = Duration.ofMillis(300);
        private Duration electionTimeoutMax = Duration.ofMillis(500);
        private Duration heartbeatInterval = Duration.ofMillis(50);
        private boolean accelerateHeartbeats;
        private boolean preVote = true;
        private int maxPendingAppends = 100_000;
        private JsonMapper jsonMapper;
        private final Map<String, RpcHandler> rpcHandlers = new LinkedHashMap<>();
        private String secret;
        private String previousSecret;
        private Path storage;
        private List<String> members;
        private Snapshotter snapshotter;
        private Long snapshotThreshold;
        private Long snapshotTrailingEntries;
        private Executor rpcExecutor;
        private int maxPendingRpcs = DEFAULT_MAX_PENDING_RPCS;
        private ThreadFactory listenerThreadFactory;

        Builder() {
        }

        /** Required: this node's id, unique in the cluster; UUIDs recommended. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /**
         * How many nodes the cluster has; a majority is {@code clusterSize / 2 + 1}. Required unless
         * {@link #members} names them.
         */
        public Builder clusterSize(int clusterSize) {
            this.clusterSize = clusterSize;
            return this;
        }

        /** Required: the channel the nodes talk over. */
        public Builder channel(ChannelConfig channel) {
            this.channel = channel;
            return this;
        }

        /**
         * How long a follower waits without hearing a leader before it stands for election; each
         * wait is drawn at random from {@code [min, max]}. Default 300..500 ms.
         */
        public Builder electionTimeout(Duration min, Duration max) {
            this.electionTimeoutMin = min;
            this.electionTimeoutMax = max;
            return this;
        }

        /** How often a leader sends heartbeats; must be shorter than the election timeout. Default 50 ms. */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        /**
         * Whether the leader sends new entries, and new commit indexes, as soon as it has them
         * rather than with the next heartbeat. On: an append commits in about one round trip,
         * at the cost of a message per loop turn while appends flow. Off (the default, as the
         * original): a lone append waits for the next heartbeat.
         */
        public Builder accelerateHeartbeats(boolean accelerateHeartbeats) {
            this.accelerateHeartbeats = accelerateHeartbeats;
            return this;
        }

        /**
         * Whether a node whose election timer fires first asks the others whether they would vote
         * for it, and stands for election only if a majority would (Raft thesis §9.6). Then a node
         * that was cut off and comes back does not depose a healthy leader. Default on.
         */
        public Builder preVote(boolean preVote) {
            this.preVote = preVote;
            return this;
        }

        /**
         * How many appends may be pending (not yet committed) on this node at once; beyond it
         * {@link Gaggle#append} fails fast with {@link GaggleBackpressureException} instead of
         * growing memory without bound. While this node leads, it also refuses appends forwarded
         * by followers once its log holds this many uncommitted entries; they resend them later.
         * Default 100,000.
         */
        public Builder maxPendingAppends(int maxPendingAppends) {
            this.maxPendingAppends = maxPendingAppends;
            return this;
        }

        /** Registers an RPC handler for {@link Gaggle#dispatchOnLeader}. */
        public Builder rpc(String name, RpcHandler handler) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("rpc name must not be empty");
            }
            Objects.requireNonNull(handler, "rpc handler");
            if (rpcHandlers.putIfAbsent(name, handler) != null) {
                throw new IllegalArgumentException("rpc handler '" + name + "' is registered twice");
            }
            return this;
        }

        /**
         * The mapper that serialises appended data and RPC values, and converts them back in
         * {@link LogEntry#data(Class)}; default: a plain {@link JsonMapper}.
         */
        public Builder jsonMapper(JsonMapper jsonMapper) {
            this.jsonMapper = jsonMapper;
            return this;
        }

        /**
         * The cluster's secret, the same on every node: every envelope is then signed with
         * HMAC-SHA256 under it, and a node drops, before reading it, any envelope not signed with
         * it. Without a secret, anyone who can send on the channel (publish on the Redis server,
         * connect to the relay) can disrupt the cluster or commit entries. At least 16 characters;
         * 32 random bytes in base64 are a good choice. Default: none.
         */
        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        /**
         * A secret still accepted while the cluster moves to a new one: give every node the new
         * {@link #secret} and the old one here, restart them one by one, then drop this setting.
         * Nodes sign with {@link #secret} only. Default: none.
         */
        public Builder previousSecret(String previousSecret) {
            this.previousSecret = previousSecret;
            return this;
        }

        /**
         * The ids of every node of the cluster, this one included, when membership is fixed:
         * envelopes from any other id are then dropped, and the cluster size is their number.
         * Default: none, and peers are discovered from the traffic, as in the original.
         */
        public Builder members(Collection<String> members) {
            this.members = members == null ? null : new ArrayList<>(members);
            return this;
        }

        /** As {@link #members(Collection)}. */
        public Builder members(String... members) {
            return members(members == null ? null : Arrays.asList(members));
        }

        /**
         * The directory where this node keeps its term, vote and log, so that a restart, even a
         * {@code kill -9} of every node at once, loses nothing the cluster committed. One
         * directory per node, created if missing; a lock file keeps a second process out. The
         * node recovers what the directory holds when it is built, then learns the commit index
         * from the cluster and delivers the committed entries to listeners from the first.
         * Default: none, and the node keeps everything in memory, as the original: a restarted
         * node comes back empty, and a cluster restarted whole loses everything.
         */
        public Builder storage(Path directory) {
            this.storage = directory;
            return this;
        }

        /**
         * Saves and restores the application's state, so that the log can drop the entries it
         * reflects (Raft paper, §7) and a node far behind, or one that lost its storage, catches up
         * from a snapshot rather than from the whole history. Every node of the cluster needs one.
         * A node with storage restarts from its latest snapshot: {@link Gaggle#start()} restores it,
         * then listeners hear the entries after it. Default: none, and the log keeps every entry,
         * so memory, and disk with {@link #storage}, grow with the history.
         */
        public Builder snapshotter(Snapshotter snapshotter) {
            this.snapshotter = snapshotter;
            return this;
        }

        /**
         * How many entries a node applies between two snapshots; needs a {@link #snapshotter}.
         * Lower keeps the log shorter (memory and disk, and the replay after a restart) at the cost
         * of saving the whole state more often. At least 1; default 100,000.
         */
        public Builder snapshotThreshold(long entries) {
            this.snapshotThreshold = entries;
            return this;
        }

        /**
         * How many entries before a snapshot the log keeps when it drops the rest, so that a
         * follower slightly behind still catches up from entries rather than from the whole
         * snapshot (etcd's {@code SnapshotCatchUpEntries}); needs a {@link #snapshotter}. At least 0;
         * default 5,000.
         */
        public Builder snapshotTrailingEntries(long entries) {
            this.snapshotTrailingEntries = entries;
            return this;
        }

        /**
         * The executor that runs this node's RPC handlers while it leads, e.g. one of virtual
         * threads. It must run every call it accepts on a thread other than the one handing it over,
         * or reject it by throwing {@link java.util.concurrent.RejectedExecutionException}; a call it
         * rejects, or runs on the handing thread (a caller-runs policy would run handlers on the
         * consensus thread), is answered at once that the leader is busy. Discarding calls is not
         * supported: a discarded call would never be answered nor free its place among the
         * {@link #maxPendingRpcs}, so {@link #build()} rejects a {@link ThreadPoolExecutor} whose
         * rejection policy discards. Gaggle never shuts it down; the application does, after closing
         * the node. Gaggle still bounds the calls outstanding on it ({@link #maxPendingRpcs}), and a
         * call beyond the bound is answered at once that the leader is busy too.
         * Default: none, and the node runs handlers on a pool of its own, of at most 64 threads,
         * which it shuts down when it closes.
         */
        public Builder rpcExecutor(Executor rpcExecutor) {
            this.rpcExecutor = rpcExecutor;
            return this;
        }

        /**
         * How many RPC calls this node, as leader, may have running or waiting for a thread at once,
         * on its own pool or on the {@link #rpcExecutor}; anyone on the channel can send RPC requests,
         * so beyond it a caller is answered at once that the leader is busy. At least 1; default
         * 1,088 (the own pool's 64 threads busy and 1,024 calls waiting).
         */
        public Builder maxPendingRpcs(int maxPendingRpcs) {
            this.maxPendingRpcs = maxPendingRpcs;
            return this;
        }

        /**
         * Makes the thread that runs this node's listeners, then completes callers' futures and saves
         * snapshots, e.g. a virtual thread. The node asks it for one thread at a time, so listeners
         * still run one at a time, in commit order. The consensus loop never runs on it: it always
         * has a platform thread of the node's own. Default: none, and the node makes a daemon thread
         * named {@code gaggle-delivery-<id>}. It must return a thread: {@link #build()} asks it for
         * one, not started, and rejects a factory that returns null, as listeners would never run.
         */
        public Builder listenerThreadFactory(ThreadFactory listenerThreadFactory) {
            this.listenerThreadFactory = listenerThreadFactory;
            return this;
        }

        /**
         * Validates the settings and creates the node, not yet started.
         *
         * @throws GaggleConfigurationException naming every invalid setting, not just the first
         */
        public Gaggle build() {
            // The one place the settings are checked: the Spring Boot auto-configuration builds its
            // node here too and only names the property behind each problem. A new setting with a
            // rule gets a Setting and a check here; the auto-configuration does not compile until it
            // maps the Setting to its property.
            List<Problem> problems = new ArrayList<>();
            if (id == null || id.isBlank()) {
                problems.add(new Problem(Setting.ID, id == null ? "is not set" : "is blank"));
            }
            Set<String> memberIds = members == null ? null : checkMembers(problems);
            Integer size = clusterSize != null ? clusterSize : memberIds != null ? memberIds.size() : null;
            if (size == null) {
                problems.add(new Problem(Setting.CLUSTER_SIZE, "is not set"));
            } else if (memberIds != null && size != memberIds.size()) {
                problems.add(new Problem(Setting.CLUSTER_SIZE, "is " + size + ", but " + memberIds.size()
                        + " members are named; leave it unset to follow them"));
            } else if (size < 1) {
                problems.add(new Problem(Setting.CLUSTER_SIZE, "is " + size + ", but a cluster has at least 1 node"));
            }
            if (channel == null) {
                problems.add(new Problem(Setting.CHANNEL, "is not set"));
            }
            // 0 stands for a rejected duration, which is not compared with the others.
            long min = millis(problems, Setting.ELECTION_TIMEOUT_MIN, electionTimeoutMin);
            long max = millis(problems, Setting.ELECTION_TIMEOUT_MAX, electionTimeoutMax);
            long heartbeat = millis(problems, Setting.HEARTBEAT_INTERVAL, heartbeatInterval);
            if (max > 0 && min > max) {
                problems.add(new Problem(Setting.ELECTION_TIMEOUT_MIN,
                        "is " + min + " ms, longer than the maximum election timeout (" + max + " ms)"));
            }
            if (min > 0 && heartbeat >= min) {
                problems.add(new Problem(Setting.HEARTBEAT_INTERVAL, "is " + heartbeat
                        + " ms, not shorter than the minimum election timeout (" + min
                        + " ms), so followers would stand for election while the leader is alive"));
            }
            if (maxPendingAppends < 1) {
                problems.add(new Problem(Setting.MAX_PENDING_APPENDS,
                        "is " + maxPendingAppends + ", but at least one append must be able to wait"));
            }
            if (maxPendingRpcs < 1) {
                problems.add(new Problem(Setting.MAX_PENDING_RPCS,
                        "is " + maxPendingRpcs + ", but at least one RPC call must be able to run"));
            }
            checkThreads(problems);
            checkSecret(problems, Setting.SECRET, secret);
            checkSecret(problems, Setting.PREVIOUS_SECRET, previousSecret);
            if (previousSecret != null && secret == null) {
                problems.add(new Problem(Setting.PREVIOUS_SECRET, "is set, but no secret is: a node signs with the "
                        + "secret and only also accepts the previous one"));
            }
            if (storage != null && Files.exists(storage) && !Files.isDirectory(storage)) {
                problems.add(new Problem(Setting.STORAGE, "is " + storage + ", which is not a directory"));
            }
            checkSnapshotSetting(problems, Setting.SNAPSHOT_THRESHOLD, snapshotThreshold, 1);
            checkSnapshotSetting(problems, Setting.SNAPSHOT_TRAILING_ENTRIES, snapshotTrailingEntries, 0);
            if (!problems.isEmpty()) {
                throw new GaggleConfigurationException(problems);
            }
            return new GaggleNode(new NodeSettings(id, size, channel, min, max, heartbeat,
                    accelerateHeartbeats, preVote, maxPendingAppends,
                    jsonMapper != null ? jsonMapper : JsonMapper.builder().build(), Map.copyOf(rpcHandlers),
                    secret, previousSecret, memberIds, storage, snapshotter,
                    snapshotThreshold != null ? snapshotThreshold : DEFAULT_SNAPSHOT_THRESHOLD,
                    snapshotTrailingEntries != null ? snapshotTrailingEntries : DEFAULT_SNAPSHOT_TRAILING_ENTRIES,
                    rpcExecutor, maxPendingRpcs, listenerThreadFactory));
        }

        /**
         * Rejects supplied threads that would silently never run a call or a listener: a pool that
         * discards what it cannot take (a discarded call is never answered nor frees its place), and
         * a thread factory that returns null.
         */
        private void checkThreads(List<Problem> problems) {
            if (rpcExecutor instanceof ThreadPoolExecutor pool
                    && (pool.getRejectedExecutionHandler() instanceof ThreadPoolExecutor.DiscardPolicy
                            || pool.getRejectedExecutionHandler() instanceof ThreadPoolExecutor.DiscardOldestPolicy)) {
                problems.add(new Problem(Setting.RPC_EXECUTOR, "is a ThreadPoolExecutor that discards calls it "
                        + "cannot take (" + pool.getRejectedExecutionHandler().getClass().getSimpleName()
                        + "), whose callers would never be answered; give it a policy that rejects them, "
                        + "such as AbortPolicy"));
            }
            if (listenerThreadFactory != null && listenerThreadFactory.newThread(() -> { }) == null) {
                problems.add(new Problem(Setting.LISTENER_THREAD_FACTORY,
                        "returned no thread (null), so listeners would never run"));
            }
        }

        /** A snapshot setting, if set, needs a snapshotter to mean anything, and at least {@code min}. */
        private void checkSnapshotSetting(List<Problem> problems, Setting setting, Long value, long min) {
            if (value == null) {
                return;
            }
            if (snapshotter == null) {
                problems.add(new Problem(setting, "is " + value + ", but no snapshotter is set, so the node takes no "
                        + "snapshots and keeps every entry; set a snapshotter too, or leave " + setting + " unset"));
            } else if (value < min) {
                problems.add(new Problem(setting, "is " + value + ", but must be at least " + min));
            }
        }

        /** The members as a set, in their order; a problem for each rule they break. */
        private Set<String> checkMembers(List<Problem> problems) {
            Set<String> memberIds = new LinkedHashSet<>(members);
            if (members.stream().anyMatch(member -> member == null || member.isBlank())) {
                problems.add(new Problem(Setting.MEMBERS, "names a blank id"));
            } else if (memberIds.size() != members.size()) {
                problems.add(new Problem(Setting.MEMBERS, "names an id twice: " + members));
            } else if (id != null && !memberIds.contains(id)) {
                problems.add(new Problem(Setting.MEMBERS, "does not name this node's id, " + id));
            }
            return Collections.unmodifiableSet(memberIds);
        }

        /** A secret, if set, must be long enough that guessing it is hopeless. */
        private static void checkSecret(List<Problem> problems, Setting setting, String value) {
            if (value != null && value.length() < MIN_SECRET_LENGTH) {
                problems.add(new Problem(setting, "has " + value.length() + " characters, fewer than "
                        + MIN_SECRET_LENGTH + "; use e.g. 32 random bytes in base64 (openssl rand -base64 32)"));
            }
        }

        /** The duration in whole milliseconds, the clock's resolution; 0 if it is rejected. */
        private static long millis(List<Problem> problems, Setting setting, Duration value) {
            if (value == null) {
                problems.add(new Problem(setting, "is not set"));
                return 0;
            }
            if (value.toMillis() < 1) {
                problems.add(new Problem(setting, "is " + value + ", but must be at least 1 ms"));
                return 0;
            }
            return value.toMillis();
        }
    }
}
