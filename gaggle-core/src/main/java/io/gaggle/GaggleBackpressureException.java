package io.gaggle;

/**
 * An append was refused because this node already has as many pending (uncommitted) appends as
 * {@link Gaggle.Builder#maxPendingAppends(int)} allows. Nothing was appended; retry later.
 */
public class GaggleBackpressureException extends GaggleException {

    public GaggleBackpressureException(String message) {
        super(message);
    }
}
