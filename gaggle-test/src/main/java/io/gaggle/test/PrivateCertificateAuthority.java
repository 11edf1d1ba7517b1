package io.gaggle.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.Base64;

import javax.net.ssl.X509TrustManager;

/**
 * A private certificate authority and a server certificate for {@code localhost} and
 * {@code 127.0.0.1} that it signed, made by the JDK's {@code keytool} for TLS tests of servers that
 * read PEM files, such as {@code redis-server}. Clients trust the server only through
 * {@link #trustManager()}, never through the JVM's default trust.
 */
public final class PrivateCertificateAuthority {

    private final Path trustStore;
    private final Path authorityCertificate;
    private final Path serverCertificate;
    private final Path serverKey;

    private PrivateCertificateAuthority(Path trustStore, Path authorityCertificate, Path serverCertificate,
            Path serverKey) {
        this.trustStore = trustStore;
        this.authorityCertificate = authorityCertificate;
        this.serverCertificate = serverCertificate;
        this.serverKey = serverKey;
    }

    /**
     * Makes a new authority and a server certificate it signed, both valid for two days.
     *
     * @param directory where to write the key stores, a trust store {@code ca-trust.p12} with the
     *        authority's certificate alone, and the PEM files {@code ca.pem}, {@code server.pem}
     *        and {@code server-key.pem}
     */
    public static PrivateCertificateAuthority create(Path directory) {
        Path authorityStore = directory.resolve("ca.p12");
        Path trustStore = directory.resolve("ca-trust.p12");
        Path authorityCertificate = directory.resolve("ca.pem");
        Path serverStore = directory.resolve("server.p12");
        Path request = directory.resolve("server.csr");
        Path serverCertificate = directory.resolve("server.pem");
        Path serverKey = directory.resolve("server-key.pem");
        String password = SelfSignedCertificate.PASSWORD;
        Keytool.run("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Gaggle Test CA", "-ext", "BC:critical=ca:true", "-ext", "KU:critical=keyCertSign",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", authorityStore.toString(),
                "-storepass", password);
        Keytool.run("-exportcert", "-rfc", "-alias", "ca", "-keystore", authorityStore.toString(),
                "-storepass", password, "-file", authorityCertificate.toString());
        Keytool.run("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", serverStore.toString(), "-storepass", password);
        Keytool.run("-certreq", "-alias", "server", "-keystore", serverStore.toString(),
                "-storepass", password, "-file", request.toString());
        Keytool.run("-gencert", "-rfc", "-alias", "ca", "-keystore", authorityStore.toString(),
                "-storepass", password, "-infile", request.toString(), "-outfile", serverCertificate.toString(),
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "EKU=serverAuth", "-validity", "2");
        writePrivateKey(serverStore, serverKey);
        try {
            Keytool.writeTrustStore(Keytool.load(authorityStore).getCertificate("ca"), trustStore);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the certificate of " + authorityStore, e);
        }
        return new PrivateCertificateAuthority(trustStore, authorityCertificate, serverCertificate, serverKey);
    }

    /** Writes the server's private key as PEM, which keytool cannot do: PKCS#8 DER in base64. */
    private static void writePrivateKey(Path serverStore, Path serverKey) {
        try {
            Key key = Keytool.load(serverStore).getKey("server",
                    SelfSignedCertificate.PASSWORD.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(serverKey, pem, StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the private key " + serverKey, e);
        }
    }

    /** The authority's certificate, PEM: what clients trust, e.g. {@code --tls-ca-cert-file}. */
    public Path authorityCertificate() {
        return authorityCertificate;
    }

    /** The server's certificate, PEM, signed by the authority, e.g. {@code --tls-cert-file}. */
    public Path serverCertificate() {
        return serverCertificate;
    }

    /** The server's private key, unencrypted PKCS#8 PEM, e.g. {@code --tls-key-file}. */
    public Path serverKey() {
        return serverKey;
    }

    /** A trust manager that trusts this authority alone, so every certificate it signed. */
    public X509TrustManager trustManager() {
        return Keytool.trustManager(trustStore);
    }
}
