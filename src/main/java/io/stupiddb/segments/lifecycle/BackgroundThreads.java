package io.stupiddb.segments.lifecycle;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * Threads for the store's deferred work (compaction into format v2, the rewrite that reclaims
 * deleted documents' space; not the fsync=interval syncer, which durability waits on) that give way
 * to the work a client waits for: each such
 * thread lowers its own CPU priority to nice {@value #NICENESS} when it starts, so on a busy machine
 * the kernel runs writes, gets and scans first and the background work takes the CPU left over;
 * on an idle one it runs at full speed as before. ClickHouse runs its background merges the same way
 * ({@code os_thread_priority}); Java's own thread priorities do nothing on Linux unless the JVM runs
 * as root with {@code -XX:ThreadPriorityPolicy=1}.
 *
 * <p>Linux keeps the nice value per thread (setpriority(2), "BUGS": per thread under NPTL, and
 * {@code who = 0} is the calling thread), and any thread may raise its own niceness without
 * privileges. Where that call is not available (another OS, a native image without the downcall),
 * the threads run at normal priority: {@link #lowersPriority()} says which.
 *
 * <p>Immutable and thread-safe: the only state is the linked downcall, made once per instance.
 */
public final class BackgroundThreads {
    /** How much lower than the process: enough to yield to the request threads, not starve. */
    public static final int NICENESS = 10;

    private static final int PRIO_PROCESS = 0;

    private final Optional<MethodHandle> setpriority;

    private BackgroundThreads(Optional<MethodHandle> setpriority) {
        this.setpriority = setpriority;
    }

    /** Links setpriority(2) when this platform has it. */
    public static BackgroundThreads linked() {
        if (!System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .contains("linux")) {
            return new BackgroundThreads(Optional.empty());
        }
        try {
            Linker linker = Linker.nativeLinker();
            return new BackgroundThreads(linker.defaultLookup()
                    .find("setpriority")
                    .map(address -> linker.downcallHandle(
                            address,
                            FunctionDescriptor.of(
                                    ValueLayout.JAVA_INT,
                                    ValueLayout.JAVA_INT,
                                    ValueLayout.JAVA_INT,
                                    ValueLayout.JAVA_INT))));
        } catch (RuntimeException | LinkageError e) { // no native access: normal priority
            return new BackgroundThreads(Optional.empty());
        }
    }

    /** Whether threads from {@link #factory} run at a lower priority here. */
    public boolean lowersPriority() {
        return setpriority.isPresent();
    }

    /**
     * Daemon platform threads named {@code name} (plus a counter from 0 when {@code numbered}) that
     * lower their own priority before running anything.
     */
    public ThreadFactory factory(String name, boolean numbered) {
        Thread.Builder.OfPlatform builder = Thread.ofPlatform().daemon();
        ThreadFactory threads = (numbered ? builder.name(name, 0) : builder.name(name)).factory();
        return task -> threads.newThread(() -> {
            lowerCurrentThread();
            task.run();
        });
    }

    /** Lowers the calling thread's priority by {@value #NICENESS}; false when it could not. */
    boolean lowerCurrentThread() {
        if (setpriority.isEmpty()) {
            return false;
        }
        try {
            // nice values are absolute: the process's own plus ours, as nice(1) would set it
            int current = currentNice();
            return (int) setpriority.get().invokeExact(PRIO_PROCESS, 0, Math.min(19, current + NICENESS)) == 0;
        } catch (Throwable e) { // a failed downcall must not stop the background work
            return false;
        }
    }

    /** The calling thread's nice value, from /proc/thread-self/stat (field 19); 0 when unreadable. */
    static int currentNice() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count after its ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]); // field 19 overall, the 17th after the name
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }
}
