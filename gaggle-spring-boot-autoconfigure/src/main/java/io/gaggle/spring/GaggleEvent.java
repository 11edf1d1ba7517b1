package io.gaggle.spring;

import io.gaggle.Gaggle;
import org.springframework.context.ApplicationEvent;

/**
 * Base of the application events that the auto-configuration publishes for the node's
 * listeners. They are published on Gaggle's delivery thread, in log order, never on the consensus
 * thread: a slow {@code @EventListener} delays later events but does not stall consensus. Do not
 * block a listener waiting for another Gaggle event or future.
 */
public abstract class GaggleEvent extends ApplicationEvent {

    /**
     * @param node the node that observed the event
     */
    protected GaggleEvent(Gaggle node) {
        super(node);
    }

    /** The node that observed the event. */
    public Gaggle getNode() {
        return (Gaggle) getSource();
    }
}
