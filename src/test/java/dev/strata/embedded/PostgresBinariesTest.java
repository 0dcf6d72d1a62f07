package dev.strata.embedded;

import org.junit.jupiter.api.Tag;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Extraction of a binaries archive (tier 1, on small archives made here). */
@Tag("unit")
class PostgresBinariesTest {

    @Test
    void extractsDirectoriesFilesWithTheirModesAndLinks(@TempDir Path dir) throws IOException {
        byte[] archive = txz(tar -> {
            directory(tar, "bin/");
            file(tar, "bin/postgres", "#!/bin/sh\n", 0755);
            file(tar, "lib/libpq.so.5.17", "elf", 0600);
            TarArchiveEntry link = new TarArchiveEntry("lib/libpq.so.5", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("libpq.so.5.17");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        });
        PostgresBinaries.extract(new ByteArrayInputStream(archive), dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("bin/postgres"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("lib/libpq.so.5.17"))))
                .as("readable by the server user too").isEqualTo("rw-r--r--");
        assertThat(Files.readSymbolicLink(dir.resolve("lib/libpq.so.5"))).isEqualTo(Path.of("libpq.so.5.17"));
        assertThat(Files.readString(dir.resolve("lib/libpq.so.5"))).isEqualTo("elf");
    }

    @Test
    void refusesEntriesAndLinksOutsideTheInstallation(@TempDir Path dir) throws IOException {
        byte[] escaping = txz(tar -> file(tar, "../evil", "x", 0644));
        assertThatThrownBy(() -> PostgresBinaries.extract(new ByteArrayInputStream(escaping), dir.resolve("a")))
                .isInstanceOf(IOException.class).hasMessageContaining("outside");
        byte[] link = txz(tar -> {
            TarArchiveEntry entry = new TarArchiveEntry("lib/x", TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName("../../etc/passwd");
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        });
        assertThatThrownBy(() -> PostgresBinaries.extract(new ByteArrayInputStream(link), dir.resolve("b")))
                .isInstanceOf(IOException.class).hasMessageContaining("outside");
        assertThat(dir.getParent().resolve("evil")).doesNotExist();
    }

    @Test
    void theBundledArchiveIsOnTheClassPath() {
        assertThat(getClass().getClassLoader().getResource(PostgresBinaries.ARCHIVE)).isNotNull();
        assertThat(PostgresBinaries.available(EmbeddedConfig.bundledVersion(), System.getenv())).isTrue();
    }

    private interface Writer {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private static byte[] txz(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(bytes, new LZMA2Options()))) {
            writer.write(tar);
        }
        return bytes.toByteArray();
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(name));
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, String content, int mode) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        entry.setMode(mode);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }
}
