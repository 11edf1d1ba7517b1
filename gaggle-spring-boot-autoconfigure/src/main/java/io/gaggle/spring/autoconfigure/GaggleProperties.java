package io.gaggle.spring.autoconfigure;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the application's Gaggle node, under {@code gaggle.*}; the names and defaults are
 * the original's. Every node of a cluster uses the same settings except {@link #getId() id}.
 */
@ConfigurationProperties("gaggle")
public class GaggleProperties {

    /**
     * This node's id, unique in the cluster. Defaults to a random UUID, so a restarted node joins
     * as a new member of the same size cluster; set it to keep an identity across restarts.
     */
    private String id = UUID.randomUUID().toString();

    /**
     * How many nodes the cluster has; required unless members are listed. A majority,
     * floor(n/2) + 1, must be up to elect a leader and commit entries.
     */
    private Integer clusterSize;

    /**
     * The ids of every node of the cluster, this one included, when membership is fixed:
     * messages from other ids are dropped, and the cluster size is their number. Unset, peers
     * are discovered from the traffic.
     */
    private List<String> members;

    /**
     * Authentication of the messages between nodes.
     */
    private final Security security = new Security();

    /**
     * The channel that nodes talk over.
     */
    private final Channel channel = new Channel();

    /**
     * Where the node keeps its term, vote and log.
     */
    private final Storage storage = new Storage();

    /**
     * Snapshots of the application's state, taken through the application's Snapshotter bean.
     */
    private final Snapshot snapshot = new Snapshot();

    /**
     * How long a follower waits without hearing from a leader before it stands for election.
     */
    private final ElectionTimeout electionTimeout = new ElectionTimeout();

    /**
     * How often the leader sends heartbeats; must be shorter than election-timeout.min.
     */
    private Duration heartbeatInterval = Duration.ofMillis(50);

    /**
     * Whether the leader sends new entries as soon as it has them rather than with the next
     * heartbeat: an append then commits in about one round trip, at the cost of more messages.
     */
    private boolean accelerateHeartbeats;

    /**
     * Whether a node asks the others whether they would vote for it before it stands for
     * election (pre-vote), so a node that was cut off and comes back does not depose a healthy
     * leader.
     */
    private boolean preVote = true;

    /**
     * How many appends may be pending (not yet committed) on this node at once; beyond it an
     * append fails fast with GaggleBackpressureException. While this node leads, it also refuses
     * appends forwarded by followers once its log holds this many uncommitted entries.
     */
    private int maxPendingAppends = 100_000;

    /**
     * How many RPC calls this node, as leader, may have running or waiting for a thread at once;
     * beyond it a caller is answered at once that the leader is busy. Bounds the gaggleRpcExecutor
     * bean's calls too.
     */
    private int maxPendingRpcs = 1_088;

    /**
     * The Socket.IO relay that socket.io nodes connect to, run inside this application.
     */
    private final SocketIoServer socketIoServer = new SocketIoServer();

    /**
     * Spring Integration leader events for this node's leadership, when Spring Integration is on
     * the classpath.
     */
    private final Leader leader = new Leader();

