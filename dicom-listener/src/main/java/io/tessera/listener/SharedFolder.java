package io.tessera.listener;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;

/**
 * The folder every node of a cluster mounts ({@code storage.sharedDir}, e.g. NFS): an ingest node copies each
 * acknowledged instance there, under the same relative path as in its own spool ({@code incoming/<study>/<series>/
 * <sop>.dcm}), before the instance is indexed — so no study can complete with an instance that other nodes cannot
 * read — and workers read pixels from there. The write-ahead log and the local spool stay on the node.
 *
 * <p>A copy is written to a part file of its own (two ingest nodes may receive the same instance), forced, and
 * renamed over the target in one step: a reader sees either no file or a whole one.
 */
public final class SharedFolder {
    private final Path root;

    public SharedFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Copies {@code local} to {@code <root>/<relative>}, durably; returns the shared path. */
    Path copy(Path local, String relative) throws IOException {
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root)) throw new IOException("TSR-1031: path outside the shared folder: " + relative);
        Path dir = target.getParent();
        io.tessera.core.OwnerOnly.createDirectories(dir);
        Path part = dir.resolve(target.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            try (FileChannel in = FileChannel.open(local, StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(part, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                         io.tessera.core.OwnerOnly.file())) {
                long size = in.size();
                for (long done = 0; done < size; ) done += in.transferTo(done, size - done, out);
                out.force(true);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        forceDirectory(dir);
        return target;
    }

    /** Makes the new name durable; a file system that cannot sync a directory (some network mounts) syncs on close. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // NFS commits the rename on the server before answering; nothing more can be asked of it here
        }
    }
}
