package dev.strata.cli;

import dev.strata.catalog.Scaffold;
import dev.strata.report.ExitCodes;
import dev.strata.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code strata create "description"}: write the next migration's SQL file and class. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Write the next-numbered migration: src/main/resources/db/migrations/NNN_description.sql and "
                + "src/main/java/crm/migrations/MigrationNNN.java (whose verify() fails until you write it); "
                + "with --location, only the SQL file in that folder. Prints both paths.")
public class CreateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DESCRIPTION", description = "What the migration does, e.g. \"add invoices\".")
    String description;

    @Option(names = "--depends-on", paramLabel = "N", split = ",", description = "Numbers of migrations it depends on.")
    List<Long> dependsOn;

    @Option(names = "--project", paramLabel = "DIR", defaultValue = ".",
            description = "Project root holding src/main/resources/db/migrations (default: the current directory).")
    Path project;

    @Mixin
    CatalogOptions catalogOptions;
    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        List<Long> deps = dependsOn == null ? List.of() : dependsOn;
        Scaffold.Created created = catalogOptions.location() != null
                ? Scaffold.create(Path.of(catalogOptions.location()), null, description, deps)
                : Scaffold.create(project.resolve(Scaffold.SQL_DIR), project.resolve(Scaffold.CLASS_DIR), description, deps);
        if (output.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("sql", created.sql().toString());
            json.put("class", created.javaClass() == null ? null : created.javaClass().toString());
            Json.print(json);
        } else {
            Console.out().println("Created " + created.sql());
            if (created.javaClass() != null) {
                Console.out().println("Created " + created.javaClass());
                Console.out().println("Next: write the SQL, then verify() in the class, then run strata scan and the tests.");
            }
        }
        return ExitCodes.OK;
    }
}
