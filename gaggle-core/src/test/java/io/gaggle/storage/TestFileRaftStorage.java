package io.gaggle.storage;

import tools.jackson.databind.json.JsonMapper;

/** Opens a {@link FileRaftStorage} with segments of a test's choosing, for tests outside this package. */
public final class TestFileRaftStorage {

    private TestFileRaftStorage() {
    }

    /** {@link FileRaftStorage#open(StorageDirectory, JsonMapper)}, with segments of {@code segmentBytes}. */
    public static FileRaftStorage open(StorageDirectory directory, JsonMapper mapper, long segmentBytes) {
        return FileRaftStorage.open(directory, mapper, segmentBytes);
    }

    /**
     * {@link FileRaftStorage#open(StorageDirectory, JsonMapper)}, with segments of {@code segmentBytes} and a log
     * write buffer of {@code writeBufferBytes}: small, so that a turn's appends fill it and are written out early.
     */
    public static FileRaftStorage open(StorageDirectory directory, JsonMapper mapper, long segmentBytes,
            int writeBufferBytes) {
        return FileRaftStorage.open(directory, mapper, segmentBytes, writeBufferBytes);
    }
}
