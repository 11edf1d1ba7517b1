package io.gaggle.raft;

import java.io.IOException;
import java.io.OutputStream;

/** A snapshot being taken by this node (Raft paper §7): the application writes its state, then it is published. */
public interface SnapshotWriter {

    /** Where the application's state goes; closing it does not publish the snapshot. */
    OutputStream content();

    /**
     * Makes the snapshot durable (in a file: fsync, rename, fsync of the directory) and the
     * latest, then deletes older ones. If a snapshot of the same or a later index became the
     * latest meanwhile (one received from the leader), that one stays and this one is dropped.
     *
     * @return the latest snapshot's meta: this one's, or the later one's that stays
     */
    SnapshotMeta publish() throws IOException;

    /** Gives up: removes what was written. */
    void abort();
}
