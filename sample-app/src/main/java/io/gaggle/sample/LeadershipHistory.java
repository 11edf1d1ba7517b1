package io.gaggle.sample;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.gaggle.spring.GaggleLeaderElectedEvent;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The leaders this node has learned of, newest last, and when it learned of each: the page's
 * leadership timeline, which so survives a reload. It keeps the last {@value #CAPACITY} terms,
 * enough for the page and bounded however often leadership changes.
 */
@Component
class LeadershipHistory {

    static final int CAPACITY = 20;

    private final Deque<Term> terms = new ArrayDeque<>();

    @EventListener
    void leaderElected(GaggleLeaderElectedEvent event) {
        record(event.getTerm(), event.getLeaderId());
    }

    /** A node may hear of the same leader more than once in a term; the first time counts. */
    synchronized void record(long term, String leaderId) {
        Term last = this.terms.peekLast();
        if (last != null && last.term() >= term) {
            return;
        }
        this.terms.addLast(new Term(term, leaderId, Instant.now()));
        if (this.terms.size() > CAPACITY) {
            this.terms.removeFirst();
        }
    }

    synchronized List<Term> terms() {
        return List.copyOf(this.terms);
    }

    /**
     * @param term the term
     * @param leaderId the node that led it
     * @param since when this node learned of that leader
     */
    record Term(long term, String leaderId, Instant since) {
    }
}
