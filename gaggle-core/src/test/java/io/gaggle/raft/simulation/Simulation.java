package io.gaggle.raft.simulation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import io.gaggle.LogEntry;
import io.gaggle.Role;
import io.gaggle.codec.Envelope;
import io.gaggle.codec.EnvelopeCodec;
import io.gaggle.codec.MalformedEnvelopeException;
import io.gaggle.raft.RaftConfig;
import io.gaggle.raft.RaftMessage;
import io.gaggle.raft.RaftNode;
import io.gaggle.raft.RaftOutputAdapter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A cluster of {@link RaftNode}s on a virtual network and a virtual clock, driven by one seeded
 * {@link Random}: the same seed replays the same run, event for event. Every message is
 * serialised and parsed as on a real wire. The network drops, duplicates, delays (and so
 * reorders) messages and can be partitioned; nodes can crash and restart. The only crash modelled
 * is {@link #crashKeepingState}: the node comes back with its log, term and vote, as if they were
 * stored durably, which the product does not do yet. {@link SafetyChecker} watches every step.
 */
final class Simulation {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final EnvelopeCodec CODEC = new EnvelopeCodec(MAPPER);
    static final long TICK = 5;

    final long seed;
    final Random random;
    final SimNode[] nodes;
    final SafetyChecker checker;
    final NetworkFaults faults;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    /** Ids that {@link #inject} sent forgeries as: what nodes drop from them is expected. */
    private final Set<String> forgers = new HashSet<>();
    /** What nodes dropped from forgers, as "node: reason". */
    final List<String> droppedForgeries = new ArrayList<>();
    private long sequence;
    long now;

    Simulation(long seed, int size, NetworkFaults faults, boolean accelerate) {
        this(seed, size, faults, accelerate, true);
    }

    Simulation(long seed, int size, NetworkFaults faults, boolean accelerate, boolean preVote) {
        this.seed = seed;
        this.random = new Random(seed);
        this.faults = faults;
        this.nodes = new SimNode[size];
        this.checker = new SafetyChecker(this);
        for (int i = 0; i < size; i++) {
            RaftConfig config = new RaftConfig("n" + i, size, 150, 300, 30, accelerate, 8, 4096, 4, preVote, 100_000);
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
            for (SimNode node : nodes) {
                node.flush();
            }
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
            node.raft.propose(new LogEntry(id, 0, data, MAPPER), now + timeout, now);
            checker.proposed(id);
        }
    }

    /** Proposes {@code {"value": id}} with entry id {@code id} on a chosen node. */
    void proposeValue(int nodeIndex, String id, long timeout) {
        JsonNode data = JsonNodeFactory.instance.objectNode().put("value", id);
        nodes[nodeIndex].raft.propose(new LogEntry(id, 0, data, MAPPER), now + timeout, now);
        checker.proposed(id);
    }

    /** Proposes on a chosen node; returns the entry id. */
    String propose(int nodeIndex, long timeout) {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        nodes[nodeIndex].raft.propose(new LogEntry(id, 0, JsonNodeFactory.instance.stringNode(id), MAPPER),
                now + timeout, now);
        checker.proposed(id);
        return id;
    }

    /** A client asks a chosen node for a read barrier, with a deadline. */
    void readBarrier(int nodeIndex, String requestId, long timeout) {
        checker.readBegan(requestId);
        nodes[nodeIndex].raft.readBarrier(requestId, now + timeout, now);
    }

    // ---------------------------------------------------------------- faults

    /** Delivers {@code message} to node {@code to} as if {@code from} had sent it: a forgery. */
    void inject(String from, int to, RaftMessage message) {
        forgers.add(from);
        nodes[to].deliver(from, CODEC.encode(new Envelope(from, 1, null, 0, message)));
    }

    /**
     * The node stops, and keeps its log, term and vote for {@link #restart}: a crash of a node
     * whose state is durable. Gaggle keeps nothing across a restart yet, so this models the
     * storage to come, not the product today.
     */
    void crashKeepingState(int index) {
        nodes[index].up = false;
    }

    /** A crashed node comes back with the log, term and vote {@link #crashKeepingState} kept. */
    void restart(int index) {
        nodes[index].restartWithKeptState();
    }

    /** Nodes in {@code group} hear only each other, the rest only each other. */
    void partition(Set<Integer> group) {
        faults.partition(group);
    }

    void heal() {
        faults.heal();
        for (int i = 0; i < nodes.length; i++) {
            if (!nodes[i].up) {
                restart(i);
            }
        }
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
        final TrackedRaftLog log = new TrackedRaftLog();
        final Random nodeRandom;
        final Set<String> acked = new HashSet<>();
        RaftNode raft;
        boolean up = true;
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
        }

        void boot() {
            raft = new RaftNode(config, log, this, nodeRandom);
            raft.start(now);
        }

        void restartWithKeptState() {
            long term = raft.currentTerm();
            String votedFor = raft.votedFor();
            raft = new RaftNode(config, log, this, nodeRandom, term, votedFor);
            up = true;
            incarnation++;
            checker.restarted(this);
            raft.start(now);
        }

        void tick() {
            if (up) {
                raft.tick(now);
            }
            schedule(now + TICK, this::tick);
        }

        void flush() {
            if (up) {
                raft.logSynced(raft.lastIndex());
                raft.flush(now);
            }
        }

        void deliver(String from, byte[] bytes) {
            if (!up) {
                return;
            }
            Envelope envelope;
            try {
                envelope = CODEC.decode(bytes);
            } catch (MalformedEnvelopeException e) {
                throw new AssertionError("the codec could not read its own envelope: " + e.getMessage(), e);
            }
            raft.handle(from, envelope.message(), now);
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
            transmit(to, message);
        }

        @Override
        public void broadcast(RaftMessage message) {
            transmit(null, message);
        }

        @Override
        public void appended(LogEntry entry, long index) {
            checker.appended(this, entry, index);
        }

        @Override
        public void committed(LogEntry entry, long index) {
            checker.committed(this, entry, index);
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
