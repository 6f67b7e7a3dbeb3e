package io.vigil.ui;

import io.vigil.web.HttpExchange;
import io.vigil.web.Role;
import io.vigil.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

/**
 * Serves the UI: {@code /graph} (the page alert generator URLs link to, as in Prometheus), with
 * {@code /alerts} and {@code /targets} as views of the same page, and its static files. The files
 * are read from the classpath once; the page itself calls the Prometheus HTTP API.
 */
public final class UiRoutes {
  private static final String BASE = "static/";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml");
  private static final Set<String> FILES = Set.of("index.html", "app.js", "app.css", "favicon.svg");

  private final Map<String, byte[]> content;

  public UiRoutes() {
    content = FILES.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(f -> f, UiRoutes::load));
  }

  private static byte[] load(String name) {
    try (InputStream in = UiRoutes.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("missing UI resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void register(Router router) {
    router.get("/", Role.OPEN, ex -> {
      ex.setHeader("Location", "/graph");
      ex.respondEmpty(302);
    });
    for (String page : new String[] {"/graph", "/alerts", "/targets"}) {
      router.get(page, Role.READ, ex -> serve(ex, "index.html"));
    }
    router.get("/static/{file}", Role.READ, ex -> serve(ex, ex.pathParam("file")));
    router.get("/favicon.ico", Role.OPEN, ex -> serve(ex, "favicon.svg"));
  }

  private void serve(HttpExchange ex, String file) throws IOException {
    byte[] body = content.get(file);
    if (body == null) {
      ex.respond(404, "text/plain; charset=utf-8", "404 page not found\n");
      return;
    }
    ex.setHeader("Cache-Control", "no-cache");
    ex.setHeader("X-Content-Type-Options", "nosniff");
    ex.respond(200, TYPES.get(file.substring(file.lastIndexOf('.') + 1)), body);
  }
}
