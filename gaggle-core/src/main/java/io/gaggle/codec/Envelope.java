package io.gaggle.codec;

import io.gaggle.raft.RaftMessage;

/**
 * What travels on a channel: {@code {"v":1,"from":id,"inc":incarnation,"to":id|null,"seq":n,"msg":{...}}}.
 *
 * @param from the sender's node id
 * @param incarnation identifies one run of the sender; a restart with the same id has a larger one
 * @param to the addressee, or null for a broadcast
 * @param seq the sender's sequence number within its incarnation, for duplicate suppression
 * @param message the payload
 */
public record Envelope(String from, long incarnation, String to, long seq, RaftMessage message) {
}
