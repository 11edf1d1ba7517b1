package io.gaggle.raft;

import java.util.Map;

import io.gaggle.LogEntry;
import tools.jackson.databind.JsonNode;

/**
 * Approximate encoded size of an entry, to bound the bytes of one AppendEntries batch. A walk
 * of the tree rather than a serialisation: it runs on the consensus thread for every entry.
 */
final class EntrySize {

    private static final int ENTRY_OVERHEAD = 32;

    private EntrySize() {
    }

    static int estimate(LogEntry entry) {
        return ENTRY_OVERHEAD + entry.id().length() + estimate(entry.data());
    }

    private static int estimate(JsonNode node) {
        if (node.isString()) {
            return node.stringValue().length() + 2;
        }
        if (node.isObject()) {
            int size = 2;
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                size += property.getKey().length() + 4 + estimate(property.getValue());
            }
            return size;
        }
        if (node.isArray()) {
            int size = 2;
            for (JsonNode element : node.values()) {
                size += estimate(element) + 1;
            }
            return size;
        }
        return node.isNumber() ? 20 : 5;
    }
}
