package io.gaggle.storage;

import io.gaggle.raft.SnapshotContent;
import io.gaggle.raft.SnapshotMeta;
import io.gaggle.raft.SnapshotStore;
import io.gaggle.raft.SnapshotWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol of a {@link SnapshotStore} over {@link SnapshotBytes} kept in memory or in files:
 * writing and receiving in the transfer format, checking, publishing, reading. Publishing is
 * serialised, and the latest snapshot is swapped under a lock held only briefly, so the loop
 * thread reading chunks never waits for the delivery thread's fsync.
 */
abstract class AbstractSnapshotStore implements SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(AbstractSnapshotStore.class);
    private static final int WRITE_BUFFER_BYTES = 64 << 10;
    private static final int READ_BUFFER_BYTES = 64 << 10;

    private final Object publishing = new Object();
    /** Guarded by {@code publishing}: once closed, nothing more is published. */
    private boolean closed;
    /** Written under {@code this}; volatile so that {@link #latest()}, read by the loop every turn, takes no lock. */
    private volatile Published latest;
    /** Loop thread only. */
    private Received received;

    /** The latest snapshot, and the streams still reading it; deleted once replaced and unread. */
    private static final class Published {
        final SnapshotMeta meta;
        final SnapshotBytes bytes;
        final long contentStart;
        int readers;
        boolean replaced;

        Published(SnapshotMeta meta, SnapshotBytes bytes, long contentStart) {
            this.meta = meta;
            this.bytes = bytes;
            this.contentStart = contentStart;
        }

        long size() {
            return contentStart + meta.size() + SnapshotFormat.TRAILER_BYTES;
        }
    }

    private record Received(long index, long term, SnapshotBytes bytes) {
    }

    /** New, empty bytes for the snapshot at {@code index} and {@code term}, taken or received. */
    abstract SnapshotBytes create(long index, long term, boolean received) throws IOException;

    /** Where the store keeps its snapshots, for messages. */
    abstract String where();

    /** Makes a snapshot found at open the latest. */
    final synchronized void recovered(SnapshotBytes bytes, SnapshotFormat.Header header) throws IOException {
        latest = new Published(header.meta(bytes.size()), bytes, header.length());
    }

    @Override
    public SnapshotMeta latest() {
        Published published = latest;
        return published == null ? null : published.meta;
    }

    @Override
    public SnapshotContent openLatest() {
        Published reading;
        synchronized (this) {
            if (latest == null) {
                return null;
            }
            reading = latest;
            reading.readers++;
        }
        long contentEnd = reading.size() - SnapshotFormat.TRAILER_BYTES;
        // Buffered, as the writer is: a restorer reading field by field must not cost a file read each.
        return new SnapshotContent(reading.meta, new BufferedInputStream(new SnapshotFormat.Range(reading.bytes,
                reading.contentStart, contentEnd) {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    readerDone(reading);
                }
            }
        }, READ_BUFFER_BYTES));
    }

    @Override
    public synchronized byte[] readChunk(long offset, int maxBytes) {
        if (offset < 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("offset " + offset + " and maxBytes " + maxBytes
                    + ": the offset must not be negative and maxBytes must be positive");
        }
        if (latest == null || offset >= latest.size()) {
            return new byte[0];
        }
        byte[] chunk = new byte[(int) Math.min(maxBytes, latest.size() - offset)];
        try {
            SnapshotFormat.readFully(latest.bytes, offset, chunk);
        } catch (IOException e) {
            throw failed("cannot read the snapshot at index " + latest.meta.index(), e);
        }
        return chunk;
    }

    @Override
    public SnapshotWriter write(long index, long term, List<String> recentEntryIds) throws IOException {
        byte[] header = SnapshotFormat.header(index, term, recentEntryIds);
        SnapshotBytes bytes = create(index, term, false);
        return new Writer(index, term, recentEntryIds, header, bytes);
    }

    @Override
    public boolean receiveChunk(long index, long term, long offset, byte[] chunk) {
        try {
            if (offset == 0) {
                discardReceived();
                received = new Received(index, term, create(index, term, true));
            } else if (received == null || received.index() != index || received.term() != term
                    || offset != received.bytes().size()) {
                return false;
            }
            received.bytes().append(chunk, 0, chunk.length);
            return true;
        } catch (IOException e) {
            throw failed("cannot store a chunk of the snapshot at index " + index + " received from the leader", e);
        }
    }

    @Override
    public long receivedBytes(long index, long term) {
        if (received == null || received.index() != index || received.term() != term) {
            return 0;
        }
        try {
            return received.bytes().size();
        } catch (IOException e) {
            throw failed("cannot read the size of the snapshot at index " + index + " received from the leader", e);
        }
    }

    @Override
    public SnapshotMeta completeReceived() {
        Received complete = received;
        if (complete == null) {
            return null;
        }
        received = null;
        try {
            SnapshotFormat.Header header = SnapshotFormat.check(complete.bytes(), complete.index(), complete.term(),
                    "");
            return publish(complete.bytes(), header.meta(complete.bytes().size()), header.length());
        } catch (SnapshotFormat.Damage e) {
            LOG.warn("Gaggle storage {}: discarded the snapshot at index {} term {} received from the leader: at byte "
                    + "offset {}, {}", where(), complete.index(), complete.term(), e.offset, e.getMessage());
            delete(complete.bytes());
            return null;
        } catch (IOException e) {
            throw failed("cannot store the snapshot at index " + complete.index() + " received from the leader", e);
        }
    }

    @Override
    public void discardReceived() {
        if (received != null) {
            delete(received.bytes());
            received = null;
        }
    }

    @Override
    public void close() {
        discardReceived();
        synchronized (publishing) {
            closed = true;
        }
        synchronized (this) {
            if (latest != null) {
                try {
                    latest.bytes.close();
                } catch (IOException e) {
                    throw failed("cannot close the snapshot at index " + latest.meta.index(), e);
                }
            }
        }
    }

    /**
     * Makes {@code bytes} durable and the latest, unless a snapshot of the same or a later index
     * is the latest already: then that one stays and {@code bytes} are deleted.
     */
    private SnapshotMeta publish(SnapshotBytes bytes, SnapshotMeta meta, long contentStart) throws IOException {
        synchronized (publishing) {
            if (closed) {
                // The directory's lock may be someone else's by now: touch none of its files.
                throw new IOException("the snapshot store is closed");
            }
            SnapshotMeta current = latest();
            if (current != null && current.index() >= meta.index()) {
                delete(bytes);
                return current;
            }
            bytes.makeDurable(meta.index(), meta.term());
            Published previous;
            boolean unused;
            synchronized (this) {
                previous = latest;
                latest = new Published(meta, bytes, contentStart);
                unused = previous != null && previous.readers == 0;
                if (previous != null) {
                    previous.replaced = true;
                }
            }
            if (unused) {
                delete(previous.bytes);
            }
            return meta;
        }
    }

    /** A stream reading {@code published} is closed: deletes it if it was replaced and this was its last reader. */
    private void readerDone(Published published) {
        boolean unused;
        synchronized (this) {
            published.readers--;
            unused = published.replaced && published.readers == 0;
        }
        if (unused) {
            delete(published.bytes);
        }
    }

    /** Deletes bytes that are no longer needed; a failure leaves a file that the next open deletes. */
    private void delete(SnapshotBytes bytes) {
        try {
            bytes.delete();
        } catch (IOException e) {
            LOG.warn("Gaggle storage {}: cannot delete a snapshot no longer needed, the next start will: {}", where(),
                    e.toString());
        }
    }

    private StorageException failed(String what, IOException e) {
        return new StorageException("Gaggle storage " + where() + ": " + what + ": " + e, e);
    }

    /** A snapshot being taken: the header, then the content through a CRC, then the trailer at publish. */
    private final class Writer implements SnapshotWriter {

        private final long index;
        private final long term;
        private final List<String> recentEntryIds;
        private final int headerLength;
        private final SnapshotBytes bytes;
        private final CRC32C crc = new CRC32C();
        private final OutputStream content;
        private long contentSize;
        private boolean finished;

        Writer(long index, long term, List<String> recentEntryIds, byte[] header, SnapshotBytes bytes)
                throws IOException {
            this.index = index;
            this.term = term;
            this.recentEntryIds = List.copyOf(recentEntryIds);
            this.headerLength = header.length;
            this.bytes = bytes;
            this.content = new BufferedOutputStream(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] data, int offset, int length) throws IOException {
                    if (finished) {
                        throw new IOException("the snapshot at index " + index + " was already published or aborted");
                    }
                    append(data, offset, length);
                    contentSize += length;
                }
            }, WRITE_BUFFER_BYTES);
            append(header, 0, header.length);
        }

        private void append(byte[] data, int offset, int length) throws IOException {
            crc.update(data, offset, length);
            bytes.append(data, offset, length);
        }

        @Override
        public OutputStream content() {
            return content;
        }

        @Override
        public SnapshotMeta publish() throws IOException {
            if (finished) {
                throw new IllegalStateException("the snapshot at index " + index + " was already published or aborted");
            }
            content.flush();
            finished = true;
            byte[] trailer = SnapshotFormat.trailer(crc);
            bytes.append(trailer, 0, trailer.length);
            return AbstractSnapshotStore.this.publish(bytes, new SnapshotMeta(index, term, contentSize, recentEntryIds),
                    headerLength);
        }

        @Override
        public void abort() {
            if (!finished) {
                finished = true;
                delete(bytes);
            }
        }
    }
}
