package io.gaggle.raft;

/**
 * A follower's answer to an {@link InstallSnapshotRequest}, sent to the leader only: how much of
 * the snapshot it holds, so that the leader sends on from there (a lost or repeated chunk costs
 * one resend from that offset), or that it installed the whole snapshot and its log now continues
 * after {@code index}.
 *
 * @param term the follower's current term
 * @param index the {@link InstallSnapshotRequest#index()} answered
 * @param nextOffset the bytes of that snapshot the follower holds, where the leader goes on from
 * @param installed whether the follower installed the snapshot: its log matches the leader's up to
 *        {@code index}
 */
public record InstallSnapshotResponse(long term, long index, long nextOffset, boolean installed)
        implements TermMessage {
}
