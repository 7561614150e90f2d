package io.stupiddb.segments.floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the service's ingest and scan cost the framework alone: a POST whose body is read to the
 * end (on a worker thread, through an InputStream, as the service reads a batch) and thrown away,
 * answered with a small JSON body; and a GET that sends a file's bytes, held in memory, as an
 * NDJSON stream in 64 KiB writes (no rendering, no storage). The bench replays the service's own
 * scan answer through it.
 */
@Path("/floor")
public class FloorResource {
    private static final int CHUNK = 64 * 1024;

    /** Files replayed, read once: the bench asks for the same one many times. */
    private final Map<String, byte[]> replays = new ConcurrentHashMap<>();

    @POST
    @Path("discard")
    public Response discard(InputStream body) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long bytes = 0;
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
            bytes += n;
        }
        return Response.status(201)
                .entity("{\"bytes\":" + bytes + "}")
                .type("application/json")
                .build();
    }

    @GET
    @Path("replay")
    @Produces("application/x-ndjson")
    public Response replay(@QueryParam("file") String file) {
        if (file == null) {
            return Response.status(400).entity("file= is required").type("text/plain").build();
        }
        byte[] bytes = replays.computeIfAbsent(file, f -> {
            try {
                return Files.readAllBytes(java.nio.file.Path.of(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        StreamingOutput out = target -> {
            for (int i = 0; i < bytes.length; i += CHUNK) {
                target.write(bytes, i, Math.min(CHUNK, bytes.length - i));
            }
        };
        return Response.ok(out).build();
    }
}
