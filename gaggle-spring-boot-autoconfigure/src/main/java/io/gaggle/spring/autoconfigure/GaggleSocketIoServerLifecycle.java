package io.gaggle.spring.autoconfigure;

import io.gaggle.channel.socketio.GaggleSocketIoServer;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the application's Socket.IO relay with the context and closes it on shutdown, one
 * phase before the node ({@link GaggleLifecycle#PHASE}): the relay listens before a node of this
 * application connects to it and stops after that node has left.
 */
public class GaggleSocketIoServerLifecycle implements SmartLifecycle {

    /** The phase before the node's. */
    public static final int PHASE = GaggleLifecycle.PHASE - 1024;

    private final GaggleSocketIoServer server;

    private volatile boolean running;

    /**
     * @param server the relay to start and close; like the node, it starts only once
     */
    public GaggleSocketIoServerLifecycle(GaggleSocketIoServer server) {
        this.server = server;
    }

    @Override
    public void start() {
        this.server.start();
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        this.server.close();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
