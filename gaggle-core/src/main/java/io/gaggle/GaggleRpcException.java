package io.gaggle;

/**
 * A {@link Gaggle#dispatchOnLeader} call failed on the leader: the handler threw (the message is
 * the handler's), or no handler has that name.
 */
public class GaggleRpcException extends GaggleException {

    public GaggleRpcException(String message) {
        super(message);
    }
}
