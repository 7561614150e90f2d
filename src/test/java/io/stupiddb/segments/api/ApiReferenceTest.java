package io.stupiddb.segments.api;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/API.md and the code name the same routes. The routes are read by reflection from the
 * compiled JAX-RS classes of the {@code api} package (class and method {@code @Path}, and every
 * annotation meta-annotated {@code @HttpMethod}: {@code @GET}, {@code @POST}, {@code @DELETE},
 * {@code @HEAD}, …). The reference names a route in a heading {@code ### METHOD /path} and a
 * row of its route table {@code | `METHOD /path` | … |}; both must list exactly the code's routes,
 * and every {@code METHOD /api/v1/…} written anywhere in it must be a route of the code.
 */
class ApiReferenceTest {
    private static final java.nio.file.Path REFERENCE = java.nio.file.Path.of("docs/API.md");
    private static final String METHODS = "GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS";
    private static final Pattern HEADING = Pattern.compile("^#{2,4} (" + METHODS + ") (/\\S*)\\s*$", Pattern.MULTILINE);
    private static final Pattern TABLE_ROW =
            Pattern.compile("^\\| `(" + METHODS + ") (/[^`]*)` \\|", Pattern.MULTILINE);
    private static final Pattern MENTION = Pattern.compile("\\b(" + METHODS + ") (/api/[^\\s`?)|,;:.]*)");

    @Test
    void theScanFindsTheRoutesOfEveryResource() {
        Set<String> routes = codeRoutes();
        assertTrue(
                routes.containsAll(List.of(
                        "POST /api/v1/documents",
                        "GET /api/v1/documents/{id}",
                        "DELETE /api/v1/segments/{id}",
                        "GET /api/v1/events/stream",
                        "GET /api/v1/ping")),
                routes.toString());
    }

    @Test
    void everyRouteOfTheCodeHasAHeadingAndNoHeadingNamesAnotherRoute() throws IOException {
        assertEquals(
                codeRoutes(),
                matches(HEADING, reference()),
                "docs/API.md headings '### METHOD /path' vs the JAX-RS routes of the api package");
    }

    @Test
    void theRouteTableListsExactlyTheRoutesOfTheCode() throws IOException {
        assertEquals(
                codeRoutes(),
                matches(TABLE_ROW, reference()),
                "docs/API.md route table rows '| `METHOD /path` |' vs the JAX-RS routes of the api package");
    }

    @Test
    void everyRouteTheTextMentionsExists() throws IOException {
        List<Pattern> routes =
                codeRoutes().stream().map(ApiReferenceTest::asPattern).toList();
        List<String> unknown = new ArrayList<>();
        Matcher mention = MENTION.matcher(reference());
        while (mention.find()) {
            String route = mention.group(1) + " " + mention.group(2);
            if (routes.stream().noneMatch(p -> p.matcher(route).matches())) {
                unknown.add(route);
            }
        }
        assertEquals(List.of(), unknown, "docs/API.md mentions routes the code does not have");
    }

    @Test
    void theReadmeLinksTheReference() throws IOException {
        assertTrue(
                Files.readString(java.nio.file.Path.of("README.md")).contains("(docs/API.md)"),
                "README.md should link docs/API.md");
    }

    /** "METHOD /path" of every resource method of the api package, templates as {@code {name}}. */
    static Set<String> codeRoutes() {
        Set<String> routes = new TreeSet<>();
        for (JavaClass imported : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.stupiddb.segments.api")) {
            Class<?> type;
            try {
                type = Class.forName(imported.getName(), false, ApiReferenceTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError("compiled class not loadable: " + imported.getName(), e);
            }
            Path root = type.getAnnotation(Path.class);
            for (Method method : type.getDeclaredMethods()) {
                for (Annotation annotation : method.getAnnotations()) {
                    HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
                    if (http == null) {
                        continue;
                    }
                    Path sub = method.getAnnotation(Path.class);
                    routes.add(http.value() + " "
                            + join(root == null ? "" : root.value(), sub == null ? "" : sub.value()));
                }
            }
        }
        return routes;
    }

    /** Class and method paths joined with one slash; {@code {id: regex}} written as {@code {id}}. */
    static String join(String classPath, String methodPath) {
        String joined = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/");
        if (joined.length() > 1 && joined.endsWith("/")) {
            joined = joined.substring(0, joined.length() - 1);
        }
        return joined.replaceAll("\\{\\s*([A-Za-z0-9_.-]+)\\s*:[^}]*}", "{$1}");
    }

    /** A route whose {@code {templates}} match one path segment each, e.g. a real segment id. */
    private static Pattern asPattern(String route) {
        StringBuilder regex = new StringBuilder();
        for (String part : route.split("\\{[^}]+}", -1)) {
            if (!regex.isEmpty()) {
                regex.append("[^/\\s]+");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1) + " " + matcher.group(2));
        }
        return found;
    }

    private static String reference() throws IOException {
        return Files.readString(REFERENCE);
    }
}
