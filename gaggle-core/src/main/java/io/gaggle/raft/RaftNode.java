package io.gaggle.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

import io.gaggle.LogEntry;
import io.gaggle.Role;
import tools.jackson.databind.JsonNode;

/**
 * One Raft server as a deterministic state machine, in the shape of etcd-io/raft: it takes
 * received messages, clock ticks and local requests, and answers through {@link RaftOutput}. It
 * owns no thread, reads no clock (every input carries {@code now}) and draws randomness only
 * from the {@link Random} it is given, so a seeded simulation replays any run exactly.
 * <p>
 * Not thread-safe: one thread at a time drives it. Cluster membership is discovered, as in the
 * original: a node knows only the cluster size and learns its peers from the messages it hears.
 */
public final class RaftNode {

    /** Peers silent for this many maximum election timeouts no longer get AppendEntries. */
    private static final int PEER_SILENCE_LIMIT = 20;
    /** Most served RPC results a leader remembers, to answer a resent call without rerunning it. */
    private static final int SERVED_RPC_MEMORY = 4096;

    private final RaftConfig config;
    private final RaftLog log;
    private final RaftOutput out;
    private final Random random;

    private Role role = Role.FOLLOWER;
    private long currentTerm;
    private String votedFor;
    private String leaderId;
    private long commitIndex = -1;
    private long appliedIndex = -1;

    private long now;
    private long electionDeadline;
    private long nextHeartbeatAt;
    private long nextRetryAt;
    private long lastLeaderContact = Long.MIN_VALUE;
    private long elections;
    private long preVotes;
    private long stepDowns;
    private long nextQuorumCheckAt;
    /** Asking for pre-votes: still a follower in the same term, but gathering support (§9.6). */
    private boolean preCandidate;
    /** The follower leadership is being handed to, or null (thesis §3.10). */
    private String transferTarget;
    /** Set by {@link #leave}: the node is closing and must not become leader again. */
    private boolean leaving;
    private long transferDeadline;
    private boolean timeoutNowSent;
    /** Heartbeat round, counted per broadcast heartbeat; followers echo it (thesis §6.4). */
    private long round;
    private boolean readRoundNeeded;
    /** Whether this leader knows its commit index is current: it committed an entry of its term. */
    private boolean termCommitted;
    private final List<ReadConfirmation> readsAwaitingTermCommit = new ArrayList<>();
    private final ArrayDeque<ReadConfirmation> confirmingReads = new ArrayDeque<>();
    private final Map<String, PendingRead> pendingReads = new LinkedHashMap<>();

    private final Set<String> votesGranted = new LinkedHashSet<>();
    /** Pre-votes, kept apart from real votes: a late real vote for an abandoned term must not count. */
    private final Set<String> preVotesGranted = new LinkedHashSet<>();
    private final Map<String, Long> peersLastHeard = new LinkedHashMap<>();
    private final Map<String, FollowerProgress> progress = new LinkedHashMap<>();
    private boolean entriesToSend;
    private boolean commitToAnnounce;

