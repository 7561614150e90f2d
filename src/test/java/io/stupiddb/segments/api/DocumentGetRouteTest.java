package io.stupiddb.segments.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.stupiddb.segments.service.cluster.PeerClient;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The GET route in front of the resource: the plain asks are answered by the route with the
 * resource's very answer (body bytes, type, length); every other request goes on to the resource
 * and gets what it always got, errors included, with the route answering none of them.
 */
@QuarkusTest
class DocumentGetRouteTest {
    private static final String SOURCE =
            "{\"level\":\"warn\",\"text\":\"caf\\u00e9 \\\"quoted\\\"\\n\\ttab\",\"n\":[1,2.5,-3],\"ok\":true}";

    @Inject
    DocumentGetRoute route;

    @TestHTTPResource("/api/v1/documents/")
    URL documents;

    private static String write() {
        return given().contentType(ContentType.JSON)
                .body(SOURCE)
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** The resource's answer: an Accept the route leaves to it, asking for the same type. */
    private static byte[] byResource(String id, String accept, String type) {
        Response answer = given().header("Accept", accept).get("/api/v1/documents/" + id);
        answer.then().statusCode(200).contentType(type);
        return answer.asByteArray();
    }

    @Test
    void thePlainAsksAreAnsweredByTheRouteWithTheResourcesAnswer() throws Exception {
        String id = write();
        long before = route.answered();
        byte[] json = byResource(id, "application/json;q=1, text/plain;q=0.5", "application/json");
        byte[] msgpack = byResource(id, "application/x-msgpack", "application/msgpack");
        assertEquals(before, route.answered(), "the resource answered those");

        HttpResponse<byte[]> noAccept = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(documents + id)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, noAccept.statusCode());
        assertEquals(Optional.of("application/json"), noAccept.headers().firstValue("Content-Type"));
        assertArrayEquals(json, noAccept.body());
        for (String accept : new String[] {"*/*", "application/json"}) {
            Response answer = given().header("Accept", accept).get("/api/v1/documents/" + id);
            answer.then().statusCode(200).contentType("application/json").header("Content-Length", "" + json.length);
            assertArrayEquals(json, answer.asByteArray(), accept);
        }
        Response packed = given().header("Accept", "application/msgpack").get("/api/v1/documents/" + id);
        packed.then().statusCode(200).contentType("application/msgpack");
        assertArrayEquals(msgpack, packed.asByteArray());
        assertEquals(before + 4, route.answered(), "the route answered the four plain asks");
    }

    @Test
    void everyOtherRequestGoesOnToTheResource() {
        String id = write();
        long before = route.answered();
        given().get("/api/v1/documents/not-an-id").then().statusCode(400).contentType("application/problem+json");
        given().get("/api/v1/documents/0190aaaa-0000-7000-8000-000000000000")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header("Accept", "text/plain")
                .get("/api/v1/documents/" + id)
                .then()
                .statusCode(406)
                .contentType("application/problem+json");
        given().header("Accept", "application/json;q")
                .get("/api/v1/documents/" + id)
                .then()
                .statusCode(406)
                .contentType("application/problem+json");
        given().header("Content-Type", "application/json")
                .get("/api/v1/documents/" + id)
                .then()
                .statusCode(200);
        given().header(PeerClient.FORWARDED, "node-0")
                .get("/api/v1/documents/" + id)
                .then()
                .statusCode(200);
        given().head("/api/v1/documents/" + id).then().statusCode(200);
        assertEquals(before, route.answered(), "the route answered none of them");
    }

    @Test
    void onlyThePlainAsksAreTheRoutes() {
        assertEquals(Optional.of("application/json"), DocumentGetRoute.answerType(null, null, null));
        assertEquals(Optional.of("application/json"), DocumentGetRoute.answerType("*/*", null, null));
        assertEquals(Optional.of("application/json"), DocumentGetRoute.answerType("application/json", null, null));
        assertEquals(
                Optional.of("application/msgpack"), DocumentGetRoute.answerType("application/msgpack", null, null));
        for (String accept : new String[] {
            "application/x-msgpack", "application/*", "text/plain", "application/json, */*", "*/*;q=0.1", "", "*/* "
        }) {
            assertEquals(Optional.empty(), DocumentGetRoute.answerType(accept, null, null), accept);
        }
        assertEquals(Optional.empty(), DocumentGetRoute.answerType(null, "application/json", null));
        assertEquals(Optional.empty(), DocumentGetRoute.answerType("*/*", null, "node-1"));
    }
}
