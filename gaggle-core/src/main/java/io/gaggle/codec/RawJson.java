package io.gaggle.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.SerializableString;

/**
 * Bytes that already are JSON, for {@code JsonGenerator.writeRawValue}: entry data goes onto the
 * wire as it was serialised where it was appended, never re-serialised.
 */
final class RawJson implements SerializableString {

    private final ByteBuffer json;

    RawJson(ByteBuffer json) {
        this.json = json;
    }

    @Override
    public String getValue() {
        return StandardCharsets.UTF_8.decode(json.duplicate()).toString();
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        int length = json.remaining();
        if (offset + length > buffer.length) {
            return -1;
        }
        json.get(json.position(), buffer, offset, length);
        return length;
    }

    @Override
    public byte[] asUnquotedUTF8() {
        byte[] bytes = new byte[json.remaining()];
        json.get(json.position(), bytes);
        return bytes;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        byte[] bytes = asUnquotedUTF8();
        out.write(bytes);
        return bytes.length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        int length = json.remaining();
        if (buffer.remaining() < length) {
            return -1;
        }
        buffer.put(json.duplicate());
        return length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        String value = getValue();
        if (offset + value.length() > buffer.length) {
            return -1;
        }
        value.getChars(0, value.length(), buffer, offset);
        return value.length();
    }

    // Quoting is for names and string values; raw JSON values are never quoted.

    @Override
    public char[] asQuotedChars() {
        throw new UnsupportedOperationException("raw JSON is written unquoted");
    }

    @Override
    public byte[] asQuotedUTF8() {
        throw new UnsupportedOperationException("raw JSON is written unquoted");
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        throw new UnsupportedOperationException("raw JSON is written unquoted");
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        throw new UnsupportedOperationException("raw JSON is written unquoted");
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
        throw new UnsupportedOperationException("raw JSON is written unquoted");
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        throw new UnsupportedOperationException("raw JSON is written unquoted");
    }
}
