package io.gaggle.codec;

/**
 * Received bytes that are not a valid envelope. The node drops and counts them.
 */
public class MalformedEnvelopeException extends Exception {

    public MalformedEnvelopeException(String message) {
        super(message);
    }
}
