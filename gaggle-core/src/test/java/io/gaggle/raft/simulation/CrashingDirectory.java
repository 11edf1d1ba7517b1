package io.gaggle.raft.simulation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.gaggle.storage.StorageDirectory;
import io.gaggle.storage.StorageException;
import io.gaggle.storage.StorageFile;

/**
 * A {@link StorageDirectory} in memory that loses, at a {@link #crash}, what a power cut may lose
 * from a real one: each file keeps what its last {@link StorageFile#force} made durable plus a
 * random prefix of the writes since, the last of them possibly torn mid-way and followed by
 * zeros (a page whose length reached the disk but whose data did not); file creations and
 * deletions since the last {@link #sync} survive as a random prefix too, each {@link #rename}
 * whole or not at all. {@link #replace} is durable when it returns, as its contract says: it
 * renames, then syncs the directory as the real one does, and a power cut between the two may
 * keep the old content or the new.
 * <p>
 * Half the crashes, at random, instead keep the unforced bytes of each file per aligned
 * {@value #SECTOR_BYTES}-byte sector, each sector its new content or its old independently, as
 * a disk whose pages reach it in any order does; the file's length then covers all it was
 * written, and more, as space filled ahead of the appends does (FileSystemDirectory's files
 * hold zeros a few MiB ahead), so a lost sector reads as what was durable there, or zeros.
 * <p>
 * {@link #cutPowerAfter} arms a crash in the middle of whatever the storage is doing: the given
 * number of writing operations later (appends, truncations, forces, creations, deletions,
 * replacements, renames, syncs), the next one throws {@link PowerCut} instead of running, and
 * every later operation until {@link #crash} does too; {@link #cutPowerBeforeForce} arms one at
 * the next force of a file.
 */
final class CrashingDirectory implements StorageDirectory {

    /** The name of FileRaftStorage's term-and-vote file. */
    private static final String STATE_FILE = "state";
    /** The unit a disk writes whole. */
    static final int SECTOR_BYTES = 512;

    /** Thrown by the operation at which the power was cut; the process is gone from here on. */
    static final class PowerCut extends Error {
        PowerCut() {
            super("power cut", null, false, false);
        }
    }

    /** One file: what is durable, and the writes since, in order. */
    private static final class Inode {
        byte[] durable = new byte[0];
        byte[] content = new byte[0];
        final List<Write> pending = new ArrayList<>();
    }

    /** An append of {@code bytes}, or a truncation to {@code size} when {@code bytes} is null. */
    private record Write(byte[] bytes, long size) {
    }

    /**
     * A file given a name ({@code inode} set) or removed from the directory ({@code inode} null);
     * for a rename, also removed from the name {@code from} in the same step, so a crash keeps
     * both halves or neither.
     */
    private record Link(String name, Inode inode, String from) {
    }

    private final Map<String, Inode> durableNames = new HashMap<>();
    private final Map<String, Inode> names = new HashMap<>();
    private final List<Link> pendingLinks = new ArrayList<>();
    /** Files this run opened, in order, so that a seed replays the same crash. */
    private final Set<Inode> touched = new LinkedHashSet<>();
    private boolean locked;
    /** Bumped at each crash: files opened by an earlier run refuse every operation. */
    private long run;
    /** Operations left before the power is cut; negative when no cut is armed. */
    private long powerLeft = -1;
    private boolean powerOff;
    /** Set by {@link #cutPowerBeforeForce}. */
    private boolean cutAtForce;
    /** What crashes did so far, so tests can see that they strike where they should. */
    final Losses losses = new Losses();
    /** What the storage wrote in the middle of its turns, before their syncs. */
    final EarlyWrites earlyWrites = new EarlyWrites();
    /** Set while a turn does its work, before the turn's end syncs. */
    private boolean turnWorking;
    /** Files appended to during the current turn's work. */
    private final Set<Inode> writtenInWork = new LinkedHashSet<>();

    /** Counts of what crashes did to a directory. */
    static final class Losses {
        int crashes;
        /** Crashes that struck in the middle of the storage's work. */
        int powerCuts;
        /** Unforced writes a crash dropped whole. */
        int writesLost;
        /** Unforced writes a crash kept only the start of. */
        int writesTorn;
        /** Torn writes followed by zeros. */
        int zeroRuns;
        /** Crashes that kept unforced bytes per sector, in any order. */
        int sectorCrashes;
        /** Unforced sectors such a crash lost while keeping a later one of the same file. */
        int sectorHoles;

        void add(Losses other) {
            crashes += other.crashes;
            powerCuts += other.powerCuts;
            writesLost += other.writesLost;
            writesTorn += other.writesTorn;
            zeroRuns += other.zeroRuns;
            sectorCrashes += other.sectorCrashes;
            sectorHoles += other.sectorHoles;
        }
    }

