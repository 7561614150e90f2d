package io.stupiddb.segments.it.reliability;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The operator's {@code segment-tool} of the packaged jar (README), as a child process. */
final class SegmentTool {
    private SegmentTool() {
    }

    /** {@code segment-tool verify <path>}: "exit code: output". */
    static String verify(Path path) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process tool = new ProcessBuilder(java, "-jar", ServiceProcess.JAR.toString(), "segment-tool", "verify",
                path.toString()).redirectErrorStream(true).start();
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!tool.waitFor(120, TimeUnit.SECONDS)) {
            tool.destroyForcibly();
            return "timeout: " + output;
        }
        return tool.exitValue() + ": " + output.strip();
    }
}
