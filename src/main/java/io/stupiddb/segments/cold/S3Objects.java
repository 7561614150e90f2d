package io.stupiddb.segments.cold;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.paginators.ListObjectsV2Iterable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The few S3 calls the cold tier makes, over one AWS SDK v2 client (url-connection transport,
 * endpoint override and path-style for S3-compatible servers). Maps the SDK's failures onto two
 * kinds: {@link ObjectStoreUnavailableException} (no answer, or a 5xx/throttling: retry later)
 * and plain {@link IOException} (a definite refusal, such as access denied).
 *
 * <p>Request checksums are computed only where S3 requires them: the SDK's default trailing
 * CRC32 (aws-chunked) is not understood by every S3-compatible server, and every upload is
 * verified here by MD5 (the ETag of each part) and a HEAD ({@link Uploader}); what is read back is
 * checked by the segment format's own checksums ({@link RemoteSegment}).
 *
 * <p>Thread-safety: thread-safe (the SDK client is).
 */
public final class S3Objects implements AutoCloseable {
    private final S3Client client;
    private final String bucket;
    /** GET requests sent (whole and ranged), for the metric and for tests that count requests. */
    private final java.util.concurrent.atomic.AtomicLong gets = new java.util.concurrent.atomic.AtomicLong();
    /** Body bytes received by GETs. */
    private final java.util.concurrent.atomic.AtomicLong bytesRead = new java.util.concurrent.atomic.AtomicLong();

    /** What a HEAD tells: size and the user metadata the uploader wrote. */
    public record Head(long size, String eTag, Map<String, String> metadata) {}

    S3Objects(S3Client client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    /** A client for {@code settings}, credentials from the AWS default chain. */
    public static S3Objects connect(ColdSettings settings) {
        return connect(settings, DefaultCredentialsProvider.builder().build());
    }

    /** A client for {@code settings} with the given credentials (tests, the bench). */
    public static S3Objects connect(ColdSettings settings, AwsCredentialsProvider credentials) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60))
                        .build())
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(settings.pathStyle())
                        .build())
                .requestChecksumCalculation(
                        software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(
                        software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                // A few quick retries inside one call; longer outages are the caller's backoff.
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(Duration.ofMinutes(10))
                        .apiCallAttemptTimeout(Duration.ofMinutes(2)));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return new S3Objects(builder.build(), settings.bucket());
    }

    public String bucket() {
        return bucket;
    }

    /** One PUT of a whole body; returns the ETag the server computed. */
    String put(String key, byte[] body, Map<String, String> metadata) throws IOException {
        return call(
                "upload of " + key,
                () -> client.putObject(
                                r -> r.bucket(bucket)
                                        .key(key)
                                        .metadata(metadata)
                                        .contentLength((long) body.length),
                                RequestBody.fromBytes(body))
                        .eTag());
    }

    String startMultipart(String key, Map<String, String> metadata) throws IOException {
        return call(
                "multipart upload of " + key,
                () -> client.createMultipartUpload(
                                r -> r.bucket(bucket).key(key).metadata(metadata))
                        .uploadId());
    }

    /** Uploads part {@code number} (from 1); returns the ETag the server computed. */
    String putPart(String key, String uploadId, int number, byte[] body, int length) throws IOException {
        return call(
                "part " + number + " of " + key,
                () -> client.uploadPart(
                                r -> r.bucket(bucket)
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumber(number)
                                        .contentLength((long) length),
                                RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(body, 0, length)))
                        .eTag());
    }

    /** Makes a multipart upload visible: before this, the object does not exist for readers. */
    void completeMultipart(String key, String uploadId, List<CompletedPart> parts) throws IOException {
        call(
                "completion of " + key,
                () -> client.completeMultipartUpload(
                        r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
    }

    /** Drops the parts of an upload that will not complete (best effort: a bucket lifecycle rule is the backstop). */
    void abortMultipart(String key, String uploadId) {
        try {
            client.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException ignored) {
            // the bucket's AbortIncompleteMultipartUpload rule removes them (docs)
        }
    }

    /** HEAD; empty when there is no such object. */
    public Optional<Head> head(String key) throws IOException {
        try {
            HeadObjectResponse response = call(
                    "HEAD of " + key,
                    () -> client.headObject(r -> r.bucket(bucket).key(key)));
            return Optional.of(new Head(response.contentLength(), response.eTag(), response.metadata()));
        } catch (IOException e) {
            if (e.getCause() instanceof S3Exception s3 && s3.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The keys under {@code prefix}, with their sizes, in key order (all pages). */
    public List<S3Object> list(String prefix) throws IOException {
        return call("listing of " + prefix, () -> {
            List<S3Object> all = new ArrayList<>();
            ListObjectsV2Iterable pages =
                    client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix));
            pages.contents().forEach(all::add);
            return all;
        });
    }

    /**
     * Bytes {@code from} (inclusive) to {@code to} (exclusive) of an object, in one ranged GET.
     * A shorter answer (the object is shorter than its recorded size) is returned as it came: the
     * caller's length check treats it as damage.
     */
    public byte[] range(String key, long from, long to) throws IOException {
        if (to <= from) {
            throw new IllegalArgumentException("empty range " + from + "-" + to + " of " + key);
        }
        gets.incrementAndGet();
        byte[] body = call(
                "range GET of " + key,
                () -> client.getObjectAsBytes(r -> r.bucket(bucket).key(key).range("bytes=" + from + "-" + (to - 1)))
                        .asByteArray());
        bytesRead.addAndGet(body.length);
        return body;
    }

    /** GET requests sent so far. */
    public long getRequests() {
        return gets.get();
    }

    /** Body bytes received by ranged GETs so far. */
    public long bytesRead() {
        return bytesRead.get();
    }

    public void delete(String key) throws IOException {
        call("delete of " + key, () -> client.deleteObject(r -> r.bucket(bucket).key(key)));
    }

    /** Reads {@code in} fully into {@code buffer} (or to the end); returns the bytes read. */
    static int readFully(InputStream in, byte[] buffer) throws IOException {
        int filled = 0;
        while (filled < buffer.length) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(String what, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (NoSuchKeyException e) {
            throw new IOException(what + ": no such object in bucket " + bucket, e);
        } catch (S3Exception e) {
            if (e.statusCode() >= 500 || e.isThrottlingException()) {
                throw new ObjectStoreUnavailableException(
                        what + " failed: bucket " + bucket + " answered " + e.statusCode(), e);
            }
            throw new IOException(
                    what + " refused by bucket " + bucket + ": " + e.statusCode() + " "
                            + e.awsErrorDetails().errorCode(),
                    e);
        } catch (SdkClientException e) {
            throw new ObjectStoreUnavailableException(
                    what + " failed: object store unreachable (" + e.getMessage() + ")", e);
        } catch (UncheckedIOException e) {
            throw new ObjectStoreUnavailableException(what + " failed: " + e.getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