    /** Counts of what the storage wrote during turns' work, ahead of the sync that ends each turn. */
    static final class EarlyWrites {
        /**
         * Turns whose work left appended log data unforced: written out before the sync, because the
         * write buffer was full or a record did not fit in it.
         */
        int bufferWriteOuts;
        /** Saves of the state file during turns' work: its term saved before entries of that term leave the buffer. */
        int stateSaves;

        void add(EarlyWrites other) {
            bufferWriteOuts += other.bufferWriteOuts;
            stateSaves += other.stateSaves;
        }
    }

    @Override
    public List<String> list() {
        powered();
        return List.copyOf(names.keySet());
    }

    @Override
    public StorageFile open(String name) {
        operation();
        Inode inode = names.get(name);
        if (inode == null) {
            inode = new Inode();
            link(name, inode);
        }
        touched.add(inode);
        return new File(inode, run);
    }

    @Override
    public byte[] read(String name) {
        powered();
        Inode inode = names.get(name);
        return inode == null ? null : inode.content.clone();
    }

    @Override
    public void replace(String name, byte[] content) {
        operation();
        if (turnWorking && name.equals(STATE_FILE)) {
            earlyWrites.stateSaves++;
        }
        Inode inode = new Inode();
        inode.durable = content.clone();
        inode.content = content.clone();
        link(name, inode);
        sync();
    }

    @Override
    public void rename(String from, String to) throws IOException {
        operation();
        Inode inode = names.get(from);
        if (inode == null) {
            throw new IOException("no file " + from + " to rename");
        }
        link(new Link(to, inode, from));
    }

    @Override
    public void delete(String name) {
        operation();
        if (names.containsKey(name)) {
            link(name, null);
        }
    }

    @Override
    public void sync() {
        operation();
        pendingLinks.forEach(link -> applyLink(durableNames, link));
        pendingLinks.clear();
    }

    @Override
    public void lock() {
        operation();
        if (locked) {
            throw new StorageException("directory is locked by another storage");
        }
        locked = true;
    }

    /** Releases the lock; what was not made durable stays pending, as after closing a real file. */
    @Override
    public void close() {
        locked = false;
    }

    /** A turn's work begins: what is written until {@link #workEnded} is written ahead of the turn's sync. */
    void workBegan() {
        turnWorking = true;
        writtenInWork.clear();
    }

    /** The turn's work is done; counts the files whose appends during it are still unforced. */
    void workEnded() {
        turnWorking = false;
        for (Inode inode : writtenInWork) {
            if (!inode.pending.isEmpty()) {
                earlyWrites.bufferWriteOuts++;
                break;
            }
        }
        writtenInWork.clear();
    }

    /** The next {@code operations} writing operations run; the one after throws {@link PowerCut}. */
    void cutPowerAfter(long operations) {
        powerLeft = operations;
    }

    /** The power is cut when the storage next forces a file: what it wrote since is not yet durable. */
    void cutPowerBeforeForce() {
        cutAtForce = true;
    }

    /** Whether an armed {@link #cutPowerAfter} has fired. */
    boolean powerCut() {
        return powerOff;
    }

    /**
     * The process dies and the machine restarts: every file keeps its durable content and a
     * random prefix of its later writes, the last kept append possibly torn and followed by
     * zeros, or, in a crash of the sector kind, a random choice of sectors of them; a random prefix of the creations and deletions since the last sync survives. The
     * lock is released, and files opened before refuse every operation.
     */
    void crash(Random random) {
        losses.crashes++;
        if (powerOff) {
            losses.powerCuts++;
        }
        int keptLinks = random.nextInt(pendingLinks.size() + 1);
        for (int i = 0; i < keptLinks; i++) {
            applyLink(durableNames, pendingLinks.get(i));
        }
        pendingLinks.clear();
        boolean bySector = random.nextBoolean();
        if (bySector) {
            losses.sectorCrashes++;
        }
        for (Inode inode : touched) {
            inode.durable = bySector && appendsOnly(inode) ? sectorSurvivor(inode, random, losses)
                    : survivor(inode, random, losses);
            inode.content = inode.durable.clone();
            inode.pending.clear();
        }
        touched.clear();
        names.clear();
        names.putAll(durableNames);
        locked = false;
        run++;
        powerLeft = -1;
        powerOff = false;
        cutAtForce = false;
        turnWorking = false;
        writtenInWork.clear();
    }

    private static boolean appendsOnly(Inode inode) {
        return inode.pending.stream().allMatch(write -> write.bytes() != null);
    }

