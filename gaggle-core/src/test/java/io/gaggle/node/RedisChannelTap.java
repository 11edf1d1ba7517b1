package io.gaggle.node;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import static org.assertj.core.api.Assertions.assertThat;

/** Listens to a cluster's Redis channels, as any client of the server can, to catch what a node publishes. */
final class RedisChannelTap {

    private RedisChannelTap() {
    }

    /**
     * Subscribes to every channel of cluster {@code channelName}, runs {@code action}, and returns the
     * first envelope published that {@code matches}; fails, naming {@code what}, if none comes within 10 s.
     */
    static byte[] firstEnvelope(RedisClient client, String channelName, Runnable action, Predicate<byte[]> matches,
            String what) throws InterruptedException {
        BlockingQueue<byte[]> heard = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<byte[], byte[]> listener = client.connectPubSub(ByteArrayCodec.INSTANCE)) {
            listener.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] pattern, byte[] channel, byte[] message) {
                    heard.add(message);
                }
            });
            listener.sync().psubscribe(("gaggle:" + channelName + ":*").getBytes(StandardCharsets.UTF_8));
            action.run();
            while (true) {
                byte[] message = heard.poll(10, TimeUnit.SECONDS);
                assertThat(message).as(what).isNotNull();
                if (matches.test(message)) {
                    return message;
                }
            }
        }
    }
}
