package dev.strata.db;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Checks the server's certificate as libpq does (PostgreSQL docs, "Verification of Server
 * Certificates", 34.19.1): the chain against the CA certificates of {@code sslrootcert}, and for
 * {@code verify-full} the host name against the certificate's subject alternative names (DNS names
 * with a leftmost {@code *} label, IP addresses), or its common name when it has no DNS name. It
 * remembers which check failed, because the TLS layer reports only "handshake failed".
 */
public final class TlsTrust extends X509ExtendedTrustManager {

    private final X509TrustManager chain;
    private final String host;
    private final String caSource;
    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    private TlsTrust(X509TrustManager chain, String host, String caSource) {
        this.chain = chain;
        this.host = host;
        this.caSource = caSource;
    }

    /**
     * A trust manager for the CA certificates in a PEM file, or the JVM's ({@code system}).
     *
     * @param host the host name to check, or null for verify-ca
     * @throws ConfigException when the file holds no certificate
     */
    static TlsTrust of(String rootCert, String host, String source) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if ("system".equals(rootCert)) {
                factory.init((KeyStore) null);
            } else {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                Collection<? extends Certificate> certificates;
                try (InputStream in = Files.newInputStream(Path.of(rootCert))) {
                    certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
                }
                if (certificates.isEmpty()) {
                    throw new ConfigException(source + ": sslrootcert " + rootCert + " holds no certificate");
                }
                int i = 0;
                for (Certificate certificate : certificates) {
                    store.setCertificateEntry("ca-" + i++, certificate);
                }
                factory.init(store);
            }
            X509TrustManager manager = (X509TrustManager) factory.getTrustManagers()[0];
            return new TlsTrust(manager, host, "system".equals(rootCert) ? "the JVM's trusted CAs (sslrootcert=system)"
                    : "sslrootcert " + rootCert);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(source + ": cannot read sslrootcert " + rootCert + ": " + e.getMessage());
        }
    }

    /** Which check failed at the last handshake, as a sentence for the user, or null. */
    public String lastFailure() {
        return lastFailure.get();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
        try {
            chain.checkServerTrusted(certificates, authType);
        } catch (CertificateException e) {
            lastFailure.set("the server's certificate (" + subject(certificates) + ") is not signed by a CA in "
                    + caSource + ": give the certificate of the CA that issued it");
            throw e;
        }
        if (host != null && !matchesHost(certificates[0], host)) {
            lastFailure.set("the server's certificate is not valid for host " + host + " (it names "
                    + names(certificates[0]) + "; sslmode=verify-full checks the host name): connect by a name the "
                    + "certificate lists, or have the server's certificate issued for " + host);
            throw new CertificateException("host name " + host + " does not match the server certificate");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(certificates, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(certificates, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
        throw new CertificateException("Strata is a client; it does not check client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(certificates, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(certificates, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }

    /** libpq's rule: a SAN entry of the host's kind matches, else (no DNS SAN at all) the common name. */
    static boolean matchesHost(X509Certificate certificate, String host) {
        boolean ip = host.matches("[0-9.]+") || host.contains(":");
        boolean anyDns = false;
        for (List<?> entry : alternativeNames(certificate)) {
            int type = (Integer) entry.get(0);
            String value = String.valueOf(entry.get(1));
            if (type == 2) {
                anyDns = true;
                if (!ip && dnsMatches(value, host)) {
                    return true;
                }
            } else if (type == 7 && ip && sameAddress(value, host)) {
                return true;
            }
        }
        return !anyDns && !ip && dnsMatches(commonName(certificate), host);
    }

    private static boolean dnsMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b));
        } catch (IOException e) {
            return false;
        }
    }

    private static Collection<List<?>> alternativeNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String commonName(X509Certificate certificate) {
        for (String part : certificate.getSubjectX500Principal().getName().split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return "";
    }

    private static String names(X509Certificate certificate) {
        List<String> names = alternativeNames(certificate).stream()
                .filter(e -> (Integer) e.get(0) == 2 || (Integer) e.get(0) == 7)
                .map(e -> String.valueOf(e.get(1))).toList();
        return names.isEmpty() ? "CN=" + commonName(certificate) : String.join(", ", names);
    }

    private static String subject(X509Certificate[] certificates) {
        return certificates.length == 0 ? "none" : "issued by " + certificates[0].getIssuerX500Principal().getName();
    }
}
