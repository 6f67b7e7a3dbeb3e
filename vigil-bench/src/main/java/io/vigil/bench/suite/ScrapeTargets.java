package io.vigil.bench.suite;

import com.sun.net.httpserver.HttpServer;
import io.vigil.model.Labels;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet served as scrape targets on loopback: one HTTP port per target of the fleet (a node
 * exporter or an application of one host), answering {@code GET /<scraper>/metrics} with that
 * target's series in the text format 0.0.4 (with TYPE lines; instance and job come from the
 * scraper). Values advance every {@code tickMs} as the workload's next scrape. Each scraper uses its
 * own path, so the samples served to each are counted exactly.
 */
final class ScrapeTargets implements AutoCloseable {
  private final Fleet fleet;
  private final List<int[]> seriesOfTarget = new ArrayList<>();
  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, AtomicLong> samplesServed = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> scrapesServed = new ConcurrentHashMap<>();
  private final Thread ticker;
  private volatile byte[][] bodies;
  private volatile boolean closed;

  ScrapeTargets(Fleet fleet, long tickMs) {
    this.fleet = fleet;
    Map<String, List<Integer>> byTarget = new LinkedHashMap<>();
    List<Labels> series = fleet.series();
    for (int i = 0; i < series.size(); i++) {
      byTarget.computeIfAbsent(series.get(i).get("instance") + "|" + series.get(i).get("job"), k -> new ArrayList<>()).add(i);
    }
    byTarget.values().forEach(l -> seriesOfTarget.add(l.stream().mapToInt(Integer::intValue).toArray()));
    tick();
    for (int t = 0; t < seriesOfTarget.size(); t++) {
      servers.add(serve(t));
    }
    ticker = Thread.ofPlatform().daemon().name("scrape-targets-ticker").start(() -> {
      while (!closed) {
        try {
          Thread.sleep(tickMs);
        } catch (InterruptedException e) {
          return;
        }
        tick();
      }
    });
  }

  int targets() {
    return seriesOfTarget.size();
  }

  List<String> addresses() {
    return servers.stream().map(s -> "127.0.0.1:" + s.getAddress().getPort()).toList();
  }

  /** Samples served so far to the scraper that uses path {@code /<scraper>/metrics}. */
  long samplesServed(String scraper) {
    return samplesServed.computeIfAbsent(scraper, k -> new AtomicLong()).get();
  }

  long scrapesServed(String scraper) {
    return scrapesServed.computeIfAbsent(scraper, k -> new AtomicLong()).get();
  }

  private HttpServer serve(int target) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      s.setExecutor(executor);
      s.createContext("/", ex -> {
        String path = ex.getRequestURI().getPath();
        byte[] body = bodies[target];
        if (!path.endsWith("/metrics")) {
          ex.sendResponseHeaders(404, -1);
          ex.close();
          return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
        String scraper = path.substring(1, path.length() - "/metrics".length());
        samplesServed.computeIfAbsent(scraper, k -> new AtomicLong()).addAndGet(seriesOfTarget.get(target).length);
        scrapesServed.computeIfAbsent(scraper, k -> new AtomicLong()).incrementAndGet();
      });
      s.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Advances the workload one scrape and renders every target's body. */
  private void tick() {
    fleet.next();
    byte[][] out = new byte[seriesOfTarget.size()][];
    StringBuilder sb = new StringBuilder(1 << 16);
    for (int t = 0; t < out.length; t++) {
      sb.setLength(0);
      String family = null;
      for (int i : seriesOfTarget.get(t)) {
        Labels l = fleet.series().get(i);
        String name = l.metricName();
        String[] fam = family(name, l);
        if (!fam[0].equals(family)) {
          family = fam[0];
          sb.append("# TYPE ").append(family).append(' ').append(fam[1]).append('\n');
        }
        sb.append(name);
        boolean open = false;
        for (int j = 0; j < l.size(); j++) {
          String n = l.name(j);
          if (n.equals(Labels.METRIC_NAME) || n.equals("instance") || n.equals("job")) {
            continue;
          }
          sb.append(open ? "," : "{").append(n).append("=\"").append(l.value(j)).append('"');
          open = true;
        }
        sb.append(open ? "} " : " ");
        appendValue(sb, fleet.vs[i]);
        sb.append('\n');
      }
      out[t] = sb.toString().getBytes(StandardCharsets.UTF_8);
    }
    bodies = out;
  }

  /** The family name and type a series belongs to, from the naming conventions the fleet follows. */
  private static String[] family(String name, Labels l) {
    if (name.endsWith("_bucket") && l.has("le")) {
      return new String[] {name.substring(0, name.length() - "_bucket".length()), "histogram"};
    }
    if (l.has("quantile")) {
      return new String[] {name, "summary"};
    }
    for (String suffix : new String[] {"_sum", "_count"}) {
      if (name.endsWith(suffix) && name.contains("_seconds")) {
        String stem = name.substring(0, name.length() - suffix.length());
        return new String[] {stem, stem.endsWith("_latency_seconds") ? "summary" : "histogram"};
      }
    }
    return new String[] {name, name.endsWith("_total") ? "counter" : "gauge"};
  }

  private static void appendValue(StringBuilder sb, double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      sb.append((long) v);
    } else {
      sb.append(Double.toString(v).replace('E', 'e'));
    }
  }

  @Override
  public void close() {
    closed = true;
    ticker.interrupt();
    servers.forEach(s -> s.stop(0));
    executor.shutdownNow();
  }
}