    private final Map<String, PendingAppend> pendingAppends = new LinkedHashMap<>();
    private final Map<String, PendingRpc> pendingRpcs = new LinkedHashMap<>();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();
    private final List<LogEntry> forwardBatch = new ArrayList<>();
    private final Map<String, RpcResponse> servedRpcs = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RpcResponse> eldest) {
            return size() > SERVED_RPC_MEMORY;
        }
    };

    public RaftNode(RaftConfig config, RaftLog log, RaftOutput out, Random random) {
        this.config = config;
        this.log = log;
        this.out = out;
        this.random = random;
    }

    /**
     * A node restarting with the term, vote and log it persisted (Raft paper, Figure 2: the
     * persistent state); volatile state starts afresh.
     */
    public RaftNode(RaftConfig config, RaftLog log, RaftOutput out, Random random, long term, String votedFor) {
        this(config, log, out, random);
        this.currentTerm = term;
        this.votedFor = votedFor;
    }

    // ---------------------------------------------------------------- inputs

    /** Starts the election timer; a one-node cluster elects itself at once. */
    public void start(long now) {
        this.now = now;
        resetElectionTimer();
        nextRetryAt = now + config.electionTimeoutMin();
        if (config.clusterSize() == 1) {
            campaign(false);
        }
    }

    /** Advances time: heartbeats, election timeouts, request expiry and resends. */
    public void tick(long now) {
        this.now = now;
        if (role == Role.LEADER) {
            if (now >= nextHeartbeatAt) {
                heartbeat();
            }
            if (role == Role.LEADER && now >= nextQuorumCheckAt) {
                checkQuorum();
            }
            if (transferTarget != null && now >= transferDeadline) {
                abortTransfer("leadership transfer to " + transferTarget + " timed out");
            }
        } else if (now >= electionDeadline && !leaving) {
            if (config.preVote()) {
                startPreVote();
            } else {
                campaign(false);
            }
        }
        expireRequests();
        if (now >= nextRetryAt) {
            nextRetryAt = now + config.electionTimeoutMin();
            resendRequests();
        }
    }

    /**
     * This node is about to stop: from now on it stands for no election and takes no leadership
     * handed to it, so a node that closes after a failed handover cannot win an election just
     * before it goes and cost the cluster a second one. It still votes and follows until then.
     */
    public void leave(long now) {
        this.now = now;
        leaving = true;
    }

    /** Handles a message from peer {@code from}. */
    public void handle(String from, RaftMessage message, long now) {
        this.now = now;
        if (from.equals(config.id())) {
            return;
        }
        peersLastHeard.put(from, now);
        if (message instanceof RequestVoteRequest request && !request.transfer() && hearsLeader()) {
            return; // a stray or forged vote request must not depose a healthy leader (thesis §4.2.3)
        }
        if (message instanceof TermMessage termMessage && termMessage.term() > currentTerm
                && !isPreVote(termMessage)) {
            becomeFollower(termMessage.term());
        }
        if (message instanceof AppendEntriesRequest request) {
            onAppendEntries(from, request);
        } else if (message instanceof AppendEntriesResponse response) {
            onAppendEntriesResponse(from, response);
        } else if (message instanceof RequestVoteRequest request) {
            onRequestVote(from, request);
        } else if (message instanceof RequestVoteResponse response) {
            onRequestVoteResponse(from, response);
        } else if (message instanceof AppendForwardRequest request) {
            onAppendForward(request);
        } else if (message instanceof RpcRequest request) {
            onRpcRequest(from, request);
        } else if (message instanceof RpcResponse response) {
            completeRpc(response);
        } else if (message instanceof TimeoutNowRequest request) {
            onTimeoutNow(from, request);
        } else if (message instanceof ReadIndexRequest request) {
            onReadIndexRequest(from, request);
        } else if (message instanceof ReadIndexResponse response) {
            onReadIndexResponse(response);
        }
    }

    /** Pre-vote requests, and pre-votes granted, speak of a term nobody is in yet. */
    private static boolean isPreVote(TermMessage message) {
        return (message instanceof RequestVoteRequest request && request.preVote())
                || (message instanceof RequestVoteResponse response && response.preVote() && response.granted());
    }

    /**
     * Whether this node leads, or heard its leader within the minimum election timeout: then it
     * believes in a healthy leader and ignores vote requests (Raft thesis §4.2.3).
     */
    private boolean hearsLeader() {
        return role == Role.LEADER
                || (leaderId != null && now - lastLeaderContact < config.electionTimeoutMin());
    }

    /**
     * Appends {@code entry} (its term is ignored) on behalf of this node's caller, and reports
     * {@link RaftOutput#appendCommitted} once it is committed here, or
     * {@link RaftOutput#appendTimedOut} at {@code deadline}. A follower passes it to the leader
     * and resends until it sees it in its own log.
     */
    public void propose(LogEntry entry, long deadline, long now) {
        this.now = now;
        PendingAppend pending = new PendingAppend(entry, deadline);
        pendingAppends.put(entry.id(), pending);
        trackDeadline(deadline, entry.id());
        if (role == Role.LEADER) {
            appendAsLeader(entry);
        } else if (leaderId != null) {
            forward(pending);
        }
    }

    /**
     * Hands leadership to {@code target}, or to the most up-to-date follower if null (Raft thesis
     * §3.10): new appends wait, the target is brought up to date and told to stand for election.
     * Gives up after a maximum election timeout, reporting {@link RaftOutput#transferFailed}.
     *
     * @return the follower leadership goes to, or null if this node does not lead or knows no
     *         such follower
     */
    public String transferLeadership(String target, long now) {
        this.now = now;
        if (role != Role.LEADER || config.clusterSize() == 1) {
            return null;
        }
        String chosen = target != null ? target : mostUpToDateFollower();
        if (chosen == null || chosen.equals(config.id()) || !progress.containsKey(chosen)) {
            return null;
        }
        transferTarget = chosen;
        transferDeadline = now + config.electionTimeoutMax();
        timeoutNowSent = false;
        continueTransfer();
        return chosen;
    }

    private String mostUpToDateFollower() {
        String best = null;
        long bestMatch = Long.MIN_VALUE;
        for (Map.Entry<String, FollowerProgress> entry : progress.entrySet()) {
            FollowerProgress peer = entry.getValue();
            if (now - peer.lastHeardAt < config.electionTimeoutMin() && peer.matchIndex > bestMatch) {
                best = entry.getKey();
                bestMatch = peer.matchIndex;
            }
        }
        return best;
    }

    private void continueTransfer() {
        FollowerProgress peer = progress.get(transferTarget);
        if (peer == null) {
            abortTransfer("transfer target " + transferTarget + " is gone");
        } else if (peer.matchIndex == log.lastIndex()) {
            if (!timeoutNowSent) {
                out.send(transferTarget, new TimeoutNowRequest(currentTerm));
                timeoutNowSent = true;
            }
        } else {
            sendEntries(transferTarget, peer);
        }
    }

    private void abortTransfer(String reason) {
        transferTarget = null;
        out.transferFailed(reason);
        appendPendingAsLeader();
    }

    private void onTimeoutNow(String from, TimeoutNowRequest request) {
        if (request.term() == currentTerm && from.equals(leaderId) && role == Role.FOLLOWER && !leaving) {
            campaign(true);
        }
    }

    /**
     * A leader that has not heard from a majority within an election timeout steps down, so an
     * isolated leader stops claiming leadership (check-quorum, as etcd-io/raft).
     */
    private void checkQuorum() {
        long windowStart = nextQuorumCheckAt - config.electionTimeoutMax();
        nextQuorumCheckAt = now + config.electionTimeoutMax();
        int active = 1;
        for (FollowerProgress peer : progress.values()) {
            if (peer.lastHeardAt >= windowStart) {
                active++;
            }
        }
        if (active < config.majority()) {
            stepDowns++;
            becomeFollower(currentTerm);
            leaderId = null;
        }
    }

    /**
     * Asks the leader to run the named RPC handler; reports {@link RaftOutput#rpcCompleted} or,
     * at {@code deadline}, {@link RaftOutput#rpcTimedOut}. Without a leader it waits for one.
     */
    public void dispatch(String requestId, String name, List<JsonNode> args, long deadline, long now) {
        this.now = now;
        PendingRpc rpc = new PendingRpc(requestId, name, args, deadline);
        pendingRpcs.put(requestId, rpc);
        trackDeadline(deadline, requestId);
        sendRpc(rpc);
    }

    /**
     * A linearizable read barrier (ReadIndex, Raft thesis §6.4): reports
     * {@link RaftOutput#readCompleted} once this node has applied every entry committed before the
     * call, so reading the application's state then sees every write acknowledged before it; or
     * {@link RaftOutput#readTimedOut} at {@code deadline}. Works on followers by asking the leader.
     */
    public void readBarrier(String requestId, long deadline, long now) {
        this.now = now;
        PendingRead read = new PendingRead(deadline);
        pendingReads.put(requestId, read);
        trackDeadline(deadline, requestId);
        requestReadIndex(requestId, read);
    }

    /** The RPC handler run for {@link RaftOutput#invokeRpc} returned; answers its caller. */
    public void rpcCompleted(String origin, String requestId, JsonNode result, String error, long now) {
        this.now = now;
        RpcResponse response = new RpcResponse(requestId, result, error);
        servedRpcs.put(requestId, response);
        if (origin.equals(config.id())) {
            completeRpc(response);
        } else {
            out.send(origin, response);
        }
    }

    /**
     * A peer restarted with its memory wiped (a new incarnation): what the leader knew of its
     * log no longer holds.
     */
    public void peerRestarted(String peer, long now) {
        this.now = now;
        if (role == Role.LEADER && progress.containsKey(peer)) {
            progress.put(peer, new FollowerProgress(log.lastIndex() + 1, now));
        }
    }

    /**
     * Ends a turn of the caller's loop: commits what a majority holds; sends followers that
     * acknowledged in this turn what follows, and with accelerated heartbeats sends what this turn
     * appended and committed, coalesced into one batch for all followers in step; passes this
     * turn's follower appends to the leader in one message.
     */
    public void flush(long now) {
        this.now = now;
        if (role == Role.LEADER) {
            maybeAdvanceCommit();
            if (readRoundNeeded) {
                broadcastHeartbeat();
            }
            if (config.accelerateHeartbeats() && entriesToSend) {
                progress.values().forEach(peer -> peer.due = true);
            }
            replicateToDueFollowers();
            if (config.accelerateHeartbeats() && commitToAnnounce) {
                broadcastHeartbeat();
            }
            entriesToSend = false;
            commitToAnnounce = false;
        } else if (!forwardBatch.isEmpty() && leaderId != null) {
            for (int from = 0; from < forwardBatch.size(); from += config.maxBatchEntries()) {
                int to = Math.min(forwardBatch.size(), from + config.maxBatchEntries());
                out.send(leaderId, new AppendForwardRequest(forwardBatch.subList(from, to)));
            }
        }
        forwardBatch.clear();
    }

    // ---------------------------------------------------------------- state, read by the runtime

    public Role role() {
        return role;
    }

    public long currentTerm() {
        return currentTerm;
    }

    /** The term's leader as far as this node knows, or null. */
    public String leaderId() {
        return leaderId;
    }

    /** The node this node voted for in {@link #currentTerm()}, or null; persistent state. */
    public String votedFor() {
        return votedFor;
    }

    public long commitIndex() {
        return commitIndex;
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    /**
     * When this node last heard from the leader of its term, or {@code now} if it leads;
     * {@code Long.MIN_VALUE} if never.
     */
    public long lastLeaderContact() {
        return role == Role.LEADER ? now : lastLeaderContact;
    }

    /** How many times this node stood for election. */
    public long elections() {
        return elections;
    }

    /** How many pre-vote rounds this node started. */
    public long preVotes() {
        return preVotes;
    }

    /** How many times this node stopped leading for want of a quorum. */
    public long stepDowns() {
        return stepDowns;
    }

    /** A copy of the whole log. */
    public List<LogEntry> logEntries() {
        return log.slice(0, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * Whether the log holds uncommitted entries of earlier terms, which a leader cannot commit
     * until it commits an entry of its own term (Raft paper, §5.4.2).
     */
    public boolean hasUncommittedEntriesInPreviousTerms() {
        return commitIndex < log.lastIndex() && log.term(commitIndex + 1) < currentTerm;
    }

    // ---------------------------------------------------------------- elections (§5.2, §5.4.1)

    /** Asks whether a majority would vote for this node, without changing term (thesis §9.6). */
    private void startPreVote() {
        preCandidate = true;
        preVotes++;
        preVotesGranted.clear();
        preVotesGranted.add(config.id());
        resetElectionTimer();
        if (preVotesGranted.size() >= config.majority()) {
            campaign(false);
        } else {
            out.broadcast(new RequestVoteRequest(currentTerm + 1, log.lastIndex(), log.term(log.lastIndex()),
                    true, false));
        }
    }

    private void campaign(boolean transfer) {
        Role previous = role;
        role = Role.CANDIDATE;
        preCandidate = false;
        elections++;
        currentTerm++;
        votedFor = config.id();
        leaderId = null;
        progress.clear();
        votesGranted.clear();
        votesGranted.add(config.id());
        resetElectionTimer();
        if (previous != Role.CANDIDATE) {
            out.roleChanged(previous, Role.CANDIDATE, currentTerm);
        }
        if (votesGranted.size() >= config.majority()) {
            becomeLeader();
        } else {
            out.broadcast(new RequestVoteRequest(currentTerm, log.lastIndex(), log.term(log.lastIndex()), false,
                    transfer));
        }
    }

    private void onRequestVote(String candidate, RequestVoteRequest request) {
        long lastTerm = log.term(log.lastIndex());
        boolean upToDate = request.lastLogTerm() > lastTerm
                || (request.lastLogTerm() == lastTerm && request.lastLogIndex() >= log.lastIndex());
        if (request.preVote()) {
            boolean granted = request.term() > currentTerm && upToDate;
            out.send(candidate, new RequestVoteResponse(granted ? request.term() : currentTerm, granted, true));
            return;
        }
        boolean granted = false;
        if (request.term() == currentTerm && upToDate && (votedFor == null || votedFor.equals(candidate))) {
            votedFor = candidate;
            granted = true;
            resetElectionTimer();
        }
        out.send(candidate, new RequestVoteResponse(currentTerm, granted, false));
    }

    private void onRequestVoteResponse(String voter, RequestVoteResponse response) {
        if (leaving) {
            return; // an election it began before leaving must not make it leader now
        }
        if (response.preVote()) {
            // A candidate whose election timed out gathers pre-votes again before its next term.
            if (preCandidate && role != Role.LEADER && response.granted() && response.term() == currentTerm + 1) {
                preVotesGranted.add(voter);
                if (preVotesGranted.size() >= config.majority()) {
                    campaign(false);
                }
            }
            return;
        }
        // A candidate gathering pre-votes has given up on its term: votes for it no longer count.
        if (role == Role.CANDIDATE && !preCandidate && response.term() == currentTerm && response.granted()) {
            votesGranted.add(voter);
            if (votesGranted.size() >= config.majority()) {
                becomeLeader();
            }
        }
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leaderId = config.id();
        nextQuorumCheckAt = now + config.electionTimeoutMax();
        transferTarget = null;
        termCommitted = log.lastIndex() == commitIndex;
        progress.clear();
        for (String peer : peersLastHeard.keySet()) {
            progress.put(peer, new FollowerProgress(log.lastIndex() + 1, now));
        }
        out.roleChanged(Role.CANDIDATE, Role.LEADER, currentTerm);
        out.leaderElected(config.id(), currentTerm);
        if (log.lastIndex() > commitIndex) {
            // Entries of earlier terms commit only with one of this term (§5.4.2, §8).
            appendLocal(LogEntry.noop(currentTerm));
        }
        appendPendingAsLeader();
        offerPendingRequests(false);
        heartbeat();
    }

    private void becomeFollower(long term) {
        Role previous = role;
        if (term > currentTerm) {
            currentTerm = term;
            votedFor = null;
            leaderId = null;
        }
        role = Role.FOLLOWER;
        preCandidate = false;
        preVotesGranted.clear();
        transferTarget = null;
        readsAwaitingTermCommit.clear();
        confirmingReads.clear();
        readRoundNeeded = false;
        progress.clear();
        votesGranted.clear();
        if (previous != Role.FOLLOWER) {
            resetElectionTimer();
            out.roleChanged(previous, Role.FOLLOWER, currentTerm);
        }
    }

    private void followLeader(String leader) {
        preCandidate = false;
        if (leader.equals(leaderId)) {
            return;
        }
        leaderId = leader;
        out.leaderElected(leader, currentTerm);
        offerPendingRequests(false);
    }

    /**
     * Whether the leader may lack a pending append: it is not in this log, or only as an
     * uncommitted entry of an earlier term, which the current leader may never have seen.
     */
    private boolean mayBeMissingOnLeader(PendingAppend pending) {
        long index = log.indexOf(pending.entry.id());
        return index < 0 || (index > commitIndex && log.term(index) < currentTerm);
    }

    private void resetElectionTimer() {
        long spread = config.electionTimeoutMax() - config.electionTimeoutMin();
        electionDeadline = now + config.electionTimeoutMin() + (spread > 0 ? random.nextLong(spread + 1) : 0);
    }

    // ---------------------------------------------------------------- log replication (§5.3)

    private void onAppendEntries(String leader, AppendEntriesRequest request) {
        if (request.term() < currentTerm) {
            out.send(leader, AppendEntriesResponse.staleTerm(currentTerm));
            return;
        }
        if (role == Role.LEADER) {
            out.dropped(leader, "AppendEntries from a second leader in term " + currentTerm);
            return;
        }
        if (role == Role.CANDIDATE) {
            becomeFollower(currentTerm);
        }
        followLeader(leader);
        lastLeaderContact = now;
        resetElectionTimer();

        long prev = request.prevLogIndex();
        if (prev > log.lastIndex()) {
            out.send(leader, AppendEntriesResponse.mismatch(currentTerm, prev, -1, log.lastIndex() + 1,
                    request.round()));
            return;
        }
        if (log.term(prev) != request.prevLogTerm()) {
            long conflictTerm = log.term(prev);
            long conflictIndex = prev;
            while (conflictIndex - 1 > commitIndex && log.term(conflictIndex - 1) == conflictTerm) {
                conflictIndex--;
            }
            out.send(leader, AppendEntriesResponse.mismatch(currentTerm, prev, conflictTerm, conflictIndex,
                    request.round()));
            return;
        }
        long index = prev;
        for (LogEntry entry : request.entries()) {
            index++;
            if (index <= log.lastIndex()) {
                if (log.term(index) == entry.term()) {
                    continue;
                }
                if (index <= commitIndex) {
                    out.dropped(leader, "AppendEntries rewriting committed index " + index);
                    return;
                }
                log.truncateFrom(index);
            }
            log.append(entry);
        }
        long lastNew = prev + request.entries().size();
        long newCommit = Math.min(request.leaderCommit(), lastNew);
        if (newCommit > commitIndex) {
            commitIndex = newCommit;
            apply();
        }
        out.send(leader, AppendEntriesResponse.matched(currentTerm, lastNew, request.round()));
    }

    private void onAppendEntriesResponse(String follower, AppendEntriesResponse response) {
        if (role != Role.LEADER || response.term() != currentTerm) {
            return;
        }
        FollowerProgress peer = progress.computeIfAbsent(follower, f -> new FollowerProgress(log.lastIndex() + 1, now));
        peer.lastHeardAt = now;
        if (response.round() > peer.ackedRound) {
            peer.ackedRound = response.round();
            confirmReads();
        }
        if (response.success()) {
            if (response.matchIndex() > log.lastIndex()) {
                out.dropped(follower, "AppendEntries acknowledged beyond the leader's log");
                return;
            }
            if (peer.acknowledged(response.matchIndex(), now)) {
                maybeAdvanceCommit();
            }
            if (follower.equals(transferTarget)) {
                continueTransfer();
            }
            peer.due = true;
            return;
        }
        if (response.rejectedIndex() <= peer.matchIndex || response.conflictIndex() < 0) {
            return; // stale: the follower has since accepted more
        }
        if (peer.probing) {
            if (!peer.inflight.isEmpty() && response.rejectedIndex() != peer.nextIndex - 1) {
                return; // not the answer to the probe in flight
            }
        } else if (response.conflictTerm() < 0 && !peer.inflight.isEmpty()
                && response.conflictIndex() < peer.nextIndex) {
            return; // the follower is only behind what is already on its way to it
        }
        peer.probeFrom(nextIndexAfterMismatch(peer, response));
        sendEntries(follower, peer);
    }

    private long nextIndexAfterMismatch(FollowerProgress peer, AppendEntriesResponse response) {
        long next = response.conflictIndex();
        if (response.conflictTerm() >= 0) {
            long index = Math.min(response.rejectedIndex(), log.lastIndex());
            while (index >= 0 && log.term(index) > response.conflictTerm()) {
                index--;
            }
            if (index >= 0 && log.term(index) == response.conflictTerm()) {
                next = index + 1;
            }
        }
        return Math.max(peer.matchIndex + 1, Math.min(next, log.lastIndex() + 1));
    }

    /**
     * Sends the followers marked due what they lack. Followers replicating from one index all need
     * the same batches, so when every replicating follower is due and at the same index, each batch
     * is broadcast once: encoded once and published once rather than once per follower, so the
     * leader's work per entry does not grow with the cluster. While a follower that answers is
     * catching up (probing), every follower gets its own batches instead, so that follower is not
     * sent batches it cannot place; a silent one (crashed, cut off) does not hold the broadcast up,
     * and if a broadcast reaches it after all, its rejection is recognised as not the answer to its
     * probe.
     */
    private void replicateToDueFollowers() {
        FollowerProgress first = null;
        int inStep = 0;
        boolean allInStep = true;
        for (FollowerProgress peer : progress.values()) {
            if (!peer.probing) {
                first = first == null ? peer : first;
                allInStep &= peer.due && peer.nextIndex == first.nextIndex;
                inStep++;
            } else if (now - peer.lastHeardAt < config.electionTimeoutMin()) {
                allInStep = false; // a live follower catching up would decode every batch only to reject it
            }
        }
        if (allInStep && inStep > 1) {
            broadcastEntries(first.nextIndex);
        }
        progress.forEach((follower, peer) -> {
            if (peer.due) {
                peer.due = false;
                sendEntries(follower, peer);
            }
        });
    }

    /** Broadcasts batches from {@code nextIndex} while every replicating follower can take one. */
    private void broadcastEntries(long nextIndex) {
        while (nextIndex <= log.lastIndex() && replicatingFollowersCanSend()) {
            List<LogEntry> entries = log.slice(nextIndex, config.maxBatchEntries(), config.maxBatchBytes());
            long prev = nextIndex - 1;
            out.broadcast(new AppendEntriesRequest(currentTerm, prev, log.term(prev), entries, commitIndex, round));
            nextIndex += entries.size();
            for (FollowerProgress peer : progress.values()) {
                if (!peer.probing) {
                    peer.sent(nextIndex - 1, now);
                }
            }
        }
    }

    private boolean replicatingFollowersCanSend() {
        for (FollowerProgress peer : progress.values()) {
            if (!peer.probing && !peer.canSend(config.maxInflight())) {
                return false;
            }
        }
        return true;
    }

    /** Sends a follower what it lacks: one probe while probing, a pipeline of batches otherwise. */
    private void sendEntries(String follower, FollowerProgress peer) {
        while (peer.canSend(config.maxInflight())) {
            boolean hasEntries = peer.nextIndex <= log.lastIndex();
            if (!hasEntries && !peer.probing) {
                return;
            }
            List<LogEntry> entries = hasEntries
                    ? log.slice(peer.nextIndex, config.maxBatchEntries(), config.maxBatchBytes())
                    : List.of();
            long prev = peer.nextIndex - 1;
            out.send(follower, new AppendEntriesRequest(currentTerm, prev, log.term(prev), entries, commitIndex, round));
            peer.sent(prev + entries.size(), now);
        }
    }

    private void heartbeat() {
        nextHeartbeatAt = now + config.heartbeatInterval();
        broadcastHeartbeat();
        Iterator<FollowerProgress> peers = progress.values().iterator();
        while (peers.hasNext()) {
            FollowerProgress peer = peers.next();
            if (now - peer.lastHeardAt > PEER_SILENCE_LIMIT * config.electionTimeoutMax()) {
                peers.remove();
                continue;
            }
            if (!peer.inflight.isEmpty() && now - peer.lastProgressAt >= 2 * config.heartbeatInterval()) {
                peer.probeFrom(peer.matchIndex + 1); // what was in flight is lost
            }
            peer.due = true; // sent at the turn's end, where followers in step share one batch
        }
    }

    /**
     * One message for every follower: the commit index, anchored at the committed entry, which
     * every up-to-date follower holds. A follower that lacks it says so, and gets probed.
     */
    private void broadcastHeartbeat() {
        round++;
        out.broadcast(new AppendEntriesRequest(currentTerm, commitIndex, log.term(commitIndex), List.of(), commitIndex,
                round));
        commitToAnnounce = false;
        readRoundNeeded = false;
    }

    /** Commits the highest index a majority holds, if it is of this term (§5.3, §5.4.2). */
    private void maybeAdvanceCommit() {
        if (progress.size() + 1 < config.majority()) {
            return;
        }
        long[] matches = new long[progress.size() + 1];
        int i = 0;
        for (FollowerProgress peer : progress.values()) {
            matches[i++] = peer.matchIndex;
        }
        matches[i] = log.lastIndex();
        Arrays.sort(matches);
        long majorityMatch = matches[matches.length - config.majority()];
        if (majorityMatch > commitIndex && log.term(majorityMatch) == currentTerm) {
            commitIndex = majorityMatch;
            commitToAnnounce = true;
            apply();
            if (!termCommitted) {
                termCommitted = true;
                readsAwaitingTermCommit.forEach(this::fixReadIndex);
                readsAwaitingTermCommit.clear();
            }
        }
    }

    /** Hands newly committed entries over, once each and in order. */
    private void apply() {
        while (appliedIndex < commitIndex) {
            appliedIndex++;
            LogEntry entry = log.get(appliedIndex);
            if (entry.isNoop()) {
                continue;
            }
            out.committed(entry, appliedIndex);
            if (pendingAppends.remove(entry.id()) != null) {
                out.appendCommitted(entry.id());
            }
        }
        completeAppliedReads();
    }

    // ---------------------------------------------------------------- linearizable reads (§6.4)

    private void requestReadIndex(String requestId, PendingRead read) {
        if (read.known) {
            return;
        }
        if (role == Role.LEADER) {
            read.sentAt = now;
            onReadIndexRequest(config.id(), new ReadIndexRequest(requestId));
        } else if (leaderId != null) {
            read.sentAt = now;
            out.send(leaderId, new ReadIndexRequest(requestId));
        }
    }

    private void onReadIndexRequest(String origin, ReadIndexRequest request) {
        if (role != Role.LEADER) {
            return; // the reader resends to whoever leads
        }
        ReadConfirmation read = new ReadConfirmation(origin, request.requestId(), -1, -1);
        if (termCommitted) {
            fixReadIndex(read);
        } else {
            readsAwaitingTermCommit.add(read); // the commit index may still lag the last leader's
        }
    }

    /** The read index is the commit index now; it is given out after the next heartbeat round. */
    private void fixReadIndex(ReadConfirmation read) {
        confirmingReads.addLast(new ReadConfirmation(read.origin(), read.requestId(), commitIndex, round + 1));
        readRoundNeeded = true;
        confirmReads();
    }

    private void confirmReads() {
        while (!confirmingReads.isEmpty()) {
            ReadConfirmation read = confirmingReads.peekFirst();
            int confirmed = 1;
            for (FollowerProgress peer : progress.values()) {
                if (peer.ackedRound >= read.round()) {
                    confirmed++;
                }
            }
            if (confirmed < config.majority()) {
                return;
            }
            confirmingReads.pollFirst();
            ReadIndexResponse response = new ReadIndexResponse(read.requestId(), read.readIndex());
            if (read.origin().equals(config.id())) {
                onReadIndexResponse(response);
            } else {
                out.send(read.origin(), response);
            }
        }
    }

    private void onReadIndexResponse(ReadIndexResponse response) {
        PendingRead read = pendingReads.get(response.requestId());
        if (read != null && !read.known) {
            read.known = true;
            read.readIndex = response.readIndex();
            completeAppliedReads();
        }
    }

    private void completeAppliedReads() {
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

    private void appendLocal(LogEntry entry) {
        log.append(entry);
        entriesToSend = true;
        if (!entry.isNoop()) {
            out.appended(entry, log.lastIndex());
        }
    }

    // ---------------------------------------------------------------- client requests

    /**
     * Appends a client's entry unless the log holds it. Not while handing over: the log must not
     * grow past what the target holds, or the target's election fails for want of up-to-date
     * votes. A local append then waits in {@code pendingAppends}, for the new leader or for the
     * transfer to fail; a forwarded one is resent by its origin to whoever leads.
     */
    private void appendAsLeader(LogEntry entry) {
        if (transferTarget == null && log.indexOf(entry.id()) < 0) {
            appendLocal(entry.withTerm(currentTerm));
        }
    }

    private void onAppendForward(AppendForwardRequest request) {
        if (role != Role.LEADER) {
            return; // the sender resends to whoever leads
        }
        for (LogEntry entry : request.entries()) {
            appendAsLeader(entry);
        }
    }

    private void forward(PendingAppend pending) {
        forwardBatch.add(pending.entry);
        pending.forwardedAt = now;
    }

    private void sendRpc(PendingRpc rpc) {
        if (role == Role.LEADER) {
            rpc.sentAt = now;
            onRpcRequest(config.id(), rpc.request);
        } else if (leaderId != null) {
            rpc.sentAt = now;
            out.send(leaderId, rpc.request);
        }
    }

    private void onRpcRequest(String origin, RpcRequest request) {
        if (role != Role.LEADER) {
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

    private void completeRpc(RpcResponse response) {
        if (pendingRpcs.remove(response.requestId()) != null) {
            out.rpcCompleted(response.requestId(), response.result(), response.error());
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

    private void expireRequests() {
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

    /** Resends what a lost message may have left unanswered; the leader deduplicates. */
    private void resendRequests() {
        peersLastHeard.values().removeIf(heardAt -> now - heardAt > PEER_SILENCE_LIMIT * config.electionTimeoutMax());
        offerPendingRequests(true);
    }

    /**
     * Offers the requests made on this node to whoever leads: appends the leader may lack, RPCs
     * and reads not yet answered. All of them when leadership changed; with {@code stalledOnly},
     * only those offered longer than a retry interval ago, whose message may have been lost.
     */
    private void offerPendingRequests(boolean stalledOnly) {
        long offeredBefore = stalledOnly ? now - config.electionTimeoutMin() : Long.MAX_VALUE;
        if (role != Role.LEADER && leaderId != null) {
            for (PendingAppend pending : pendingAppends.values()) {
                if (pending.forwardedAt <= offeredBefore && mayBeMissingOnLeader(pending)) {
                    forward(pending);
                }
            }
        }
        for (PendingRpc rpc : pendingRpcs.values()) {
            if (rpc.sentAt <= offeredBefore) {
                sendRpc(rpc);
            }
        }
        pendingReads.forEach((requestId, read) -> {
            if (read.sentAt <= offeredBefore) {
                requestReadIndex(requestId, read);
            }
        });
    }

    /** A leader appends the appends made on it that its log lacks (after an election or a failed transfer). */
    private void appendPendingAsLeader() {
        for (PendingAppend pending : pendingAppends.values()) {
            appendAsLeader(pending.entry);
        }
    }
}
