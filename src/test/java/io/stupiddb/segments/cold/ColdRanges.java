package io.stupiddb.segments.cold;

import io.stupiddb.segments.testing.S3ProxyServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;

/**
 * JUnit extension of the range-read tests: one S3Proxy per test class (a child JVM, started once:
 * it takes seconds), a fresh {@link ColdRangeFixture} per test, closed after it (S3Proxy brought
 * back if the test stopped it). Register it as a static field.
 */
final class ColdRanges implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private S3ProxyServer s3;
    private ColdRangeFixture fixture;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        s3 = S3ProxyServer.startInTemporaryDirectory(ColdRangeFixture.BUCKET);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        s3.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        fixture = new ColdRangeFixture(s3);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        fixture.close();
    }

    /** This test's fixture. */
    ColdRangeFixture fixture() {
        return fixture;
    }

    /** The S3 server (tests stop and start it to inject outages). */
    S3ProxyServer s3() {
        return s3;
    }
}
