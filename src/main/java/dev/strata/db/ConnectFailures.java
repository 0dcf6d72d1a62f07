package dev.strata.db;

import io.vertx.pgclient.PgException;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Explains the connection failures that are about TLS or the password, saying which check failed
 * and what to do, and never advising a weaker sslmode.
 */
final class ConnectFailures {

    private ConnectFailures() {
    }

    /** A one-line explanation, or null when {@code error} is neither a TLS nor a missing-password failure. */
    static ConnectionException explain(Throwable error, ConnectionSettings settings) {
        String target = settings.target();
        String user = settings.options().getUser();
        boolean noPassword = settings.options().getPassword() == null || settings.options().getPassword().isEmpty();
        String text = chain(error);
        if (noPassword && (isState(error, "28P01") || text.contains("'password' must not be empty")
                || text.contains("password must not be empty"))) {
            return new ConnectionException("the server asks for a password for user " + user + " (" + target
                    + ") and none was given: put it in the URL (percent-encoded), PGPASSWORD or the password file "
                    + PgPass.location(null, System.getenv()) + " (PGPASSFILE)", error);
        }
        if (!(find(error, SSLException.class) || find(error, CertificateException.class)
                || text.contains("SSL") || text.contains("TLS") || text.contains("ssl"))) {
            return null;
        }
        String mode = TlsSettings.name(settings.options().getSslMode());
        String host = settings.options().getHost();
        String message;
        if (settings.trust() != null && settings.trust().lastFailure() != null) {
            message = "TLS: " + settings.trust().lastFailure();
        } else if (text.contains("No subject alternative") || text.contains("No name matching")
                || text.contains("doesn't match any of the subject alternative names")) {
            message = "TLS: the server's certificate is not valid for host " + host + " (sslmode=" + mode
                    + " checks the host name): connect by a name the certificate lists, or have the server's "
                    + "certificate issued for " + host;
        } else if (find(error, CertPathValidatorException.class) || text.contains("PKIX path")
                || text.contains("unable to find valid certification path") || text.contains("signature check failed")) {
            message = "TLS: the server's certificate is not signed by a CA in sslrootcert (sslmode=" + mode
                    + " checks the chain): give the certificate of the CA that issued the server's certificate";
        } else if (text.contains("does not handle SSL") || text.contains("does not support SSL")
                || text.contains("SSL is not enabled") || text.contains("not support")) {
            message = "TLS: the server at " + host + ":" + settings.options().getPort() + " does not offer TLS, which "
                    + "sslmode=" + mode + " requires: enable ssl on the server";
        } else if (text.contains("certificate_required") || text.contains("bad_certificate")
                || text.contains("unknown_ca") && settings.options().getPemKeyCertOptions() != null) {
            message = "TLS: the server did not accept the client certificate (sslcert/sslkey) for user " + user
                    + ": use one issued by the CA in the server's ssl_ca_file";
        } else {
            message = "TLS negotiation with " + target + " failed (sslmode=" + mode + "): " + DatabaseUrl.redactText(text);
        }
        return new ConnectionException(message + " [" + target + "]", error);
    }

    private static boolean isState(Throwable error, String state) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && state.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean find(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String chain(Throwable error) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = error; t != null && b.length() < 2000; t = t.getCause()) {
            b.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" / ");
        }
        return b.toString();
    }
}
