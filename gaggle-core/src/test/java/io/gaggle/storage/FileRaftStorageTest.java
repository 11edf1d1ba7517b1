package io.gaggle.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.gaggle.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FileRaftStorage} on real files: what was synced survives a reopen. */
class FileRaftStorageTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path directory;

    private final List<FileRaftStorage> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(FileRaftStorage::close);
    }

    private FileRaftStorage open() {
        return open(FileRaftStorage.SEGMENT_BYTES);
    }

    private FileRaftStorage open(long segmentBytes) {
        FileRaftStorage storage = FileRaftStorage.open(new FileSystemDirectory(directory), MAPPER, segmentBytes);
        opened.add(storage);
        return storage;
    }

    private static LogEntry entry(String id, long term, String value) {
        return LogEntry.fromJson(id, term, MAPPER.writeValueAsBytes(value), MAPPER);
    }

    private static List<LogEntry> entries(FileRaftStorage storage) {
        return storage.log().slice(0, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    @Test
    void aNewDirectoryOpensEmptyWithTermZeroAndNoVote() {
        FileRaftStorage storage = open();
        assertThat(storage.term()).isZero();
        assertThat(storage.votedFor()).isNull();
        assertThat(storage.log().lastIndex()).isEqualTo(-1);
        assertThat(storage.durable()).isTrue();
    }

    @Test
    void reopeningKeepsTermVoteAndLog() {
        FileRaftStorage storage = open();
        storage.saveTermAndVote(3, "node-b");
        List<LogEntry> appended = List.of(entry("a", 1, "x"), entry("b", 2, "y"), entry("c", 3, "z"));
        appended.forEach(storage.log()::append);
        storage.sync();
        storage.close();

        FileRaftStorage reopened = open();
        assertThat(reopened.term()).isEqualTo(3);
        assertThat(reopened.votedFor()).isEqualTo("node-b");
        assertThat(entries(reopened)).isEqualTo(appended);
        assertThat(reopened.log().indexOf("b")).isEqualTo(1);
        assertThat(reopened.log().get(2).data().asString()).isEqualTo("z");
        assertThat(reopened.log().get(2).mapper()).isSameAs(MAPPER);
    }
}
