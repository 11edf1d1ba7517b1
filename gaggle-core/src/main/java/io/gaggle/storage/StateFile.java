package io.gaggle.storage;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The encoding of the file that holds the current term and vote: a magic number, the format
 * version, the term, the vote as length-prefixed UTF-8 (length -1 for no vote) and a CRC32C of
 * all that. It is always replaced whole ({@link StorageDirectory#replace}), so a crash leaves the
 * old content or the new; the CRC catches a file damaged at rest.
 */
final class StateFile {

    static final String NAME = "state";
    private static final int MAGIC = 0x47475354; // "GGST"
    private static final int VERSION = 1;
    private static final int NO_VOTE = -1;

    /** The term and vote a state file holds. */
    record TermAndVote(long term, String votedFor) {
    }

    private StateFile() {
    }

    static byte[] encode(long term, String votedFor) {
        byte[] vote = votedFor == null ? new byte[0] : votedFor.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(4 + 4 + 8 + 4 + vote.length + 4);
        bytes.putInt(MAGIC).putInt(VERSION).putLong(term).putInt(votedFor == null ? NO_VOTE : vote.length).put(vote);
        bytes.putInt(crc(bytes.array(), bytes.position()));
        return bytes.array();
    }

    /**
     * The term and vote in {@code content}; term 0 and no vote for a missing file (a new store).
     *
     * @throws StorageException naming {@code file} if the content is not a whole, intact state file
     */
    static TermAndVote decode(byte[] content, String file) {
        if (content == null) {
            return new TermAndVote(0, null);
        }
        ByteBuffer bytes = ByteBuffer.wrap(content);
        try {
            int magic = bytes.getInt();
            if (magic != MAGIC) {
                throw Corruption.refuse(file, 0, "it does not start as a Gaggle state file");
            }
            int version = bytes.getInt();
            if (version != VERSION) {
                throw Corruption.refuse(file, 4, "its format version is " + version
                        + ", this Gaggle reads version " + VERSION);
            }
            long term = bytes.getLong();
            int voteLength = bytes.getInt();
            if (voteLength < NO_VOTE || voteLength > bytes.remaining() - 4) {
                throw Corruption.refuse(file, 16, "the vote's length " + voteLength + " does not fit the file");
            }
            String vote = null;
            if (voteLength != NO_VOTE) {
                vote = new String(content, bytes.position(), voteLength, StandardCharsets.UTF_8);
                bytes.position(bytes.position() + voteLength);
            }
            int end = bytes.position();
            if (bytes.getInt() != crc(content, end) || bytes.hasRemaining()) {
                throw Corruption.refuse(file, end, "its checksum does not match its content");
            }
            return new TermAndVote(term, vote);
        } catch (BufferUnderflowException e) {
            throw Corruption.refuse(file, content.length, "the file ends early");
        }
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
