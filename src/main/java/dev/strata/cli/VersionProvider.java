package dev.strata.cli;

import dev.strata.engine.Version;
import picocli.CommandLine.IVersionProvider;

/** What {@code strata --version} prints: {@code strata <version>}, from {@link Version}. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"strata " + Version.get()};
    }
}
