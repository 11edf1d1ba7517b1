package io.gaggle.storage;

/**
 * The refusal to open a store whose files are damaged other than by a crash mid-write. Raft's
 * safety rests on a node never forgetting what it acknowledged, so a node must not start on a log
 * or vote it cannot trust; the operator decides what to restore.
 */
final class Corruption {

    private Corruption() {
    }

    /** A refusal naming the file, the byte offset, what is wrong there and what to do. */
    static StorageException refuse(String file, long offset, String what) {
        return new StorageException("Gaggle storage cannot open " + file + ": at byte offset " + offset + ", " + what
                + ". This is not what a crash leaves, so the node does not start on it: restore the directory from a "
                + "backup; deleting it makes the node rejoin empty, which is safe only while a majority of the other "
                + "nodes hold every committed entry");
    }
}
