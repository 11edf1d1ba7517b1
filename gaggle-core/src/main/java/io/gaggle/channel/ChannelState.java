package io.gaggle.channel;

/**
 * Connection state of a {@link Channel}.
 */
public enum ChannelState {
    /** Not opened yet. */
    NEW,
    /** Opened but not (or no longer) connected; retrying in the background. */
    CONNECTING,
    /** Envelopes flow. */
    CONNECTED,
    /** Closed for good. */
    CLOSED
}
