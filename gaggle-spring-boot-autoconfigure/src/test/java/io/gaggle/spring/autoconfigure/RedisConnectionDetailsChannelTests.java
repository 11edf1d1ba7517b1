package io.gaggle.spring.autoconfigure;

import java.util.List;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for turning Spring Boot's Redis connection details into the redis channel's URI.
 */
class RedisConnectionDetailsChannelTests {

    @Test
    void hostPortAndDatabase() {
        assertThat(uri(details(null, null, null, "redis.example.com", 6390, 2)))
            .isEqualTo("redis://redis.example.com:6390/2");
    }

    @Test
    void credentialsSurviveCharactersThatUrisReserve() {
        String uri = uri(details("app user", "p@ss:w/rd%", null, "127.0.0.1", 6379, 0));
        RedisCredentials credentials = RedisURI.create(uri).getCredentialsProvider().resolveCredentials().block();
        assertThat(credentials.getUsername()).isEqualTo("app user");
        assertThat(new String(credentials.getPassword())).isEqualTo("p@ss:w/rd%");
    }

    @Test
    void passwordWithoutUser() {
        RedisURI uri = RedisURI.create(uri(details(null, "secret", null, "127.0.0.1", 6379, 0)));
        RedisCredentials credentials = uri.getCredentialsProvider().resolveCredentials().block();
        assertThat(credentials.hasUsername()).isFalse();
        assertThat(new String(credentials.getPassword())).isEqualTo("secret");
    }

    @Test
    void sslUsesRediss() {
        RedisURI uri = RedisURI.create(uri(details(null, null, SslBundle.systemDefault(), "127.0.0.1", 6380, 0)));
        assertThat(uri.isSsl()).isTrue();
    }

    @Test
    void ipv6HostIsBracketed() {
        assertThat(uri(details(null, null, null, "::1", 6379, 0))).isEqualTo("redis://[::1]:6379/0");
    }

    @Test
    void sslBundleWithItsOwnStoresIsRejected() {
        SslBundle bundle = SslBundle.of(SslStoreBundle.of(null, null, emptyTrustStore()));
        assertThatExceptionOfType(InvalidGaggleConfigurationException.class)
            .isThrownBy(() -> uri(details(null, null, bundle, "127.0.0.1", 6380, 0)))
            .withMessageContaining("SSL bundle with its own key or trust store");
    }

    @Test
    void sentinelIsRejectedWithTheWayOut() {
        DataRedisConnectionDetails sentinel = new DataRedisConnectionDetails() {
            @Override
            public Sentinel getSentinel() {
                return new Sentinel() {
                    @Override
                    public int getDatabase() {
                        return 0;
                    }

                    @Override
                    public String getMaster() {
                        return "mymaster";
                    }

                    @Override
                    public List<Node> getNodes() {
                        return List.of(new Node("127.0.0.1", 26379));
                    }

                    @Override
                    public String getUsername() {
                        return null;
                    }

                    @Override
                    public String getPassword() {
                        return null;
                    }
                };
            }
        };
        assertThatExceptionOfType(InvalidGaggleConfigurationException.class).isThrownBy(() -> uri(sentinel))
            .satisfies((ex) -> assertThat(ex.getAction()).contains("gaggle.channel.redis.connection-string"));
    }

    private static String uri(DataRedisConnectionDetails details) {
        return GaggleChannelConfigurations.RedisFromConnectionDetails.connectionString(details);
    }

    private static java.security.KeyStore emptyTrustStore() {
        try {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static DataRedisConnectionDetails details(String username, String password, SslBundle ssl, String host,
            int port, int database) {
        return new DataRedisConnectionDetails() {
            @Override
            public String getUsername() {
                return username;
            }

            @Override
            public String getPassword() {
                return password;
            }

            @Override
            public SslBundle getSslBundle() {
                return ssl;
            }

            @Override
            public Standalone getStandalone() {
                return Standalone.of(host, port, database);
            }
        };
    }
}
