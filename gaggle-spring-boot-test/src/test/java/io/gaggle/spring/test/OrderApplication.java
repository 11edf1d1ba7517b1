package io.gaggle.spring.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gaggle.spring.GaggleCommittedEvent;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * A user's application, configured for production in {@code application.yml}: it keeps what its
 * node commits.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class OrderApplication {

    @Bean
    CommittedOrders committedOrders() {
        return new CommittedOrders();
    }

    static class CommittedOrders {

        private final List<String> orders = new CopyOnWriteArrayList<>();

        @EventListener
        void on(GaggleCommittedEvent event) {
            this.orders.add(event.getEntry().data().asString());
        }

        List<String> orders() {
            return this.orders;
        }
    }
}
