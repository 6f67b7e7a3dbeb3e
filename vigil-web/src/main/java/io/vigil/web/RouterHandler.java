package io.vigil.web;

import java.io.IOException;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler in front of every endpoint: routes, authorises, runs the endpoint on its
 * (virtual) thread, turns exceptions into responses and records HTTP metrics.
 */
final class RouterHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(RouterHandler.class);

  private final Router router;
  private final HttpMetrics metrics;
  private final long maxBodyBytes;
  private final ClientLivenessMonitor liveness;
  private volatile Authenticator authenticator;

  RouterHandler(Router router, HttpMetrics metrics, Authenticator authenticator, long maxBodyBytes,
      ClientLivenessMonitor liveness) {
    this.router = router;
    this.metrics = metrics;
    this.authenticator = authenticator;
    this.maxBodyBytes = maxBodyBytes;
    this.liveness = liveness;
  }

  void setAuthenticator(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String path = request.getHttpURI().getPath();
    Router.Match match = router.match(request.getMethod(), path == null ? "/" : path);
    HttpExchange ex;
    String handlerName;
    switch (match) {
      case Router.Found f -> {
        ex = new HttpExchange(request, response, f.params(), maxBodyBytes, liveness);
        handlerName = f.route().handlerName();
        run(ex, f.route());
      }
      case Router.MethodNotAllowed m -> {
        ex = new HttpExchange(request, response, Map.of(), maxBodyBytes, liveness);
        handlerName = m.handlerName();
        ex.setHeader(HttpHeader.ALLOW.asString(), String.join(", ", m.allowed()));
        sendError(ex, 405, "Method Not Allowed");
      }
      case Router.NotFound n -> {
        ex = new HttpExchange(request, response, Map.of(), maxBodyBytes, liveness);
        handlerName = "other";
        // Go's net/http text, which Prometheus answers for unknown paths.
        sendError(ex, 404, "404 page not found");
      }
    }
    try {
      ex.finish();
      callback.succeeded();
    } catch (Throwable t) {
      callback.failed(t);
    }
    metrics.observe(handlerName, ex.status(), System.nanoTime() - start);
    return true;
  }

  private void run(HttpExchange ex, Route route) {
    try {
      authenticator.authorize(ex, route.role());
      route.endpoint().handle(ex);
    } catch (HttpStatusException e) {
      sendError(ex, e.status(), e.getMessage());
    } catch (java.io.IOException t) {
      if (ex.responseStarted()) {
        // Almost always the client went away while we wrote (an EofException); nothing to fix here.
        log.atDebug().addKeyValue("handler", route.handlerName()).addKeyValue("err", t.toString())
            .log("response write failed");
      } else {
        log.atError().setCause(t).addKeyValue("handler", route.handlerName()).log("HTTP handler failed");
        sendError(ex, 500, "internal error: " + t);
      }
    } catch (Throwable t) {
      log.atError().setCause(t).addKeyValue("handler", route.handlerName()).log("HTTP handler failed");
      sendError(ex, 500, "internal error: " + t);
    }
  }

  private static void sendError(HttpExchange ex, int status, String message) {
    if (ex.responseStarted()) {
      return; // too late to change the status; the client sees a truncated body
    }
    try {
      ex.respond(status, "text/plain; charset=utf-8", message + "\n");
    } catch (IOException e) {
      log.debug("could not send error response", e);
    }
  }
}
