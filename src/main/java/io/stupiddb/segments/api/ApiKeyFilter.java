package io.stupiddb.segments.api;

import io.stupiddb.segments.service.config.SegmentsConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * When {@code segments.api-key} is set, every {@code /api/v1} request needs
 * {@code Authorization: Bearer <key>}. Compared in constant time (MessageDigest.isEqual over
 * SHA-256 digests, so not even the key's length leaks). Health and metrics are on the
 * management port and never pass through here.
 */
public class ApiKeyFilter {
    private final byte[] expectedDigest;

    @Inject
    public ApiKeyFilter(SegmentsConfig config) {
        Optional<String> key = config.apiKey().filter(k -> !k.isBlank());
        this.expectedDigest = key.map(ApiKeyFilter::digest).orElse(null);
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) {
        if (expectedDigest == null || !request.getUriInfo().getPath().startsWith("/api/v1")) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (!isBearer(header)) {
            throw new UnauthorizedException("this API needs Authorization: Bearer <segments.api-key>");
        }
        if (!accepts(header)) {
            throw new UnauthorizedException("the bearer token is not the api key");
        }
    }

    /**
     * Whether a request with this {@code Authorization} header (null: none) may use {@code /api/v1}:
     * always when no key is set, else only with the key as its bearer token.
     */
    boolean accepts(String authorization) {
        if (expectedDigest == null) {
            return true;
        }
        return isBearer(authorization)
                && MessageDigest.isEqual(
                        expectedDigest, digest(authorization.substring(7).trim()));
    }

    /** Whether the header names a bearer token (the scheme is case-insensitive, RFC 9110 §11.1). */
    private static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
