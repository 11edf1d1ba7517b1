package io.gaggle.test;

import java.nio.file.Path;
import java.security.GeneralSecurityException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made by the JDK's
 * {@code keytool} for TLS tests: a PKCS#12 key store with the key, and a trust store with only the
 * certificate, both protected by {@link #PASSWORD}.
 */
public final class SelfSignedCertificate {

    /** The password of both stores and of the key. */
    public static final String PASSWORD = "changeit";

    private final Path keyStore;
    private final Path trustStore;

    private SelfSignedCertificate(Path keyStore, Path trustStore) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
    }

    /**
     * Makes a new key pair and certificate, valid for two days.
     *
     * @param directory where to write {@code server.p12} and {@code trust.p12}
     */
    public static SelfSignedCertificate create(Path directory) {
        Path keyStore = directory.resolve("server.p12");
        Path trustStore = directory.resolve("trust.p12");
        Keytool.run("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD);
        try {
            Keytool.writeTrustStore(Keytool.load(keyStore).getCertificate("server"), trustStore);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the certificate of " + keyStore, e);
        }
        return new SelfSignedCertificate(keyStore, trustStore);
    }

    /** The PKCS#12 key store with the private key and its certificate. */
    public Path keyStore() {
        return keyStore;
    }

    /** The PKCS#12 trust store with the certificate alone. */
    public Path trustStore() {
        return trustStore;
    }

    /** A server's TLS context with the key. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(Keytool.load(keyStore), PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context of " + keyStore, e);
        }
    }

    /** A trust manager that trusts this certificate alone. */
    public X509TrustManager trustManager() {
        return Keytool.trustManager(trustStore);
    }
}
