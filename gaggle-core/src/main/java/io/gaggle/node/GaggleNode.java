package io.gaggle.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.gaggle.EntryListener;
import io.gaggle.Gaggle;
import io.gaggle.GaggleClosedException;
import io.gaggle.GaggleStatus;
import io.gaggle.LeaderListener;
import io.gaggle.LogEntry;
import io.gaggle.PeerStatus;
import io.gaggle.Role;
import io.gaggle.RoleChangeListener;
import io.gaggle.Subscription;
import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;
import io.gaggle.codec.DuplicateFilter;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.codec.EnvelopeMac;
import io.gaggle.raft.RaftConfig;
import io.gaggle.raft.RaftMessage;
import io.gaggle.raft.RaftNode;
import io.gaggle.raft.RaftOutput;
import io.gaggle.raft.SnapshotMeta;
import io.gaggle.storage.FileRaftStorage;
import io.gaggle.storage.MemoryRaftStorage;
import io.gaggle.storage.RaftStorage;
import io.gaggle.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runtime around a {@link RaftNode}: one event-loop thread owns the Raft state, the clock and
 * the channel's outbound side; listeners, then callers' futures, run in order on a delivery thread,
 * so neither can stall consensus; RPC handlers run on a pool.
 * <p>
 * Each loop turn runs every queued input (received messages, caller requests), ticks the clock
 * when due, then flushes: what the turn produced leaves in one batch per follower, then the
 * status snapshot is published, then the delivery thread is handed what the turn decided. An
 * append's future therefore completes after this node's committed listeners saw the entry.
 * <p>
 * A turn's messages leave through a {@link DurableOutbox}: after the sync that puts what the turn
 * wrote on disk, a leader's entries aside.
 * <p>
 * What Raft reports during a turn goes to the part that deals with it: {@link Wire} sends and
 * filters envelopes, {@link Listeners} and {@link PendingCalls} queue what the {@link Delivery}
 * thread tells listeners and callers, {@link LeadershipHandover} follows a transfer, and
 * {@link RpcExecutor} runs handlers.
 * <p>
 * {@link Gaggle.Builder#build()} creates this class: the one dependency of {@code io.gaggle} on
 * this package, kept on purpose. Without it the builder would have to leave the public API
 * ({@code Gaggle.builder()} returns a {@code Gaggle.Builder}) or find the node by reflection or a
 * ServiceLoader. MicroRaft's {@code RaftNode.newBuilder()} keeps the same single edge to its
 * implementation package.
 */
public final class GaggleNode implements Gaggle {

    private static final Logger LOG = LoggerFactory.getLogger(GaggleNode.class);
    private static final int MAX_TASKS_PER_TURN = 4096;
    private static final Runnable SHUTDOWN = () -> { };
    /** How long closing waits for listeners and a snapshot being saved before it closes the storage. */
    private static final Duration DELIVERY_DRAIN = Duration.ofSeconds(10);

    private enum State { NEW, RUNNING, CLOSING, CLOSED }

    private final NodeSettings settings;
    private final JsonMapper mapper;
    /**
     * Whether appended data must be re-read to check it against what peers accept: only when the
     * mapper may write JSON nested deeper than they read. Jackson's writer enforces its own
     * bound, so with the default one, as Spring Boot's, the check would cost a parse per append
     * for nothing.
     */
    private final boolean checkEntryData;
    private final Channel channel;
    /** The channel's description, fixed at construction; the status is rebuilt every loop turn. */
    private final String channelDescription;
    /** Where the node keeps its state, for the status: "memory" or the storage directory. */
    private final String storageDescription;
    private final long tickInterval;
    private final RaftClock clock;
    private final RaftStorage storage;
    private final RaftNode raft;
    private final RequestIds requestIds = new RequestIds();
    private final DroppedMessages dropped;
    private final Wire wire;
    private final Delivery delivery;
    private final Listeners listeners;
    private final PendingCalls calls;
    private final LeadershipHandover handover;
    private final RpcExecutor rpcs;
    private final StateSnapshots snapshots;

    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final ReceiveBacklog backlog = new ReceiveBacklog();
    private final Thread loop;

    private final Object lifecycle = new Object();
    private State state = State.NEW;
    private boolean closeRequested;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> loopEnded = new CompletableFuture<>();

    /** The loop's time, read by the tasks it runs. */
    private long now;
    private final DurableOutbox outbox;
    private boolean storageFailed;
    /** Why this node's state can no longer be trusted; see {@link GaggleStatus#fault()}. */
    private volatile String fault;

    private volatile GaggleStatus status;
    private volatile boolean hasUncommittedEntriesInPreviousTerms;

    public GaggleNode(NodeSettings settings) {
        // Storage first: it is what most often refuses to open (a damaged or locked directory), and
        // then no channel has been created to leak.
        this(settings, settings.storage() == null ? new MemoryRaftStorage()
                : FileRaftStorage.open(settings.storage(), settings.jsonMapper()));
    }

    /**
     * A node on {@code storage}, already open, which it closes; for tests whose node's disk fails
     * on demand. {@code settings.storage()} only names it in the status.
     */
    GaggleNode(NodeSettings settings, RaftStorage storage) {
        this.settings = settings;
        this.mapper = settings.jsonMapper();
        this.checkEntryData = mapper.tokenStreamFactory().streamWriteConstraints().getMaxNestingDepth()
                > EnvelopeCodec.MAX_DATA_DEPTH;
        this.storage = storage;
        try {
            checkSnapshot(settings, storage);
            this.channel = settings.channel().createChannel();
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
        this.channelDescription = channel.describe();
        this.storageDescription = settings.storage() == null ? GaggleStatus.MEMORY_STORAGE
                : settings.storage().toAbsolutePath().toString();
        this.tickInterval = Math.max(1, settings.heartbeatInterval() / 5);
        this.clock = new RaftClock(settings.heartbeatInterval());
        this.dropped = new DroppedMessages(settings.id());
        String name = abbreviate(settings.id());
        this.delivery = new Delivery(settings.listenerThreadFactory() != null ? settings.listenerThreadFactory()
                : namedThreads("gaggle-delivery-" + name));
        this.listeners = new Listeners(delivery);
        this.calls = new PendingCalls(settings.id(), settings.maxPendingAppends(), delivery);
        RaftConfig config = RaftConfig.of(settings.id(), settings.clusterSize(), settings.electionTimeoutMin(),
                settings.electionTimeoutMax(), settings.heartbeatInterval(), settings.accelerateHeartbeats(),
                settings.preVote(), settings.maxPendingAppends())
                .withSnapshots(settings.snapshotter() == null ? 0 : settings.snapshotThreshold(),
                        settings.snapshotTrailingEntries());
        this.outbox = new DurableOutbox(storage, new DurableOutbox.Transmitter() {
            @Override
            public void transmit(String to, RaftMessage message) {
                GaggleNode.this.transmit(to, message);
            }

            @Override
            public void push() {
                channel.flush();
            }
        });
        this.snapshots = new StateSnapshots(settings.id(), settings.snapshotter(), storage.snapshots(), delivery,
                listeners, new SnapshotOutcomes());
        this.raft = new RaftNode(config, storage.log(), storage.snapshots(), new Effects(), new Random(),
                storage.term(), storage.votedFor());
        this.wire = new Wire(settings.id(), new EnvelopeCodec(mapper),
                settings.secret() == null ? null : new EnvelopeMac(settings.secret(), settings.previousSecret()),
                settings.members(), dropped, raft, new DuplicateFilter(config.maxPeers(), config.peerSilenceLimit()));
        this.handover = new LeadershipHandover(settings.id(), raft, 2 * settings.electionTimeoutMax(), delivery);
        RpcExecutor.Outcome rpcOutcome = (origin, requestId, result, error) ->
                submitInternal(() -> raft.rpcCompleted(origin, requestId, result, error, now));
        this.rpcs = settings.rpcExecutor() != null
                ? RpcExecutor.supplied(this, settings.rpcHandlers(), mapper, rpcOutcome, settings.rpcExecutor(),
                        settings.maxPendingRpcs())
                : RpcExecutor.ownPool(this, settings.rpcHandlers(), mapper, rpcOutcome,
                        namedThreads("gaggle-rpc-" + name), Math.min(RpcExecutor.OWN_POOL_THREADS, settings.maxPendingRpcs()), settings.maxPendingRpcs());
        // Always a platform thread of the node's own, whatever threads the application supplied: the
        // loop's timing drives elections and must not depend on a carrier thread being free.
        this.loop = namedThreads("gaggle-loop-" + name).newThread(this::runLoop);
        publishStatus();
    }

    /**
     * Refuses storage whose state this node cannot rebuild: a snapshot but no snapshotter to restore
     * it, or a log compacted beyond its latest snapshot (the log is compacted only up to a snapshot,
     * so the two together must hold every entry).
     */
    private static void checkSnapshot(NodeSettings settings, RaftStorage storage) {
        SnapshotMeta latest = storage.snapshots().latest();
        long snapshotIndex = latest == null ? -1 : latest.index();
        if (latest != null && settings.snapshotter() == null) {
            throw new StorageException("Gaggle storage " + settings.storage() + " holds a snapshot at index "
                    + snapshotIndex + ", but this node has no snapshotter to restore the application's state from "
                    + "it; give it the cluster's Snapshotter (Gaggle.builder().snapshotter(..), or a Snapshotter bean "
                    + "in Spring Boot)");
        }
        long firstIndex = storage.log().firstIndex();
        if (firstIndex - 1 > snapshotIndex) {
            throw new StorageException("Gaggle storage " + settings.storage() + ": the log starts at index "
                    + firstIndex + " but " + (latest == null ? "there is no snapshot" : "the latest snapshot ends at "
                    + "index " + snapshotIndex) + ", so the entries between them are missing; the files were changed "
                    + "or mixed from different directories. Restore the directory from a backup");
        }
    }

    @Override
    public String getId() {
        return settings.id();
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw state == State.RUNNING
                        ? new IllegalStateException("node " + settings.id() + " is already started")
                        : new GaggleClosedException("node " + settings.id() + " is closed");
            }
            state = State.RUNNING;
        }
        LOG.info("Gaggle node {} starting: cluster of {} over {}, {}", settings.id(), settings.clusterSize(),
                channelDescription, storage.durable()
                        ? "state in " + settings.storage() + " (term " + raft.currentTerm() + ", "
                                + (raft.lastIndex() - raft.firstIndex() + 1) + " entries recovered after "
                                + (raft.snapshotIndex() < 0 ? "no snapshot" : "the snapshot at " + raft.snapshotIndex())
                                + ")"
                        : "state in memory");
        if (settings.secret() == null && channel.reachableFromOutside()) {
            LOG.warn("Gaggle node {}: channel messages are not authenticated, so anyone who can send on {} can "
                    + "disrupt the cluster or commit entries; set a cluster secret, the same on every node "
                    + "(Gaggle.builder().secret(..), or gaggle.security.secret in Spring Boot)", settings.id(),
                    channelDescription);
        }
        snapshots.restoreAtStart();
        channel.open(settings.id(), this::onEnvelope);
        loop.start();
    }

    // ---------------------------------------------------------------- the loop

    private void runLoop() {
        List<Runnable> batch = new ArrayList<>();
        now = clock.advance();
        raft.start(now);
        long nextTick = now + tickInterval;
        try {
            while (true) {
                long wait = nextTick - clock.advance();
                Runnable first = wait > 0 ? inbox.poll(wait, TimeUnit.MILLISECONDS) : inbox.poll();
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch, MAX_TASKS_PER_TURN);
                }
                now = clock.advance();
                for (Runnable task : batch) {
                    if (task == SHUTDOWN) {
                        shutDown();
                        return;
                    }
                    runSafely(task);
                }
                batch.clear();
                if (now >= nextTick) {
                    runSafely(() -> raft.tick(now));
                    nextTick = now + tickInterval;
                }
                endTurn();
                if (storageFailed) {
                    shutDown();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutDown();
        } catch (StorageException e) {
            storageFailed(e);
            shutDown();
        } catch (Throwable e) {
            // Not even an Error may leave callers waiting on a loop that no longer runs.
            LOG.error("Gaggle node {}: the consensus loop failed; closing the node", settings.id(), e);
            shutDown();
        }
    }

    private void endTurn() {
        if (storageFailed) {
            outbox.discard();
        } else {
            try {
                outbox.endTurn(raft, () -> runSafely(() -> raft.flush(now)));
            } catch (StorageException e) {
                storageFailed(e);
            }
        }
        handover.expire(now);
        if (!storageFailed) {
            channel.flush();
        }
        publishStatus();
        delivery.endTurn();
    }

    /** Once a write or fsync failed, the node sends nothing more and stops: it no longer knows what it holds. */
    private void storageFailed(StorageException e) {
        storageFailed = true;
        fault = "storage failed: " + e.getMessage();
        LOG.error("Gaggle node {}: storage failed, so what it wrote may be lost; closing the node", settings.id(), e);
    }

    private void transmit(String to, RaftMessage message) {
        if (to == null) {
            channel.broadcast(wire.encode(null, message));
        } else {
            channel.send(to, wire.encode(to, message));
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (StorageException e) {
            throw e; // not the task's failure alone: the node must stop
        } catch (RuntimeException e) {
            LOG.error("Gaggle node {}: unexpected failure in the consensus loop", settings.id(), e);
        }
    }

    private void shutDown() {
        // A closed node leads nothing: its role listeners hear so in the last turn delivered, as its status says.
        Role role = raft.role();
        if (role != Role.FOLLOWER) {
            listeners.roleChanged(role, Role.FOLLOWER, raft.currentTerm());
        }
        GaggleClosedException closing = new GaggleClosedException("node " + settings.id() + " closed");
        calls.failAll(closing);
        handover.fail(closing);
        endTurn();
        synchronized (lifecycle) {
            state = State.CLOSED;
        }
        publishClosedStatus();
        loopEnded.complete(null);
        releaseResources();
    }

    /** Called by the channel, on its thread: checks and decodes, then queues for the loop if there is room. */
    private void onEnvelope(byte[] bytes) {
        Envelope envelope = wire.decode(bytes);
        if (envelope == null) {
            return;
        }
        // The length alone is kept, so the raw bytes can be freed while the decoded envelope waits.
        int length = bytes.length;
        if (!backlog.admit(length)) {
            dropped.drop("inbox full: " + ReceiveBacklog.MAX_ENVELOPES + " envelopes or "
                    + (ReceiveBacklog.MAX_BYTES >> 20) + " MiB wait for the loop");
            return;
        }
        submitInternal(() -> {
            backlog.release(length);
            wire.receive(envelope, now);
        });
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public CompletableFuture<Void> close() {
        synchronized (lifecycle) {
            if (state == State.NEW) {
                // No loop ever ran: run what callers queued, then fail it, as the loop's shutdown would.
                state = State.CLOSING;
                List<Runnable> queued = new ArrayList<>();
                inbox.drainTo(queued);
                queued.forEach(this::runSafely);
                shutDown();
                return closed;
            }
            if (state != State.RUNNING || closeRequested) {
                return closed;
            }
            closeRequested = true;
            inbox.add(() -> raft.leave(now));
        }
        // A leader hands over first, so the cluster need not wait an election timeout for a new one.
        CompletableFuture<Void> handedOver = isLeader() && settings.clusterSize() > 1
                ? transferLeadership().exceptionally(failure -> null)
                : CompletableFuture.completedFuture(null);
        handedOver.completeOnTimeout(null, settings.electionTimeoutMax() + settings.heartbeatInterval(),
                TimeUnit.MILLISECONDS).whenComplete((ignored, failure) -> stopLoop());
        return closed;
    }

    private void stopLoop() {
        synchronized (lifecycle) {
            if (state == State.RUNNING) {
                state = State.CLOSING;
                inbox.add(SHUTDOWN);
            }
        }
    }

    /** Closes the channel, then the rest: the storage's lock is released even if the channel fails to close. */
    private void releaseResources() {
        CompletableFuture<Void> channelClosed;
        try {
            channelClosed = channel.close();
        } catch (RuntimeException e) {
            channelClosed = CompletableFuture.failedFuture(e);
        }
        channelClosed.whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warn("Gaggle node {}: closing the channel failed", settings.id(), failure);
            }
            try {
                awaitDelivery();
                rpcs.shutdown();
                storage.close();
                LOG.info("Gaggle node {} closed", settings.id());
            } finally {
                closed.complete(null);
            }
        });
    }

    /**
     * Lets the delivery thread finish what it was handed, a snapshot being saved included, before
     * the storage closes; a listener that does not return within {@link #DELIVERY_DRAIN} is left
     * running, and a snapshot it then publishes is refused by the closed store.
     */
    private void awaitDelivery() {
        try {
            if (!delivery.shutdown(DELIVERY_DRAIN)) {
                LOG.warn("Gaggle node {}: listeners still run {} after closing began; closing the storage anyway",
                        settings.id(), DELIVERY_DRAIN);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues a caller's request; if the node is closed the future fails instead. */
    private void submit(CompletableFuture<?> future, Runnable task) {
        synchronized (lifecycle) {
            if (state == State.NEW || state == State.RUNNING) {
                inbox.add(task);
                return;
            }
        }
        future.completeExceptionally(new GaggleClosedException("node " + settings.id() + " is closed"));
    }

    /** Queues internal work; dropped once the node is closing. */
    private void submitInternal(Runnable task) {
        synchronized (lifecycle) {
            if (state == State.RUNNING) {
                inbox.add(task);
            }
        }
    }

    // ---------------------------------------------------------------- callers' requests

    @Override
    public CompletableFuture<Void> append(Object data) {
        return append(data, null);
    }

    @Override
    public CompletableFuture<Void> append(Object data, Duration timeout) {
        long timeoutMillis = timeoutMillis(timeout);
        LogEntry proposal = LogEntry.fromJson(requestIds.next(), 0, toEntryJson(data), mapper);
        if (proposal.isNoop()) {
            throw new IllegalArgumentException("data must not serialise to JSON null");
        }
        CompletableFuture<Void> future = calls.newAppend();
        if (future.isDone()) {
            return future; // no append slot free
        }
        submit(future, () -> {
            calls.append(proposal.id(), future);
            raft.propose(proposal, deadline(timeoutMillis), now);
        });
        // The caller gets a copy: cancelling or completing it must not free a slot still in use.
        return future.copy();
    }

    /** Serialises the data once; every node stores and forwards these very bytes. */
    private byte[] toEntryJson(Object data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null: Gaggle reserves JSON null for leader no-ops");
        }
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(data);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("data cannot be serialised as JSON: " + e.getOriginalMessage(), e);
        }
        if (checkEntryData) {
            EnvelopeCodec.checkData(json);
        }
        return json;
    }

    @Override
    public CompletableFuture<JsonNode> dispatchOnLeader(String name, List<?> args) {
        return dispatchOnLeader(name, args, (Duration) null);
    }

    @Override
    public CompletableFuture<JsonNode> dispatchOnLeader(String name, List<?> args, Duration timeout) {
        if (name == null || name.isEmpty() || name.length() > EnvelopeCodec.MAX_ID_LENGTH) {
            throw new IllegalArgumentException("rpc name must be 1 to " + EnvelopeCodec.MAX_ID_LENGTH
                    + " characters long");
        }
        List<JsonNode> jsonArgs = new ArrayList<>();
        for (Object arg : args == null ? List.of() : args) {
            try {
                jsonArgs.add(mapper.valueToTree(arg));
            } catch (JacksonException e) {
                throw new IllegalArgumentException("rpc argument cannot be serialised: " + e.getOriginalMessage(), e);
            }
        }
        EnvelopeCodec.checkRpcArgs(jsonArgs);
        long timeoutMillis = timeoutMillis(timeout);
        String requestId = requestIds.next();
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        submit(future, () -> {
            calls.rpc(requestId, future);
            raft.dispatch(requestId, name, jsonArgs, deadline(timeoutMillis), now);
        });
        return future;
    }

    @Override
    public <T> CompletableFuture<T> dispatchOnLeader(String name, List<?> args, Duration timeout, Class<T> type) {
        return dispatchOnLeader(name, args, timeout).thenApply(result -> mapper.convertValue(result, type));
    }

    @Override
    public CompletableFuture<Long> readBarrier() {
        return readBarrier(null);
    }

    @Override
    public CompletableFuture<Long> readBarrier(Duration timeout) {
        long timeoutMillis = timeoutMillis(timeout);
        String requestId = requestIds.next();
        CompletableFuture<Long> future = new CompletableFuture<>();
        submit(future, () -> {
            calls.read(requestId, future);
            raft.readBarrier(requestId, deadline(timeoutMillis), now);
        });
        return future;
    }

    @Override
    public CompletableFuture<Void> transferLeadership() {
        return transferLeadership(null);
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String targetId) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        submit(future, () -> handover.begin(targetId, future, now));
        return future;
    }

    /** A caller's timeout in ms; {@code Long.MAX_VALUE} for none. */
    private static long timeoutMillis(Duration timeout) {
        if (timeout == null) {
            return Long.MAX_VALUE;
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        return timeout.compareTo(Duration.ofMillis(Long.MAX_VALUE / 2)) >= 0 ? Long.MAX_VALUE : timeout.toMillis();
    }

    private long deadline(long timeoutMillis) {
        return timeoutMillis == Long.MAX_VALUE ? Long.MAX_VALUE : now + timeoutMillis;
    }

    // ---------------------------------------------------------------- state

    @Override
    public boolean isLeader() {
        return status.role() == Role.LEADER;
    }

    @Override
    public Role getRole() {
        return status.role();
    }

    @Override
    public Optional<String> getLeaderId() {
        return status.leader();
    }

    @Override
    public long getTerm() {
        return status.term();
    }

    @Override
    public long getCommitIndex() {
        return status.commitIndex();
    }

    @Override
    public boolean hasUncommittedEntriesInPreviousTerms() {
        return hasUncommittedEntriesInPreviousTerms;
    }

    @Override
    public GaggleStatus getStatus() {
        return status;
    }

    @Override
    public List<LogEntry> getLog() {
        return query(raft::logEntries);
    }

    @Override
    public List<PeerStatus> getPeers() {
        return query(() -> raft.peers(now));
    }

    /** Reads Raft state on the loop thread, or directly when no loop runs (not started, or ended). */
    private <T> T query(Supplier<T> read) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        boolean queued;
        synchronized (lifecycle) {
            if (state == State.NEW) {
                return read.get();
            }
            queued = state == State.RUNNING;
            if (queued) {
                // Queued ahead of any shutdown, so the loop answers it.
                inbox.add(() -> {
                    try {
                        answer.complete(read.get());
                    } catch (RuntimeException e) {
                        answer.completeExceptionally(e);
                    }
                });
            }
        }
        if (queued) {
            return answer.join();
        }
        loopEnded.join();
        return read.get();
    }

    private void publishStatus() {
        long contact = raft.lastLeaderContact();
        status = new GaggleStatus(settings.id(), raft.role(), raft.currentTerm(), raft.leaderId(), raft.commitIndex(),
                raft.lastIndex(), raft.firstIndex(), raft.snapshotIndex(), settings.clusterSize(), channelDescription,
                channel.state(), storageDescription, dropped.count(), raft.elections(), calls.appendsMade(),
                contact == Long.MIN_VALUE ? Long.MAX_VALUE : now - contact,
                raft.preVotes(), raft.stepDowns(), handover.completed(), calls.pendingAppends(), fault);
        hasUncommittedEntriesInPreviousTerms = raft.hasUncommittedEntriesInPreviousTerms();
    }

    /** A closed node leads nothing and follows no one. */
    private void publishClosedStatus() {
        GaggleStatus last = status;
        status = new GaggleStatus(last.id(), Role.FOLLOWER, last.term(), null, last.commitIndex(), last.lastLogIndex(),
                last.firstLogIndex(), last.snapshotIndex(), last.clusterSize(), last.channel(), ChannelState.CLOSED,
                last.storage(), last.droppedMessages(), last.elections(), last.appends(), Long.MAX_VALUE, last.preVotes(), last.stepDowns(), last.transfers(),
                calls.pendingAppends(), fault);
        hasUncommittedEntriesInPreviousTerms = false;
    }

    // ---------------------------------------------------------------- listeners

    @Override
    public Subscription onAppended(EntryListener listener) {
        return listeners.onAppended(listener);
    }

    @Override
    public Subscription onCommitted(EntryListener listener) {
        return listeners.onCommitted(listener);
    }

    @Override
    public Subscription onLeaderElected(LeaderListener listener) {
        return listeners.onLeaderElected(listener);
    }

    @Override
    public Subscription onRoleChanged(RoleChangeListener listener) {
        return listeners.onRoleChanged(listener);
    }

    // ---------------------------------------------------------------- what the Raft node asks for

    private final class Effects implements RaftOutput {

        @Override
        public void send(String to, RaftMessage message) {
            outbox.send(to, message);
        }

        @Override
        public void broadcast(RaftMessage message) {
            outbox.send(null, message);
        }

        @Override
        public void appended(LogEntry entry, long index) {
            listeners.appended(entry, index);
        }

        @Override
        public void committed(LogEntry entry, long index) {
            listeners.committed(entry, index);
        }

        @Override
        public void leaderElected(String leaderId, long term) {
            LOG.info("Gaggle node {}: {} leads in term {}", settings.id(), leaderId, term);
            handover.leaderElected(leaderId);
            listeners.leaderElected(leaderId, term);
        }

        @Override
        public void roleChanged(Role from, Role to, long term) {
            LOG.info("Gaggle node {}: {} -> {} in term {}", settings.id(), from, to, term);
            listeners.roleChanged(from, to, term);
        }

        @Override
        public void readCompleted(String requestId, long readIndex) {
            calls.readCompleted(requestId, readIndex);
        }

        @Override
        public void readTimedOut(String requestId) {
            calls.readTimedOut(requestId);
        }

        @Override
        public void transferFailed(String reason) {
            LOG.info("Gaggle node {}: {}", settings.id(), reason);
            handover.failed(reason);
        }

        @Override
        public void appendCommitted(String entryId) {
            calls.appendCommitted(entryId);
        }

        @Override
        public void appendTimedOut(String entryId) {
            calls.appendTimedOut(entryId);
        }

        @Override
        public void invokeRpc(String origin, String requestId, String name, List<JsonNode> args) {
            rpcs.execute(origin, requestId, name, args);
        }

        @Override
        public void rpcCompleted(String requestId, JsonNode result, String error) {
            calls.rpcCompleted(requestId, result, error);
        }

        @Override
        public void rpcTimedOut(String requestId) {
            calls.rpcTimedOut(requestId);
        }

        @Override
        public void dropped(String from, String reason) {
            dropped.drop(reason + " (from " + abbreviate(from) + ")");
        }

        @Override
        public void snapshotDue(long index, long term, List<String> recentEntryIds) {
            snapshots.due(index, term, recentEntryIds);
        }

        @Override
        public void snapshotInstalled(long index, long term) {
            LOG.info("Gaggle node {}: installed the leader's snapshot at index {} of term {}", settings.id(), index,
                    term);
            snapshots.installed(index);
        }

        @Override
        public void appendOutcomeUnknown(String entryId) {
            calls.appendOutcomeUnknown(entryId);
        }

        @Override
        public void committedEntryLost(long index, String reason) {
            fault = "the cluster lost a committed entry: " + reason + "; what this node delivered differs from "
                    + "the cluster's log until it restarts";
            LOG.error("Gaggle node {}: {}. Some node lost what it held: one kept in memory that restarted, or "
                    + "one whose disk was wiped; give every node a storage directory of its own "
                    + "(Gaggle.builder().storage(..), or gaggle.storage.directory in Spring Boot)", settings.id(),
                    fault);
        }
    }

    /** What becomes of the snapshots the delivery thread takes and restores. */
    private final class SnapshotOutcomes implements StateSnapshots.Outcomes {

        @Override
        public void taken(SnapshotMeta meta) {
            submitInternal(() -> raft.snapshotTaken(meta, now));
        }

        @Override
        public void failed(long index) {
            submitInternal(() -> raft.snapshotFailed(index, now));
        }

        @Override
        public void stateLost(String reason) {
            // Reads and appends would answer for a state the listeners no longer build: stop serving them.
            fault = reason;
            LOG.error("Gaggle node {}: {}; closing the node", settings.id(), reason);
            close();
        }
    }

    /** An id short enough for thread names and log lines. */
    static String abbreviate(String id) {
        return id.length() <= 12 ? id : id.substring(0, 12);
    }

    private static ThreadFactory namedThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, count.getAndIncrement() == 0 ? name : name + "-" + count.get());
            thread.setDaemon(true);
            return thread;
        };
    }
}
