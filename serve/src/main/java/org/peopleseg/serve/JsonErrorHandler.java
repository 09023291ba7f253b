package org.peopleseg.serve;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself, before any route runs (an ambiguous or malformed URI, a header too large): the
 * v2 {@code {"error": "..."}} body instead of Jetty's HTML page, and an access-log line like every other request.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final PrintWriter accessLog;

    JsonErrorHandler(PrintWriter accessLog) {
        this.accessLog = accessLog;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String text = message != null ? message : cause != null ? cause.getMessage() : "HTTP " + code;
        byte[] body = Reply.json(g -> g.writeStringField("error", "request rejected: " + text));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Reply.JSON);
        response.write(true, ByteBuffer.wrap(body), callback);
        accessLog.printf(Locale.ROOT, "%s %s %s %d %d -%n", Request.getRemoteAddr(request), request.getMethod(),
                ModelRepository.clip(request.getHttpURI().getPath()), code, body.length);
        accessLog.flush();
    }
}
