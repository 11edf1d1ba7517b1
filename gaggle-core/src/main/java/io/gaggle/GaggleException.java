package io.gaggle;

/**
 * Base of the exceptions Gaggle completes futures with or throws.
 */
public class GaggleException extends RuntimeException {

    public GaggleException(String message) {
        super(message);
    }

    public GaggleException(String message, Throwable cause) {
        super(message, cause);
    }
}
