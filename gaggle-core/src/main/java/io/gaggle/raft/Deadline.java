package io.gaggle.raft;

/**
 * When a client request (append, RPC or read, by id) expires; ordered by time so expiry is cheap.
 */
record Deadline(long at, String requestId) implements Comparable<Deadline> {

    @Override
    public int compareTo(Deadline other) {
        int byTime = Long.compare(at, other.at);
        return byTime != 0 ? byTime : requestId.compareTo(other.requestId);
    }
}