    public String getId() {
        return this.id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public Integer getClusterSize() {
        return this.clusterSize;
    }

    public void setClusterSize(Integer clusterSize) {
        this.clusterSize = clusterSize;
    }

    public List<String> getMembers() {
        return this.members;
    }

    public void setMembers(List<String> members) {
        this.members = members;
    }

    public Security getSecurity() {
        return this.security;
    }

    public Channel getChannel() {
        return this.channel;
    }

    public Storage getStorage() {
        return this.storage;
    }

    public Snapshot getSnapshot() {
        return this.snapshot;
    }

    public ElectionTimeout getElectionTimeout() {
        return this.electionTimeout;
    }

    public Duration getHeartbeatInterval() {
        return this.heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public boolean isAccelerateHeartbeats() {
        return this.accelerateHeartbeats;
    }

    public void setAccelerateHeartbeats(boolean accelerateHeartbeats) {
        this.accelerateHeartbeats = accelerateHeartbeats;
    }

    public boolean isPreVote() {
        return this.preVote;
    }

    public void setPreVote(boolean preVote) {
        this.preVote = preVote;
    }

    public int getMaxPendingAppends() {
        return this.maxPendingAppends;
    }

    public void setMaxPendingAppends(int maxPendingAppends) {
        this.maxPendingAppends = maxPendingAppends;
    }

    public int getMaxPendingRpcs() {
        return this.maxPendingRpcs;
    }

    public void setMaxPendingRpcs(int maxPendingRpcs) {
        this.maxPendingRpcs = maxPendingRpcs;
    }

    public SocketIoServer getSocketIoServer() {
        return this.socketIoServer;
    }

    public Leader getLeader() {
        return this.leader;
    }

    /**
     * Spring Integration's leader API ({@code org.springframework.integration.leader}) for this
     * node's Raft leadership: a Candidate is granted while the node leads and revoked when it
     * stops, with OnGrantedEvent and OnRevokedEvent published for the role, so that
     * SmartLifecycle beans in that role run on the leader alone.
     */
    public static class Leader {

        /**
         * Whether to grant and revoke leadership in Spring Integration's terms.
         */
        private boolean enabled = true;

        /**
         * The role granted to the leader, as SmartLifecycleRoleController and @Role name it; an
         * application's own Candidate bean is granted instead if it is the only one in this role.
         */
        private String role = "gaggle";

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getRole() {
            return this.role;
        }

        public void setRole(String role) {
            this.role = role;
        }
    }

    /**
     * Authentication of the messages between nodes.
     */
    public static class Security {

        /**
         * The cluster's secret, the same on every node, e.g. 32 random bytes in base64: every
         * message is signed with HMAC-SHA256 under it, and messages not signed with it are
         * dropped. Unset, anyone who can send on the channel can disrupt the cluster.
         */
        private String secret;

        /**
         * A secret still accepted while the cluster moves to a new one; nodes sign with the
         * secret only.
         */
        private String previousSecret;

        public String getSecret() {
            return this.secret;
        }

        public void setSecret(String secret) {
            this.secret = secret;
        }

        public String getPreviousSecret() {
            return this.previousSecret;
        }

        public void setPreviousSecret(String previousSecret) {
            this.previousSecret = previousSecret;
        }
    }

    /**
     * The channel: which one, and its own settings.
     */
    public static class Channel {

        /**
         * Which channel to use: redis, socket.io or memory (nodes of one JVM only); required.
         */
        private String name;

        /**
         * Settings of the redis channel.
         */
        private final Redis redis = new Redis();

        /**
         * Settings of the socket.io channel.
         */
        private final SocketIo socketIo = new SocketIo();

        /**
         * Settings of the memory channel.
         */
        private final Memory memory = new Memory();

        public String getName() {
            return this.name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public Redis getRedis() {
            return this.redis;
        }

        public SocketIo getSocketIo() {
            return this.socketIo;
        }

        public Memory getMemory() {
            return this.memory;
        }
    }

    /**
     * The redis channel: nodes meet through Redis pub/sub.
     */
    public static class Redis {

        /**
         * The cluster's name on Redis: nodes with the same channel name form a cluster; required
         * for the redis channel.
         */
        private String channelName;

        /**
         * A Redis of Gaggle's own, as a URI such as redis://user:password@127.0.0.1:6379/0
         * (rediss:// for TLS); when set, it wins over Spring Boot's Redis. When not set, Gaggle
         * uses Spring Boot's Lettuce client, so spring.data.redis.* (standalone, Sentinel or
         * Cluster, SSL bundle) or a service connection applies; without Spring Data Redis, a Redis
         * on 127.0.0.1:6379. Required when Spring Data Redis runs on another client than Lettuce.
         */
        private String connectionString;

        public String getChannelName() {
            return this.channelName;
        }

        public void setChannelName(String channelName) {
            this.channelName = channelName;
        }

        public String getConnectionString() {
            return this.connectionString;
        }

        public void setConnectionString(String connectionString) {
            this.connectionString = connectionString;
        }
    }

    /**
     * The socket.io channel: nodes meet through a Socket.IO relay.
     */
    public static class SocketIo {

        /**
         * Where the relay runs, e.g. http://localhost:9000; required for the socket.io channel.
         */
        private String host;

        /**
         * The cluster's name on the relay: nodes with the same channel form a cluster; required
         * for the socket.io channel.
         */
        private String channel;

        /**
         * The token the relay admits clients with (its gaggle.socket-io-server.token), sent in
         * the Socket.IO handshake; not needed for a relay without one.
         */
        private String token;

        /**
         * Trust for the certificate of an https relay.
         */
        private final Ssl ssl = new Ssl();

        public String getHost() {
            return this.host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public String getChannel() {
            return this.channel;
        }

        public void setChannel(String channel) {
            this.channel = channel;
        }

        public String getToken() {
            return this.token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public Ssl getSsl() {
            return this.ssl;
        }

        /**
         * How the node checks an https relay's certificate.
         */
        public static class Ssl {

            /**
             * The SSL bundle (spring.ssl.bundle.*) whose trust store the relay's certificate is
             * checked against. When not set, an https relay needs a certificate the JVM trusts.
             */
            private String bundle;

            public String getBundle() {
                return this.bundle;
            }

            public void setBundle(String bundle) {
                this.bundle = bundle;
            }
        }
    }

    /**
     * The memory channel: nodes of one JVM meet on a named hub.
     */
    public static class Memory {

        /**
         * The hub's name: nodes of this JVM on the same hub form a cluster.
         */
        private String name = "default";

        public String getName() {
            return this.name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    /**
     * Where the node keeps its term, vote and log (Raft paper, Figure 2, "persistent state").
     */
    public static class Storage {

        /**
         * The directory where this node keeps its term, vote and log, one per node, created if
         * missing: a restarted node, even when every node was killed at once, then loses nothing
         * the cluster acknowledged, and delivers the committed entries to listeners again from the
         * first. When not set, the node keeps them in memory, as the original: a restarted node
         * comes back empty, and a cluster that loses a majority's memory can lose acknowledged
         * entries.
         */
        private Path directory;

        public Path getDirectory() {
            return this.directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }
    }

    /**
     * Snapshots of the application's state (Raft paper, section 7), taken through the
     * application's Snapshotter bean, so that the log drops the entries a snapshot holds and a
     * node far behind catches up from the snapshot. Without a Snapshotter bean the log keeps
     * every entry, and these properties must stay unset.
     */
    public static class Snapshot {

        /**
         * How many entries a node applies between two snapshots; at least 1. Lower keeps the log
         * shorter (memory, disk and the replay after a restart) at the cost of saving the whole
         * state more often. When not set, 100000.
         */
        private Long threshold;

        /**
         * How many entries before a snapshot the log keeps when it drops the rest, so that a
         * follower slightly behind catches up from entries rather than from the whole snapshot;
         * at least 0. When not set, 5000.
         */
        private Long trailingEntries;

        public Long getThreshold() {
            return this.threshold;
        }

        public void setThreshold(Long threshold) {
            this.threshold = threshold;
        }

        public Long getTrailingEntries() {
            return this.trailingEntries;
        }

        public void setTrailingEntries(Long trailingEntries) {
            this.trailingEntries = trailingEntries;
        }
    }

    /**
     * The election timeout; each wait is drawn at random between min and max, so that nodes
     * rarely stand for election at the same moment.
     */
    public static class ElectionTimeout {

        /**
         * The shortest wait before standing for election.
         */
        private Duration min = Duration.ofMillis(300);

        /**
         * The longest wait before standing for election.
         */
        private Duration max = Duration.ofMillis(500);

        public Duration getMin() {
            return this.min;
        }

        public void setMin(Duration min) {
            this.min = min;
        }

        public Duration getMax() {
            return this.max;
        }

        public void setMax(Duration max) {
            this.max = max;
        }
    }

    /**
     * The embedded Socket.IO relay.
     */
    public static class SocketIoServer {

        /**
         * Whether to run a Socket.IO relay in this application, started and stopped with it.
         */
        private boolean enabled;

        /**
         * The port the relay listens on; 0 picks a free one.
         */
        private int port = 9000;

        /**
         * The address the relay listens on, e.g. 127.0.0.1 to serve this host only; every
         * interface when not set.
         */
        private InetAddress address;

        /**
         * The token a client must send in the Socket.IO handshake's auth payload; nodes send
         * gaggle.channel.socket-io.token. When not set, the relay admits any client and logs a
         * warning.
         */
        private String token;

        /**
         * TLS: the relay serves https and wss.
         */
        private final Ssl ssl = new Ssl();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getPort() {
            return this.port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public InetAddress getAddress() {
            return this.address;
        }

        public void setAddress(InetAddress address) {
            this.address = address;
        }

        public String getToken() {
            return this.token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public Ssl getSsl() {
            return this.ssl;
        }

        /**
         * The relay's TLS key material.
         */
        public static class Ssl {

            /**
             * The SSL bundle (spring.ssl.bundle.*) with the relay's key and certificate; when
             * set, the relay serves https and wss only.
             */
            private String bundle;

            public String getBundle() {
                return this.bundle;
            }

            public void setBundle(String bundle) {
                this.bundle = bundle;
            }
        }
    }
}
