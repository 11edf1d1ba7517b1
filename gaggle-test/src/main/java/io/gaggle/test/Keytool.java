package io.gaggle.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The JDK's {@code keytool} and the PKCS#12 stores it writes, all protected by
 * {@link SelfSignedCertificate#PASSWORD}, for the test certificates of this module.
 */
final class Keytool {

    private Keytool() {
    }

    /** Runs {@code keytool} with these arguments and fails with its output if it fails. */
    static void run(String... arguments) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + keytool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }

    /** Writes a PKCS#12 trust store holding this certificate alone. */
    static void writeTrustStore(Certificate certificate, Path trustStore) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("trusted", certificate);
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, SelfSignedCertificate.PASSWORD.toCharArray());
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the trust store " + trustStore, e);
        }
    }

    /** A trust manager that trusts the certificates of this trust store. */
    static X509TrustManager trustManager(Path trustStore) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(trustStore));
            return (X509TrustManager) trust.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a trust manager of " + trustStore, e);
        }
    }

    static KeyStore load(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, SelfSignedCertificate.PASSWORD.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }
}
