package dev.strata.catalog;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the files of a migration location: walks every entry, subdirectories included, follows
 * symbolic links to files, and asks a {@link CatalogLayout} about each SQL file (any case of
 * {@code .sql}). Whatever looks like a migration and cannot be read as one — a broken or looping
 * link, a file the layout does not read — becomes a problem naming it, so nothing is skipped
 * silently. Reads no file contents.
 */
final class CatalogDirectory {

    /** Entries looked at below the location before giving up (a location should hold migrations only). */
    static final int MAX_ENTRIES = 10_000;

    /** Subdirectory depth looked at; deeper is reported, not skipped. */
    static final int MAX_DEPTH = 16;

    private static final int SHOWN = 3;

    /** A file to read, with its role. */
    record Found(Path path, String relative, CatalogLayout.Role role) {
    }

    /**
     * What the walk found.
     *
     * @param files    files to read, by name
     * @param problems one line each, naming the entry and what to do
     * @param others   top-level entries that are not read (other files, folders as {@code name/},
     *                 down parts), by name: what a user sees with {@code ls}
     */
    record Discovery(List<Found> files, List<String> problems, List<String> others) {
    }

    private final Path root;
    private final CatalogLayout layout;
    private final List<Found> files = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> others = new ArrayList<>();
    private final List<String> unread = new ArrayList<>();
    private final Set<Path> visited = new HashSet<>();
    private int entries;

    private CatalogDirectory(Path root, CatalogLayout layout) {
        this.root = root;
        this.layout = layout;
    }

    /**
     * Walks {@code directory} (which must exist) as {@code layout} says.
     *
     * @throws CatalogException when the directory itself cannot be listed
     */
    static Discovery discover(Path directory, CatalogLayout layout) {
        CatalogDirectory walk = new CatalogDirectory(directory, layout);
        walk.visitDirectory(directory, "", 0);
        if (!walk.unread.isEmpty()) {
            walk.problems.add(directory + " holds SQL files in subdirectories, which Strata does not read: "
                    + shortList(walk.unread) + "; " + layout.unreadHint(directory.toString()));
        }
        walk.files.sort(Comparator.comparing(Found::relative));
        return new Discovery(List.copyOf(walk.files), List.copyOf(walk.problems), List.copyOf(walk.others));
    }

    /** Up to three names, then how many more, e.g. {@code a, b, c (and 2 more)}. */
    static String shortList(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(SHOWN, names.size())));
        return names.size() > SHOWN ? shown + " (and " + (names.size() - SHOWN) + " more)" : shown;
    }

    private void visitDirectory(Path directory, String prefix, int depth) {
        try {
            if (!visited.add(directory.toRealPath())) {
                return; // a link back to a folder already walked: nothing new in it
            }
        } catch (IOException e) {
            problems.add(directory + ": cannot be resolved (" + reason(e) + "); fix or remove it");
            return;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(children::add);
        } catch (IOException e) {
            if (depth == 0) {
                throw new CatalogException(List.of("cannot list " + directory + ": " + reason(e)));
            }
            problems.add(directory + ": cannot be listed (" + reason(e) + "); check its permissions or move it out of "
                    + root);
            return;
        }
        children.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path child : children) {
            if (++entries > MAX_ENTRIES) {
                problems.add(root + ": more than " + MAX_ENTRIES + " entries below it, not all checked; "
                        + "a migration location should hold only migrations");
                return;
            }
            visitEntry(child, prefix + child.getFileName(), depth);
        }
    }

    private void visitEntry(Path entry, String relative, int depth) {
        boolean sqlName = entry.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(StrataLayout.SQL);
        if (Files.isSymbolicLink(entry) && !resolves(entry)) {
            return;
        }
        if (Files.isDirectory(entry)) {
            if (sqlName) {
                problems.add(entry + ": is a directory, not a migration file; rename or move it");
            } else if (depth + 1 > MAX_DEPTH) {
                problems.add(entry + ": more than " + MAX_DEPTH + " folders deep, not checked; move it out of " + root);
            } else {
                listTopLevel(relative + "/", depth);
                visitDirectory(entry, relative + "/", depth + 1);
            }
            return;
        }
        if (!sqlName) {
            listTopLevel(relative, depth);
            return;
        }
        if (!Files.isRegularFile(entry)) {
            problems.add(entry + ": is not a regular file (a pipe or device?); replace it with the migration file");
            return;
        }
        CatalogLayout.Role role = layout.classify(relative);
        switch (role) {
            case MIGRATION, VERIFY -> files.add(new Found(entry, relative, role));
            case NEVER_RUN -> listTopLevel(relative, depth);
            case UNKNOWN -> unread.add(relative);
        }
    }

    /** False, after reporting it, when a symbolic link leads nowhere: dangling, or a loop. */
    private boolean resolves(Path link) {
        try {
            link.toRealPath();
            return true;
        } catch (NoSuchFileException e) {
            problems.add(link + ": symbolic link to " + target(link) + ", which does not exist; fix the link or remove it");
        } catch (IOException e) {
            problems.add(link + ": symbolic link that loops (" + reason(e) + "); fix the link or remove it");
        }
        return false;
    }

    private void listTopLevel(String relative, int depth) {
        if (depth == 0) {
            others.add(relative);
        }
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "an unreadable target";
        }
    }

    private static String reason(IOException e) {
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        return reason == null ? e.getClass().getSimpleName() : reason;
    }
}
