package dev.ballast.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Finds the PostgreSQL server programs (initdb, pg_ctl) Ballast runs its local database with:
 * an explicit directory, else the machine's own installation, else the binaries bundled from Maven,
 * unpacked once into a directory of Ballast's own.
 */
final class PostgresBinaries {

    static final String AUTO = "auto";
    static final String BUNDLED = "bundled";
    private static final String BUNDLED_ARCHIVE = "postgres-linux-x86_64.txz";
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    private PostgresBinaries() {
    }

    /**
     * @param choice    "auto", "bundled", or a path to a directory holding initdb and pg_ctl
     * @param unpackDir where bundled binaries are unpacked when they are used
     */
    static Path resolve(String choice, Path unpackDir) {
        if (BUNDLED.equals(choice)) {
            return unpackBundled(unpackDir);
        }
        if (!AUTO.equals(choice)) {
            Path dir = Path.of(choice);
            if (!hasServerPrograms(dir)) {
                throw new EmbeddedPostgresException("ballast.embedded-postgres.binaries: " + dir
                        + " holds no initdb and pg_ctl");
            }
            return dir;
        }
        return machineInstallation().orElseGet(() -> unpackBundled(unpackDir));
    }

    /** The newest /usr/lib/postgresql/N/bin, where Debian and Ubuntu install the server. */
    static Optional<Path> machineInstallation() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .filter(PostgresBinaries::hasServerPrograms);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasServerPrograms(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
    }

    private static Path unpackBundled(Path unpackDir) {
        Path bin = unpackDir.resolve("bin");
        if (hasServerPrograms(bin)) {
            return bin;
        }
        try (InputStream archive = PostgresBinaries.class.getClassLoader().getResourceAsStream(BUNDLED_ARCHIVE)) {
            if (archive == null) {
                throw new EmbeddedPostgresException("no PostgreSQL installed on this machine and no bundled "
                        + BUNDLED_ARCHIVE + " on the class path; install PostgreSQL or set quarkus.datasource.jdbc.url");
            }
            Path partial = Files.createDirectories(unpackDir.resolveSibling(unpackDir.getFileName() + ".partial"));
            untar(archive, partial);
            // Rename last, so an interrupted unpack is never mistaken for a complete one.
            Files.move(partial, unpackDir, StandardCopyOption.ATOMIC_MOVE);
            return bin;
        } catch (IOException e) {
            throw new UncheckedIOException("unpacking bundled PostgreSQL into " + unpackDir, e);
        }
    }

    private static void untar(InputStream archive, Path target) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("archive entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.deleteIfExists(out);
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    boolean executable = (entry.getMode() & 0111) != 0;
                    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }
}
