package io.gaggle.raft.simulation;

/**
 * What befell snapshots in a simulation, summed over its nodes: so a test can require that the
 * interesting paths ran, and a sweep can report them.
 */
final class SnapshotCounts {

    /** Snapshots nodes took and published. */
    long taken;
    /** Snapshots a node's runtime gave up on ({@code snapshotFailed}), by the simulation's choice. */
    long failed;
    /** Snapshots received whole from a leader, checked and published. */
    long received;
    /** Snapshots installed: the state machine restored from one received from a leader. */
    long installed;
    /** Restarts that restored the state machine from the latest snapshot. */
    long restoredAtRestart;
    /**
     * Restarts whose log did not continue the latest snapshot: a crash came between receiving one and
     * the log's reset reaching the disk.
     */
    long logResetsAtRestart;
    /** Half-received snapshots dropped because a new term began: a leader change mid-transfer. */
    long interruptedByNewTerm;
    /** Half-received snapshots started afresh from offset 0: a newer snapshot, or the transfer restarted. */
    long restartedFromZero;
    /** Chunks refused: lost before them, duplicated, reordered, or of a snapshot not being received. */
    long chunksRefused;
    /** Crashes of a node that had half-received a snapshot. */
    long crashesMidTransfer;
    /** Appends forwarded to a leader whose log had dropped them behind a snapshot: deduplicated by the id window. */
    long resendsAfterCompaction;
    /** Appends reported of unknown outcome: a snapshot covered them beyond the ids it keeps. */
    long outcomesUnknown;

    void add(SnapshotCounts other) {
        taken += other.taken;
        failed += other.failed;
        received += other.received;
        installed += other.installed;
        restoredAtRestart += other.restoredAtRestart;
        logResetsAtRestart += other.logResetsAtRestart;
        interruptedByNewTerm += other.interruptedByNewTerm;
        restartedFromZero += other.restartedFromZero;
        chunksRefused += other.chunksRefused;
        crashesMidTransfer += other.crashesMidTransfer;
        resendsAfterCompaction += other.resendsAfterCompaction;
        outcomesUnknown += other.outcomesUnknown;
    }

    @Override
    public String toString() {
        return String.format("snapshots taken %d, failed %d, received %d, installed %d; restarts restoring one %d,"
                + " resetting the log to one %d; transfers interrupted by a new term %d, restarted from 0 %d, chunks"
                + " refused %d, crashes mid-transfer %d; resends after compaction %d; outcomes unknown %d",
                taken, failed, received, installed, restoredAtRestart, logResetsAtRestart, interruptedByNewTerm,
                restartedFromZero, chunksRefused, crashesMidTransfer, resendsAfterCompaction, outcomesUnknown);
    }
}
