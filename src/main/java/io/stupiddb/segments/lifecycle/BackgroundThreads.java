package io.stupiddb.segments.lifecycle;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * Threads for the store's deferred work (compaction into format v2, the rewrite that reclaims
 * deleted documents' space; not the fsync=interval syncer, which durability waits on) that give way
 * to the work a client waits for: each such thread lowers its own CPU priority to nice
 * {@value #NICENESS} when it starts, so on a busy machine the kernel runs writes, gets and scans
 * first and the background work takes the CPU left over; on an idle one it runs at full speed as
 * before. ClickHouse runs its background merges the same way ({@code os_thread_priority}); Java's
 * own thread priorities do nothing on Linux unless the JVM runs as root with
 * {@code -XX:ThreadPriorityPolicy=1}.
 *
 * <p>Linux keeps the nice value per thread (setpriority(2), "BUGS": per thread under NPTL, and
 * {@code who = 0} is the calling thread), and any thread may raise its own niceness without
 * privileges. The downcall is linked by the new thread itself, not by whoever creates the factory:
 * the first link costs 80-100 ms, which would otherwise land on the store's start-up. Where the call
 * is not available (another OS, a native image without the downcall), the threads run at normal
 * priority: {@link #lowersPriority()} says which.
 *
 * <p>Stateless and thread-safe.
 */
public final class BackgroundThreads {
    /** How much lower than the process: enough to yield to the request threads, not starve. */
    public static final int NICENESS = 10;

    private static final int PRIO_PROCESS = 0;

    private BackgroundThreads() {}

    /** Daemon platform threads named {@code name} that lower their own priority before running anything. */
    public static ThreadFactory factory(String name) {
        ThreadFactory threads = Thread.ofPlatform().daemon().name(name).factory();
        return task -> threads.newThread(() -> {
            lowerCurrentThread();
            task.run();
        });
    }

    /** Whether threads from {@link #factory} run at a lower priority here. */
    public static boolean lowersPriority() {
        return setpriority().isPresent();
    }

    /** Lowers the calling thread's priority by {@value #NICENESS}; false when it could not. */
    static boolean lowerCurrentThread() {
        Optional<MethodHandle> setpriority = setpriority();
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

    /** setpriority(2), linked, when this platform has it (the linker keeps the stub: later links are cheap). */
    private static Optional<MethodHandle> setpriority() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.empty();
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup()
                    .find("setpriority")
                    .map(address -> linker.downcallHandle(
                            address,
                            FunctionDescriptor.of(
                                    ValueLayout.JAVA_INT,
                                    ValueLayout.JAVA_INT,
                                    ValueLayout.JAVA_INT,
                                    ValueLayout.JAVA_INT)));
        } catch (RuntimeException | LinkageError e) { // no native access: normal priority
            return Optional.empty();
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
