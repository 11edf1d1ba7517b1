package io.gaggle.raft;

import java.util.List;

/**
 * What a snapshot covers (Raft paper §7): the entries up to {@code index}, the last of them of
 * {@code term}; {@code size} is the length in bytes of its content, what the application's
 * snapshotter saved. {@code recentEntryIds} are the ids of the last entries it covers, so that a
 * resend of an append the snapshot already holds is still recognised once the log dropped it.
 */
public record SnapshotMeta(long index, long term, long size, List<String> recentEntryIds) {

    public SnapshotMeta {
        recentEntryIds = List.copyOf(recentEntryIds);
    }
}
