package io.gaggle.raft.simulation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.gaggle.raft.simulation.CrashingDirectory.PowerCut;
import io.gaggle.storage.StorageException;
import io.gaggle.storage.StorageFile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrashingDirectoryTest {

    private static final int CRASHES = 200;

    @Test
    void forcedWritesSurviveEveryCrash() throws IOException {
        for (int seed = 0; seed < CRASHES; seed++) {
            CrashingDirectory directory = new CrashingDirectory();
            durableLog(directory, "durable");

            directory.crash(new Random(seed));

            assertThat(text(directory.read("log"))).isEqualTo("durable");
        }
    }

    /**
     * Unforced appends come back as a prefix of themselves, the last one whole, torn, or torn then
     * zeros; or, by sector, each of their sectors or zeros, up to the end of the last sector.
     */
    @Test
    void aCrashKeepsAPrefixOfUnforcedAppendsSometimesTornOrFollowedByZeros() throws IOException {
        byte[] written = "durable|first|second".getBytes(StandardCharsets.UTF_8);
        Set<String> outcomes = new HashSet<>();
        for (int seed = 0; seed < CRASHES; seed++) {
            CrashingDirectory directory = new CrashingDirectory();
            StorageFile file = durableLog(directory, "durable");
            append(file, "|first");
            append(file, "|second");

            directory.crash(new Random(seed));

            byte[] kept = directory.read("log");
            int text = 0;
            while (text < kept.length && text < written.length && kept[text] == written[text]) {
                text++;
            }
            assertThat(text).as("seed %d keeps the durable part", seed).isGreaterThanOrEqualTo("durable".length());
            assertThat(Arrays.copyOfRange(kept, text, kept.length)).as("seed %d: after the text, zeros only", seed)
                    .isEqualTo(new byte[kept.length - text]);
            assertThat(kept.length).as("seed %d: never longer than the sectors written", seed)
                    .isLessThanOrEqualTo(CrashingDirectory.SECTOR_BYTES);
            outcomes.add(text == "durable".length() ? "none" : text == written.length ? "all"
                    : text == "durable|first".length() ? "first" : "torn");
            if (kept.length > text) {
                outcomes.add("zeros");
            }
        }
        assertThat(outcomes).containsExactlyInAnyOrder("none", "first", "all", "torn", "zeros");
    }

    /**
     * A crash by sector keeps each sector the unforced appends reached, or loses it, independently:
     * a lost one holds the durable bytes, then zeros, and a later one may still be kept.
     */
    @Test
    void aCrashBySectorKeepsOrLosesEachUnforcedSectorAlone() throws IOException {
        int sector = CrashingDirectory.SECTOR_BYTES;
        String durable = "d".repeat(sector / 2);
        String unforced = "a".repeat(sector / 2) + "b".repeat(sector) + "c".repeat(sector / 2);
        Set<String> outcomes = new HashSet<>();
        for (int seed = 0; seed < CRASHES; seed++) {
            CrashingDirectory directory = new CrashingDirectory();
            StorageFile file = durableLog(directory, durable);
            append(file, unforced);

            directory.crash(new Random(seed));

            String kept = text(directory.read("log")).replace('\0', '0');
            if (kept.length() == 3 * sector) {
                String first = kept.substring(0, sector);
                String second = kept.substring(sector, 2 * sector);
                assertThat(first).as("seed %d, first sector", seed).isIn(durable + "a".repeat(sector / 2),
                        durable + "0".repeat(sector / 2));
                assertThat(second).as("seed %d, second sector", seed).isIn("b".repeat(sector), "0".repeat(sector));
                outcomes.add((first.endsWith("a") ? "kept" : "lost") + " then " + (second.startsWith("b") ? "kept" : "lost"));
            }
        }
        assertThat(outcomes).containsExactlyInAnyOrder("kept then kept", "kept then lost", "lost then kept",
                "lost then lost");
    }

    @Test
    void anUnforcedTruncationMayBeUndone() throws IOException {
        Set<String> outcomes = new HashSet<>();
        for (int seed = 0; seed < CRASHES; seed++) {
            CrashingDirectory directory = new CrashingDirectory();
            StorageFile file = durableLog(directory, "abcdef");
            file.truncate(3);

            directory.crash(new Random(seed));

            outcomes.add(text(directory.read("log")));
        }
        assertThat(outcomes).containsExactlyInAnyOrder("abc", "abcdef");
    }

    @Test
    void aFileCreatedOrDeletedSinceTheLastSyncMayNotBeSo() throws IOException {
        Set<String> outcomes = new HashSet<>();
        for (int seed = 0; seed < CRASHES; seed++) {
            CrashingDirectory directory = new CrashingDirectory();
            directory.open("old").force();
            directory.sync();
            directory.open("new").force();
            directory.delete("old");

            directory.crash(new Random(seed));

            outcomes.add(String.join(",", directory.list().stream().sorted().toList()));
        }
        assertThat(outcomes).containsExactlyInAnyOrder("old", "new,old", "new");
    }

    @Test
    void aRenameSinceTheLastSyncSurvivesWholeOrNotAtAll() throws IOException {
        Set<String> outcomes = new HashSet<>();
        for (int seed = 0; seed < CRASHES; seed++) {
            CrashingDirectory directory = new CrashingDirectory();
            durableLog(directory, "forced");
            directory.rename("log", "renamed");

            directory.crash(scrambled(seed));

            List<String> names = directory.list();
            assertThat(names).as("seed %d: one name", seed).hasSize(1);
            assertThat(text(directory.read(names.get(0)))).isEqualTo("forced");
            outcomes.add(names.get(0));
        }
        assertThat(outcomes).containsExactlyInAnyOrder("log", "renamed");
    }

    @Test
    void aSyncedRenameIsDurable() throws IOException {
        for (int seed = 0; seed < CRASHES; seed++) {
            CrashingDirectory directory = new CrashingDirectory();
            durableLog(directory, "forced");
            directory.rename("log", "renamed");
            directory.sync();

            directory.crash(new Random(seed));

            assertThat(directory.list()).containsExactly("renamed");
            assertThat(text(directory.read("renamed"))).isEqualTo("forced");
        }
    }

    @Test
    void aSyncedCreationAndAReplacementAreDurable() throws IOException {
        for (int seed = 0; seed < CRASHES; seed++) {
            CrashingDirectory directory = new CrashingDirectory();
            directory.open("log");
            directory.sync();
            directory.replace("state", "v1".getBytes(StandardCharsets.UTF_8));
            directory.replace("state", "v2".getBytes(StandardCharsets.UTF_8));

            directory.crash(new Random(seed));

            assertThat(directory.list()).containsExactlyInAnyOrder("log", "state");
            assertThat(text(directory.read("state"))).isEqualTo("v2");
        }
    }

    @Test
    void theLockIsHeldUntilCloseOrCrash() throws IOException {
        CrashingDirectory directory = new CrashingDirectory();
        directory.lock();
        assertThatThrownBy(directory::lock).isInstanceOf(StorageException.class);

        directory.close();
        directory.lock();
        directory.crash(new Random(1));
        directory.lock();
    }

    @Test
    void aPowerCutStopsEveryOperationFromTheArmedOneUntilTheCrash() throws IOException {
        CrashingDirectory directory = new CrashingDirectory();
        StorageFile file = directory.open("log");
        directory.cutPowerAfter(1);
        append(file, "runs");

        assertThatThrownBy(file::force).isInstanceOf(PowerCut.class);
        assertThatThrownBy(directory::sync).isInstanceOf(PowerCut.class);
        assertThat(directory.powerCut()).isTrue();

        directory.crash(new Random(1));
        assertThat(directory.powerCut()).isFalse();
        directory.open("log").force();
    }

    @Test
    void aFileOpenedBeforeACrashRefusesEveryOperation() throws IOException {
        CrashingDirectory directory = new CrashingDirectory();
        StorageFile file = directory.open("log");
        directory.sync();

        directory.crash(new Random(1));

        assertThatThrownBy(file::size).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> append(file, "late")).isInstanceOf(IOException.class);
    }

    /** A file named "log" whose creation and {@code content} are durable. */
    private static StorageFile durableLog(CrashingDirectory directory, String content) throws IOException {
        StorageFile file = directory.open("log");
        directory.sync();
        append(file, content);
        file.force();
        return file;
    }

    /**
     * A generator for {@code seed} whose first draws differ between nearby seeds, which those of
     * {@code new Random(seed)} hardly do: a crash with one pending change draws just once.
     */
    private static Random scrambled(int seed) {
        return new Random(new Random(seed).nextLong());
    }

    private static void append(StorageFile file, String text) throws IOException {
        file.append(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
