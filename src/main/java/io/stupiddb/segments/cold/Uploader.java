package io.stupiddb.segments.cold;

import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Uploads one local file as one object and proves it arrived whole: a single PUT up to the part
 * size, multipart above it. Every part's ETag (the MD5 the server computed over what it
 * received) must equal the MD5 of what was sent, and a HEAD afterwards must show the file's size
 * and SHA-256. A multipart upload is invisible until it completes, so an interrupted one never
 * shows; one that fails a check is aborted, or deleted when it had completed.
 *
 * <p>Thread-safety: stateless apart from the client; one call uploads one file.
 */
final class Uploader {
    private final S3Objects objects;
    private final long partSize;

    Uploader(S3Objects objects, long partSize) {
        this.objects = objects;
        this.partSize = partSize;
    }

    /** Hex SHA-256 of a whole file. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = digest("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Uploads {@code file} to {@code key} with {@code metadata} (which carries the file's SHA-256
     * under {@code sha256}) and verifies it.
     *
     * @throws ObjectStoreUnavailableException when the store did not answer (retry later)
     * @throws IOException when the store answered but the object is not what was sent
     */
    void upload(Path file, String key, Map<String, String> metadata) throws IOException {
        long size = Files.size(file);
        if (size <= partSize) {
            byte[] body = Files.readAllBytes(file);
            String eTag = objects.put(key, body, metadata);
            try {
                checkETag(key, 1, eTag, md5(body, body.length));
            } catch (IOException damaged) {
                objects.delete(key); // visible already: take it away, the local copy stays
                throw damaged;
            }
        } else {
            multipart(file, key, metadata);
        }
        verify(key, size, metadata.get("sha256"));
    }

    private void multipart(Path file, String key, Map<String, String> metadata) throws IOException {
        String uploadId = objects.startMultipart(key, metadata);
        boolean completed = false;
        try (InputStream in = Files.newInputStream(file)) {
            List<CompletedPart> parts = new ArrayList<>();
            byte[] buffer = new byte[Math.toIntExact(partSize)];
            int number = 1;
            int length;
            while ((length = S3Objects.readFully(in, buffer)) > 0) {
                String eTag = objects.putPart(key, uploadId, number, buffer, length);
                checkETag(key, number, eTag, md5(buffer, length));
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
                number++;
            }
            objects.completeMultipart(key, uploadId, parts);
            completed = true;
        } finally {
            if (!completed) {
                objects.abortMultipart(key, uploadId);
            }
        }
    }

    private void verify(String key, long size, String sha256) throws IOException {
        S3Objects.Head head = objects.head(key)
                .orElseThrow(() -> new IOException("uploaded " + key + " but a HEAD does not find it"));
        if (head.size() != size || !sha256.equals(head.metadata().get("sha256"))) {
            objects.delete(key);
            throw new IOException("uploaded " + key + " but the bucket holds " + head.size() + " bytes (sent " + size
                    + ") or other metadata: deleted, the local copy stays");
        }
    }

    private void checkETag(String key, int part, String eTag, String md5) throws IOException {
        String got = eTag == null ? "" : eTag.replace("\"", "");
        if (!got.equalsIgnoreCase(md5)) {
            throw new IOException("part " + part + " of " + key + " arrived damaged: the bucket computed MD5 " + got
                    + ", sent " + md5 + " (the local copy stays)");
        }
    }

    private static String md5(byte[] body, int length) {
        MessageDigest digest = digest("MD5");
        digest.update(body, 0, length);
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
