package io.stupiddb.segments.api;

import io.netty.buffer.Unpooled;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.service.codec.DocumentEncoder;
import io.stupiddb.segments.service.codec.JsonDocumentWriter;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** The body of a GET by id: one stored document as JSON or MessagePack, {@code {"id","timestamp","segment","source"}}. */
final class DocumentAnswerBody {
    private DocumentAnswerBody() {}

    /**
     * Rendered whole before answering, so the answer has a Content-Length and a source that cannot
     * be rendered is an error answer, never a 200 cut short; the renderer's buffer is the body (no
     * copy). MessagePack: the stored bytes behind a packed envelope.
     *
     * @throws IOException when the stored source is not one whole MessagePack value
     */
    static Buffer of(StoredDocument doc, String answerType) throws IOException {
        if (answerType.equals(ApiMediaTypes.MSGPACK)) {
            ByteArrayOutputStream packed = new ByteArrayOutputStream(doc.source().length + 128);
            DocumentEncoder.writeMsgpackDocument(packed, doc);
            return Buffer.buffer(packed.toByteArray());
        }
        JsonDocumentWriter json =
                new JsonDocumentWriter(JsonDocumentWriter.capacityFor(doc.source().length)).document(doc);
        return Buffer.buffer(Unpooled.wrappedBuffer(json.buffer(), 0, json.size()));
    }
}
