package io.gaggle.raft.simulation;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The state machine of a simulated node: the ids of the application entries it applied, in
 * order. Its snapshot is that list, so a restored state can be compared exactly with the state
 * of a node that applied the same entries one by one.
 */
final class AppliedIds {

    private final List<String> ids = new ArrayList<>();
    private final Set<String> members = new HashSet<>();

    /** Applies an entry; false if its id was applied already, which leaves the state as it was. */
    boolean apply(String id) {
        if (!members.add(id)) {
            return false;
        }
        ids.add(id);
        return true;
    }

    boolean contains(String id) {
        return members.contains(id);
    }

    int size() {
        return ids.size();
    }

    /** The ids applied, in order. */
    List<String> ids() {
        return List.copyOf(ids);
    }

    /** The id applied last, or null: the register the linearizability test reads. */
    String last() {
        return ids.isEmpty() ? null : ids.get(ids.size() - 1);
    }

    /** Saves the state as a snapshotter would: the count, then each id. */
    byte[] save() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(ids.size());
            for (String id : ids) {
                out.writeUTF(id);
            }
        } catch (IOException e) {
            throw new AssertionError("an in-memory stream failed", e);
        }
        return bytes.toByteArray();
    }

    /** Reads a state {@link #save}d into a snapshot's content. */
    static AppliedIds restore(InputStream in) throws IOException {
        AppliedIds state = new AppliedIds();
        DataInputStream data = new DataInputStream(in);
        int count = data.readInt();
        for (int i = 0; i < count; i++) {
            state.apply(data.readUTF());
        }
        if (data.read() != -1) {
            throw new IOException("bytes after the " + count + " ids of the state");
        }
        return state;
    }
}
