package io.stupiddb.segments.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/** Writes the API's view records as MessagePack for {@code Accept: application/msgpack} (same shape as JSON). */
@Provider
@Produces({ApiMediaTypes.MSGPACK, "application/x-msgpack"})
public class MsgpackBodyWriter implements MessageBodyWriter<Object> {
    private final ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type.isRecord() || com.fasterxml.jackson.databind.JsonNode.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(
            Object value,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> headers,
            OutputStream out)
            throws IOException {
        msgpack.writeValue(out, value);
    }
}
