package io.gaggle.node;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gaggle.EntryListener;
import io.gaggle.LeaderListener;
import io.gaggle.LogEntry;
import io.gaggle.Role;
import io.gaggle.RoleChangeListener;
import io.gaggle.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's listeners, and what they are told. The loop reports an event during its turn;
 * the listeners hear it on the delivery thread, each in the order it registered, and one that
 * throws keeps the event from none of the others. Registering and removing are thread-safe; a
 * listener registered while an event is under way may miss it.
 */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<EntryListener> appended = new CopyOnWriteArrayList<>();
    private final List<EntryListener> committed = new CopyOnWriteArrayList<>();
    private final List<LeaderListener> leaders = new CopyOnWriteArrayList<>();
    private final List<RoleChangeListener> roles = new CopyOnWriteArrayList<>();
    private final Delivery delivery;
    /** Delivery thread: committed entries up to here are not delivered, a restored snapshot holds them. */
    private long skippedThrough = -1;

    Listeners(Delivery delivery) {
        this.delivery = delivery;
    }

    Subscription onAppended(EntryListener listener) {
        return subscribe(appended, listener);
    }

    Subscription onCommitted(EntryListener listener) {
        return subscribe(committed, listener);
    }

    Subscription onLeaderElected(LeaderListener listener) {
        return subscribe(leaders, listener);
    }

    Subscription onRoleChanged(RoleChangeListener listener) {
        return subscribe(roles, listener);
    }

    private static <L> Subscription subscribe(List<L> listeners, L listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    /** Loop thread; on the hot path, so one object per entry and none without listeners. */
    void appended(LogEntry entry, long index) {
        if (!appended.isEmpty()) {
            delivery.add(new EntryEvent(appended, entry, index));
        }
    }

    /** Loop thread; on the hot path, so one object per entry and none without listeners. */
    void committed(LogEntry entry, long index) {
        if (!committed.isEmpty()) {
            delivery.add(new CommittedEvent(entry, index));
        }
    }

    /**
     * Delivery thread: the committed listeners are not told of entries up to {@code index}, which
     * the state they maintain holds already (a restored snapshot); {@code Long.MAX_VALUE} for none
     * ever again.
     */
    void skipCommittedThrough(long index) {
        skippedThrough = Math.max(skippedThrough, index);
    }

    /** Delivery thread: the index the state was last restored at, -1 if never; {@code Long.MAX_VALUE} once lost. */
    long skippedThrough() {
        return skippedThrough;
    }

    /** Loop thread. */
    void leaderElected(String leaderId, long term) {
        delivery.add(new Event<LeaderListener>(leaders) {
            @Override
            void tell(LeaderListener listener) {
                listener.on(leaderId, term);
            }

            @Override
            public String toString() {
                return "leader " + leaderId + " in term " + term;
            }
        });
    }

    /** Loop thread. */
    void roleChanged(Role from, Role to, long term) {
        if (!roles.isEmpty()) {
            delivery.add(new Event<RoleChangeListener>(roles) {
                @Override
                void tell(RoleChangeListener listener) {
                    listener.on(from, to, term);
                }

                @Override
                public String toString() {
                    return "role change " + from + " -> " + to + " in term " + term;
                }
            });
        }
    }

    /** One event, told on the delivery thread to each listener of its kind. */
    private abstract static class Event<L> implements Runnable {

        private final List<L> listeners;

        Event(List<L> listeners) {
            this.listeners = listeners;
        }

        abstract void tell(L listener);

        @Override
        public void run() {
            for (L listener : listeners) {
                try {
                    tell(listener);
                } catch (RuntimeException e) {
                    LOG.warn("Gaggle listener failed on {}", this, e);
                }
            }
        }
    }

    private static class EntryEvent extends Event<EntryListener> {

        final LogEntry entry;
        final long index;

        EntryEvent(List<EntryListener> listeners, LogEntry entry, long index) {
            super(listeners);
            this.entry = entry;
            this.index = index;
        }

        @Override
        void tell(EntryListener listener) {
            listener.on(entry, index);
        }

        @Override
        public String toString() {
            return "entry " + entry.id() + " at index " + index;
        }
    }

    /** A committed entry, unless a restored snapshot already holds it. */
    private final class CommittedEvent extends EntryEvent {

        CommittedEvent(LogEntry entry, long index) {
            super(committed, entry, index);
        }

        @Override
        public void run() {
            if (index > skippedThrough) {
                super.run();
            }
        }
    }
}
