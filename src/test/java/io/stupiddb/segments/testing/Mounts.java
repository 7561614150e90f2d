package io.stupiddb.segments.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Small file systems for the disk-full and power-cut tests: a size-capped tmpfs, and an ext4
 * image on a loop device. Needs root and the mount syscall (containers often forbid it):
 * {@link #tmpfsAvailable()} and {@link #loopAvailable()} try it once. Every mount is undone in
 * {@link Mount#close()} (lazily if busy), so a test never leaves a mount behind.
 */
public final class Mounts {
    private static Boolean tmpfs;
    private static Boolean loop;

    private Mounts() {}

    /** A mounted file system; {@link #close()} unmounts it. */
    public static final class Mount implements AutoCloseable {
        private final Path point;

        private Mount(Path point) {
            this.point = point;
        }

        public Path point() {
            return point;
        }

        @Override
        public void close() throws IOException {
            String plain = run("umount", point.toString());
            if (plain != null) {
                String lazy = run("umount", "-l", point.toString());
                if (lazy != null && isMounted(point)) {
                    throw new IOException("could not unmount " + point + ": " + plain + "; " + lazy);
                }
            }
        }
    }

    /** Mounts a tmpfs of {@code kib} KiB at {@code point} (created if needed). */
    public static Mount tmpfs(Path point, long kib) throws IOException {
        Files.createDirectories(point);
        String error = run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0755", "tmpfs", point.toString());
        if (error != null) {
            throw new IOException("mount tmpfs at " + point + ": " + error);
        }
        return new Mount(point);
    }

    /** Creates an ext4 image of {@code mib} MiB and mounts it through a loop device at {@code point}. */
    public static Mount ext4(Path image, long mib, Path point) throws IOException {
        Files.createDirectories(point);
        if (!Files.exists(image)) {
            try (var channel = java.nio.channels.FileChannel.open(
                    image, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(0);
                channel.write(java.nio.ByteBuffer.wrap(new byte[1]), mib * 1024 * 1024 - 1);
            }
            String mkfs =
                    run("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", image.toString());
            if (mkfs != null) {
                throw new IOException("mkfs.ext4 " + image + ": " + mkfs);
            }
        }
        return mountImage(image, point);
    }

    /** Mounts an existing ext4 image (e.g. a copy taken at a simulated power cut). */
    public static Mount mountImage(Path image, Path point) throws IOException {
        Files.createDirectories(point);
        String error = run("mount", "-t", "ext4", "-o", "loop", image.toString(), point.toString());
        if (error != null) {
            throw new IOException("mount -o loop " + image + " at " + point + ": " + error);
        }
        return new Mount(point);
    }

    /** The loop device backing a mount point (from /proc/self/mountinfo), e.g. "loop3"; null if none. */
    public static String loopDevice(Path point) throws IOException {
        String target = point.toRealPath().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && fields[4].equals(target)) {
                int dash = java.util.Arrays.asList(fields).indexOf("-");
                String source = fields[dash + 2];
                return source.startsWith("/dev/loop") ? source.substring("/dev/".length()) : null;
            }
        }
        return null;
    }

    public static boolean isMounted(Path point) {
        try {
            String target = point.toRealPath().toString();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length > 4 && fields[4].equals(target)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Whether a size-capped tmpfs can be mounted here (tried once). */
    public static synchronized boolean tmpfsAvailable() {
        if (tmpfs == null) {
            tmpfs = isRoot() && tryMount(false);
        }
        return tmpfs;
    }

    /** Whether an ext4 loop image can be made and mounted here (tried once). */
    public static synchronized boolean loopAvailable() {
        if (loop == null) {
            loop = isRoot() && tryMount(true);
        }
        return loop;
    }

    /** Whether this process can mount file systems at all (root; the syscall may still be refused). */
    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean tryMount(boolean ext4) {
        try {
            Path dir = Files.createTempDirectory("mount-probe-");
            try {
                try (Mount mount =
                        ext4 ? ext4(dir.resolve("probe.img"), 8, dir.resolve("mnt")) : tmpfs(dir.resolve("mnt"), 64)) {
                    Files.writeString(mount.point().resolve("probe"), "ok");
                }
                return true;
            } finally {
                TestFiles.deleteRecursively(dir);
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("mount probe (" + (ext4 ? "ext4 loop" : "tmpfs") + ") failed: " + e.getMessage());
            return false;
        }
    }

    /** Runs a command; null on success, else its output and exit code. */
    public static String run(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timed out";
            }
            return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
