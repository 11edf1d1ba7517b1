package io.gaggle.channel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A channel receiver that keeps what it receives, for tests to wait on and inspect. */
public final class Inbox implements Consumer<byte[]> {

    private final List<byte[]> envelopes = new CopyOnWriteArrayList<>();

    @Override
    public void accept(byte[] envelope) {
        envelopes.add(envelope);
    }

    /** The envelopes received so far, in order. */
    public List<byte[]> envelopes() {
        return List.copyOf(envelopes);
    }

    /** The envelopes received so far, read as UTF-8 text. */
    public List<String> texts() {
        return envelopes.stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList();
    }
}
