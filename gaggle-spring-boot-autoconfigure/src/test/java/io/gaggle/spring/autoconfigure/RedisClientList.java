package io.gaggle.spring.autoconfigure;

import java.util.regex.Pattern;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * What {@code CLIENT LIST} of a Redis on 127.0.0.1 says, read on a connection of its own, to see
 * which clients a test's applications connected there.
 */
final class RedisClientList {

    /** A client subscribed to a channel, a pattern or a shard channel. */
    private static final Pattern SUBSCRIBER = Pattern.compile("(^| )[ps]?sub=[1-9]");

    private RedisClientList() {
    }

    static String of(int port) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().clientList();
        }
        finally {
            client.shutdown();
        }
    }

    /** How many clients of the Redis on {@code port} are subscribed to something. */
    static long subscribers(int port) {
        return of(port).lines().filter((client) -> SUBSCRIBER.matcher(client).find()).count();
    }
}
