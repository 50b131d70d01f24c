package io.conveyor.amqp;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to the broker: the CAs to trust (the JVM's own without a trust store), an optional client certificate, and
 * whether the certificate must name the host. Never trusts everything.
 */
public record BrokerTls(
        Optional<Path> trustStore,
        String trustStorePassword,
        Optional<Path> keyStore,
        String keyStorePassword,
        boolean verifyHostname) {

    /**
     * The SSL context these settings describe.
     *
     * @throws IllegalArgumentException naming the store that cannot be read, and why
     */
    public SSLContext context() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore.isPresent() ? load(trustStore.get(), trustStorePassword, "trust") : null);
            KeyManager[] keys = null;
            if (keyStore.isPresent()) {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(load(keyStore.get(), keyStorePassword, "key"), keyStorePassword.toCharArray());
                keys = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("RABBITMQ_TLS: cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, String password, String kind) {
        try {
            // Detects PKCS#12 and JKS by content.
            return KeyStore.getInstance(file.toFile(), password.toCharArray());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            // IllegalArgumentException: no such file.
            String variable = kind.equals("trust") ? "RABBITMQ_TLS_TRUST_STORE" : "RABBITMQ_TLS_KEY_STORE";
            throw new IllegalArgumentException(
                    variable + ": cannot read the " + kind + " store " + file + " (wrong password, or not PKCS#12 or"
                            + " JKS): " + e.getMessage(),
                    e);
        }
    }

    /** Never prints the passwords. */
    @Override
    public String toString() {
        return "BrokerTls[trustStore=" + trustStore.map(Path::toString).orElse("JVM default") + ", keyStore="
                + keyStore.map(Path::toString).orElse("none") + ", verifyHostname=" + verifyHostname + "]";
    }
}
