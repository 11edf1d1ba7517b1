package io.gaggle.raft;

import java.io.FilterInputStream;
import java.io.InputStream;

/**
 * The content of one snapshot, opened to restore it, with that snapshot's meta: read together,
 * so a snapshot published meanwhile cannot pair one snapshot's index with another's state.
 */
public final class SnapshotContent extends FilterInputStream {

    private final SnapshotMeta meta;

    public SnapshotContent(SnapshotMeta meta, InputStream content) {
        super(content);
        this.meta = meta;
    }

    /** The meta of the snapshot this stream reads. */
    public SnapshotMeta meta() {
        return meta;
    }
}
