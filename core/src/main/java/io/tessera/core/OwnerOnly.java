package io.tessera.core;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Received instances, results and reports are patient data: the folders Tessera makes for them are {@code rwx------}
 * and the spool's files {@code rw-------}, whatever the process umask, so that no other local user can read them. On a
 * file system without POSIX permissions (Windows) these are plain {@link Files#createDirectories} and no attributes.
 */
public final class OwnerOnly {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    private OwnerOnly() {}

    /** As {@link Files#createDirectories}; every folder it creates is {@code 0700} (existing ones are left as they are). */
    public static Path createDirectories(Path dir) throws IOException {
        return POSIX ? Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR)) : Files.createDirectories(dir);
    }

    /** The attributes that create a file {@code 0600}, for {@code FileChannel.open} and {@code Files.newByteChannel}. */
    public static FileAttribute<?>[] file() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : NONE;
    }

    /** Makes an existing folder {@code 0700}; true when it was more open before. */
    public static boolean restrictDirectory(Path dir) throws IOException {
        if (!POSIX || Files.getPosixFilePermissions(dir).equals(DIR)) return false;
        Files.setPosixFilePermissions(dir, DIR);
        return true;
    }
}