    /**
     * The durable bytes, with each sector the unforced appends reached holding its new content
     * or, at random, its old: the durable bytes there, then zeros up to the file's length, which
     * covers the whole last sector written, as in a file filled ahead.
     */
    private static byte[] sectorSurvivor(Inode inode, Random random, Losses losses) {
        byte[] durable = inode.durable;
        if (inode.pending.isEmpty()) {
            return durable;
        }
        int written = inode.content.length;
        int length = (written + SECTOR_BYTES - 1) / SECTOR_BYTES * SECTOR_BYTES;
        byte[] result = Arrays.copyOf(durable, length);
        boolean lostOne = false;
        for (int sector = durable.length / SECTOR_BYTES * SECTOR_BYTES; sector < written; sector += SECTOR_BYTES) {
            if (random.nextBoolean()) {
                int end = Math.min(written, sector + SECTOR_BYTES);
                System.arraycopy(inode.content, sector, result, sector, end - sector);
                if (lostOne) {
                    losses.sectorHoles++;
                    lostOne = false;
                }
            } else {
                lostOne = true;
            }
        }
        return result;
    }

    private static byte[] survivor(Inode inode, Random random, Losses losses) {
        byte[] bytes = inode.durable;
        int kept = random.nextInt(inode.pending.size() + 1);
        losses.writesLost += inode.pending.size() - kept;
        for (int i = 0; i < kept; i++) {
            Write write = inode.pending.get(i);
            if (write.bytes() == null) {
                bytes = Arrays.copyOf(bytes, (int) write.size());
            } else if (i < kept - 1 || random.nextBoolean()) {
                bytes = concat(bytes, write.bytes(), write.bytes().length);
            } else {
                bytes = torn(bytes, write.bytes(), random, losses);
            }
        }
        return bytes;
    }

    /** A prefix of {@code write} after {@code bytes}, then, sometimes, zeros where the rest of it was to go. */
    private static byte[] torn(byte[] bytes, byte[] write, Random random, Losses losses) {
        int written = random.nextInt(write.length + 1);
        byte[] result = concat(bytes, write, written);
        if (written < write.length) {
            losses.writesTorn++;
            if (random.nextBoolean()) {
                losses.zeroRuns++;
                result = Arrays.copyOf(result, result.length + 1 + random.nextInt(write.length - written));
            }
        }
        return result;
    }

    private static byte[] concat(byte[] head, byte[] tail, int tailLength) {
        byte[] result = Arrays.copyOf(head, head.length + tailLength);
        System.arraycopy(tail, 0, result, head.length, tailLength);
        return result;
    }

    private void link(String name, Inode inode) {
        link(new Link(name, inode, null));
    }

    private void link(Link link) {
        applyLink(names, link);
        pendingLinks.add(link);
    }

    private static void applyLink(Map<String, Inode> table, Link link) {
        if (link.from() != null) {
            table.remove(link.from());
        }
        if (link.inode() == null) {
            table.remove(link.name());
        } else {
            table.put(link.name(), link.inode());
        }
    }

    /** Before an operation that changes something: counts down an armed power cut, which fires at 0. */
    private void operation() {
        if (powerLeft == 0) {
            powerOff = true;
        }
        powered();
        if (powerLeft > 0) {
            powerLeft--;
        }
    }

    /** Once the power is cut nothing runs, reads included, until the crash. */
    private void powered() {
        if (powerOff) {
            throw new PowerCut();
        }
    }

    private final class File implements StorageFile {

        private final Inode inode;
        private final long openedIn;

        File(Inode inode, long openedIn) {
            this.inode = inode;
            this.openedIn = openedIn;
        }

        @Override
        public long size() throws IOException {
            check(false);
            return inode.content.length;
        }

        @Override
        public int read(long position, ByteBuffer into) throws IOException {
            check(false);
            if (position >= inode.content.length) {
                return -1;
            }
            int count = (int) Math.min(into.remaining(), inode.content.length - position);
            into.put(inode.content, (int) position, count);
            return count;
        }

        @Override
        public void append(ByteBuffer bytes) throws IOException {
            check(true);
            byte[] write = new byte[bytes.remaining()];
            bytes.get(write);
            inode.content = concat(inode.content, write, write.length);
            inode.pending.add(new Write(write, 0));
            if (turnWorking) {
                writtenInWork.add(inode);
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            check(true);
            if (size < inode.content.length) {
                inode.content = Arrays.copyOf(inode.content, (int) size);
                inode.pending.add(new Write(null, size));
            }
        }

        @Override
        public void force() throws IOException {
            if (cutAtForce) {
                powerOff = true;
            }
            check(true);
            inode.durable = inode.content.clone();
            inode.pending.clear();
        }

        @Override
        public void close() {
        }

        private void check(boolean changes) throws IOException {
            if (changes) {
                operation();
            } else {
                powered();
            }
            if (openedIn != run) {
                throw new IOException("file opened before a crash");
            }
        }
    }
}
