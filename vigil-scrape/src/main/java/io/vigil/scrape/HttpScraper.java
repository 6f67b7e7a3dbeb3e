package io.vigil.scrape;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Fetches one target's body (Prometheus's {@code targetScraper}): a GET with the job's Accept
 * header, gzip unless compression is disabled, the Authorization header, the scrape timeout as
 * {@code X-Prometheus-Scrape-Timeout-Seconds}, and the job's redirect setting. Anything but 200 is
 * a failure. The body lands in an array owned by this object and reused across scrapes; gzip is
 * decoded into a second reused array. Bodies over the limit fail the scrape with Prometheus's
 * {@code body size limit exceeded}.
 *
 * <p>One per scrape loop; not thread-safe. The arrays returned are valid until the next scrape.
 */
final class HttpScraper implements AutoCloseable {
  private final HttpClient client;
  private final URI uri;
  private final String url;
  private final String accept;
  private final String acceptEncoding;
  private final String userAgent;
  private final String timeoutSeconds;
  private final long timeoutMs;
  private final boolean followRedirects;
  private final Credentials credentials;
  private final long maxBodyBytes;
  private final GzipDecoder gzip = new GzipDecoder();

  private byte[] raw = new byte[16 * 1024];
  private int rawLength;
  private byte[] body;
  private int bodyLength;
  private String contentType;
  private volatile Request inFlight;

  HttpScraper(HttpClient client, Target target, ScrapeSettings settings, String userAgent, long maxBodyBytes) {
    this.client = client;
    this.url = target.url();
    this.uri = URI.create(url);
    this.accept = settings.acceptHeader();
    this.acceptEncoding = settings.enableCompression() ? "gzip" : "identity";
    this.userAgent = userAgent;
    this.timeoutMs = target.timeout().millis();
    this.timeoutSeconds = formatSeconds(timeoutMs);
    this.followRedirects = settings.followRedirects();
    this.credentials = settings.credentials();
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Go's strconv.FormatFloat(seconds, 'f', -1, 64) for whole milliseconds. */
  static String formatSeconds(long ms) {
    return new java.math.BigDecimal(ms).movePointLeft(3).stripTrailingZeros().toPlainString();
  }

  byte[] body() {
    return body;
  }

  int bodyLength() {
    return bodyLength;
  }

  String contentType() {
    return contentType;
  }

  /**
   * Scrapes once; afterwards {@link #body()}, {@link #bodyLength()} and {@link #contentType()}
   * describe the response.
   *
   * @throws ScrapeFailure with the reason, worded as Prometheus words it
   */
  void scrape() throws ScrapeFailure {
    rawLength = 0;
    bodyLength = 0;
    contentType = null;
    String auth = credentials.authorization();
    Request req = client.newRequest(uri).method(HttpMethod.GET).timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .followRedirects(followRedirects)
        .headers(h -> {
          h.put(HttpHeader.ACCEPT, accept);
          h.put(HttpHeader.ACCEPT_ENCODING, acceptEncoding);
          h.put(HttpHeader.USER_AGENT, userAgent);
          h.put("X-Prometheus-Scrape-Timeout-Seconds", timeoutSeconds);
          if (auth != null) {
            h.put(HttpHeader.AUTHORIZATION, auth);
          }
        });
    Listener listener = new Listener();
    inFlight = req;
    req.send(listener);
    try {
      // The request's own timeout fires first; this wait only guards against a lost callback.
      listener.done.get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      req.abort(e);
      throw new ScrapeFailure("scrape interrupted");
    } catch (TimeoutException e) {
      req.abort(e);
      throw new ScrapeFailure("Get \"" + url + "\": context deadline exceeded");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e); // the listener never completes exceptionally
    } finally {
      inFlight = null;
    }
    if (listener.failure != null) {
      throw failure(listener.failure);
    }
    if ("gzip".equalsIgnoreCase(listener.contentEncoding)) {
      gzip.decode(raw, rawLength, maxBodyBytes);
      body = gzip.output();
      bodyLength = gzip.length();
    } else {
      body = raw;
      bodyLength = rawLength;
    }
    contentType = listener.contentType;
  }

  /** Aborts the request in flight, if any: its scrape fails at once. Any thread. */
  void abort() {
    Request r = inFlight;
    if (r != null) {
      r.abort(new ScrapeFailure("scrape stopped"));
    }
  }

  private ScrapeFailure failure(Throwable t) {
    if (t instanceof ScrapeFailure f) {
      return f;
    }
    if (t instanceof TimeoutException) {
      return new ScrapeFailure("Get \"" + url + "\": context deadline exceeded");
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return new ScrapeFailure("Get \"" + url + "\": " + msg);
  }

  /** Copies content into {@link #raw} on Jetty's thread; the loop reads it after {@code done}. */
  private final class Listener implements Response.Listener {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile Throwable failure;
    volatile String contentType;
    volatile String contentEncoding;

    @Override
    public void onHeaders(Response response) {
      int status = response.getStatus();
      if (status != HttpStatus.OK_200) {
        String reason = response.getReason();
        if (reason == null || reason.isEmpty()) {
          reason = HttpStatus.getMessage(status);
        }
        response.abort(new ScrapeFailure("server returned HTTP status " + status + " " + reason));
        return;
      }
      contentType = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
      contentEncoding = response.getHeaders().get(HttpHeader.CONTENT_ENCODING);
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
      int n = content.remaining();
      if (rawLength + (long) n > maxBodyBytes) {
        response.abort(new ScrapeFailure("body size limit exceeded"));
        return;
      }
      if (rawLength + n > raw.length) {
        raw = Arrays.copyOf(raw, (int) Math.min(Integer.MAX_VALUE - 16, Math.max((long) raw.length * 2, rawLength + (long) n)));
      }
      content.get(raw, rawLength, n);
      rawLength += n;
    }

    @Override
    public void onComplete(Result result) {
      if (result.isFailed()) {
        failure = result.getFailure();
      }
      done.complete(null);
    }
  }

  @Override
  public void close() {
    gzip.close();
  }
}
