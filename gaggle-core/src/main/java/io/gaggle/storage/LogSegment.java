package io.gaggle.storage;

import java.nio.ByteBuffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file of the log: a header (magic number, format version, index of its first entry,
 * term of the entry before it) then {@link LogRecord}s. The term of the entry before lets a log
 * whose earlier segments compaction deleted still answer the AppendEntries consistency check for
 * its first entry (Raft paper, §7). Its name holds the first index too, zero-padded so that names sort as
 * indexes do; the header repeats it so a renamed or misplaced file is noticed.
 */
final class LogSegment {

    /** A multiple of {@link LogRecord#ALIGNMENT}, so that the records after it are aligned. */
    static final int HEADER_BYTES = 24;
    private static final int MAGIC = 0x47474C47; // "GGLG"
    /** Version 3 pads records to {@link LogRecord#ALIGNMENT}. */
    private static final int VERSION = 3;
    private static final Pattern NAME = Pattern.compile("log-(\\d{20})\\.seg");

    final String name;
    final long firstIndex;
    final StorageFile file;

    LogSegment(String name, long firstIndex, StorageFile file) {
        this.name = name;
        this.firstIndex = firstIndex;
        this.file = file;
    }

    static String name(long firstIndex) {
        return String.format("log-%020d.seg", firstIndex);
    }

    /** The first index a segment file's name gives, or -1 if the name is not a segment's. */
    static long firstIndexOf(String name) {
        Matcher matcher = NAME.matcher(name);
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }

    static ByteBuffer header(long firstIndex, long previousTerm) {
        return ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(VERSION).putLong(firstIndex)
                .putLong(previousTerm).flip();
    }

    /** The term of the entry before the segment's first, from a header without {@link #headerProblem}. */
    static long previousTerm(ByteBuffer header) {
        return header.getLong(16);
    }

    /**
     * What is wrong with {@code header} for a segment starting at {@link #firstIndex} after an entry
     * of {@code previousTerm} (-1 when unknown: the first segment), or null if nothing.
     */
    String headerProblem(ByteBuffer header, long previousTerm) {
        if (header.getInt(0) != MAGIC) {
            return "the segment does not start as a Gaggle log segment";
        }
        if (header.getInt(4) != VERSION) {
            return "the segment's format version is " + header.getInt(4) + ", this Gaggle reads version " + VERSION;
        }
        if (header.getLong(8) != firstIndex) {
            return "the segment's header says it starts at index " + header.getLong(8) + ", its name says "
                    + firstIndex;
        }
        if (previousTerm >= 0 && previousTerm(header) != previousTerm) {
            return "the segment's header gives the term " + previousTerm(header) + " to the entry before index "
                    + firstIndex + ", which has term " + previousTerm;
        }
        if (previousTerm(header) < 0 || firstIndex == 0 && previousTerm(header) != 0) {
            return "the segment's header gives the term " + previousTerm(header) + " to the entry before index "
                    + firstIndex;
        }
        return null;
    }
}
