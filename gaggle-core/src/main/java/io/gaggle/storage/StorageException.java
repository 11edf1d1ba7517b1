package io.gaggle.storage;

/**
 * The node's storage cannot be opened, or failed while in use. Once a write or fsync has failed
 * the node cannot know what is on disk, so it stops rather than go on and risk speaking of state
 * it does not hold (the lesson of PostgreSQL's "fsyncgate").
 */
public class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
