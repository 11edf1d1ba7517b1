package io.gaggle.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.gaggle.EntryListener;
import io.gaggle.Gaggle;
import io.gaggle.GaggleBackpressureException;
import io.gaggle.GaggleClosedException;
import io.gaggle.GaggleException;
import io.gaggle.GaggleRpcException;
import io.gaggle.GaggleStatus;
import io.gaggle.LeaderListener;
import io.gaggle.LogEntry;
import io.gaggle.Role;
import io.gaggle.RoleChangeListener;
import io.gaggle.Subscription;
import io.gaggle.channel.Channel;
import io.gaggle.channel.ChannelState;
import io.gaggle.codec.DuplicateFilter;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.codec.MalformedEnvelopeException;
import io.gaggle.raft.InMemoryRaftLog;
import io.gaggle.raft.RaftConfig;
import io.gaggle.raft.RaftMessage;
import io.gaggle.raft.RaftNode;
import io.gaggle.raft.RaftOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * The runtime around a {@link RaftNode}: one event-loop thread owns the Raft state and the
 * channel's outbound side; listeners, then callers' futures, run in order on a delivery thread,
 * so neither can stall consensus; RPC handlers run on a pool.
 * <p>
 * Each loop turn runs every queued input (received messages, caller requests), ticks the clock
 * when due, then flushes: what the turn produced leaves in one batch per follower, then the
 * status snapshot is published, then the delivery thread is handed what the turn decided. An
 * append's future therefore completes after this node's committed listeners saw the entry.
 */
public final class GaggleNode implements Gaggle {

    private static final Logger LOG = LoggerFactory.getLogger(GaggleNode.class);
    private static final int MAX_TASKS_PER_TURN = 4096;
    private static final Runnable SHUTDOWN = () -> { };

    private enum State { NEW, RUNNING, CLOSING, CLOSED }

    private final NodeSettings settings;
    private final JsonMapper mapper;
    private final EnvelopeCodec codec;
    private final Channel channel;
    /** The channel's description, fixed at construction; the status is rebuilt every loop turn. */
    private final String channelDescription;
    private final long incarnation = System.currentTimeMillis();
    private final long tickInterval;
    private final RaftClock clock;
    private final RaftNode raft;
    private final DuplicateFilter duplicates = new DuplicateFilter();
    private final RequestIds requestIds = new RequestIds();
    private final DroppedMessages dropped;
    private final AtomicLong appends = new AtomicLong();
    private final AtomicInteger pendingAppends = new AtomicInteger();
    private final AtomicLong transfers = new AtomicLong();

    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Thread loop;
    private final ExecutorService delivery;
    private final ExecutorService rpcPool;

    private final Object lifecycle = new Object();
    private State state = State.NEW;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> loopEnded = new CompletableFuture<>();

    private final List<EntryListener> appendedListeners = new CopyOnWriteArrayList<>();
    private final List<EntryListener> committedListeners = new CopyOnWriteArrayList<>();
    private final List<LeaderListener> leaderListeners = new CopyOnWriteArrayList<>();
    private final List<RoleChangeListener> roleListeners = new CopyOnWriteArrayList<>();
    private boolean closeRequested;

    // Owned by the loop thread.
    private long now;
    private long seq;
    private final Map<String, CompletableFuture<Void>> appendFutures = new HashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> rpcFutures = new HashMap<>();
    private final Map<String, CompletableFuture<Long>> readFutures = new HashMap<>();
    private List<Runnable> turnDeliveries = new ArrayList<>();
    private PendingTransfer transfer;

    private volatile GaggleStatus status;
    private volatile boolean hasUncommittedEntriesInPreviousTerms;

