package io.stupiddb.segments.it.reliability;

import io.stupiddb.segments.testing.ServiceLauncher;

import java.nio.file.Path;
import java.time.Duration;

/** The operator's {@code segment-tool} of the packaged jar (README), as a child process. */
final class SegmentTool {
    private SegmentTool() {}

    /** {@code segment-tool verify <path>}: "exit code: output". */
    static String verify(Path path) throws Exception {
        ServiceLauncher.ToolRun run = ServiceLauncher.segmentTool(Duration.ofSeconds(120), "verify", path.toString());
        return run.exitCode().isPresent()
                ? run.exitCode().getAsInt() + ": " + run.output().strip()
                : "timeout: " + run.output();
    }
}
