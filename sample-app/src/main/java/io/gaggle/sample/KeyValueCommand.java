package io.gaggle.sample;

/**
 * An entry of the replicated log: what the store does when the entry is committed.
 *
 * @param op {@code put} or {@code next-id}
 * @param key the key to put
 * @param value the value to put
 * @param request the id of a {@code next-id} request, so that the node that asked can find its answer
 */
record KeyValueCommand(String op, String key, String value, String request) {

    static final String PUT = "put";

    static final String NEXT_ID = "next-id";

    static KeyValueCommand put(String key, String value) {
        return new KeyValueCommand(PUT, key, value, null);
    }

    static KeyValueCommand nextId(String request) {
        return new KeyValueCommand(NEXT_ID, null, null, request);
    }
}
