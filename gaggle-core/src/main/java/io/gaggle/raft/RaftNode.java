package io.gaggle.raft;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.gaggle.LogEntry;
import io.gaggle.PeerStatus;
import io.gaggle.Role;
import tools.jackson.databind.JsonNode;

/**
 * One Raft server as a deterministic state machine, in the shape of etcd-io/raft: it takes
 * received messages, clock ticks and local requests, and answers through {@link RaftOutput}. It
 * owns no thread, reads no clock (every input carries {@code now}) and draws randomness only
 * from the {@link Random} it is given, so a seeded simulation replays any run exactly.
 * <p>
 * It holds the rules of the Raft paper and thesis: elections (with pre-vote), log replication and
 * leadership handover. What a majority of the cluster agrees on is answered by a
 * {@link FollowerTracker}, reads a leader serves by {@link ReadIndex}, and the requests of this
 * node's callers, which are not Raft, by {@link ClientRequests}.
 * <p>
 * Not thread-safe: one thread at a time drives it. Cluster membership is discovered, as in the
 * original: a node knows only the cluster size and learns its peers from the messages it hears.
 */
public final class RaftNode {

    /**
     * How far one message may raise a node's term: 2^32, more elections than a cluster holds in
     * decades, and a small part of the 2^53 the codec accepts. A higher term is refused as
     * malformed, so no single message, forged or not, takes a cluster near the limit, past which
     * it could elect no leader.
     */
    public static final long MAX_TERM_JUMP = 1L << 32;

    /**
     * How many thresholds' worth of entries a leader sending a snapshot lets its log grow before it
     * takes a new snapshot anyway, which restarts the transfer: the log stays bounded even if a
     * follower's transfer never completes.
     */
    static final int SNAPSHOT_DEFERRAL = 4;

    private final RaftConfig config;
    private final RaftLog log;
    /** Null for a node without snapshots. */
    private final SnapshotStore snapshots;
    private final RaftOutput out;
    private final Random random;
    private final FollowerTracker followers;
    private final ReadIndex readIndex = new ReadIndex();
    private final ClientRequests requests;
    private final RecentEntryIds ids;

    private Role role = Role.FOLLOWER;
    private long currentTerm;
    private String votedFor;
    private String leaderId;
    private long commitIndex = -1;
    private long appliedIndex = -1;
    /**
     * The last index the runtime reported on disk ({@link #logSynced}). A leader counts its own
     * copy of an entry towards a majority only up to here (thesis §10.2.1: it may send entries
     * while it writes them, but must not commit on a copy it could lose).
     */
    private long durableIndex;

    private long now;
    private long electionDeadline;
    private long nextHeartbeatAt;
    private long nextRetryAt;
    private long lastLeaderContact = Long.MIN_VALUE;
    private long elections;
    private long preVotes;
    private long stepDowns;
    /** A new leader is given one election timeout to hear its followers before check-quorum applies. */
    private long quorumCheckedFrom;
    /** Asking for pre-votes: still a follower in the same term, but gathering support (§9.6). */
    private boolean preCandidate;
    private final Set<String> votesGranted = new LinkedHashSet<>();
    /** Pre-votes, kept apart from real votes: a late real vote for an abandoned term must not count. */
    private final Set<String> preVotesGranted = new LinkedHashSet<>();
    /** The follower this leader hands leadership to, or null (thesis §3.10). */
    private String transferTarget;
    private long transferDeadline;
    private boolean timeoutNowSent;
    /** The node the leader of {@link #handoverTerm} announced it hands leadership to, or null. */
    private String handoverTarget;
    private long handoverTerm;
    /** Set by {@link #leave}: the node is closing and must not become leader again. */
    private boolean leaving;
    /** Heartbeat round, counted per broadcast heartbeat; followers echo it (thesis §6.4). */
    private long round;
    private boolean entriesToSend;
    private boolean commitToAnnounce;
    /** The index of the latest snapshot or of the last one asked for: the next is due a threshold after it. */
    private long snapshotBase = -1;
    /** Whether a snapshot asked for by {@link RaftOutput#snapshotDue} is being taken. */
    private boolean snapshotAsked;

    /** A new node without snapshots: its log keeps every entry. */
    public RaftNode(RaftConfig config, RaftLog log, RaftOutput out, Random random) {
        this(config, log, null, out, random, 0, null);
    }

    /**
     * A node restarting with the term, vote and log it persisted (Raft paper, Figure 2: the
     * persistent state); volatile state starts afresh. Without snapshots: its log keeps every entry.
     */
    public RaftNode(RaftConfig config, RaftLog log, RaftOutput out, Random random, long term, String votedFor) {
        this(config, log, null, out, random, term, votedFor);
    }

