package io.gaggle;

/**
 * The node was closed: the call was not accepted, or it was pending when {@link Gaggle#close()}
 * ran. A pending append may still have been committed by the rest of the cluster.
 */
public class GaggleClosedException extends GaggleException {

    public GaggleClosedException(String message) {
        super(message);
    }
}
