package io.gaggle.raft.simulation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
 * deletions since the last {@link #sync} survive as a random prefix too. {@link #replace} is
 * durable when it returns, as its contract says, and syncs the directory as the real one does.
 * <p>
 * {@link #cutPowerAfter} arms a crash in the middle of whatever the storage is doing: the given
 * number of operations later, the operation throws {@link PowerCut} instead of running, and every
 * later one until {@link #crash} does too.
 */
final class CrashingDirectory implements StorageDirectory {

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

    /** A file given a name ({@code inode} set) or removed from the directory ({@code inode} null). */
    private record Link(String name, Inode inode) {
    }

    private Map<String, Inode> durableNames = new HashMap<>();
    private final Map<String, Inode> names = new HashMap<>();
    private final List<Link> pendingLinks = new ArrayList<>();
    /** Files this run opened; a crash resolves their writes. */
    private final Set<Inode> touched = new HashSet<>();
    private boolean locked;
    /** Bumped at each crash: files opened by an earlier run refuse every operation. */
    private long run;
    /** Operations left before the power is cut; negative when no cut is armed. */
    private long powerLeft = -1;
    private boolean powerOff;

    @Override
    public List<String> list() {
        operation();
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
        operation();
        Inode inode = names.get(name);
        return inode == null ? null : inode.content.clone();
    }

    @Override
    public void replace(String name, byte[] content) {
        operation();
        Inode inode = new Inode();
        inode.durable = content.clone();
        inode.content = content.clone();
        link(name, inode);
        sync();
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

    /** The next {@code operations} operations run; the one after throws {@link PowerCut}. */
    void cutPowerAfter(long operations) {
        powerLeft = operations;
    }

    /** Whether an armed {@link #cutPowerAfter} has fired. */
    boolean powerCut() {
        return powerOff;
    }

    /**
     * The process dies and the machine restarts: every file keeps its durable content and a
     * random prefix of its later writes, the last kept append possibly torn and followed by
     * zeros; a random prefix of the creations and deletions since the last sync survives. The
     * lock is released, and files opened before refuse every operation.
     */
    void crash(Random random) {
        int keptLinks = random.nextInt(pendingLinks.size() + 1);
        for (int i = 0; i < keptLinks; i++) {
            applyLink(durableNames, pendingLinks.get(i));
        }
        pendingLinks.clear();
        for (Inode inode : touched) {
            inode.durable = survivor(inode, random);
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
    }

    private static byte[] survivor(Inode inode, Random random) {
        byte[] bytes = inode.durable;
        int kept = random.nextInt(inode.pending.size() + 1);
        for (int i = 0; i < kept; i++) {
            Write write = inode.pending.get(i);
            if (write.bytes() == null) {
                bytes = Arrays.copyOf(bytes, (int) write.size());
            } else if (i < kept - 1 || random.nextBoolean()) {
                bytes = concat(bytes, write.bytes(), write.bytes().length);
            } else {
                bytes = torn(bytes, write.bytes(), random);
            }
        }
        return bytes;
    }

    /** A prefix of {@code write} after {@code bytes}, then, sometimes, zeros where the rest of it was to go. */
    private static byte[] torn(byte[] bytes, byte[] write, Random random) {
        int written = random.nextInt(write.length + 1);
        byte[] result = concat(bytes, write, written);
        if (written < write.length && random.nextBoolean()) {
            result = Arrays.copyOf(result, result.length + 1 + random.nextInt(write.length - written));
        }
        return result;
    }

    private static byte[] concat(byte[] head, byte[] tail, int tailLength) {
        byte[] result = Arrays.copyOf(head, head.length + tailLength);
        System.arraycopy(tail, 0, result, head.length, tailLength);
        return result;
    }

    private void link(String name, Inode inode) {
        Link link = new Link(name, inode);
        applyLink(names, link);
        pendingLinks.add(link);
    }

    private static void applyLink(Map<String, Inode> table, Link link) {
        if (link.inode() == null) {
            table.remove(link.name());
        } else {
            table.put(link.name(), link.inode());
        }
    }

    /** Counts down an armed power cut; once it fires, nothing runs until the crash. */
    private void operation() {
        if (powerLeft == 0 || powerOff) {
            powerOff = true;
            throw new PowerCut();
        }
        if (powerLeft > 0) {
            powerLeft--;
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
            check();
            return inode.content.length;
        }

        @Override
        public int read(long position, ByteBuffer into) throws IOException {
            check();
            if (position >= inode.content.length) {
                return -1;
            }
            int count = (int) Math.min(into.remaining(), inode.content.length - position);
            into.put(inode.content, (int) position, count);
            return count;
        }

        @Override
        public void append(ByteBuffer bytes) throws IOException {
            check();
            byte[] write = new byte[bytes.remaining()];
            bytes.get(write);
            inode.content = concat(inode.content, write, write.length);
            inode.pending.add(new Write(write, 0));
        }

        @Override
        public void truncate(long size) throws IOException {
            check();
            if (size < inode.content.length) {
                inode.content = Arrays.copyOf(inode.content, (int) size);
                inode.pending.add(new Write(null, size));
            }
        }

        @Override
        public void force() throws IOException {
            check();
            inode.durable = inode.content.clone();
            inode.pending.clear();
        }

        @Override
        public void close() {
        }

        private void check() throws IOException {
            operation();
            if (openedIn != run) {
                throw new IOException("file opened before a crash");
            }
        }
    }
}