    public GaggleNode(NodeSettings settings) {
        this.settings = settings;
        this.mapper = settings.jsonMapper();
        this.codec = new EnvelopeCodec(mapper);
        this.channel = settings.channel().createChannel();
        this.channelDescription = channel.describe();
        this.tickInterval = Math.max(1, settings.heartbeatInterval() / 5);
        this.clock = new RaftClock(settings.heartbeatInterval());
        this.dropped = new DroppedMessages(settings.id());
        RaftConfig config = RaftConfig.of(settings.id(), settings.clusterSize(), settings.electionTimeoutMin(),
                settings.electionTimeoutMax(), settings.heartbeatInterval(), settings.accelerateHeartbeats(),
                settings.preVote());
        this.raft = new RaftNode(config, new InMemoryRaftLog(), new Effects(), new Random());
        String name = abbreviate(settings.id());
        this.loop = namedThreads("gaggle-loop-" + name).newThread(this::runLoop);
        this.delivery = Executors.newSingleThreadExecutor(namedThreads("gaggle-delivery-" + name));
        this.rpcPool = Executors.newCachedThreadPool(namedThreads("gaggle-rpc-" + name));
        publishStatus();
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
        LOG.info("Gaggle node {} starting: cluster of {} over {}", settings.id(), settings.clusterSize(),
                channelDescription);
        channel.open(settings.id(), this::onEnvelope);
        loop.start();
    }

