package io.vigil.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;

/**
 * One request and its response, for blocking endpoints. Not thread-safe: used by the one virtual
 * thread that runs the endpoint. The response is written either whole ({@link #respond}) or streamed
 * ({@link #startResponse}); the router completes it when the endpoint returns.
 */
public final class HttpExchange {
  private static final String FORM_TYPE = "application/x-www-form-urlencoded";
  /** Enough for any API call (a few match[] lists); bounds hash-flooding by field count. */
  private static final int MAX_FORM_FIELDS = 10_000;

  private final Request request;
  private final Response response;
  private final Map<String, String> pathParams;
  private final long defaultMaxBodyBytes;
  private Fields params;
  private OutputStream out;
  private int status = 200;
  private final Map<Class<?>, Object> attributes = new HashMap<>(2);
  private final ClientLivenessMonitor liveness;

  HttpExchange(Request request, Response response, Map<String, String> pathParams, long defaultMaxBodyBytes,
      ClientLivenessMonitor liveness) {
    this.request = request;
    this.response = response;
    this.pathParams = pathParams;
    this.defaultMaxBodyBytes = defaultMaxBodyBytes;
    this.liveness = liveness;
  }

  public String method() {
    return request.getMethod();
  }

  /** The path as sent, still percent-encoded (push paths decode segment by segment). */
  public String rawPath() {
    return request.getHttpURI().getPath();
  }

  /** The decoded path. */
  public String path() {
    String decoded = request.getHttpURI().getDecodedPath();
    return decoded == null ? rawPath() : decoded;
  }

  /** A {name} segment of the route pattern, percent-decoded. */
  public String pathParam(String name) {
    String raw = pathParams.get(name);
    return raw == null ? null : java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** A request header, or null. */
  public String header(String name) {
    return request.getHeaders().get(name);
  }

  public String remoteAddress() {
    return Request.getRemoteAddr(request);
  }

  /**
   * The first value of a parameter from the form body (POST, application/x-www-form-urlencoded) or
   * the query string, in that order, as Go's Request.FormValue does; null if absent.
   */
  public String param(String name) {
    return params().getValue(name);
  }

  /** All values of a parameter (form body values first, then query string). */
  public List<String> params(String name) {
    List<String> values = params().getValues(name);
    return values == null ? List.of() : values;
  }

  public boolean hasParam(String name) {
    return params().get(name) != null;
  }

  private Fields params() {
    if (params == null) {
      Fields merged = new Fields(true);
      String type = header("Content-Type");
      if (type != null && type.regionMatches(true, 0, FORM_TYPE, 0, FORM_TYPE.length())) {
        try {
          // Body values first, as Go's Request.Form has them; the body may be as large as any
          // request body (Grafana posts long queries), not Jetty's 200,000-byte form default.
          Fields form = FormFields.getFields(request, MAX_FORM_FIELDS, (int) Math.min(Integer.MAX_VALUE, defaultMaxBodyBytes));
          form.forEach(merged::add);
        } catch (RuntimeException e) {
          throw new HttpStatusException(400, "error parsing form: " + e.getMessage());
        }
      }
      Request.extractQueryParameters(request).forEach(merged::add);
      params = merged;
    }
    return params;
  }

  /** The request body, at most the server's default limit; 413 beyond it. */
  public byte[] body() throws IOException {
    return body(defaultMaxBodyBytes);
  }

  /**
   * The request body (decompressed if it was gzip-encoded), read fully.
   *
   * @throws HttpStatusException 413 when it exceeds {@code maxBytes}; reading stops right there, so a
   *     compression bomb costs at most {@code maxBytes} of memory
   */
  public byte[] body(long maxBytes) throws IOException {
    String length = header("Content-Length");
    long declared = -1;
    if (length != null && header("Content-Encoding") == null) {
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException ignored) {
        // Jetty rejects malformed lengths before we get here; keep the streaming check anyway.
      }
      if (declared > maxBytes) {
        throw tooLarge(maxBytes);
      }
    }
    try (InputStream in = Request.asInputStream(request)) {
      if (declared >= 0) {
        // Read straight into an array of the declared size: no growing buffer and no final copy.
        // readNBytes allocates as bytes arrive, so a false large Content-Length costs nothing.
        byte[] body = in.readNBytes((int) declared);
        if (body.length < declared) {
          throw new IOException("request body ended after " + body.length + " of " + declared + " bytes");
        }
        return body;
      }
      ByteArrayOutputStream buf = new ByteArrayOutputStream(8192);
      byte[] chunk = new byte[16384];
      long total = 0;
      int n;
      while ((n = in.read(chunk)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw tooLarge(maxBytes);
        }
        buf.write(chunk, 0, n);
      }
      return buf.toByteArray();
    }
  }

