package dev.strata.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The layouts Strata reads, by name, and the detection behind {@code --layout auto}: the first of
 * these signs decides — {@code sqitch.plan}; a folder holding {@code migration.sql} (Prisma) or
 * {@code up.sql} (Diesel); a {@code V…__} file (Flyway); a {@code 0001-x.sql} hyphen
 * (postgres-migrations); {@code -- +goose} or {@code -- migrate:up} at the top of a file (goose,
 * dbmate); {@code .up.sql} files (golang-migrate); a folder Strata reads as it is (strata); else sqlx.
 */
public final class Layouts {

    /** Every layout name {@code --layout} accepts, {@code auto} first. */
    public static final List<String> NAMES = List.of("auto", "strata", "flyway", "golang-migrate", "dbmate", "goose",
            "sqlx", "prisma", "diesel", "sqitch", "postgres-migrations");

    private static final Pattern FLYWAY_NAME = Pattern.compile("[VR]\\d*(?:[._]\\d+)*__.*\\.sql");
    private static final Pattern HYPHEN_NAME = Pattern.compile("\\d+-.+\\.sql");
    private static final Pattern UP_NAME = Pattern.compile("\\d+_.+\\.up\\.sql");
    private static final Pattern VERSIONED_NAME = Pattern.compile("\\d+_.+\\.(?i:sql)");
    private static final int HEAD_BYTES = 512;

    private Layouts() {
    }

    /**
     * The layout for a location: the named one, or the detected one for {@code auto}.
     *
     * @throws CatalogException for a name not in {@link #NAMES}
     */
    public static CatalogLayout forLocation(Path location, String name) {
        String chosen = name == null || name.isBlank() ? "auto" : name.strip().toLowerCase(Locale.ROOT);
        if (chosen.equals("auto")) {
            chosen = detect(location);
        }
        return switch (chosen) {
            case "strata" -> StrataLayout.INSTANCE;
            case "flyway" -> FileNameLayout.FLYWAY;
            case "golang-migrate" -> FileNameLayout.GOLANG_MIGRATE;
            case "dbmate" -> FileNameLayout.DBMATE;
            case "goose" -> FileNameLayout.GOOSE;
            case "sqlx" -> FileNameLayout.SQLX;
            case "prisma" -> FileNameLayout.PRISMA;
            case "diesel" -> FileNameLayout.DIESEL;
            case "postgres-migrations" -> FileNameLayout.POSTGRES_MIGRATIONS;
            case "sqitch" -> SqitchLayout.read(location);
            default -> throw new CatalogException(List.of("unknown layout '" + name + "'; use one of "
                    + String.join(", ", NAMES)));
        };
    }

    /** The name of the layout {@code location} looks like (it must be a directory); see the class comment. */
    static String detect(Path location) {
        if (Files.isRegularFile(location.resolve(SqitchLayout.PLAN))) {
            return "sqitch";
        }
        List<Path> top = list(location);
        for (Path entry : top) {
            if (Files.isDirectory(entry)) {
                if (Files.isRegularFile(entry.resolve("migration.sql"))) {
                    return "prisma";
                }
                if (Files.isRegularFile(entry.resolve("up.sql"))) {
                    return "diesel";
                }
            }
        }
        List<String> sqlNames = top.stream().filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                .filter(n -> n.toLowerCase(Locale.ROOT).endsWith(".sql")).toList();
        if (sqlNames.stream().anyMatch(n -> FLYWAY_NAME.matcher(n).matches())) {
            return "flyway";
        }
        if (sqlNames.stream().anyMatch(n -> HYPHEN_NAME.matcher(n).matches())) {
            return "postgres-migrations";
        }
        for (Path entry : top) {
            String head = head(entry).toLowerCase(Locale.ROOT);
            if (head.contains("-- +goose")) {
                return "goose";
            }
            if (head.contains("-- migrate:up")) {
                return "dbmate";
            }
        }
        if (sqlNames.stream().anyMatch(n -> UP_NAME.matcher(n).matches())) {
            return "golang-migrate";
        }
        List<String> versioned = sqlNames.stream().filter(n -> VERSIONED_NAME.matcher(n).matches()).toList();
        return versioned.isEmpty() || versioned.stream().allMatch(Layouts::fitsStrata) ? "strata" : "sqlx";
    }

    /** 3 to 18 digits: what Strata's own names hold (18 digits always fit a {@code long}). */
    private static boolean fitsStrata(String name) {
        int digits = name.indexOf('_');
        return digits >= 3 && digits <= 18;
    }

    private static List<Path> list(Path location) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(location)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            return List.of(); // the walk that follows reports it, naming the folder
        }
        entries.sort(null);
        return entries;
    }

    private static String head(Path file) {
        if (!Files.isRegularFile(file) || !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql")) {
            return "";
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(HEAD_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