    // ---------------------------------------------------------------- appends

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
        CompletableFuture<Void> future = new CompletableFuture<>();
        appends.incrementAndGet();
        if (pendingAppends.incrementAndGet() > settings.maxPendingAppends()) {
            pendingAppends.decrementAndGet();
            future.completeExceptionally(new GaggleBackpressureException("node " + settings.id() + " already has "
                    + settings.maxPendingAppends() + " appends pending; retry once some commit"));
            return future;
        }
        future.whenComplete((ignored, failure) -> pendingAppends.decrementAndGet());
        submit(future, () -> {
            appendFutures.put(proposal.id(), future);
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
        try {
            return mapper.writeValueAsBytes(data);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("data cannot be serialised as JSON: " + e.getOriginalMessage(), e);
        }
    }

    // ---------------------------------------------------------------- RPC

    @Override
    public CompletableFuture<JsonNode> dispatchOnLeader(String name, List<?> args) {
        return dispatchOnLeader(name, args, (Duration) null);
    }

    @Override
    public CompletableFuture<JsonNode> dispatchOnLeader(String name, List<?> args, Duration timeout) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("rpc name must not be empty");
        }
        List<JsonNode> jsonArgs = new ArrayList<>();
        for (Object arg : args == null ? List.of() : args) {
            try {
                jsonArgs.add(mapper.valueToTree(arg));
            } catch (JacksonException e) {
                throw new IllegalArgumentException("rpc argument cannot be serialised: " + e.getOriginalMessage(), e);
            }
        }
        long timeoutMillis = timeoutMillis(timeout);
        String requestId = requestIds.next();
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        submit(future, () -> {
            rpcFutures.put(requestId, future);
            raft.dispatch(requestId, name, jsonArgs, deadline(timeoutMillis), now);
        });
        return future;
    }

    @Override
    public <T> CompletableFuture<T> dispatchOnLeader(String name, List<?> args, Duration timeout, Class<T> type) {
        return dispatchOnLeader(name, args, timeout).thenApply(result -> mapper.convertValue(result, type));
    }

    private void runRpc(String origin, String requestId, String name, List<JsonNode> args) {
        JsonNode result = NullNode.getInstance();
        String error = null;
        Gaggle.RpcHandler handler = settings.rpcHandlers().get(name);
        if (handler == null) {
            error = "no RPC handler named '" + name + "' on the leader";
        } else {
            try {
                Object value = handler.handle(this, args);
                if (value instanceof Throwable failure) {
                    error = describe(failure);
                } else if (value != null) {
                    result = mapper.valueToTree(value);
                }
            } catch (Exception e) {
                LOG.debug("RPC handler '{}' failed", name, e);
                error = describe(e);
            }
        }
        JsonNode finalResult = result;
        String finalError = error;
        submitInternal(() -> raft.rpcCompleted(origin, requestId, finalResult, finalError, now));
    }

    private static String describe(Throwable failure) {
        return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getName();
    }

    // ---------------------------------------------------------------- reads

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
            readFutures.put(requestId, future);
            raft.readBarrier(requestId, deadline(timeoutMillis), now);
        });
        return future;
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
                raft.lastIndex(), settings.clusterSize(), channelDescription, channel.state(), dropped.count(),
                raft.elections(), appends.get(), contact == Long.MIN_VALUE ? Long.MAX_VALUE : now - contact,
                raft.preVotes(), raft.stepDowns(), transfers.get(), pendingAppends.get());
        hasUncommittedEntriesInPreviousTerms = raft.hasUncommittedEntriesInPreviousTerms();
    }

    // ---------------------------------------------------------------- listeners

    @Override
    public Subscription onAppended(EntryListener listener) {
        return subscribe(appendedListeners, listener);
    }

    @Override
    public Subscription onCommitted(EntryListener listener) {
        return subscribe(committedListeners, listener);
    }

    @Override
    public Subscription onLeaderElected(LeaderListener listener) {
        return subscribe(leaderListeners, listener);
    }

    @Override
    public Subscription onRoleChanged(RoleChangeListener listener) {
        return subscribe(roleListeners, listener);
    }

    private static <L> Subscription subscribe(List<L> listeners, L listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    private void deliverEntry(List<EntryListener> listeners, LogEntry entry, long index) {
        for (EntryListener listener : listeners) {
            try {
                listener.on(entry, index);
            } catch (RuntimeException e) {
                LOG.warn("Gaggle listener failed on entry {} at index {}", entry.id(), index, e);
            }
        }
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
        CompletableFuture<Void> handover = isLeader() && settings.clusterSize() > 1
                ? transferLeadership().exceptionally(failure -> null)
                : CompletableFuture.completedFuture(null);
        handover.completeOnTimeout(null, settings.electionTimeoutMax() + settings.heartbeatInterval(),
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

    // ---------------------------------------------------------------- leadership transfer

    @Override
    public CompletableFuture<Void> transferLeadership() {
        return transferLeadership(null);
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String targetId) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        submit(future, () -> {
            if (transfer != null) {
                String current = transfer.target();
                turnDeliveries.add(() -> future.completeExceptionally(
                        new GaggleException("a leadership transfer to " + current + " is under way")));
                return;
            }
            String target = raft.transferLeadership(targetId, now);
            if (target == null) {
                String reason = raft.role() != Role.LEADER
                        ? "only the leader can transfer leadership; this node is " + raft.role()
                        : "no live follower " + (targetId == null ? "to transfer leadership to" : "named " + targetId);
                turnDeliveries.add(() -> future.completeExceptionally(new GaggleException(reason)));
                return;
            }
            LOG.info("Gaggle node {}: handing leadership to {}", settings.id(), target);
            transfer = new PendingTransfer(target, future, now + 2 * settings.electionTimeoutMax());
        });
        return future;
    }

    /**
     * A leadership transfer this node started: settled by the next election, whoever wins it, or
     * failed at its deadline if none happens (this node may have stepped down without a successor).
     */
    private record PendingTransfer(String target, CompletableFuture<Void> future, long deadline) {
    }

    private void expireTransfer() {
        if (transfer != null && now >= transfer.deadline()) {
            String target = transfer.target();
            settleTransfer(handover -> handover.completeExceptionally(
                    new GaggleException("leadership transfer to " + target + " did not complete")));
        }
    }

    /**
     * Ends the transfer under way, if any: its future is settled on the delivery thread, after
     * this turn's listeners, from what is known now (the field is cleared at once).
     */
    private void settleTransfer(Consumer<CompletableFuture<Void>> outcome) {
        if (transfer != null) {
            CompletableFuture<Void> handover = transfer.future();
            transfer = null;
            turnDeliveries.add(() -> outcome.accept(handover));
        }
    }

    /** Removes a caller's future and settles it on the delivery thread, after this turn's listeners. */
    private <T> void settle(Map<String, CompletableFuture<T>> futures, String id,
            Consumer<CompletableFuture<T>> outcome) {
        CompletableFuture<T> future = futures.remove(id);
        if (future != null) {
            turnDeliveries.add(() -> outcome.accept(future));
        }
    }

    private <T> void failAll(Map<String, CompletableFuture<T>> futures, Throwable failure) {
        futures.values().forEach(future -> turnDeliveries.add(() -> future.completeExceptionally(failure)));
        futures.clear();
    }

    /** A closed node leads nothing and follows no one. */
    private void publishClosedStatus() {
        GaggleStatus last = status;
        status = new GaggleStatus(last.id(), Role.FOLLOWER, last.term(), null, last.commitIndex(), last.lastLogIndex(),
                last.clusterSize(), last.channel(), ChannelState.CLOSED, last.droppedMessages(), last.elections(),
                last.appends(), Long.MAX_VALUE, last.preVotes(), last.stepDowns(), last.transfers(),
                pendingAppends.get());
        hasUncommittedEntriesInPreviousTerms = false;
    }

    private void releaseResources() {
        channel.close().whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warn("Gaggle node {}: closing the channel failed", settings.id(), failure);
            }
            delivery.shutdown();
            rpcPool.shutdown();
            LOG.info("Gaggle node {} closed", settings.id());
            closed.complete(null);
        });
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
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutDown();
        } catch (Throwable e) {
            // Not even an Error may leave callers waiting on a loop that no longer runs.
            LOG.error("Gaggle node {}: the consensus loop failed; closing the node", settings.id(), e);
            shutDown();
        }
    }

    private void endTurn() {
        runSafely(() -> raft.flush(now));
        expireTransfer();
        channel.flush();
        publishStatus();
        if (!turnDeliveries.isEmpty()) {
            List<Runnable> deliveries = turnDeliveries;
            turnDeliveries = new ArrayList<>();
            delivery.execute(() -> deliveries.forEach(Runnable::run));
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("Gaggle node {}: unexpected failure in the consensus loop", settings.id(), e);
        }
    }

    private void shutDown() {
        GaggleClosedException closing = new GaggleClosedException("node " + settings.id() + " closed");
        failAll(appendFutures, closing);
        failAll(rpcFutures, closing);
        failAll(readFutures, closing);
        settleTransfer(handover -> handover.completeExceptionally(closing));
        endTurn();
        synchronized (lifecycle) {
            state = State.CLOSED;
        }
        publishClosedStatus();
        loopEnded.complete(null);
        releaseResources();
    }

    // ---------------------------------------------------------------- receiving

    /** Called by the channel, on its thread: decodes, then queues for the loop. */
    private void onEnvelope(byte[] bytes) {
        Envelope envelope;
        try {
            envelope = codec.decode(bytes);
        } catch (MalformedEnvelopeException e) {
            dropped.drop("malformed envelope: " + e.getMessage());
            return;
        }
        submitInternal(() -> receive(envelope));
    }

    private void receive(Envelope envelope) {
        if (envelope.from().equals(settings.id()) && envelope.incarnation() == incarnation) {
            return; // our own broadcast, echoed back
        }
        if (envelope.to() != null && !envelope.to().equals(settings.id())) {
            dropped.drop("envelope addressed to " + abbreviate(envelope.to()));
            return;
        }
        switch (duplicates.check(envelope.from(), envelope.incarnation(), envelope.seq())) {
            case DROP:
                return;
            case ACCEPT_RESTARTED:
                LOG.info("Gaggle node {}: peer {} restarted", settings.id(), envelope.from());
                raft.peerRestarted(envelope.from(), now);
                break;
            default:
                break;
        }
        raft.handle(envelope.from(), envelope.message(), now);
    }

    // ---------------------------------------------------------------- what the Raft node asks for

    private final class Effects implements RaftOutput {

        @Override
        public void send(String to, RaftMessage message) {
            channel.send(to, codec.encode(new Envelope(settings.id(), incarnation, to, seq++, message)));
        }

        @Override
        public void broadcast(RaftMessage message) {
            channel.broadcast(codec.encode(new Envelope(settings.id(), incarnation, null, seq++, message)));
        }

        @Override
        public void appended(LogEntry entry, long index) {
            if (!appendedListeners.isEmpty()) {
                turnDeliveries.add(() -> deliverEntry(appendedListeners, entry, index));
            }
        }

        @Override
        public void committed(LogEntry entry, long index) {
            if (!committedListeners.isEmpty()) {
                turnDeliveries.add(() -> deliverEntry(committedListeners, entry, index));
            }
        }

        @Override
        public void leaderElected(String leaderId, long term) {
            LOG.info("Gaggle node {}: {} leads in term {}", settings.id(), leaderId, term);
            if (transfer != null && leaderId.equals(transfer.target())) {
                transfers.incrementAndGet();
                settleTransfer(handover -> handover.complete(null));
            } else {
                settleTransfer(handover -> handover.completeExceptionally(
                        new GaggleException("leadership went to " + leaderId + " instead")));
            }
            turnDeliveries.add(() -> leaderListeners.forEach(listener -> {
                try {
                    listener.on(leaderId, term);
                } catch (RuntimeException e) {
                    LOG.warn("Gaggle leader listener failed", e);
                }
            }));
        }

        @Override
        public void roleChanged(Role from, Role to, long term) {
            LOG.info("Gaggle node {}: {} -> {} in term {}", settings.id(), from, to, term);
            if (!roleListeners.isEmpty()) {
                turnDeliveries.add(() -> roleListeners.forEach(listener -> {
                    try {
                        listener.on(from, to, term);
                    } catch (RuntimeException e) {
                        LOG.warn("Gaggle role listener failed", e);
                    }
                }));
            }
        }

        @Override
        public void readCompleted(String requestId, long readIndex) {
            settle(readFutures, requestId, future -> future.complete(readIndex));
        }

        @Override
        public void readTimedOut(String requestId) {
            settle(readFutures, requestId, future -> future.completeExceptionally(new TimeoutException(
                    "no read index from a leader in time")));
        }

        @Override
        public void transferFailed(String reason) {
            LOG.info("Gaggle node {}: {}", settings.id(), reason);
            settleTransfer(handover -> handover.completeExceptionally(new GaggleException(reason)));
        }

        @Override
        public void appendCommitted(String entryId) {
            settle(appendFutures, entryId, future -> future.complete(null));
        }

        @Override
        public void appendTimedOut(String entryId) {
            settle(appendFutures, entryId, future -> future.completeExceptionally(new TimeoutException(
                    "append " + entryId + " not committed in time; it may still commit")));
        }

        @Override
        public void invokeRpc(String origin, String requestId, String name, List<JsonNode> args) {
            rpcPool.execute(() -> runRpc(origin, requestId, name, args));
        }

        @Override
        public void rpcCompleted(String requestId, JsonNode result, String error) {
            settle(rpcFutures, requestId, error == null
                    ? future -> future.complete(result)
                    : future -> future.completeExceptionally(new GaggleRpcException(error)));
        }

        @Override
        public void rpcTimedOut(String requestId) {
            settle(rpcFutures, requestId, future -> future.completeExceptionally(new TimeoutException(
                    "no answer from a leader in time")));
        }

        @Override
        public void dropped(String from, String reason) {
            dropped.drop(reason + " (from " + abbreviate(from) + ")");
        }
    }

    private static String abbreviate(String id) {
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
