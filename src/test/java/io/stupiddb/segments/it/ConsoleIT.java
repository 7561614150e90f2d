package io.stupiddb.segments.it;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operators' console (SPEC §13) in headless Chromium against the packaged application:
 * {@code GET /} leads to it, it loads with no browser console errors and nothing from another
 * host, shows segments written and rotated over REST, follows the lifecycle journal live, and
 * searches with paging. The tests run in order on one browser and one application; each writes
 * its own tagged documents. The api key flow is {@link ConsoleApiKeyIT}.
 */
@QuarkusIntegrationTest
@WithTestResource(ItDataDir.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    private static ConsoleBrowser browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() {
        browser = new ConsoleBrowser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private String console() {
        return URI.create(root.toString()).resolve("/console/").toString();
    }

    @Test
    @Order(1)
    void rootRedirectsToTheConsoleWhichLoadsWithoutErrors() throws Exception {
        HttpResponse<Void> redirect = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(root.toURI()).build(), HttpResponse.BodyHandlers.discarding());
        assertTrue(
                redirect.statusCode() == 302 || redirect.statusCode() == 303,
                "GET / answered " + redirect.statusCode());
        assertTrue(
                redirect.headers().firstValue("Location").orElse("").endsWith("/console/"),
                redirect.headers().toString());

        browser.open(root.toString());
        browser.until(
                "the browser to follow / to /console/", d -> d.getCurrentUrl().endsWith("/console/"));
        assertEquals("segment store console", browser.driver().getTitle());
        awaitLoaded();
        browser.visible("#disk #free-disk");
        assertTrue(
                browser.find("#disk-state").getText().contains("Writes accepted"),
                browser.find("#disk").getText());

        @SuppressWarnings("unchecked")
        List<String> loaded =
                (List<String>) browser.script("return performance.getEntriesByType('resource').map(e => e.name)");
        String origin = URI.create(root.toString()).resolve("/").toString();
        assertFalse(loaded.isEmpty());
        for (String url : loaded) {
            assertTrue(url.startsWith(origin), "the console loaded " + url + " from outside " + origin);
        }
        assertEquals(List.of(), browser.severeLogs(), "browser console errors");
    }

    @Test
    @Order(2)
    void segmentsWrittenAndRotatedOverRestAreOnTheTimeline() {
        String tag = "timeline-" + UUID.randomUUID();
        write(tag, 5);
        String sealed = rotate();
        String active = write(tag, 2).getFirst().segment();

        browser.open(console());
        awaitLoaded();
        SegmentRow sealedRow = segmentRow(sealed);
        assertEquals("SEALED", sealedRow.state());
        assertTrue(sealedRow.text().contains(sealed), sealedRow.text());
        assertTrue(sealedRow.text().contains("5 docs"), sealedRow.text());
        assertEquals("false", sealedRow.evict(), "30 days of retention: nothing is due");
        SegmentRow activeRow = segmentRow(active);
        assertEquals("ACTIVE", activeRow.state());
        assertTrue(activeRow.text().contains("2 docs"), activeRow.text());
        // Every segment of the API is on the page, labelled with its id.
        List<String> ids =
                given().get("/api/v1/segments").then().statusCode(200).extract().path("segments.id");
        for (String id : ids) {
            assertTrue(segmentRow(id).text().contains(id), id);
        }

        browser.until("a click on the segment", d -> {
            d.findElement(By.cssSelector(row(sealed))).click();
            return true;
        });
        WebElement details = browser.visible("#segment-details");
        assertTrue(details.getText().contains("Segment " + sealed), details.getText());
        assertTrue(details.getText().contains("SEALED"), details.getText());
        // The cluster view asks every node (here: this one) and shows the same segments.
        browser.find("#scope-cluster").click();
        browser.until(
                "the cluster listing to be asked for",
                d -> (Boolean)
                        browser.script(
                                "return performance.getEntriesByType('resource').some(e => e.name.includes('/api/v1/segments?scope=cluster'))"));
        for (String id : ids) {
            assertTrue(segmentRow(id).text().contains(id), id);
        }
        browser.find("#scope-cluster").click();
        // Read again until it holds a time: the page re-renders as the store changes (e.g. a
        // segment's background compaction), which can make an element found a moment ago stale.
        browser.until(
                "the retention horizon as a time",
                d -> d.findElement(By.cssSelector("#horizon"))
                        .getText()
                        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ"));
        assertEquals(List.of(), browser.severeLogs(), "browser console errors");
    }

    @Test
    @Order(3)
    void aRotationOverRestShowsUpLiveInTheJournal() {
        browser.open(console());
        awaitLoaded();
        browser.script("window.notReloaded = true");
        write("journal-" + UUID.randomUUID(), 3);
        Response rotated = given().post("/api/v1/segments/rotate");
        rotated.then().statusCode(200);
        String sealed = rotated.path("id");

        WebElement event = browser.visible("#journal li[data-type='SEGMENT_SEALED'][data-segment='" + sealed + "']");
        assertTrue(event.getText().contains("SEALED"), event.getText());
        assertTrue(
                event.getText().contains(sealed + " · " + rotated.<Integer>path("documents") + " docs"),
                event.getText());
        // ... and the timeline follows the event without a reload.
        browser.until(
                "the sealed segment on the timeline",
                d -> d.findElements(By.cssSelector(row(sealed))).stream()
                        .anyMatch(r -> "SEALED".equals(r.getDomAttribute("data-state"))));
        assertEquals(Boolean.TRUE, browser.script("return window.notReloaded === true"), "the page was reloaded");

        // Paused, the page misses a rotation; resumed (Last-Event-ID), it gets it, once.
        browser.find("#journal-pause").click();
        browser.until(
                "the journal to pause",
                d -> browser.find("#journal-status").getText().startsWith("paused after #"));
        write("journal-" + UUID.randomUUID(), 1);
        String missed = rotate();
        assertTrue(browser.all("#journal li[data-segment='" + missed + "']").isEmpty(), "paused, yet it got " + missed);
        String pausedAfter = browser.find("#journal-status").getText().replace("paused after #", "");
        // Record what the page sends when it reconnects (the real fetch still does the work).
        browser.script("const fetch0 = window.fetch; window.streamHeaders = [];"
                + " window.fetch = (url, options) => { if (String(url).includes('/events/stream'))"
                + " window.streamHeaders.push(options.headers); return fetch0(url, options); }");
        browser.find("#journal-pause").click();
        browser.visible("#journal li[data-type='SEGMENT_SEALED'][data-segment='" + missed + "']");
        browser.visible("#journal-status.live");
        assertEquals(
                pausedAfter,
                browser.script("return window.streamHeaders[0]['Last-Event-ID']"),
                "the page resumes after the last event it showed");
        List<Integer> journal = given().get("/api/v1/events?after=0&limit=10000")
                .then()
                .statusCode(200)
                .extract()
                .path("events.seq");
        List<Integer> shown = browser.all("#journal li[data-seq]").stream()
                .map(li -> Integer.valueOf(li.getDomAttribute("data-seq")))
                .toList();
        assertEquals(journal.reversed(), shown, "every event of the journal once, newest first");
        assertEquals(Boolean.TRUE, browser.script("return window.notReloaded === true"), "the page was reloaded");
        assertEquals(List.of(), browser.severeLogs(), "browser console errors");
    }

    @Test
    @Order(4)
    void aSearchShowsTheMatchingDocumentsAndPagesWithTheCursor() throws Exception {
        String tag = "search-" + UUID.randomUUID();
        List<Written> expected = write(tag, 12);
        write("other-" + UUID.randomUUID(), 3);
        rotate();
        expected = new ArrayList<>(expected);
        expected.addAll(write(tag, 1)); // one in the active segment too: 13 in two segments

        browser.open(console());
        awaitLoaded();
        search("{\"tag\":\"" + tag + "\"}", "-1h", "10");
        browser.until("10 rows of the first page", d -> docRows().size() == 10);
        assertTrue(browser.visible("#more").isDisplayed());
        assertTrue(
                browser.find("#search-summary").getText().contains("10 documents shown"),
                browser.find("#search-summary").getText());
        browser.find("#more").click();
        browser.until("13 rows after the next page", d -> docRows().size() == 13);
        browser.until("no next page after the last", d -> !browser.find("#more").isDisplayed());
        assertTrue(
                browser.find("#search-summary").getText().contains("13 documents shown"),
                browser.find("#search-summary").getText());

        List<WebElement> rows = docRows();
        for (int i = 0; i < expected.size(); i++) {
            List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
            assertEquals(expected.get(i).id(), cells.get(0).getText(), "row " + i);
            assertEquals(expected.get(i).segment(), cells.get(2).getText(), "row " + i);
            assertTrue(cells.get(3).getText().contains(tag), cells.get(3).getText());
        }
        rows.getFirst().click();
        WebElement full = browser.visible("#results tr.full");
        assertTrue(
                full.getText().contains("\"tag\": \"" + tag + "\"")
                        && full.getText().contains("\"i\": 0"),
                full.getText());
        browser.screenshot("search", browser.find("#search-panel"));
        browser.screenshot("overview");
        assertEquals(List.of(), browser.severeLogs(), "browser console errors");
    }

    @Test
    @Order(5)
    void errorAnswersShowTheirTitleAndDetail() {
        browser.open(console());
        awaitLoaded();
        String filter = "{\"level\":{\"$regex\":\"x\"}}";
        Response problem = given().contentType(ContentType.JSON)
                .body("{\"filter\":" + filter + "}")
                .post("/api/v1/documents/search");
        problem.then().statusCode(400).contentType("application/problem+json");
        search(filter, "", "25");
        WebElement error = browser.visible("#search-error");
        assertTrue(error.getText().contains("400 " + problem.path("title")), error.getText());
        assertTrue(error.getText().contains(problem.<String>path("detail")), error.getText());
        assertTrue(docRows().isEmpty());
        // The browser reports the failed request itself; nothing else went wrong.
        List<String> severe = browser.severeLogs();
        assertFalse(severe.isEmpty());
        for (String line : severe) {
            assertTrue(line.contains("/api/v1/documents/search") && line.contains("400"), line);
        }

        search("{\"level\": nope", "", "25");
        browser.until(
                "the local message about the filter",
                d -> browser.find("#search-error").getText().contains("The filter is not JSON"));
        assertEquals(List.of(), browser.severeLogs(), "a filter that is not JSON is not sent");
    }

    private void search(String filter, String from, String limit) {
        WebElement text = browser.find("#filter");
        text.clear();
        text.sendKeys(filter);
        browser.find("#from").clear();
        browser.find("#from").sendKeys(from);
        new Select(browser.find("#limit")).selectByVisibleText(limit);
        browser.find("#search-button").click();
    }

    private List<WebElement> docRows() {
        return browser.all("#results tbody tr.doc");
    }

    record SegmentRow(String state, String evict, String text) {}

    /** The timeline row of a segment once it is there (read in one go: the timeline is re-rendered on refreshes). */
    private static SegmentRow segmentRow(String segment) {
        return browser.until("the timeline row of " + segment, d -> {
            List<WebElement> rows = d.findElements(By.cssSelector(row(segment)));
            if (rows.isEmpty()) {
                return null;
            }
            WebElement found = rows.getFirst();
            return new SegmentRow(
                    found.getDomAttribute("data-state"), found.getDomAttribute("data-evict"), found.getText());
        });
    }

    private static String row(String segment) {
        return "#timeline .tl-row[data-segment='" + segment + "']";
    }

    private static void awaitLoaded() {
        browser.visible("#journal-status.live");
        browser.visible("#disk #free-disk");
    }

    record Written(String id, String segment) {}

    private static List<Written> write(String tag, int count) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < count; i++) {
            ndjson.append("{\"tag\":\"")
                    .append(tag)
                    .append("\",\"i\":")
                    .append(i)
                    .append(",\"level\":\"info\"}\n");
        }
        Response written = given().contentType("application/x-ndjson")
                .body(ndjson.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/documents");
        written.then().statusCode(201);
        List<String> ids = written.path("documents.id");
        List<String> segments = written.path("documents.segment");
        List<Written> result = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            result.add(new Written(ids.get(i), segments.get(i)));
        }
        return result;
    }

    private static String rotate() {
        return given().post("/api/v1/segments/rotate")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
    }
}
