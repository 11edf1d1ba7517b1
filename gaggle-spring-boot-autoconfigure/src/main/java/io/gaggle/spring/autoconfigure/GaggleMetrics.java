package io.gaggle.spring.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;
import io.gaggle.LogEntry;
import io.gaggle.Role;
import io.gaggle.Subscription;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The node's meters, under {@code gaggle.*}:
 * <ul>
 * <li>{@code gaggle.role} (tag {@code role}): 1 for the role the node plays, 0 for the others;</li>
 * <li>{@code gaggle.term}, {@code gaggle.commit.index}, {@code gaggle.log.last.index}: gauges;</li>
 * <li>{@code gaggle.appends}, {@code gaggle.commits}, {@code gaggle.elections},
 * {@code gaggle.messages.dropped}, {@code gaggle.prevotes}, {@code gaggle.stepdowns},
 * {@code gaggle.transfers}: counters of appends callers made on this node, entries
 * committed (leaders' no-ops included), elections it stood in, received messages dropped as
 * malformed, pre-vote rounds it started, times it stepped down for want of a quorum, and
 * leadership transfers it completed;</li>
 * <li>{@code gaggle.appends.pending}: a gauge of appends made on this node and not yet committed;</li>
 * <li>{@code gaggle.append.latency}: a timer, on the leader, from appending an entry to
 * committing it, i.e. the replication round trips an append waits for.</li>
 * </ul>
 * All but the timer read {@link Gaggle#getStatus()} when scraped. The core has no hook for append
 * latency, so the timer pairs the leader's appended and committed notifications by entry id.
 */
public class GaggleMetrics implements MeterBinder, AutoCloseable {

    /** Bounds the entries being timed, should many appends be in flight at once. */
    static final int MAX_TIMED_ENTRIES = 100_000;

    private final Gaggle node;

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    /**
     * @param node the node to measure
     */
    public GaggleMetrics(Gaggle node) {
        this.node = node;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Role role : Role.values()) {
            Gauge.builder("gaggle.role", this.node, (node) -> (node.getStatus().role() == role) ? 1 : 0)
                .tag("role", role.name().toLowerCase(Locale.ROOT))
                .description("1 for the role this node plays, 0 for the others")
                .register(registry);
        }
        gauge(registry, "gaggle.term", "The node's current term", GaggleStatus::term);
        gauge(registry, "gaggle.commit.index", "Index of the last committed entry, -1 before the first",
                GaggleStatus::commitIndex);
        gauge(registry, "gaggle.log.last.index", "Index of the last entry in the log, -1 when empty",
                GaggleStatus::lastLogIndex);
        counter(registry, "gaggle.appends", "Appends callers made on this node", GaggleStatus::appends);
        counter(registry, "gaggle.commits", "Entries committed on this node, leaders' no-ops included",
                (status) -> status.commitIndex() + 1);
        counter(registry, "gaggle.elections", "Elections this node stood in", GaggleStatus::elections);
        counter(registry, "gaggle.messages.dropped", "Received messages dropped as malformed or rule-breaking",
                GaggleStatus::droppedMessages);
        counter(registry, "gaggle.prevotes", "Pre-vote rounds this node started", GaggleStatus::preVotes);
        counter(registry, "gaggle.stepdowns", "Times this node stopped leading for want of a quorum",
                GaggleStatus::stepDowns);
        counter(registry, "gaggle.transfers", "Leadership transfers this node completed as the leader",
                GaggleStatus::transfers);
        gauge(registry, "gaggle.appends.pending", "Appends made on this node and not yet committed",
                GaggleStatus::pendingAppends);
        Timer latency = Timer.builder("gaggle.append.latency")
            .description("On the leader, time from appending an entry to committing it")
            .register(registry);
        CommitTimer commitTimer = new CommitTimer(latency);
        this.subscriptions.add(this.node.onAppended(commitTimer::appended));
        this.subscriptions.add(this.node.onCommitted(commitTimer::committed));
        this.subscriptions.add(this.node.onLeaderElected((leaderId, term) -> commitTimer.reset()));
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<GaggleStatus> value) {
        Gauge.builder(name, this.node, (node) -> value.applyAsDouble(node.getStatus()))
            .description(description)
            .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description,
            ToDoubleFunction<GaggleStatus> value) {
        FunctionCounter.builder(name, this.node, (node) -> value.applyAsDouble(node.getStatus()))
            .description(description)
            .register(registry);
    }

    @Override
    public void close() {
        this.subscriptions.forEach(Subscription::close);
    }

    /**
     * Times entries from the leader's appended notification to their committed one. Both come
     * on the node's single delivery thread, so no locking is needed.
     */
    private static final class CommitTimer {

        private final Timer timer;

        private final Map<String, Long> appendedAt = new HashMap<>();

        CommitTimer(Timer timer) {
            this.timer = timer;
        }

        void appended(LogEntry entry, long index) {
            if (this.appendedAt.size() < MAX_TIMED_ENTRIES) {
                this.appendedAt.put(entry.id(), System.nanoTime());
            }
        }

        void committed(LogEntry entry, long index) {
            Long start = this.appendedAt.remove(entry.id());
            if (start != null) {
                this.timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        /**
         * Forgets entries appended under an earlier leadership: they may be replaced, or commit
         * long after, when this node no longer leads, and would distort the timing.
         */
        void reset() {
            this.appendedAt.clear();
        }
    }
}
