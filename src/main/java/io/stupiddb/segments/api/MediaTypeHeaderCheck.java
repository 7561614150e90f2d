package io.stupiddb.segments.api;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.regex.Pattern;

/**
 * Refuses an {@code Accept} that is not a list of media types (406) and a {@code Content-Type}
 * that is not a media type (415) on every route, before the resource runs: nothing is written
 * for a request whose answer could only be an error, and no route fails later with a 500 when
 * it reads the header. Which types a route serves or reads is the route's own business
 * ({@code @Produces}, the body readers); this check is only about the header's syntax. Runs
 * after {@link ApiKeyFilter}, so a client without the key learns nothing else.
 */
public class MediaTypeHeaderCheck {

    /** A qvalue (RFC 9110 §12.4.2): 0 to 1 with at most three decimals. */
    private static final Pattern QVALUE = Pattern.compile("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?");

    @ServerRequestFilter(priority = Priorities.USER + 100)
    public void check(ContainerRequestContext request) {
        boolean acceptable;
        try {
            acceptable = request.getAcceptableMediaTypes().stream().allMatch(MediaTypeHeaderCheck::wellFormedAccept);
        } catch (IllegalArgumentException e) {
            acceptable = false;
        }
        if (!acceptable) {
            throw new NotAcceptableException("the Accept header is not a list of media types: '"
                    + request.getHeaderString(HttpHeaders.ACCEPT) + "'");
        }
        boolean readable;
        try {
            MediaType type = request.getMediaType();
            readable = type == null || wellFormed(type);
        } catch (IllegalArgumentException e) {
            readable = false;
        }
        if (!readable) {
            throw new NotSupportedException("the Content-Type header is not a media type: '"
                    + request.getHeaderString(HttpHeaders.CONTENT_TYPE) + "'");
        }
    }

    /**
     * What the lenient parser lets through but RFC 9110 does not: a parameter without a value
     * ({@code application/json;q}) and a {@code q} that is not a qvalue ({@code q=x}, in Accept;
     * as a media type parameter in Content-Type it is just a parameter).
     */
    private static boolean wellFormed(MediaType type) {
        return type.getParameters().values().stream().noneMatch(String::isEmpty);
    }

    private static boolean wellFormedAccept(MediaType type) {
        String q = type.getParameters().get("q");
        return wellFormed(type) && (q == null || QVALUE.matcher(q).matches());
    }
}
