package io.gaggle.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.gaggle.raft.AppendEntriesRequest;
import io.gaggle.raft.AppendForwardRequest;
import io.gaggle.raft.RaftMessage;
import io.gaggle.raft.RaftNode;
import io.gaggle.storage.RaftStorage;

/**
 * Persist before you speak: holds the messages a loop turn sends until one sync has put on disk
 * everything the turn wrote (term, vote, entries), so that no vote, vote reply or acknowledgement
 * leaves the node before what it promises is durable (Raft paper, Figure 2: persistent state is
 * "updated on stable storage before responding to RPCs"). A leader's AppendEntries alone go out
 * at once, in parallel with its own write (thesis §10.2.1): they promise nothing about the
 * leader's disk, and its own copy counts towards a majority only once synced
 * ({@link RaftNode#logSynced}).
 * <p>
 * The node's runtime and the simulation both end their turns through this class, so the
 * simulation's crashes test the very order the product writes and speaks in.
 */
public final class DurableOutbox {

    /** Sends a message for real; {@code to} is null for a broadcast. */
    @FunctionalInterface
    public interface Transmitter {
        void transmit(String to, RaftMessage message);

        /**
         * Pushes out what {@link #transmit} buffered, as {@link io.gaggle.channel.Channel#flush()}:
         * called before a sync, so that what leaves at once is on the wire while the disk works.
         */
        default void push() {
        }
    }

    private final RaftStorage storage;
    private final Transmitter transmitter;
    private final List<HeldMessage> held = new ArrayList<>();
    /** Whether messages went out at once since the last {@link Transmitter#push()}. */
    private boolean unpushed;

    public DurableOutbox(RaftStorage storage, Transmitter transmitter) {
        this.storage = storage;
        this.transmitter = transmitter;
    }

    /**
     * Sends {@code message} to {@code to} (null: every node): now if it promises nothing about this
     * node's disk (a leader's entries, a follower's appends forwarded to the leader), else after
     * the sync.
     */
    public void send(String to, RaftMessage message) {
        if (message instanceof AppendEntriesRequest || message instanceof AppendForwardRequest) {
            transmitter.transmit(to, message);
            unpushed = true;
        } else {
            held.add(new HeldMessage(to, message));
        }
    }

    /**
     * Ends a turn: the node's last flush, then its term, vote and log on disk, then what waited
     * for them sent; with durable storage, the leader then counts its synced copy and commits
     * what that completes, in a second round, when the turn appended anything.
     *
     * @param flush runs {@link RaftNode#flush} the way the caller guards its calls into Raft
     * @throws io.gaggle.storage.StorageException if the disk failed; the held messages are dropped
     */
    public void endTurn(RaftNode raft, Runnable flush) {
        if (!storage.durable()) {
            raft.logSynced(raft.lastIndex());
            flush.run();
            syncThenRelease(raft);
            return;
        }
        flush.run();
        syncThenRelease(raft);
        if (raft.awaitsSync()) {
            raft.logSynced(raft.lastIndex());
            flush.run();
            syncThenRelease(raft);
        }
    }

    /** Forgets what waits: the node crashed, or its storage failed, before the sync. */
    public void discard() {
        held.clear();
    }

    private void syncThenRelease(RaftNode raft) {
        long term = raft.currentTerm();
        String vote = raft.votedFor();
        if (unpushed && storage.durable()) {
            transmitter.push();
            unpushed = false;
        }
        try {
            if (term != storage.term() || !Objects.equals(vote, storage.votedFor())) {
                storage.saveTermAndVote(term, vote);
            }
            storage.sync();
        } catch (RuntimeException e) {
            held.clear();
            throw e;
        }
        for (HeldMessage message : held) {
            transmitter.transmit(message.to(), message.message());
        }
        held.clear();
    }

    private record HeldMessage(String to, RaftMessage message) {
    }
}
