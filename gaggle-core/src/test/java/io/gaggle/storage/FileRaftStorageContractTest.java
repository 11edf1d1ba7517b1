package io.gaggle.storage;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** {@link FileRaftStorage} keeps the {@link RaftStorage} contract. */
class FileRaftStorageContractTest extends RaftStorageContract {

    @TempDir
    Path directory;

    @Override
    RaftStorage newStorage() {
        return FileRaftStorage.open(directory, JsonMapper.builder().build());
    }
}
