package dev.strata.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Strata's version, from the Maven-filtered resource {@code strata-version.properties}. */
public final class Version {

    private Version() {
    }

    /** The version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} outside a Maven build. */
    public static String get() {
        try (InputStream in = Version.class.getClassLoader().getResourceAsStream("strata-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