  private static HttpStatusException tooLarge(long maxBytes) {
    return new HttpStatusException(413, "request body too large: limit is " + maxBytes + " bytes");
  }

  public void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  /** Writes a whole response. */
  public void respond(int status, String contentType, byte[] body) throws IOException {
    try (OutputStream o = startResponse(status, contentType)) {
      o.write(body);
    }
  }

  public void respond(int status, String contentType, String body) throws IOException {
    respond(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** An empty response with just a status (e.g. 202 Accepted, 204 No Content). */
  public void respondEmpty(int status) throws IOException {
    respond(status, null, new byte[0]);
  }

  /** Starts a streamed response; the stream is closed (and the response completed) by the router. */
  public OutputStream startResponse(int status, String contentType) {
    if (out != null) {
      throw new IllegalStateException("response already started");
    }
    this.status = status;
    response.setStatus(status);
    if (contentType != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    }
    out = Content.Sink.asOutputStream(response);
    return out;
  }

  public boolean responseStarted() {
    return out != null;
  }

  int status() {
    return status;
  }

  /**
   * Calls {@code action} (at most once, from another thread; it must not block) if the client goes
   * away before the response is complete, until the returned handle is closed. Jetty reports
   * failures it notices itself (HTTP/2 resets, server shutdown); an HTTP/1 client's close is only
   * noticed by watching the socket, which is done once the request body has been read to its end
   * (before that, readable bytes are body, not a close). Call it after reading the parameters.
   */
  public AutoCloseable onClientGone(Runnable action) {
    java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable once = () -> {
      if (fired.compareAndSet(false, true)) {
        action.run();
      }
    };
    request.addFailureListener(failure -> once.run());
    SocketChannel channel = http1Socket();
    if (liveness == null || channel == null || !bodyConsumed()) {
      return () -> { };
    }
    ClientLivenessMonitor.Watch watch = liveness.watch(channel, once);
    return watch::close;
  }

  /** The socket of a plain or TLS HTTP/1 connection; null for other transports (HTTP/2 multiplexes). */
  private SocketChannel http1Socket() {
    ConnectionMetaData meta = request.getConnectionMetaData();
    HttpVersion v = meta.getHttpVersion();
    if (v != HttpVersion.HTTP_1_1 && v != HttpVersion.HTTP_1_0) {
      return null;
    }
    EndPoint endPoint = meta.getConnection().getEndPoint();
    if (endPoint instanceof SslConnection.SslEndPoint tls) {
      endPoint = tls.getSslConnection().getEndPoint(); // the TCP connection under the decrypted view
    }
    return endPoint.getTransport() instanceof SocketChannel ch ? ch : null;
  }

  /** Whether the request body has been read to its end, so that the socket holds no more of it. */
  private boolean bodyConsumed() {
    Content.Chunk chunk = request.read();
    if (chunk == null) {
      return false;
    }
    boolean last = chunk.isLast();
    chunk.release();
    return last;
  }

  /** Per-request values set by earlier layers (e.g. the authenticated principal). */
  public <T> void setAttribute(Class<T> type, T value) {
    attributes.put(type, value);
  }

  public <T> T attribute(Class<T> type) {
    return type.cast(attributes.get(type));
  }

  /** Completes the response: closes a started stream, or sends an empty 200 if none was started. */
  void finish() throws IOException {
    if (out == null) {
      startResponse(status, null);
    }
    out.close();
  }
}
