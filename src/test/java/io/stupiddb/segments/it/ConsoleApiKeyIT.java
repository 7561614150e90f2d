package io.stupiddb.segments.it;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console against the packaged application with {@code segments.api-key} set: the page asks
 * for the key with its own form, says clearly when a key is refused, keeps the accepted key for
 * the tab (sessionStorage) and sends it as the bearer token, the live journal included (fetch with
 * a streaming reader: EventSource cannot send the header).
 */
@QuarkusIntegrationTest
@WithTestResource(ItDataDir.class)
@WithTestResource(ConsoleApiKey.class)
class ConsoleApiKeyIT {
    @TestHTTPResource("/")
    URL root;

    @Test
    void asksForTheKeyRefusesAWrongOneClearlyAndKeepsTheRightOneForTheTab() throws Exception {
        given().get("/api/v1/segments").then().statusCode(401); // the key is really required
        keyed().contentType("application/json")
                .body("{\"console\":\"due\"}")
                .post("/api/v1/documents")
                .then()
                .statusCode(201);
        String due = keyed().post("/api/v1/segments/rotate")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        try (ConsoleBrowser browser = new ConsoleBrowser()) {
            browser.open(root.toString());
            WebElement form = browser.visible("#key-overlay #key-form");
            assertFalse(browser.find("#key-error").isDisplayed(), "no complaint before a key was tried");
            assertEquals(1, browser.all("#key-form").size());

            browser.find("#api-key").sendKeys("not-the-key");
            browser.find("#key-submit").click();
            WebElement refused = browser.visible("#key-error");
            assertTrue(refused.getText().toLowerCase().contains("the api key was refused"), refused.getText());
            assertTrue(form.isDisplayed(), "the form stays for another try");
            assertTrue(browser.all("#timeline .tl-row[data-segment]").isEmpty(), "no data without the key");
            browser.screenshot("api-key");

            browser.find("#api-key").sendKeys(ConsoleApiKey.KEY);
            browser.find("#key-submit").click();
            browser.until(
                    "the key form to go away",
                    d -> !browser.find("#key-overlay").isDisplayed());
            browser.visible("#disk #free-disk");
            browser.visible("#journal-status.live");
            assertEquals(ConsoleApiKey.KEY, browser.script("return sessionStorage.getItem('segment-store.api-key')"));

            // The journal stream carries the key too: a rotation shows up live.
            keyed().contentType("application/json")
                    .body("{\"console\":\"key\"}")
                    .post("/api/v1/documents")
                    .then()
                    .statusCode(201);
            String sealed = keyed().post("/api/v1/segments/rotate")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("id");
            browser.visible("#journal li[data-type='SEGMENT_SEALED'][data-segment='" + sealed + "']");
            browser.visible("#timeline .tl-row[data-segment='" + sealed + "']");

            // Kept for the tab: a reload asks nothing.
            browser.driver().navigate().refresh();
            browser.visible("#journal-status.live");
            browser.visible("#timeline .tl-row[data-segment='" + sealed + "']");
            assertFalse(browser.find("#key-overlay").isDisplayed());

            // Retention is short here: the first segment passes the horizon and is shown as the next eviction.
            browser.until(
                    "the first segment marked as the next eviction",
                    Duration.ofSeconds(ConsoleApiKey.RETENTION_SECONDS + 30),
                    d -> d.findElements(By.cssSelector(
                                            "#timeline .tl-row[data-segment='" + due + "'][data-evict='true']"))
                                    .size()
                            == 1);
            browser.until(
                    "the next eviction listed",
                    d -> d.findElement(By.id("next-eviction")).getText().contains(due + " (RETENTION)"));
            assertEquals(
                    1, browser.all("#timeline .tl-row.axis .tl-line.horizon").size(), "horizon line on the axis");
            browser.screenshot("retention");
            List<String> evicted = keyed().post("/api/v1/segments/evict")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("evicted");
            assertTrue(
                    evicted.contains(due), "the console announced " + due + ", the retention pass evicted " + evicted);

            // The only errors the browser saw are the refused requests (401) before the right key.
            List<String> severe = browser.severeLogs();
            assertFalse(severe.isEmpty());
            for (String line : severe) {
                assertTrue(line.contains("401"), line);
            }
        }
    }

    private static RequestSpecification keyed() {
        return given().header("Authorization", "Bearer " + ConsoleApiKey.KEY);
    }
}
