package dev.strata.serve;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts {@link HttpService} as the application starts when {@code strata.http.enabled} is true
 * ({@code strata serve}, and the tests that set it), and stops it first thing at shutdown, before
 * the database pools close. Kept apart from {@link HttpService} so that every other command only
 * reads the switch: the HTTP server, the router and the health reporter are never loaded then.
 */
@ApplicationScoped
public class HttpLifecycle {

    @ConfigProperty(name = "strata.http.enabled", defaultValue = "false")
    boolean enabled;

    @Inject
    Instance<HttpService> http;

    /**
     * Listens before the command line runs, so {@code serve} fails at start-up, not later, when it
     * cannot.
     *
     * @throws IllegalStateException when the server cannot listen (Quarkus then does not start)
     */
    void start(@Observes StartupEvent event) {
        if (enabled) {
            http.get().start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (enabled) {
            http.get().stop();
        }
    }
}
