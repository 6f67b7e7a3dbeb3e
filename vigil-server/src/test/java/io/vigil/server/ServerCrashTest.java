package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.remote.RemoteWriteClient;
import io.vigil.remote.WriteRequestEncoder;
import io.vigil.testkit.PeerProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Acknowledged means durable, for the whole server: concurrent clients push groups and remote-write
 * batches into a Vigil child process, which is killed with SIGKILL at a random moment; after a
 * restart on the same data directory every push answered 200 and every batch answered 204 is there
 * with its exact values. Several rounds on one directory, so recovery of a recovered store is
 * covered too.
 */
class ServerCrashTest {
  private static final int ROUNDS = Integer.getInteger("vigil.crash.rounds", 3);
  private static final int CLIENTS = 6;

  @TempDir
  Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  /** group instance → the value of every gauge in its acknowledged body. */
  private final Map<String, Double> ackedGroups = new ConcurrentHashMap<>();
  /** series id → acknowledged (timestamp, value) pairs. */
  private final Map<String, Map<Long, Double>> ackedSamples = new ConcurrentHashMap<>();

  @Test
  void everyAcknowledgedPushAndRemoteWriteSurvivesKillMinus9() throws Exception {
    long seed = System.nanoTime();
    System.out.println("ServerCrashTest seed=" + seed);
    Random random = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      PeerProcess vigil = ServerProcessTest.startVigil(tmp, "--web.enable-remote-write-receiver");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger pushAcks = new AtomicInteger();
      AtomicInteger writeAcks = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        int r = round;
        clients.submit(() -> client % 2 == 0 ? pushLoop(vigil, r, client, stop, pushAcks) : writeLoop(vigil, r, client, stop, writeAcks));
      }
      // Kill somewhere after 100 acknowledged pushes of distinct groups (and some batches) this round.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ((pushAcks.get() < 100 || writeAcks.get() < 20) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(random.nextInt(400));
      vigil.kill9();
      stop.set(true);
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(pushAcks.get()).as("acknowledged pushes in round %d", round).isGreaterThanOrEqualTo(100);
      assertThat(ackedGroups).as("acknowledged pushes").isNotEmpty();
      assertThat(ackedSamples).as("acknowledged remote-write batches").isNotEmpty();

      PeerProcess restarted = ServerProcessTest.startVigil(tmp, "--web.enable-remote-write-receiver");
      try {
        assertEveryAcknowledgedPushIsBack(restarted);
        assertEveryAcknowledgedSampleIsBack(restarted);
      } finally {
        restarted.terminate(Duration.ofSeconds(20));
      }
    }
  }

  private Void pushLoop(PeerProcess vigil, int round, int client, AtomicBoolean stop, AtomicInteger acks) {
    for (int i = 0; !stop.get(); i++) {
      String instance = "r" + round + "-c" + client + "-" + i;
      double value = round * 1_000_000 + client * 10_000 + i + 0.5;
      String body = "# TYPE crash_backup_files gauge\ncrash_backup_files " + value + "\n"
          + "# TYPE crash_backup_bytes gauge\ncrash_backup_bytes " + (value * 2) + "\n";
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create(vigil.baseUrl() + "/metrics/job/crash/instance/" + instance))
            .PUT(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          ackedGroups.put(instance, value);
          acks.incrementAndGet();
        }
      } catch (Exception e) {
        return null; // the server died under us: that push was never acknowledged
      }
    }
    return null;
  }

  private Void writeLoop(PeerProcess vigil, int round, int client, AtomicBoolean stop, AtomicInteger acks) {
    RemoteWriteClient rw = new RemoteWriteClient(URI.create(vigil.baseUrl() + "/api/v1/write"),
        RemoteWriteClient.Options.defaults().withMaxAttempts(1).withTimeout(Duration.ofSeconds(10)));
    WriteRequestEncoder enc = new WriteRequestEncoder();
    long base = System.currentTimeMillis();
    for (int batch = 0; !stop.get(); batch++) {
      enc.reset();
      Map<String, Map<Long, Double>> sent = new java.util.HashMap<>();
      for (int s = 0; s < 50; s++) {
        String id = "r" + round + "-c" + client + "-s" + s;
        long t = base + batch;
        double v = batch * 100 + s;
        enc.addSeries(Labels.of("__name__", "crash_rw", "series", id), t, v);
        sent.computeIfAbsent(id, k -> new java.util.HashMap<>()).put(t, v);
      }
      try {
        if (rw.send(enc).status() == 204) {
          sent.forEach((id, samples) -> ackedSamples.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).putAll(samples));
          acks.incrementAndGet();
        }
      } catch (Exception e) {
        return null;
      }
    }
    return null;
  }

  private JsonNode get(PeerProcess vigil, String pathAndQuery) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(vigil.baseUrl() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
    return json.readTree(r.body());
  }

  private void assertEveryAcknowledgedPushIsBack(PeerProcess vigil) throws Exception {
    JsonNode groups = get(vigil, "/api/v1/metrics").get("data");
    Map<String, Double> found = new java.util.HashMap<>();
    for (JsonNode g : groups) {
      String instance = g.get("labels").path("instance").asString();
      JsonNode files = g.path("crash_backup_files");
      if (!files.isMissingNode()) {
        found.put(instance, Double.parseDouble(files.get("metrics").get(0).get("value").asString()));
      }
    }
    List<String> missing = new ArrayList<>();
    ackedGroups.forEach((instance, value) -> {
      if (!value.equals(found.get(instance))) {
        missing.add(instance + " expected " + value + " got " + found.get(instance));
      }
    });
    assertThat(missing).as("acknowledged pushes lost after kill -9 (%d acknowledged)", ackedGroups.size()).isEmpty();
  }

  private void assertEveryAcknowledgedSampleIsBack(PeerProcess vigil) throws Exception {
    String query = URLEncoder.encode("crash_rw[2h]", StandardCharsets.UTF_8);
    JsonNode result = get(vigil, "/api/v1/query?query=" + query).get("data").get("result");
    Map<String, Map<Long, Double>> found = new java.util.HashMap<>();
    for (JsonNode series : result) {
      Map<Long, Double> samples = found.computeIfAbsent(series.get("metric").get("series").asString(),
          k -> new java.util.HashMap<>());
      for (JsonNode point : series.get("values")) {
        long t = Math.round(point.get(0).asDouble() * 1000);
        samples.put(t, Double.parseDouble(point.get(1).asString()));
      }
    }
    long lost = 0;
    long total = 0;
    for (var e : ackedSamples.entrySet()) {
      Map<Long, Double> have = found.getOrDefault(e.getKey(), Map.of());
      for (var s : e.getValue().entrySet()) {
        total++;
        if (!s.getValue().equals(have.get(s.getKey()))) {
          lost++;
        }
      }
    }
    assertThat(lost).as("acknowledged samples lost after kill -9 (of %d)", total).isZero();
    System.out.printf("ServerCrashTest: %d pushed groups and %d remote-written samples all back after kill -9%n",
        ackedGroups.size(), total);
  }
}
