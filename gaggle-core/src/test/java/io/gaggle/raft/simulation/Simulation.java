package io.gaggle.raft.simulation;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import io.gaggle.LogEntry;
import io.gaggle.Role;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.codec.MalformedEnvelopeException;
import io.gaggle.node.DurableOutbox;
import io.gaggle.raft.AppendForwardRequest;
import io.gaggle.raft.InstallSnapshotRequest;
import io.gaggle.raft.RaftConfig;
import io.gaggle.raft.RaftMessage;
import io.gaggle.raft.RaftNode;
import io.gaggle.raft.RaftOutputAdapter;
import io.gaggle.raft.SnapshotMeta;
import io.gaggle.raft.SnapshotWriter;
import io.gaggle.raft.simulation.CrashingDirectory.PowerCut;
import io.gaggle.storage.MemoryRaftStorage;
import io.gaggle.storage.RaftStorage;
import io.gaggle.storage.StorageException;
import io.gaggle.storage.TestFileRaftStorage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A cluster of {@link RaftNode}s on a virtual network and a virtual clock, driven by one seeded
 * {@link Random}: the same seed replays the same run, event for event. Every message is
 * serialised and parsed as on a real wire. The network drops, duplicates, delays (and so
 * reorders) messages and can be partitioned; nodes can crash and restart. {@link SafetyChecker}
 * watches every step.
 * <p>
 * Each node keeps its term, vote and log in a {@link RaftStorage} of the simulation's {@link Storage}
 * kind, and works in turns as the product's loop does: the messages and ticks queued for it
 * wait in an inbox, and each turn runs a random number of them, up to {@value #MAX_TURN_INPUTS}
 * (so a vote and appends, or a new term and a full write buffer, can share a turn), or one
 * client call, then ends through a {@link DurableOutbox} (flush, sync, then the messages that
 * waited for the sync). A {@link #crash} loses what a power cut may lose: with file storage,
 * its {@link CrashingDirectory} keeps only what was forced plus a random, possibly torn, part of
 * the rest, or a random choice of the rest's sectors, and the crash may strike in the middle of a turn, between a write and its fsync;
 * messages held for the sync never leave. A restart recovers from what the directory kept, with
 * the product's recovery code; with memory storage it starts empty, as the product's does.
 * <p>
 * Each node applies the committed entries to a state machine, {@link AppliedIds}, and, in most
 * seeds, takes snapshots of it every few entries (a threshold drawn per seed), compacting its log
 * behind them, and sends them in small chunks to followers its log no longer reaches. A snapshot
 * is taken as the product's delivery thread takes it, later than asked: its content is written in
 * one step and published in a later one, with turns of the node in between, and a crash before
 * either loses it. The snapshots live beside the log, in the same {@link CrashingDirectory} with
 * file storage. A node restores its state machine from a snapshot it installs, and when it
 * restarts from one.
 */
final class Simulation {

    /** Where nodes keep their term, vote and log. */
    enum Storage {
        /** {@link io.gaggle.storage.FileRaftStorage} over a {@link CrashingDirectory}: keeps what it synced. */
        FILE,
        /** {@link MemoryRaftStorage}: a restarted node comes back empty. */
        MEMORY
    }

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(MAPPER);
    static final long TICK = 5;
    /** Small, so that runs roll over, cut and recover across segment files. */
    private static final long SEGMENT_BYTES = 4096;
    /**
     * The log's write buffer, by node index: small, so that a turn's appends fill it and the log
     * writes them out before the turn's sync; the smallest holds no whole record, which the log
     * then writes out alone.
     */
    private static final int[] WRITE_BUFFER_BYTES = {64, 256, 1024};
    /** The most queued inputs a turn runs; the product's loop runs up to 4,096. */
    private static final int MAX_TURN_INPUTS = 8;
    /** A crash armed for later strikes before one of the storage's next writing operations, up to this many. */
    private static final int CRASH_POINTS = 4;
    /** Most milliseconds between asking for a snapshot and writing it, and between writing and publishing it. */
    private static final int SNAPSHOT_DELAY = 40;
    /** One snapshot in this many is given up by the runtime, as one whose snapshotter threw. */
    private static final int SNAPSHOT_FAILURES = 16;
    /** With file storage, one node in this many that receives a snapshot's last chunk crashes while installing it. */
    private static final int INSTALL_CRASHES = 8;
    /** About how many writing operations storing a last chunk, publishing its snapshot and resetting the log take. */
    private static final int INSTALL_WRITES = 12;

    final long seed;
    final Random random;
    final SimNode[] nodes;
    final SafetyChecker checker;
    final NetworkFaults faults;
    final Storage storage;
    final SnapshotCounts snapshotCounts = new SnapshotCounts();
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    /** Ids that {@link #inject} sent forgeries as: what nodes drop from them is expected. */
    private final Set<String> forgers = new HashSet<>();
    /** What nodes dropped from forgers, as "node: reason". */
    final List<String> droppedForgeries = new ArrayList<>();
    private long sequence;
    long now;

    Simulation(long seed, int size, NetworkFaults faults, boolean accelerate) {
        this(seed, size, faults, accelerate, true, Storage.FILE);
    }

    Simulation(long seed, int size, NetworkFaults faults, boolean accelerate, Storage storage) {
        this(seed, size, faults, accelerate, true, storage);
    }

    Simulation(long seed, int size, NetworkFaults faults, boolean accelerate, boolean preVote) {
        this(seed, size, faults, accelerate, preVote, Storage.FILE);
    }

    Simulation(long seed, int size, NetworkFaults faults, boolean accelerate, boolean preVote, Storage storage) {
        this.seed = seed;
        this.random = new Random(seed);
        this.faults = faults;
        this.storage = storage;
        this.nodes = new SimNode[size];
        this.checker = new SafetyChecker(this);
        Random snapshotting = new Random(seed ^ 0x5EED_5A4B_5407L);
        // One seed in eight takes no snapshot, as a node without a snapshotter: its log keeps every entry.
        long threshold = snapshotting.nextInt(8) == 0 ? 0 : 5 + snapshotting.nextInt(56);
        long trailing = snapshotting.nextInt(21);
        int chunkBytes = 64 + snapshotting.nextInt(449);
        for (int i = 0; i < size; i++) {
            RaftConfig config = new RaftConfig("n" + i, size, 150, 300, 30, accelerate, 8, 4096, 4, preVote, 100_000,
                    threshold, trailing, chunkBytes);
            nodes[i] = new SimNode(i, config);
        }
        for (SimNode node : nodes) {
            node.boot();
            schedule(now + random.nextInt((int) TICK) + 1, node::tick);
        }
    }

    // ---------------------------------------------------------------- running

    /** Runs events until {@code until}, checking safety after each. */
    void runUntil(long until) {
        while (!events.isEmpty() && events.peek().at <= until) {
            Event event = events.poll();
            now = event.at;
            event.action.run();
            checker.afterStep();
        }
        now = until;
    }

    void schedule(long at, Runnable action) {
        events.add(new Event(at, sequence++, action));
    }

    // ---------------------------------------------------------------- clients

    /** A client appends on a random live node, with a deadline. */
    void proposeOnRandomNode(long timeout) {
        SimNode node = nodes[random.nextInt(nodes.length)];
        if (node.up) {
            String id = new UUID(random.nextLong(), random.nextLong()).toString();
            JsonNode data = JsonNodeFactory.instance.objectNode().put("value", random.nextInt(1000)).put("id", id);
            checker.proposed(id);
            node.turn(() -> node.raft.propose(new LogEntry(id, 0, data, MAPPER), now + timeout, now));
        }
    }

    /** Proposes {@code {"value": id}} with entry id {@code id} on a chosen node. */
    void proposeValue(int nodeIndex, String id, long timeout) {
        JsonNode data = JsonNodeFactory.instance.objectNode().put("value", id);
        checker.proposed(id);
        SimNode node = nodes[nodeIndex];
        node.turn(() -> node.raft.propose(new LogEntry(id, 0, data, MAPPER), now + timeout, now));
    }

    /** Proposes on a chosen node; returns the entry id. */
    String propose(int nodeIndex, long timeout) {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        checker.proposed(id);
        SimNode node = nodes[nodeIndex];
        node.turn(() -> node.raft.propose(new LogEntry(id, 0, JsonNodeFactory.instance.stringNode(id), MAPPER),
                now + timeout, now));
        return id;
    }

    /** A client asks a chosen node for a read barrier, with a deadline. */
    void readBarrier(int nodeIndex, String requestId, long timeout) {
        checker.readBegan(requestId);
        SimNode node = nodes[nodeIndex];
        node.turn(() -> node.raft.readBarrier(requestId, now + timeout, now));
    }

    /** Asks a node to hand leadership to {@code target} (null: the most up to date); returns its choice. */
    String transferLeadership(SimNode node, String target) {
        return node.turn(() -> node.raft.transferLeadership(target, now));
    }

    // ---------------------------------------------------------------- faults

    /** Delivers {@code message} to node {@code to} as if {@code from} had sent it: a forgery. */
    void inject(String from, int to, RaftMessage message) {
        forgers.add(from);
        nodes[to].deliver(from, CODEC.encode(new Envelope(from, 1, null, 0, message)));
    }

    /** The node crashes now, between two turns. */
    void crash(int index) {
        nodes[index].crash();
    }

    /**
     * The node crashes now or, more often, a little later: in the middle of a turn, before one of
     * its storage's next few writing operations, which may fall between a write and its fsync.
     */
    void crashAtRandomPoint(int index) {
        if (random.nextInt(4) == 0) {
            nodes[index].crash();
        } else {
            nodes[index].crashSoon();
        }
    }

    /** A crashed node restarts from what its storage kept; one about to crash crashes first. */
    void restart(int index) {
        SimNode node = nodes[index];
        if (node.up) {
            node.crash();
        }
        node.restart();
    }

    /** The index of a live node that has half-received a snapshot from its leader, or -1. */
    int receivingSnapshot() {
        for (SimNode node : nodes) {
            if (node.up && node.snapshots.receiving()) {
                return node.index;
            }
        }
        return -1;
    }

    /** Nodes in {@code group} hear only each other, the rest only each other. */
    void partition(Set<Integer> group) {
        faults.partition(group);
    }

    void heal() {
        faults.heal();
        for (int i = 0; i < nodes.length; i++) {
            if (!nodes[i].up || nodes[i].crashArmed) {
                restart(i);
            }
        }
    }

    /** What the nodes' storage wrote ahead of their turns' syncs so far; none with memory storage. */
    CrashingDirectory.EarlyWrites earlyWrites() {
        CrashingDirectory.EarlyWrites total = new CrashingDirectory.EarlyWrites();
        for (SimNode node : nodes) {
            if (node.directory != null) {
                total.add(node.directory.earlyWrites);
            }
        }
        return total;
    }

    /** What crashes did to the nodes' directories so far; none with memory storage. */
    CrashingDirectory.Losses losses() {
        CrashingDirectory.Losses total = new CrashingDirectory.Losses();
        for (SimNode node : nodes) {
            if (node.directory != null) {
                total.add(node.directory.losses);
            }
        }
        return total;
    }

    List<SimNode> leaders() {
        List<SimNode> leaders = new ArrayList<>();
        for (SimNode node : nodes) {
            if (node.up && node.raft.role() == Role.LEADER) {
                leaders.add(node);
            }
        }
        return leaders;
    }

    // ---------------------------------------------------------------- nodes

    final class SimNode extends RaftOutputAdapter {

        final int index;
        final String id;
        final RaftConfig config;
        final Random nodeRandom;
        final Set<String> acked = new HashSet<>();
        /** The node's disk, across its incarnations; null with memory storage. */
        private final CrashingDirectory directory;
        /** The incarnation last heard from each peer, to tell Raft when one restarted, as the product's wire does. */
        private final Map<String, Long> peerIncarnations = new HashMap<>();
        /** Messages and ticks waiting for a turn; a crash loses them, as the process's queue. */
        private final ArrayDeque<Runnable> inbox = new ArrayDeque<>();
        private boolean drainScheduled;
        private final int writeBufferBytes;
        private DurableOutbox outbox;
        TrackedRaftLog log;
        TrackedSnapshotStore snapshots;
        RaftNode raft;
        /** This incarnation's state machine: restored from a snapshot, then applying entries. */
        AppliedIds state = new AppliedIds();
        boolean up;
        /** Set by {@link #crashSoon}: the node is to crash in the middle of a turn. */
        boolean crashArmed;
        long incarnation;
        long seq;
        /** Index of the last entry this incarnation's state machine applied, for the checker. */
        long applied = -1;
        /** Commit index up to which the checker compared this node's log with the committed entries. */
        long checkedCommit = -1;

        SimNode(int index, RaftConfig config) {
            this.index = index;
            this.id = config.id();
            this.config = config;
            this.nodeRandom = new Random(seed * 1_000_003L + index);
            this.writeBufferBytes = WRITE_BUFFER_BYTES[index % WRITE_BUFFER_BYTES.length];
            this.directory = storage == Storage.FILE ? new CrashingDirectory() : null;
        }

        /** Starts, or restarts, from what the storage holds, as the product's node does. */
        void boot() {
            RaftStorage kept = directory == null ? new MemoryRaftStorage() : recover();
            log = new TrackedRaftLog(kept.log());
            snapshots = new TrackedSnapshotStore(kept.snapshots(), snapshotCounts);
            outbox = new DurableOutbox(kept, this::transmit);
            SnapshotMeta latest = snapshots.latest();
            if (latest != null && !(latest.index() >= log.firstIndex() - 1 && latest.index() <= log.lastIndex()
                    && log.term(latest.index()) == latest.term())) {
                snapshotCounts.logResetsAtRestart++;
            }
            raft = new RaftNode(config, log, snapshots, this, nodeRandom, kept.term(), kept.votedFor());
            state = new AppliedIds();
            if (latest != null) {
                restore(latest.index());
                snapshotCounts.restoredAtRestart++;
            }
            up = true;
            raft.start(now);
        }

        /** The state machine is replaced by the one in the latest snapshot, which must be at {@code index}. */
        private void restore(long index) {
            SnapshotMeta latest = snapshots.latest();
            try (InputStream in = snapshots.openLatest()) {
                state = AppliedIds.restore(in);
            } catch (IOException e) {
                throw new AssertionError(id + " cannot read its latest snapshot, at " + index, e);
            }
            checker.restored(this, index, latest);
        }

        /**
         * Opens the file storage, which recovers what the directory holds. Now and then the power
         * fails again during recovery, or just after it, and the node must recover from that.
         */
        private RaftStorage recover() {
            try {
                if (random.nextInt(4) == 0) {
                    directory.cutPowerAfter(random.nextInt(3));
                    try {
                        TestFileRaftStorage.open(directory, MAPPER, SEGMENT_BYTES, writeBufferBytes);
                    } catch (PowerCut cut) {
                        // the crash struck where it was armed to
                    }
                    directory.crash(random);
                }
                return TestFileRaftStorage.open(directory, MAPPER, SEGMENT_BYTES, writeBufferBytes);
            } catch (StorageException e) {
                throw checker.storageRefused(this, e);
            }
        }

        void restart() {
            incarnation++;
            peerIncarnations.clear();
            checker.restarted(this);
            boot();
        }

        /**
         * One turn of the node's loop: {@code work}, then the end of the turn as the product's loop
         * ends it. An armed crash strikes where its power cut fires; with memory storage, between
         * the work and the end of the turn.
         */
        <T> T turn(Supplier<T> work) {
            if (!up) {
                return null;
            }
            try {
                if (directory != null) {
                    directory.workBegan();
                }
                T result = work.get();
                if (directory != null) {
                    directory.workEnded();
                }
                if (crashArmed && directory == null) {
                    crash();
                } else {
                    outbox.endTurn(raft, () -> raft.flush(now));
                }
                return result;
            } catch (PowerCut cut) {
                crash();
                return null;
            }
        }

        void turn(Runnable work) {
            turn(() -> {
                work.run();
                return null;
            });
        }

        /** The process dies: held messages are lost, and the disk keeps what a power cut leaves. */
        void crash() {
            if (!up) {
                return;
            }
            if (snapshots.receiving()) {
                snapshotCounts.crashesMidTransfer++;
            }
            up = false;
            crashArmed = false;
            inbox.clear();
            outbox.discard();
            if (directory != null) {
                directory.crash(random);
            }
        }

        /**
         * The node will crash before one of its storage's next few writing operations, or before
         * its next force of a file, in whichever turn.
         */
        void crashSoon() {
            if (!up) {
                return;
            }
            crashArmed = true;
            if (directory == null) {
                return;
            }
            if (random.nextBoolean()) {
                directory.cutPowerAfter(random.nextInt(CRASH_POINTS));
            } else {
                directory.cutPowerBeforeForce();
            }
        }

        void tick() {
            enqueue(() -> raft.tick(now));
            drainSoon();
            schedule(now + TICK, this::tick);
        }

        /** A turn runs soon, unless one is already due. */
        private void drainSoon() {
            if (!drainScheduled && !inbox.isEmpty()) {
                drainScheduled = true;
                schedule(now + random.nextInt((int) TICK), this::drain);
            }
        }

        /** One turn of up to {@value #MAX_TURN_INPUTS} queued inputs, chosen at random; the rest wait for the next. */
        private void drain() {
            drainScheduled = false;
            int count = Math.min(inbox.size(), 1 + random.nextInt(MAX_TURN_INPUTS));
            if (count == 0) {
                return;
            }
            List<Runnable> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                batch.add(inbox.poll());
            }
            turn(() -> batch.forEach(Runnable::run));
            if (!inbox.isEmpty()) {
                drainScheduled = true;
                schedule(now, this::drain);
            }
        }

        private void enqueue(Runnable input) {
            if (up) {
                inbox.add(input);
            }
        }

        void deliver(String from, byte[] bytes) {
            Envelope envelope;
            try {
                envelope = CODEC.decode(bytes);
            } catch (MalformedEnvelopeException e) {
                throw new AssertionError("the codec could not read its own envelope: " + e.getMessage(), e);
            }
            enqueue(() -> {
                countResendsAfterCompaction(envelope.message());
                if (envelope.message() instanceof InstallSnapshotRequest chunk && chunk.done() && directory != null
                        && !crashArmed && random.nextInt(INSTALL_CRASHES) == 0) {
                    crashWhileInstalling();
                }
                Long known = peerIncarnations.get(from);
                if (known == null || envelope.incarnation() > known) {
                    peerIncarnations.put(from, envelope.incarnation());
                    if (known != null) {
                        raft.peerRestarted(from, now);
                    }
                }
                raft.handle(from, envelope.message(), now);
            });
            drainSoon();
        }

        /** Counts forwarded appends that reach this leader after its log dropped them behind a snapshot. */
        private void countResendsAfterCompaction(RaftMessage message) {
            if (message instanceof AppendForwardRequest forward && raft.role() == Role.LEADER) {
                for (LogEntry entry : forward.entries()) {
                    long index = checker.committedIndexOf(entry.id());
                    if (index >= 0 && index < raft.firstIndex()) {
                        snapshotCounts.resendsAfterCompaction++;
                    }
                }
            }
        }

        private void transmit(String to, RaftMessage message) {
            byte[] bytes = CODEC.encode(new Envelope(id, incarnation, to, seq++, message));
            for (SimNode target : nodes) {
                if (target == this || (to != null && !to.equals(target.id))) {
                    continue;
                }
                int copies = faults.copies(random, index, target.index);
                for (int c = 0; c < copies; c++) {
                    schedule(now + faults.delay(random), () -> target.deliver(id, bytes));
                }
            }
        }

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
            checker.appended(this, entry, index);
        }

        @Override
        public void committed(LogEntry entry, long index) {
            checker.committed(this, entry, index);
        }

        /**
         * Takes the snapshot as the product's delivery thread does, but later: the state now, after
         * exactly {@code index}, is written in a while, and published in a while more.
         */
        @Override
        public void snapshotDue(long index, long term, List<String> recentEntryIds) {
            checker.snapshotDue(this, index);
            byte[] content = state.save();
            long taking = incarnation;
            schedule(now + 1 + random.nextInt(SNAPSHOT_DELAY),
                    () -> writeSnapshot(taking, index, term, recentEntryIds, content));
        }

        private void writeSnapshot(long taking, long index, long term, List<String> recentEntryIds, byte[] content) {
            if (!up || incarnation != taking) {
                return; // the process that was to take it is gone, and the snapshot with it
            }
            if (random.nextInt(SNAPSHOT_FAILURES) == 0) {
                snapshotCounts.failed++;
                inputSoon(() -> raft.snapshotFailed(index, now));
                return;
            }
            try {
                SnapshotWriter writer = snapshots.write(index, term, recentEntryIds);
                writer.content().write(content);
                writer.content().close();
                schedule(now + 1 + random.nextInt(SNAPSHOT_DELAY), () -> publishSnapshot(taking, writer));
            } catch (PowerCut cut) {
                crash();
            } catch (IOException e) {
                throw new AssertionError(id + " cannot write a snapshot", e);
            }
        }

        private void publishSnapshot(long taking, SnapshotWriter writer) {
            if (!up || incarnation != taking) {
                return;
            }
            try {
                SnapshotMeta published = writer.publish();
                snapshotCounts.taken++;
                inputSoon(() -> raft.snapshotTaken(published, now));
            } catch (PowerCut cut) {
                crash();
            } catch (IOException e) {
                throw new AssertionError(id + " cannot publish a snapshot", e);
            }
        }

        /** An input from outside the loop, such as the delivery thread's, for the node's next turn. */
        private void inputSoon(Runnable input) {
            enqueue(input);
            drainSoon();
        }

        @Override
        public void snapshotInstalled(long index, long term) {
            snapshotCounts.installed++;
            restore(index);
        }

        /**
         * The node is to crash while it installs the snapshot whose last chunk it is about to handle:
         * storing the chunk, publishing the snapshot, or resetting the log, or between the two, when
         * it must find them out of step as it restarts, a little later.
         */
        private void crashWhileInstalling() {
            crashArmed = true;
            directory.cutPowerAfter(random.nextInt(INSTALL_WRITES));
            long installing = incarnation;
            schedule(now + 100 + random.nextInt(500), () -> {
                if (incarnation == installing) {
                    Simulation.this.restart(this.index);
                }
            });
        }

        @Override
        public void appendOutcomeUnknown(String entryId) {
            snapshotCounts.outcomesUnknown++;
            checker.outcomeUnknown(entryId);
        }

        @Override
        public void leaderElected(String leaderId, long term) {
            checker.leaderElected(this, leaderId, term);
        }

        @Override
        public void roleChanged(Role from, Role to, long term) {
            if (to == Role.LEADER) {
                checker.becameLeader(this, term);
            }
        }

        @Override
        public void appendCommitted(String entryId) {
            acked.add(entryId);
            checker.acknowledged(this, entryId);
        }

        @Override
        public void appendTimedOut(String entryId) {
            checker.timedOut(entryId);
        }

        @Override
        public void invokeRpc(String origin, String requestId, String name, List<JsonNode> args) {
            raft.rpcCompleted(origin, requestId, JsonNodeFactory.instance.stringNode(id), null, now);
        }

        @Override
        public void readCompleted(String requestId, long readIndex) {
            checker.readCompleted(this, requestId, readIndex);
        }

        @Override
        public void transferFailed(String reason) {
            checker.transferFailed(this, reason);
        }

        @Override
        public void committedEntryLost(long index, String reason) {
            checker.committedEntryLost(this, index, reason);
        }

        @Override
        public void dropped(String from, String reason) {
            if (!forgers.contains(from)) {
                throw new AssertionError(id + " dropped a message from " + from + ": " + reason
                        + " (correct peers never send such)");
            }
            droppedForgeries.add(id + ": " + reason);
        }
    }

    private record Event(long at, long order, Runnable action) implements Comparable<Event> {

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
