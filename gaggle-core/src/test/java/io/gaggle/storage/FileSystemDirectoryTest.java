package io.gaggle.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FileSystemDirectory} on real files. */
class FileSystemDirectoryTest {

    @TempDir
    Path path;

    @Test
    void createsAMissingDirectoryWithItsParents() {
        Path nested = path.resolve("a/b/node-1");
        new FileSystemDirectory(nested);
        assertThat(nested).isDirectory();
    }

    @Test
    void readingAMissingFileGivesNull() throws IOException {
        assertThat(new FileSystemDirectory(path).read("state")).isNull();
    }

    @Test
    void replaceLeavesTheNewContentAndNoTemporaryFile() throws IOException {
        FileSystemDirectory directory = new FileSystemDirectory(path);
        directory.replace("state", new byte[] {1, 2, 3});
        directory.replace("state", new byte[] {4, 5});

        assertThat(directory.read("state")).containsExactly(4, 5);
        assertThat(directory.list()).containsExactly("state");
    }

    @Test
    void renameReplacesTheTargetFile() throws IOException {
        FileSystemDirectory directory = new FileSystemDirectory(path);
        directory.replace("new", new byte[] {1, 2});
        directory.replace("old", new byte[] {3});

        directory.rename("new", "old");

        assertThat(directory.read("old")).containsExactly(1, 2);
        assertThat(directory.list()).containsExactly("old");
    }

    @Test
    void aFileKeepsWhatWasAppendedWithoutTheSpaceFilledAhead() throws IOException {
        FileSystemDirectory directory = new FileSystemDirectory(path);
        try (StorageFile file = directory.open("log")) {
            file.append(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
            file.append(ByteBuffer.wrap(" world".getBytes(StandardCharsets.UTF_8)));
            file.force();
            assertThat(file.size()).isEqualTo(11);
            file.truncate(5);
            assertThat(file.size()).isEqualTo(5);
        }
        assertThat(Files.size(path.resolve("log"))).isEqualTo(5);
        try (StorageFile reopened = directory.open("log")) {
            ByteBuffer content = ByteBuffer.allocate(5);
            reopened.read(0, content);
            assertThat(new String(content.array(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
    }

    @Test
    void aSecondLockInTheSameProcessIsRefusedUntilTheFirstIsReleased() throws IOException {
        FileSystemDirectory first = new FileSystemDirectory(path);
        first.lock();

        assertThatThrownBy(new FileSystemDirectory(path)::lock).isInstanceOf(StorageException.class)
                .hasMessageContaining("is already open in this process")
                .hasMessageContaining(path.resolve("lock").toString());
        first.close();
        FileSystemDirectory second = new FileSystemDirectory(path);
        second.lock();
        second.close();
    }

    @Test
    void aLockHeldByAnotherProcessIsRefused() throws Exception {
        Path holder = Files.writeString(path.resolve("HoldLock.java"), """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class HoldLock {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE); var lock = channel.lock()) {
                            System.out.println("locked");
                            System.in.read();
                        }
                    }
                }
                """);
        Path store = path.resolve("store");
        FileSystemDirectory directory = new FileSystemDirectory(store);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, holder.toString(), store.resolve("lock").toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(output.readLine()).isEqualTo("locked");

            assertThatThrownBy(directory::lock).isInstanceOf(StorageException.class)
                    .hasMessageContaining("is in use by another process")
                    .hasMessageContaining(store.resolve("lock").toString());
        } finally {
            process.destroy();
            process.waitFor();
        }
        directory.lock();
        directory.close();
    }
}
