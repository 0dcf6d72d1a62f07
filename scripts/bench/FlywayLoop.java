import org.flywaydb.core.Flyway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The best a Flyway CE user can do over a fleet without writing a tool: one JVM, one
 * {@code Flyway.migrate()} per database, one after another.
 * usage: FlywayLoop DIR URLS_FILE USER (one JDBC URL per line)
 */
public class FlywayLoop {
    public static void main(String[] a) throws Exception {
        List<String> urls = Files.readAllLines(Path.of(a[1])).stream().filter(l -> !l.isBlank()).toList();
        int applied = 0;
        for (String url : urls) {
            applied += Flyway.configure().dataSource(url, a[2], "").locations("filesystem:" + a[0]).load()
                    .migrate().migrationsExecuted;
        }
        System.out.println("applied " + applied + " migrations over " + urls.size() + " databases");
    }
}
