package io.gaggle.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Runs the test's application context as a single-node Gaggle cluster of its own: the memory
 * channel on a hub no other context shares, the term, vote and log in memory, and the context
 * started only once the node leads, so a test can append at once. No Redis and no other node
 * needed.
 * <p>
 * The settings it makes ({@code gaggle.channel.name=memory}, a unique
 * {@code gaggle.channel.memory.name}, {@code gaggle.cluster-size=1}, {@code gaggle.members}
 * naming this node only, no {@code gaggle.storage.directory}, no Socket.IO relay) rank above the application's own
 * configuration ({@code application.yml}, profiles, environment variables, system properties)
 * and below the test's: {@code @SpringBootTest(properties = ...)}, {@code @TestPropertySource}
 * and {@code @DynamicPropertySource} still win.
 * <p>
 * A single node commits on its own (Raft paper, section 5.3: a majority of one), so the
 * application's entries and {@code @GaggleRpc} calls behave as on a cluster's leader; what it
 * cannot show is replication, elections between nodes, or a follower's view.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureGaggle {

}
