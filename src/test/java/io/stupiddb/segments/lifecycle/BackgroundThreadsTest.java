package io.stupiddb.segments.lifecycle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Background threads run at a lower CPU priority than the thread that made them, read back from
 * the kernel (/proc/thread-self/stat), while the threads that serve requests keep theirs.
 */
@EnabledOnOs(OS.LINUX)
class BackgroundThreadsTest {

    @Test
    void aBackgroundThreadRunsTenNiceLevelsBelowItsCreator() throws Exception {
        assertTrue(BackgroundThreads.lowersPriority(), "setpriority(2) is linked on Linux");
        int mine = BackgroundThreads.currentNice();
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        CompletableFuture<String> name = new CompletableFuture<>();
        Thread t = BackgroundThreads.factory("test-background").newThread(() -> {
            name.complete(Thread.currentThread().getName());
            seen.complete(BackgroundThreads.currentNice());
        });
        assertTrue(t.isDaemon());
        t.start();
        assertEquals(Math.min(19, mine + BackgroundThreads.NICENESS), seen.get(10, TimeUnit.SECONDS));
        assertEquals("test-background", name.get(10, TimeUnit.SECONDS));
        assertEquals(mine, BackgroundThreads.currentNice(), "the creating thread keeps its priority");
    }

    @Test
    void everyThreadOfAFactoryLowersItself() throws Exception {
        var factory = BackgroundThreads.factory("bg");
        int mine = BackgroundThreads.currentNice();
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Integer> seen = new CompletableFuture<>();
            Thread t = factory.newThread(() -> seen.complete(BackgroundThreads.currentNice()));
            assertEquals("bg", t.getName());
            t.start();
            assertEquals(Math.min(19, mine + BackgroundThreads.NICENESS), seen.get(10, TimeUnit.SECONDS));
        }
    }
}
