package io.gaggle.raft;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import io.gaggle.LogEntry;
import io.gaggle.Role;
import tools.jackson.databind.JsonNode;

/**
 * The requests this node's callers make (appends, RPCs and read barriers) from when they are made
 * until they are answered or expire, and the RPCs this node serves while it leads. None of it is
 * Raft: Raft orders the log, and this routes each request to whoever leads, resends what a lost
 * message or a leader change left unanswered, and expires requests at their deadlines, as
 * hashicorp/raft's futures sit beside its consensus rules. {@link RaftNode} drives it, on its
 * thread, with its clock.
 */
final class ClientRequests {

    /** Most served RPC results a leader remembers, to answer a resent call without rerunning it. */
    private static final int SERVED_RPC_MEMORY = 4096;

    private final RaftConfig config;
    private final RaftLog log;
    private final RecentEntryIds ids;
    private final RaftOutput out;
    private final RaftNode raft;

    private final Map<String, PendingAppend> pendingAppends = new LinkedHashMap<>();
    private final Map<String, PendingRpc> pendingRpcs = new LinkedHashMap<>();
    private final Map<String, PendingRead> pendingReads = new LinkedHashMap<>();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();
    /** This turn's appends for the leader, sent together at the turn's end. */
    private final List<PendingAppend> forwardBatch = new ArrayList<>();
    private final Map<String, RpcResponse> servedRpcs = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RpcResponse> eldest) {
            return size() > SERVED_RPC_MEMORY;
        }
    };

    ClientRequests(RaftConfig config, RaftLog log, RecentEntryIds ids, RaftOutput out, RaftNode raft) {
        this.config = config;
        this.log = log;
        this.ids = ids;
        this.out = out;
        this.raft = raft;
    }

    // ---------------------------------------------------------------- made on this node

    void propose(LogEntry entry, long deadline, long now) {
        PendingAppend pending = new PendingAppend(entry, raft.commitIndex());
        pendingAppends.put(entry.id(), pending);
        trackDeadline(deadline, entry.id());
        if (raft.role() == Role.LEADER) {
            raft.appendAsLeader(entry);
        } else if (raft.leaderId() != null) {
            forward(pending, now);
        }
    }

    void dispatch(String requestId, String name, List<JsonNode> args, long deadline, long now) {
        PendingRpc rpc = new PendingRpc(new RpcRequest(requestId, name, args));
        pendingRpcs.put(requestId, rpc);
        trackDeadline(deadline, requestId);
        sendRpc(rpc, now);
    }

    void readBarrier(String requestId, long deadline, long now) {
        PendingRead read = new PendingRead();
        pendingReads.put(requestId, read);
        trackDeadline(deadline, requestId);
        requestReadIndex(requestId, read, now);
    }

    // ---------------------------------------------------------------- answers

    /** An entry committed and applied here: the append that made it on this node, if any, is done. */
    void applied(LogEntry entry) {
        if (pendingAppends.remove(entry.id()) != null) {
            out.appendCommitted(entry.id());
        }
    }

    /**
     * This node installed a snapshot up to {@code index} (Raft paper §7), whose entry ids it now
     * knows: a pending append among them is committed; one that could be before them may have
     * committed or not, and is given up.
     */
    void snapshotInstalled(long index) {
        Iterator<PendingAppend> appends = pendingAppends.values().iterator();
        while (appends.hasNext()) {
            PendingAppend pending = appends.next();
            long at = ids.indexOf(pending.entry.id());
            if (at >= 0 && at <= index) {
                appends.remove();
                out.appendCommitted(pending.entry.id());
            } else if (at < 0 && !ids.knowsIdsAfter(pending.absentThrough)) {
                // In the log after the snapshot it is still followed; nowhere known, it may be further back.
                appends.remove();
                out.appendOutcomeUnknown(pending.entry.id());
            }
        }
    }

    /** This node applied up to {@code appliedIndex}: reads whose read index it reached pass. */
    void appliedUpTo(long appliedIndex) {
        Iterator<Map.Entry<String, PendingRead>> reads = pendingReads.entrySet().iterator();
        while (reads.hasNext()) {
            Map.Entry<String, PendingRead> read = reads.next();
            PendingRead pending = read.getValue();
            if (pending.known && appliedIndex >= pending.readIndex) {
                reads.remove();
                out.readCompleted(read.getKey(), pending.readIndex);
            }
        }
    }

    void onReadIndexResponse(ReadIndexResponse response) {
        PendingRead read = pendingReads.get(response.requestId());
        if (read != null && !read.known) {
            read.known = true;
            read.readIndex = response.readIndex();
            appliedUpTo(raft.appliedIndex());
        }
    }

    void onRpcResponse(RpcResponse response) {
        if (pendingRpcs.remove(response.requestId()) != null) {
            out.rpcCompleted(response.requestId(), response.result(), response.error());
        }
    }

    // ---------------------------------------------------------------- RPCs served while leading

    /** Runs a caller's RPC once per request id; a resent call gets the result it already had. */
    void onRpcRequest(String origin, RpcRequest request) {
        if (raft.role() != Role.LEADER) {
            return; // the caller resends to whoever leads
        }
        if (servedRpcs.containsKey(request.requestId())) {
            RpcResponse served = servedRpcs.get(request.requestId());
            if (served != null && !origin.equals(config.id())) {
                out.send(origin, served);
            }
            return;
        }
        servedRpcs.put(request.requestId(), null); // running
        out.invokeRpc(origin, request.requestId(), request.name(), request.args());
    }

    void rpcCompleted(String origin, String requestId, JsonNode result, String error) {
        RpcResponse response = new RpcResponse(requestId, result, error);
        servedRpcs.put(requestId, response);
        if (origin.equals(config.id())) {
            onRpcResponse(response);
        } else {
            out.send(origin, response);
        }
    }

    // ---------------------------------------------------------------- leadership and time

    /** A new leader is known: it is offered every request not yet answered. */
    void leaderChanged(long now) {
        offerPending(Long.MAX_VALUE, now);
    }

    /** Resends what has waited a retry interval for an answer: its message may have been lost. */
    void resendStalled(long now) {
        offerPending(now - config.electionTimeoutMin(), now);
    }

    /** This node leads and may append: it appends the appends made on it that its log lacks. */
    void appendPendingAsLeader() {
        for (PendingAppend pending : pendingAppends.values()) {
            raft.appendAsLeader(pending.entry);
        }
    }

    /**
     * Passes this turn's appends to the leader, in as few messages as the batch size allows, each
     * saying how far back none of its entries is.
     */
    void flushForwards() {
        String leader = raft.leaderId();
        if (!forwardBatch.isEmpty() && leader != null && raft.role() != Role.LEADER) {
            for (int from = 0; from < forwardBatch.size(); from += config.maxBatchEntries()) {
                int to = Math.min(forwardBatch.size(), from + config.maxBatchEntries());
                List<LogEntry> entries = new ArrayList<>(to - from);
                long absentThrough = Long.MAX_VALUE;
                for (PendingAppend pending : forwardBatch.subList(from, to)) {
                    entries.add(pending.entry);
                    absentThrough = Math.min(absentThrough, pending.absentThrough);
                }
                out.send(leader, new AppendForwardRequest(entries, absentThrough));
            }
        }
        forwardBatch.clear();
    }

    void expire(long now) {
        while (!deadlines.isEmpty() && deadlines.peek().at() <= now) {
            String id = deadlines.poll().requestId();
            if (pendingAppends.remove(id) != null) {
                out.appendTimedOut(id);
            } else if (pendingRpcs.remove(id) != null) {
                out.rpcTimedOut(id);
            } else if (pendingReads.remove(id) != null) {
                out.readTimedOut(id);
            }
        }
    }

    // ---------------------------------------------------------------- routing

    /** Offers to whoever leads the requests last offered before {@code offeredBefore}. */
    private void offerPending(long offeredBefore, long now) {
        if (raft.role() != Role.LEADER && raft.leaderId() != null) {
            for (PendingAppend pending : pendingAppends.values()) {
                if (pending.forwardedAt <= offeredBefore && mayBeMissingOnLeader(pending)) {
                    forward(pending, now);
                }
            }
        }
        for (PendingRpc rpc : pendingRpcs.values()) {
            if (rpc.sentAt <= offeredBefore) {
                sendRpc(rpc, now);
            }
        }
        pendingReads.forEach((requestId, read) -> {
            if (read.sentAt <= offeredBefore) {
                requestReadIndex(requestId, read, now);
            }
        });
    }

    /**
     * Whether the leader may lack a pending append: it is not in this log, or only as an
     * uncommitted entry of an earlier term, which the current leader may never have seen.
     */
    private boolean mayBeMissingOnLeader(PendingAppend pending) {
        long index = ids.indexOf(pending.entry.id());
        return index < 0 || (index > raft.commitIndex() && log.term(index) < raft.currentTerm());
    }

    /**
     * Queues {@code pending} for the leader. Every entry this node applied since the append was
     * made was checked against it ({@link #applied}, {@link #snapshotInstalled}), and it cannot be
     * at or before the commit index it was made at: so it is in no committed entry up to the
     * applied index (the commit index, if lower: a node whose storage lost entries delivers past it).
     */
    private void forward(PendingAppend pending, long now) {
        pending.absentThrough = Math.max(pending.absentThrough, raft.deliveredCommitted());
        forwardBatch.add(pending);
        pending.forwardedAt = now;
    }

    private void sendRpc(PendingRpc rpc, long now) {
        if (raft.role() == Role.LEADER) {
            rpc.sentAt = now;
            onRpcRequest(config.id(), rpc.request);
        } else if (raft.leaderId() != null) {
            rpc.sentAt = now;
            out.send(raft.leaderId(), rpc.request);
        }
    }

    private void requestReadIndex(String requestId, PendingRead read, long now) {
        if (read.known) {
            return;
        }
        if (raft.role() == Role.LEADER) {
            read.sentAt = now;
            raft.serveReadIndex(config.id(), requestId);
        } else if (raft.leaderId() != null) {
            read.sentAt = now;
            out.send(raft.leaderId(), new ReadIndexRequest(requestId));
        }
    }

    private void trackDeadline(long deadline, String requestId) {
        if (deadline == Long.MAX_VALUE) {
            return;
        }
        deadlines.add(new Deadline(deadline, requestId));
        // Deadlines of requests that completed stay queued; sweep them once they outnumber the rest.
        int pending = pendingAppends.size() + pendingRpcs.size() + pendingReads.size();
        if (deadlines.size() > 2 * pending + 1024) {
            deadlines.removeIf(queued -> !pendingAppends.containsKey(queued.requestId())
                    && !pendingRpcs.containsKey(queued.requestId()) && !pendingReads.containsKey(queued.requestId()));
        }
    }
}