    /**
     * A node restarting with the term, vote, log and snapshots it persisted. With a latest snapshot
     * at index s, its commit and applied indexes start at s: the runtime restores that snapshot
     * before it delivers anything, and delivery goes on after s. A log that does not continue the
     * snapshot (a crash between installing one and resetting the log) is reset to continue it.
     *
     * @param snapshots where snapshots are kept, or null for a node that neither takes nor installs them
     */
    public RaftNode(RaftConfig config, RaftLog log, SnapshotStore snapshots, RaftOutput out, Random random,
            long term, String votedFor) {
        this.config = config;
        this.log = log;
        this.snapshots = snapshots;
        this.out = out;
        this.random = random;
        this.followers = new FollowerTracker(config);
        this.ids = new RecentEntryIds(log);
        this.requests = new ClientRequests(config, log, ids, out, this);
        this.currentTerm = term;
        this.votedFor = votedFor;
        SnapshotMeta latest = latestSnapshot();
        if (latest != null) {
            restartFrom(latest);
        }
        this.durableIndex = log.lastIndex();
    }

    /**
     * Continues after the latest snapshot: what it holds was committed and is restored by the
     * runtime. A log that does not continue it is reset to: a crash came between installing a
     * snapshot and resetting the log, or (which compaction rules out) the log starts after it.
     */
    private void restartFrom(SnapshotMeta snapshot) {
        long index = snapshot.index();
        boolean continues = index >= log.firstIndex() - 1 && index <= log.lastIndex()
                && log.term(index) == snapshot.term();
        if (!continues) {
            log.resetTo(index, snapshot.term());
        }
        commitIndex = index;
        appliedIndex = index;
        snapshotBase = index;
        ids.continueAfter(index, snapshot.recentEntryIds());
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
            if (role == Role.LEADER && now >= quorumCheckedFrom) {
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
        requests.expire(now);
        if (now >= nextRetryAt) {
            nextRetryAt = now + config.electionTimeoutMin();
            followers.forgetSilentPeers(now);
            requests.resendStalled(now);
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
        if (from.equals(config.id()) || disruptsHealthyLeader(from, message)) {
            return;
        }
        if (!followers.admits(from, now)) {
            out.dropped(from, "a message from a new peer while this node already knows " + config.maxPeers());
            return;
        }
        if (message instanceof TermMessage termMessage && termMessage.term() > currentTerm) {
            if (termMessage.term() - currentTerm > MAX_TERM_JUMP) {
                out.dropped(from, "term " + termMessage.term() + " jumps more than 2^32 past " + currentTerm);
                return;
            }
            if (!isPreVote(termMessage)) {
                becomeFollower(termMessage.term());
            }
        }
        followers.heard(from, now);
        if (message instanceof AppendEntriesRequest request) {
            onAppendEntries(from, request);
        } else if (message instanceof AppendEntriesResponse response) {
            onAppendEntriesResponse(from, response);
        } else if (message instanceof RequestVoteRequest request) {
            onRequestVote(from, request);
        } else if (message instanceof RequestVoteResponse response) {
            onRequestVoteResponse(from, response);
        } else if (message instanceof InstallSnapshotRequest request) {
            onInstallSnapshot(from, request);
        } else if (message instanceof InstallSnapshotResponse response) {
            onInstallSnapshotResponse(from, response);
        } else if (message instanceof AppendForwardRequest request) {
            onAppendForward(from, request);
        } else if (message instanceof TimeoutNowRequest request) {
            onTimeoutNow(from, request);
        } else if (message instanceof ReadIndexRequest request) {
            serveReadIndex(from, request.requestId());
        } else if (message instanceof ReadIndexResponse response) {
            requests.onReadIndexResponse(response);
        } else if (message instanceof RpcRequest request) {
            requests.onRpcRequest(from, request);
        } else if (message instanceof RpcResponse response) {
            requests.onRpcResponse(response);
        }
    }

    /** Pre-vote requests, and pre-votes granted, speak of a term nobody is in yet. */
    private static boolean isPreVote(TermMessage message) {
        return (message instanceof RequestVoteRequest request && request.preVote())
                || (message instanceof RequestVoteResponse response && response.preVote() && response.granted());
    }

    /**
     * Whether this node leads, or heard its leader within the minimum election timeout: then it
     * believes in a healthy leader (Raft thesis §4.2.3).
     */
    private boolean hearsLeader() {
        return role == Role.LEADER
                || (leaderId != null && now - lastLeaderContact < config.electionTimeoutMin());
    }

    /**
     * Whether {@code message} would end the term of a leader this node believes healthy, and is
     * ignored (Raft thesis §4.2.3): a vote request, unless that leader handed leadership to the
     * candidate; on a follower, a higher term from anyone but its leader or the node its leader
     * hands over to; on a leader, a higher term from a node it does not know as a follower. A
     * stray or forged message then cannot depose a healthy leader. A leader really elected
     * meanwhile is heard once the old one falls silent or steps down for want of a quorum, within
     * an election timeout or two: ignoring a message costs time, never safety.
     */
    private boolean disruptsHealthyLeader(String from, RaftMessage message) {
        if (!hearsLeader()) {
            return false;
        }
        if (message instanceof RequestVoteRequest request) {
            return !(request.transfer() && !request.preVote() && handedOverTo(from, request.term()));
        }
        if (!(message instanceof TermMessage termMessage) || termMessage.term() <= currentTerm
                || isPreVote(termMessage)) {
            return false;
        }
        return role == Role.LEADER
                ? followers.get(from) == null
                : !from.equals(leaderId) && !handedOverTo(from, termMessage.term());
    }

    /**
     * Whether the leader of the current term, this node or the one it follows, hands leadership to
     * {@code candidate}, who stands in {@code term}: the {@code transfer} flag of a vote request
     * is a claim, and this is what makes it true.
     */
    private boolean handedOverTo(String candidate, long term) {
        String target = role == Role.LEADER ? transferTarget : handoverTerm == currentTerm ? handoverTarget : null;
        return candidate.equals(target) && term == currentTerm + 1;
    }

    /**
     * Appends {@code entry} (its term is ignored) on behalf of this node's caller, and reports
     * {@link RaftOutput#appendCommitted} once it is committed here, or
     * {@link RaftOutput#appendTimedOut} at {@code deadline}. A follower passes it to the leader
     * and resends until it sees it in its own log.
     */
    public void propose(LogEntry entry, long deadline, long now) {
        this.now = now;
        requests.propose(entry, deadline, now);
    }

    /**
     * Asks the leader to run the named RPC handler; reports {@link RaftOutput#rpcCompleted} or,
     * at {@code deadline}, {@link RaftOutput#rpcTimedOut}. Without a leader it waits for one.
     */
    public void dispatch(String requestId, String name, List<JsonNode> args, long deadline, long now) {
        this.now = now;
        requests.dispatch(requestId, name, args, deadline, now);
    }

    /**
     * A linearizable read barrier (ReadIndex, Raft thesis §6.4): reports
     * {@link RaftOutput#readCompleted} once this node has applied every entry committed before the
     * call, so reading the application's state then sees every write acknowledged before it; or
     * {@link RaftOutput#readTimedOut} at {@code deadline}. Works on followers by asking the leader.
     */
    public void readBarrier(String requestId, long deadline, long now) {
        this.now = now;
        requests.readBarrier(requestId, deadline, now);
    }

    /** The RPC handler run for {@link RaftOutput#invokeRpc} returned; answers its caller. */
    public void rpcCompleted(String origin, String requestId, JsonNode result, String error, long now) {
        this.now = now;
        requests.rpcCompleted(origin, requestId, result, error);
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
        String chosen = target != null ? target : followers.mostUpToDate(now);
        if (chosen == null || chosen.equals(config.id()) || followers.get(chosen) == null) {
            return null;
        }
        transferTarget = chosen;
        transferDeadline = now + config.electionTimeoutMax();
        timeoutNowSent = false;
        continueTransfer();
        return chosen;
    }

    /**
     * A peer restarted with its memory wiped (a new incarnation): what the leader knew of its
     * log no longer holds.
     */
    public void peerRestarted(String peer, long now) {
        this.now = now;
        if (role == Role.LEADER) {
            followers.restarted(peer, log.lastIndex() + 1, now);
        }
    }

    /**
     * The log up to {@code index} is on disk: a leader may now count its own copy of those entries
     * towards a majority, at the next {@link #flush}. A runtime whose log is not durable calls it
     * every turn with the last index, as a node that only promises to keep what it holds in memory.
     */
    public void logSynced(long index) {
        durableIndex = Math.min(index, log.lastIndex());
    }

    /**
     * The snapshot asked for by {@link RaftOutput#snapshotDue} is durable in the store: the log
     * is compacted up to {@link RaftConfig#snapshotTrailingEntries()} before {@code meta.index()}
     * (Raft paper, §7). {@code meta} is what {@link SnapshotWriter#publish} returned, possibly a
     * later snapshot received meanwhile.
     */
    public void snapshotTaken(SnapshotMeta meta, long now) {
        this.now = now;
        snapshotAsked = false;
        snapshotBase = Math.max(snapshotBase, meta.index());
        // Never an entry not yet delivered (a node whose storage lost entries delivers past its commit index).
        long compactTo = Math.min(meta.index() - config.snapshotTrailingEntries(), deliveredCommitted());
        if (compactTo > log.firstIndex() - 1) {
            ids.compacting(compactTo);
            log.compactTo(compactTo);
        }
    }

    /**
     * The snapshot asked for at {@code index} could not be taken; another is asked for once
     * {@link RaftConfig#snapshotThreshold()} more entries are applied.
     */
    public void snapshotFailed(long index, long now) {
        this.now = now;
        snapshotAsked = false;
    }

    /** Whether the log holds entries not yet reported on disk by {@link #logSynced}. */
    public boolean awaitsSync() {
        return durableIndex < log.lastIndex();
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
            if (readIndex.roundNeeded()) {
                broadcastHeartbeat();
            }
            if (config.accelerateHeartbeats() && entriesToSend) {
                followers.all().forEach(follower -> follower.due = true);
            }
            replicateToDueFollowers();
            if (config.accelerateHeartbeats() && commitToAnnounce) {
                broadcastHeartbeat();
            }
            entriesToSend = false;
            commitToAnnounce = false;
        }
        requests.flushForwards();
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

    /** The last index handed to {@link RaftOutput#committed}, no-ops included. */
    long appliedIndex() {
        return appliedIndex;
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    /** The first index the log holds; entries before it are in the latest snapshot. */
    public long firstIndex() {
        return log.firstIndex();
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

    /** The store's latest snapshot, or null: none taken or received, or no store. */
    private SnapshotMeta latestSnapshot() {
        return snapshots == null ? null : snapshots.latest();
    }

    /**
     * The last index both committed and delivered: a node whose storage lost entries may have
     * delivered past its commit index, and one that just learned a commit has not delivered it yet.
     */
    long deliveredCommitted() {
        return Math.min(appliedIndex, commitIndex);
    }

    /** The index of the latest snapshot, -1 if none. */
    public long snapshotIndex() {
        SnapshotMeta latest = latestSnapshot();
        return latest == null ? -1 : latest.index();
    }

    /**
     * A copy of the log's entries, from {@link #firstIndex()}: those before it are in the latest
     * snapshot.
     */
    public List<LogEntry> logEntries() {
        return log.slice(log.firstIndex(), Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** The peers this node hears and, while it leads, each follower's progress, as of {@code now}. */
    public List<PeerStatus> peers(long now) {
        return followers.peers(now);
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
        discardReceivedSnapshot();
        leaderId = null;
        followers.stopLeading();
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
        quorumCheckedFrom = now + config.electionTimeoutMax();
        transferTarget = null;
        readIndex.startLeading(log.lastIndex() == commitIndex);
        followers.startLeading(log.lastIndex() + 1, now);
        out.roleChanged(Role.CANDIDATE, Role.LEADER, currentTerm);
        out.leaderElected(config.id(), currentTerm);
        if (log.lastIndex() > commitIndex) {
            // Entries of earlier terms commit only with one of this term (§5.4.2, §8).
            appendLocal(LogEntry.noop(currentTerm));
        }
        requests.appendPendingAsLeader();
        requests.leaderChanged(now);
        heartbeat();
    }

    private void becomeFollower(long term) {
        Role previous = role;
        if (term > currentTerm) {
            currentTerm = term;
            votedFor = null;
            leaderId = null;
            discardReceivedSnapshot();
        }
        role = Role.FOLLOWER;
        preCandidate = false;
        preVotesGranted.clear();
        transferTarget = null;
        readIndex.stopLeading();
        followers.stopLeading();
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
        requests.leaderChanged(now);
    }

    private void resetElectionTimer() {
        long spread = config.electionTimeoutMax() - config.electionTimeoutMin();
        electionDeadline = now + config.electionTimeoutMin() + (spread > 0 ? random.nextLong(spread + 1) : 0);
    }

    /**
     * A leader that has not heard from a majority within the last maximum election timeout steps
     * down, so an isolated leader stops claiming leadership (check-quorum, as etcd-io/raft). It is
     * checked on every tick rather than once per timeout as etcd does, so the leader steps down
     * one timeout after it last heard a majority, not up to two, and a late tick on a busy
     * machine does not push the next check further out.
     */
    private void checkQuorum() {
        if (!followers.majorityHeardSince(now - config.electionTimeoutMax(), now)) {
            stepDowns++;
            becomeFollower(currentTerm);
            leaderId = null;
        }
    }

    // ---------------------------------------------------------------- leadership transfer (thesis §3.10)

    private void continueTransfer() {
        FollowerProgress target = followers.get(transferTarget);
        if (target == null) {
            abortTransfer("transfer target " + transferTarget + " is gone");
        } else if (target.matchIndex == log.lastIndex()) {
            if (!timeoutNowSent) {
                // Broadcast, so that voters who still hear this leader know the target's election is real.
                out.broadcast(new TimeoutNowRequest(currentTerm, transferTarget));
                timeoutNowSent = true;
            }
        } else {
            sendEntries(transferTarget, target);
        }
    }

    private void abortTransfer(String reason) {
        transferTarget = null;
        out.transferFailed(reason);
        requests.appendPendingAsLeader();
    }

    private void onTimeoutNow(String from, TimeoutNowRequest request) {
        if (request.term() != currentTerm || !from.equals(leaderId) || role != Role.FOLLOWER) {
            return;
        }
        handoverTarget = request.target();
        handoverTerm = request.term();
        if (request.target().equals(config.id()) && !leaving) {
            campaign(true);
        }
    }

    // ---------------------------------------------------------------- log replication (§5.3)

    private void onAppendEntries(String leader, AppendEntriesRequest request) {
        if (request.term() < currentTerm) {
            out.send(leader, AppendEntriesResponse.staleTerm(currentTerm));
            return;
        }
        if (!heardFromLeader(leader, "AppendEntries")) {
            return;
        }

        long prev = request.prevLogIndex();
        List<LogEntry> entries = request.entries();
        if (prev < log.firstIndex() - 1) {
            // Compacted here, so the consistency check cannot be made; but the entries up to the
            // commit index are committed and match the leader's (§5.4): it goes on after them.
            int known = (int) Math.min(entries.size(), commitIndex - prev);
            prev += known;
            entries = entries.subList(known, entries.size());
        } else if (prev > log.lastIndex()) {
            out.send(leader, AppendEntriesResponse.mismatch(currentTerm, prev, -1, log.lastIndex() + 1,
                    request.round()));
            return;
        } else if (log.term(prev) != request.prevLogTerm()) {
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
        for (LogEntry entry : entries) {
            index++;
            if (index <= log.lastIndex()) {
                if (log.term(index) == entry.term()) {
                    continue;
                }
                if (index <= commitIndex) {
                    committedEntryLost(leader, index, entry);
                }
                log.truncateFrom(index);
                durableIndex = Math.min(durableIndex, index - 1);
            }
            log.append(entry);
        }
        long lastNew = prev + entries.size();
        long newCommit = Math.min(request.leaderCommit(), lastNew);
        if (newCommit > commitIndex) {
            commitIndex = newCommit;
            apply();
        }
        out.send(leader, AppendEntriesResponse.matched(currentTerm, lastNew, request.round()));
    }

    /**
     * A message of the current term from {@code leader}, which only the term's one leader sends
     * (§5.2): this node follows it and resets its election timer. From a second leader of the
     * term, which no correct cluster has, the {@code kind} of message is dropped: returns false.
     */
    private boolean heardFromLeader(String leader, String kind) {
        if (role == Role.LEADER || (leaderId != null && !leader.equals(leaderId))) {
            out.dropped(leader, kind + " from a second leader in term " + currentTerm);
            return false;
        }
        if (role == Role.CANDIDATE) {
            becomeFollower(currentTerm);
        }
        followLeader(leader);
        lastLeaderContact = now;
        resetElectionTimer();
        return true;
    }

    /**
     * The leader's log differs from this node's at an index this node saw committed: the cluster
     * lost an entry it had committed, which Raft rules out as long as every node keeps its log
     * and vote across restarts. Only a node whose storage lost them (in memory, or a disk that
     * lied) gets here. Refusing the leader would leave this node stuck for good, so it follows
     * the cluster's log, and reports that what it delivered no longer matches the cluster's.
     * Entries it already delivered are not delivered again: delivery goes on past them.
     */
    private void committedEntryLost(String leader, long index, LogEntry leaderEntry) {
        LogEntry lost = log.get(index);
        out.committedEntryLost(index, "entry " + index + " (id " + lost.id() + ", term " + lost.term()
                + ") was committed, but leader " + leader + " of term " + currentTerm + " holds entry "
                + leaderEntry.id() + " of term " + leaderEntry.term() + " there");
        commitIndex = index - 1;
    }

    private void onAppendEntriesResponse(String from, AppendEntriesResponse response) {
        FollowerProgress follower = heardFromFollower(from, response);
        if (follower == null) {
            return;
        }
        if (response.round() > follower.ackedRound) {
            follower.ackedRound = response.round();
            confirmReads();
        }
        if (response.success()) {
            if (response.matchIndex() > log.lastIndex()) {
                out.dropped(from, "AppendEntries acknowledged beyond the leader's log");
                return;
            }
            acknowledge(from, follower, response.matchIndex());
            return;
        }
        if (follower.snapshot != null) {
            return; // it lacks what the snapshot brings: a mismatch says nothing new
        }
        if (response.rejectedIndex() <= follower.matchIndex || response.conflictIndex() < 0) {
            return; // stale: the follower has since accepted more
        }
        if (follower.probing) {
            if (!follower.inflight.isEmpty() && response.rejectedIndex() != follower.nextIndex - 1) {
                return; // not the answer to the probe in flight
            }
        } else if (response.conflictTerm() < 0 && !follower.inflight.isEmpty()
                && response.conflictIndex() < follower.nextIndex) {
            return; // the follower is only behind what is already on its way to it
        }
        follower.probeFrom(nextIndexAfterMismatch(follower, response));
        sendEntries(from, follower);
    }

    /**
     * A follower answered this leader in its term: its progress, tracked from the leader's next
     * index if it is new, and heard now; null for an answer to another term or a former role.
     */
    private FollowerProgress heardFromFollower(String from, TermMessage answer) {
        if (role != Role.LEADER || answer.term() != currentTerm) {
            return null;
        }
        FollowerProgress follower = followers.track(from, log.lastIndex() + 1, now);
        follower.lastHeardAt = now;
        return follower;
    }

    /**
     * The follower's log holds the leader's up to {@code index}: it may commit more; entries, not
     * a snapshot, follow once it reaches where the leader's log starts.
     */
    private void acknowledge(String from, FollowerProgress follower, long index) {
        if (follower.acknowledged(index, now)) {
            maybeAdvanceCommit();
        }
        if (follower.snapshot != null && follower.matchIndex >= log.firstIndex() - 1) {
            follower.endSnapshot();
        }
        if (from.equals(transferTarget)) {
            continueTransfer();
        }
        follower.due = true;
    }

    /** Where to probe next; below the log's first index (term unknown) the follower gets the snapshot. */
    private long nextIndexAfterMismatch(FollowerProgress follower, AppendEntriesResponse response) {
        long next = response.conflictIndex();
        if (response.conflictTerm() >= 0) {
            long floor = Math.max(0, log.firstIndex() - 1);
            long index = Math.min(response.rejectedIndex(), log.lastIndex());
            while (index >= floor && log.term(index) > response.conflictTerm()) {
                index--;
            }
            if (index >= floor && log.term(index) == response.conflictTerm()) {
                next = index + 1;
            }
        }
        return Math.max(follower.matchIndex + 1, Math.min(next, log.lastIndex() + 1));
    }

    /**
     * Sends the followers marked due what they lack. Followers replicating from one index all need
     * the same batches, so when they are in step each batch is broadcast once: encoded once and
     * published once rather than once per follower, so the leader's work per entry does not grow
     * with the cluster (see {@link FollowerTracker#commonNextIndex}). If a broadcast reaches a
     * follower that is probing after all, its rejection is recognised as not the answer to its probe.
     */
    private void replicateToDueFollowers() {
        long nextIndex = followers.commonNextIndex(now);
        if (nextIndex >= log.firstIndex()) {
            broadcastEntries(nextIndex);
        }
        followers.forEach((id, follower) -> {
            if (follower.due) {
                follower.due = false;
                sendEntries(id, follower);
            }
        });
    }

    /** Broadcasts batches from {@code nextIndex} while every replicating follower can take one. */
    private void broadcastEntries(long nextIndex) {
        while (nextIndex <= log.lastIndex() && followers.replicatingCanSend()) {
            List<LogEntry> entries = log.slice(nextIndex, config.maxBatchEntries(), config.maxBatchBytes());
            long prev = nextIndex - 1;
            out.broadcast(new AppendEntriesRequest(currentTerm, prev, log.term(prev), entries, commitIndex, round));
            nextIndex += entries.size();
            followers.sentToReplicating(nextIndex - 1, now);
        }
    }

    /**
     * Sends a follower what it lacks: one probe while probing, a pipeline of batches otherwise; the
     * snapshot if the log no longer holds the entry before its next index (Raft paper §7).
     */
    private void sendEntries(String id, FollowerProgress follower) {
        if (follower.snapshot != null || follower.nextIndex < log.firstIndex()) {
            sendSnapshot(id, follower);
            return;
        }
        while (follower.canSend(config.maxInflight())) {
            boolean hasEntries = follower.nextIndex <= log.lastIndex();
            if (!hasEntries && !follower.probing) {
                return;
            }
            List<LogEntry> entries = hasEntries
                    ? log.slice(follower.nextIndex, config.maxBatchEntries(), config.maxBatchBytes())
                    : List.of();
            long prev = follower.nextIndex - 1;
            out.send(id, new AppendEntriesRequest(currentTerm, prev, log.term(prev), entries, commitIndex, round));
            follower.sent(prev + entries.size(), now);
        }
    }

    private void heartbeat() {
        nextHeartbeatAt = now + config.heartbeatInterval();
        broadcastHeartbeat();
        followers.dropSilentFollowers(now);
        for (FollowerProgress follower : followers.all()) {
            follower.expireInflight(now, 2 * config.heartbeatInterval(), config.electionTimeoutMax());
            follower.due = true; // sent at the turn's end, where followers in step share one batch
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
        readIndex.roundSent();
    }

    /** Commits the highest index a majority holds, if it is of this term (§5.3, §5.4.2). */
    private void maybeAdvanceCommit() {
        long majorityMatch = followers.majorityMatchIndex(Math.min(durableIndex, log.lastIndex()));
        if (majorityMatch > commitIndex && log.term(majorityMatch) == currentTerm) {
            commitIndex = majorityMatch;
            commitToAnnounce = true;
            apply();
            readIndex.termEntryCommitted(commitIndex, round);
            confirmReads();
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
            requests.applied(entry);
        }
        askForSnapshotIfDue();
        requests.appliedUpTo(appliedIndex);
    }

    /**
     * Asks for a snapshot once {@link RaftConfig#snapshotThreshold()} entries were applied since the
     * last, one at a time, after the entries applied up to it were handed over (Raft paper §7).
     */
    private void askForSnapshotIfDue() {
        if (snapshots != null && config.snapshotThreshold() > 0 && !snapshotAsked
                && appliedIndex - snapshotBase >= config.snapshotThreshold() && !deferSnapshot()) {
            snapshotAsked = true;
            snapshotBase = appliedIndex;
            out.snapshotDue(appliedIndex, log.term(appliedIndex), ids.upTo(appliedIndex));
        }
    }

    /**
     * A leader sending its snapshot takes no new one meanwhile, up to {@link #SNAPSHOT_DEFERRAL}
     * thresholds: a new one would replace the one being sent, and the transfer would start again
     * from nothing, for ever if a transfer takes longer than a threshold's worth of appends.
     */
    private boolean deferSnapshot() {
        return role == Role.LEADER && appliedIndex - snapshotBase < SNAPSHOT_DEFERRAL * config.snapshotThreshold()
                && followers.sendingSnapshot();
    }

    private void appendLocal(LogEntry entry) {
        log.append(entry);
        entriesToSend = true;
        if (!entry.isNoop()) {
            out.appended(entry, log.lastIndex());
        }
    }

    /**
     * Appends a client's entry unless the log holds it. Not while handing over: the log must not
     * grow past what the target holds, or the target's election fails for want of up-to-date
     * votes. A local append then waits in {@link ClientRequests}, for the new leader or for the
     * transfer to fail; a forwarded one is resent by its origin to whoever leads.
     */
    void appendAsLeader(LogEntry entry) {
        if (transferTarget == null && ids.indexOf(entry.id()) < 0) {
            appendLocal(entry.withTerm(currentTerm));
        }
    }

    /**
     * Appends a follower's entries, up to {@link RaftConfig#maxUncommittedEntries()} uncommitted
     * ones in the log: beyond it the rest are refused, and their origin resends them once they
     * have waited a retry interval, so followers cannot grow the leader's log faster than it commits.
     * A batch that may hold entries older than the ids this leader knows is refused whole: it could
     * not tell a resend of a committed entry from a new one.
     */
    private void onAppendForward(String from, AppendForwardRequest request) {
        if (role != Role.LEADER) {
            return; // the sender resends to whoever leads
        }
        List<LogEntry> entries = request.entries();
        if (!ids.knowsIdsAfter(request.absentThrough())) {
            out.dropped(from, entries.size() + " forwarded entries said absent only through index "
                    + request.absentThrough() + ", while this leader knows entry ids from index " + ids.knowsIdsFrom()
                    + " on: a resend could not be told from a new append");
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (log.lastIndex() - commitIndex >= config.maxUncommittedEntries()) {
                out.dropped(from, (entries.size() - i) + " forwarded entries while the log holds "
                        + config.maxUncommittedEntries() + " uncommitted ones");
                return;
            }
            appendAsLeader(entries.get(i));
        }
    }

    // ---------------------------------------------------------------- InstallSnapshot (§7)

    /**
     * Sends a follower the leader's latest snapshot, a few chunks at a time; from the start if it
     * is not the one being sent (a newer one was taken meanwhile).
     */
    private void sendSnapshot(String id, FollowerProgress follower) {
        SnapshotMeta latest = latestSnapshot();
        if (latest == null) {
            return; // the log is compacted only behind a snapshot: never the case
        }
        SnapshotTransfer transfer = follower.snapshot;
        if (transfer == null || transfer.index != latest.index() || transfer.term != latest.term()) {
            transfer = follower.sendSnapshot(latest.index(), latest.term());
        }
        while (transfer.canSend()) {
            long offset = transfer.nextOffset();
            byte[] chunk = snapshots.readChunk(offset, config.snapshotChunkBytes());
            boolean done = chunk.length < config.snapshotChunkBytes(); // a short or empty chunk ends it
            out.send(id, new InstallSnapshotRequest(currentTerm, transfer.index, transfer.term, offset, chunk, done));
            transfer.sent(chunk.length, done, now);
        }
    }

    private void onInstallSnapshotResponse(String from, InstallSnapshotResponse response) {
        FollowerProgress follower = heardFromFollower(from, response);
        if (follower == null) {
            return;
        }
        if (response.installed()) {
            if (response.index() > log.lastIndex()) {
                out.dropped(from, "a snapshot installed beyond the leader's log");
                return;
            }
            acknowledge(from, follower, response.index());
        } else if (follower.snapshot != null && follower.snapshot.index == response.index()) {
            follower.snapshot.answered(response.nextOffset(), now);
            follower.due = true;
        }
    }

    /**
     * A chunk of the leader's snapshot, under the term rules of AppendEntries. It is stored as it
     * comes, never assembled on the heap, and installed with the last chunk.
     */
    private void onInstallSnapshot(String leader, InstallSnapshotRequest request) {
        if (request.term() < currentTerm) {
            out.send(leader, new InstallSnapshotResponse(currentTerm, request.index(), 0, false));
            return;
        }
        if (snapshots == null || request.snapshotTerm() < 0 || request.snapshotTerm() > request.term()) {
            out.dropped(leader, snapshots == null ? "InstallSnapshot, but this node keeps no snapshots"
                    : "InstallSnapshot of a snapshot of term " + request.snapshotTerm() + " from term "
                            + request.term());
            return;
        }
        if (!heardFromLeader(leader, "InstallSnapshot")) {
            return;
        }

        long index = request.index();
        if (index <= commitIndex) {
            // It holds nothing new: this node's committed prefix already matches the leader's.
            out.send(leader, new InstallSnapshotResponse(currentTerm, index, 0, true));
            return;
        }
        long term = request.snapshotTerm();
        if (snapshots.receiveChunk(index, term, request.offset(), request.data()) && request.done()) {
            SnapshotMeta received = snapshots.completeReceived();
            if (received == null) {
                out.send(leader, new InstallSnapshotResponse(currentTerm, index, 0, false)); // damaged: again
                return;
            }
            install(received);
            out.send(leader, new InstallSnapshotResponse(currentTerm, index, 0, true));
            return;
        }
        out.send(leader, new InstallSnapshotResponse(currentTerm, index, snapshots.receivedBytes(index, term), false));
    }

    /**
     * Makes the snapshot in the store, of entries this node has not all committed, its state: the
     * log keeps the entries after it if it holds its last entry, else starts after it (§7); the
     * runtime restores it before delivering what follows.
     */
    private void install(SnapshotMeta snapshot) {
        long index = snapshot.index();
        if (index <= log.lastIndex() && log.term(index) == snapshot.term()) {
            log.compactTo(index);
        } else {
            log.resetTo(index, snapshot.term());
        }
        durableIndex = Math.min(durableIndex, index);
        commitIndex = Math.max(commitIndex, index);
        appliedIndex = index;
        snapshotBase = Math.max(snapshotBase, index);
        out.snapshotInstalled(index, snapshot.term());
        ids.continueAfter(index, snapshot.recentEntryIds());
        requests.snapshotInstalled(index);
        requests.appliedUpTo(appliedIndex);
    }

    /** A half-received snapshot is of a term that ended: the next leader sends its own from the start. */
    private void discardReceivedSnapshot() {
        if (snapshots != null) {
            snapshots.discardReceived();
        }
    }

    // ---------------------------------------------------------------- linearizable reads (thesis §6.4)

    /** A read asked of this node by {@code origin}, itself included; only a leader serves it. */
    void serveReadIndex(String origin, String requestId) {
        if (role != Role.LEADER) {
            return; // the reader resends to whoever leads
        }
        readIndex.request(origin, requestId, commitIndex, round);
        confirmReads();
    }

    private void confirmReads() {
        readIndex.confirm(followers, (origin, response) -> {
            if (origin.equals(config.id())) {
                requests.onReadIndexResponse(response);
            } else {
                out.send(origin, response);
            }
        });
    }
}
