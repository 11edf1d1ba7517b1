package io.gaggle.raft;

/**
 * A read index a leader has fixed and not yet given out: it may once a majority has answered a
 * heartbeat of round {@code round} or later, which proves no newer leader had been elected when
 * the read was asked for (Raft thesis §6.4).
 */
record ReadConfirmation(String origin, String requestId, long readIndex, long round) {
}
