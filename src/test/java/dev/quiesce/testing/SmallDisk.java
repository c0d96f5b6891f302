package dev.quiesce.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * A small filesystem a test can fill: a tmpfs of a given size mounted on a fresh directory (root only, as in CI).
 * {@link #fill()} leaves no byte free, {@link #free()} gives the space back; {@link #close()} unmounts it (lazily
 * if files are still open) and removes the directory, and a disk never closed is unmounted when the JVM exits.
 * Not for concurrent use: one test drives it.
 */
public final class SmallDisk implements AutoCloseable {

    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);
    private static final String FILLER = ".small-disk-filler";
    private static final String DISK_FULL = "No space left on device";

    private final Path dir;
    private final Thread exitHook;
    private boolean closed;

    private SmallDisk(Path dir) {
        this.dir = dir;
        this.exitHook = new Thread(this::unmountQuietly, "small-disk-exit");
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /**
     * Mounts a tmpfs of {@code bytes} (rounded up to whole pages by the kernel) on a new temporary directory.
     * Throws, saying why, when it cannot: fault tests must fail rather than be skipped.
     */
    public static SmallDisk mount(long bytes) throws IOException {
        Path dir = Files.createTempDirectory("small-disk");
        Commands.Result mount = Commands.run(COMMAND_LIMIT,
                List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700", "tmpfs", dir.toString()));
        if (!mount.succeeded()) {
            Files.deleteIfExists(dir);
            throw new IOException("cannot mount a tmpfs of " + bytes + " bytes on " + dir + " (mount exit status "
                    + mount.status() + ": " + mount.output() + "); SmallDisk needs root (CAP_SYS_ADMIN), user is "
                    + System.getProperty("user.name"));
        }
        return new SmallDisk(dir);
    }

    /** The directory the disk is mounted on. */
    public Path dir() {
        return dir;
    }

    /**
     * Writes a filler file until the disk is full: afterwards no byte is free and a write that needs space
     * fails with "No space left on device". Filling a full disk changes nothing.
     */
    public void fill() throws IOException {
        requireOpen();
        try (FileChannel filler = FileChannel.open(dir.resolve(FILLER), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            // large pieces for speed, then smaller ones for what a large piece left of the last page
            for (int piece : new int[] {1 << 20, 4096, 1}) {
                writeUntilFull(filler, piece);
            }
        }
        long left = Files.getFileStore(dir).getUsableSpace();
        if (left != 0) {
            throw new IllegalStateException("the filled disk at " + dir + " still has " + left + " bytes free");
        }
    }

    /** Deletes the filler file, so the space {@link #fill()} took is free again; on a disk not filled, nothing. */
    public void free() throws IOException {
        requireOpen();
        Files.deleteIfExists(dir.resolve(FILLER));
    }

    /** Unmounts the disk, lazily if a file on it is still open, and removes its directory. Safe to call twice. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            unmount();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException e) {
                // the JVM is exiting; the hook runs anyway and finds the disk unmounted
            }
        }
    }

    private void unmount() throws IOException {
        Commands.Result umount = Commands.run(COMMAND_LIMIT, List.of("umount", dir.toString()));
        if (!umount.succeeded()) {
            // busy: a test still holds a file open (a SQLite connection); detach now, the kernel frees it later
            Commands.check(COMMAND_LIMIT, List.of("umount", "-l", dir.toString()));
        }
        Files.deleteIfExists(dir);
    }

    private void unmountQuietly() {
        try {
            unmount();
        } catch (IOException e) {
            // the JVM is exiting; nothing better to do
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the small disk at " + dir + " is closed");
        }
    }

    /** Appends pieces of {@code size} zero bytes until the disk runs full; any other failure is thrown. */
    private static void writeUntilFull(FileChannel file, int size) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(size);
        try {
            while (true) {
                file.write(zeros.clear());
            }
        } catch (IOException e) {
            if (!DISK_FULL.equals(e.getMessage())) {
                throw e;
            }
        }
    }
}
