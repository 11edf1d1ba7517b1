package io.gaggle.storage;

import java.nio.file.Path;

import io.gaggle.raft.RaftLog;
import tools.jackson.databind.json.JsonMapper;

/** PLACEHOLDER: implemented by the storage branch. */
public final class FileRaftStorage implements RaftStorage {

    public static FileRaftStorage open(Path directory, JsonMapper mapper) {
        throw new UnsupportedOperationException("file storage is not written yet");
    }

    @Override
    public RaftLog log() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long term() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String votedFor() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void saveTermAndVote(long term, String votedFor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sync() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public void close() {
    }
}
