package io.gaggle.storage;

import java.nio.ByteBuffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file of the log: a header (magic number, format version, index of its first entry)
 * then {@link LogRecord}s. Its name holds the first index too, zero-padded so that names sort as
 * indexes do; the header repeats it so a renamed or misplaced file is noticed.
 */
final class LogSegment {

    static final int HEADER_BYTES = 16;
    private static final int MAGIC = 0x47474C47; // "GGLG"
    private static final int VERSION = 1;
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

    static ByteBuffer header(long firstIndex) {
        return ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(VERSION).putLong(firstIndex).flip();
    }

    /** What is wrong with {@code header} for a segment starting at {@link #firstIndex}, or null if nothing. */
    String headerProblem(ByteBuffer header) {
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
        return null;
    }
}
