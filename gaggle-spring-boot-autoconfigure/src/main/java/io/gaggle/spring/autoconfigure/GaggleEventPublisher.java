package io.gaggle.spring.autoconfigure;

import java.util.List;

import io.gaggle.Gaggle;
import io.gaggle.Subscription;
import io.gaggle.spring.GaggleAppendedEvent;
import io.gaggle.spring.GaggleCommittedEvent;
import io.gaggle.spring.GaggleLeaderElectedEvent;
import io.gaggle.spring.GaggleRoleChangedEvent;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the node's appended, committed, leader-elected and role-changed notifications as
 * {@link io.gaggle.spring.GaggleEvent application events}. It subscribes when created, before
 * the node starts, so no event is missed; events are published on the node's delivery thread, in
 * log order, which {@code @EventListener} methods therefore see too.
 */
public class GaggleEventPublisher implements DisposableBean {

    private final List<Subscription> subscriptions;

    /**
     * @param node the node whose notifications to publish; it must not have started yet
     * @param publisher where to publish them, usually the application context
     */
    public GaggleEventPublisher(Gaggle node, ApplicationEventPublisher publisher) {
        this.subscriptions = List.of(
                node.onAppended((entry, index) -> publisher.publishEvent(new GaggleAppendedEvent(node, entry, index))),
                node.onCommitted((entry, index) -> publisher.publishEvent(new GaggleCommittedEvent(node, entry, index))),
                node.onLeaderElected(
                        (leaderId, term) -> publisher.publishEvent(new GaggleLeaderElectedEvent(node, leaderId, term))),
                node.onRoleChanged((from, to, term) -> publisher.publishEvent(
                        new GaggleRoleChangedEvent(node, from, to, term))));
    }

    @Override
    public void destroy() {
        this.subscriptions.forEach(Subscription::close);
    }
}
