package io.vigil.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
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

/**
 * BEHAVIOURS 22 with kill -9: concurrent clients push distinct groups (and delete some) into a child
 * JVM, which is killed with SIGKILL at a random moment; after a restart every acknowledged change
 * is there, with the same values and the same push_time_seconds. Twice, so the second run replays
 * what the first recovered plus its own changes.
 */
class CrashTest {
  private static final int CLIENTS = 8;
  private static final int MIN_ACKED = 100;

  @TempDir
  Path dir;

  /** What a client knows about a group it pushed (acked) or deleted (acked). */
  private record Ack(String instance, long value, long sentMs, long ackedMs, boolean deleted) {}

  @Test
  void everyAcknowledgedChangeSurvivesKillDashNine() throws Exception {
    long seed = System.nanoTime();
    System.out.println("CrashTest seed=" + seed);
    Random random = new Random(seed);
    Path journal = dir.resolve("push");
    Map<String, Ack> acked = new ConcurrentHashMap<>();
    Map<String, String> seenPushTimes = new ConcurrentHashMap<>();
    Child child = Child.start(journal, dir.resolve("port0"));
    for (int run = 0; run < 2; run++) {
      int before = acked.size();
      pushUntilKilled(child, run, random.nextLong(), acked, seenPushTimes);
      assertThat(acked.size() - before).isGreaterThanOrEqualTo(MIN_ACKED);
      child = Child.start(journal, dir.resolve("port" + (run + 1)));
      verify(child, acked, seenPushTimes, seed);
    }
    child.process.destroyForcibly().waitFor();
  }

  private static void pushUntilKilled(Child child, int run, long seed, Map<String, Ack> acked,
      Map<String, String> seenPushTimes) throws Exception {
    AtomicBoolean killed = new AtomicBoolean();
    AtomicInteger ackedThisRun = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      pool.submit(() -> {
        Random r = new Random(seed + client);
        List<String> mine = new ArrayList<>();
        for (int n = 0; !killed.get(); n++) {
          String instance = "r" + run + "c" + client + "n" + n;
          long sent = System.currentTimeMillis();
          try {
            if (!mine.isEmpty() && r.nextInt(8) == 0) {
              String victim = mine.remove(r.nextInt(mine.size()));
              // Until the DELETE is acknowledged the group may or may not be gone: not checked.
              acked.remove(victim);
              Http.Response resp = Http.send("DELETE", child.mainUrl() + "/metrics/job/crash/instance/" + victim, (byte[]) null);
              if (resp.status() == 202) {
                acked.put(victim, new Ack(victim, 0, sent, System.currentTimeMillis(), true));
              }
              continue;
            }
            long value = r.nextLong();
            Http.Response resp = Http.send("PUT", child.mainUrl() + "/metrics/job/crash/instance/" + instance,
                "# TYPE crash_value gauge\ncrash_value{client=\"" + client + "\"} " + value + "\ncrash_seq " + n + "\n");
            if (resp.status() == 200) {
              acked.put(instance, new Ack(instance, value, sent, System.currentTimeMillis(), false));
              mine.add(instance);
              ackedThisRun.incrementAndGet();
            }
          } catch (RuntimeException e) {
            return null; // the server is gone
          }
        }
        return null;
      });
    }
    // Remember the push times the server showed, to compare them bit for bit after the restart.
    pool.submit(() -> {
      while (!killed.get()) {
        try {
          for (String line : Http.get(child.gatewayUrl() + "/metrics").body().split("\n")) {
            if (line.startsWith("push_time_seconds{instance=\"")) {
              String instance = line.substring(line.indexOf('"') + 1, line.indexOf('"', line.indexOf('"') + 1));
              seenPushTimes.put(instance, line.substring(line.lastIndexOf(' ') + 1));
            }
          }
        } catch (RuntimeException e) {
          return null;
        }
      }
      return null;
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (ackedThisRun.get() < MIN_ACKED && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Thread.sleep(new Random(seed).nextInt(300));
    child.process.destroyForcibly(); // SIGKILL
    assertThat(child.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    killed.set(true);
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  private static void verify(Child child, Map<String, Ack> acked, Map<String, String> seenPushTimes, long seed) {
    JsonNode data = Json.parse(Http.get(child.mainUrl() + "/api/v1/metrics").body()).get("data");
    Map<String, JsonNode> groups = new ConcurrentHashMap<>();
    for (JsonNode g : data) {
      groups.put(g.get("labels").get("instance").asString(), g);
    }
    String exposition = Http.get(child.gatewayUrl() + "/metrics").body();
    int checked = 0;
    int exact = 0;
    for (Ack a : acked.values()) {
      JsonNode g = groups.get(a.instance());
      if (a.deleted()) {
        assertThat(g).as("seed %d: deleted group %s came back", seed, a.instance()).isNull();
        continue;
      }
      assertThat(g).as("seed %d: acknowledged group %s lost", seed, a.instance()).isNotNull();
      assertThat(g.get("crash_value").get("metrics").get(0).get("value").asString())
          .isEqualTo(io.vigil.exposition.GoFloat.format((double) a.value()));
      String pushTime = g.get("push_time_seconds").get("metrics").get(0).get("value").asString();
      String seen = seenPushTimes.get(a.instance());
      if (seen != null) {
        assertThat(pushTime).as("seed %d: push time of %s", seed, a.instance()).isEqualTo(seen);
        exact++;
      } else {
        assertThat(Double.parseDouble(pushTime) * 1000).isBetween(a.sentMs() - 1.0, a.ackedMs() + 1.0);
      }
      assertThat(exposition).contains("push_time_seconds{instance=\"" + a.instance() + "\",job=\"crash\"} " + pushTime + "\n");
      checked++;
    }
    System.out.printf("after kill -9: %d acknowledged changes checked, %d groups present, %d push times compared"
        + " with what the server showed before the kill%n", acked.size(), checked, exact);
    assertThat(checked).isGreaterThanOrEqualTo(MIN_ACKED / 2);
  }

  /** The child JVM running {@link PushCrashMain}. */
  private record Child(Process process, int mainPort, int gatewayPort, Path log) {
    static Child start(Path journal, Path portFile) throws IOException, InterruptedException {
      String java = ProcessHandle.current().info().command()
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      Path log = portFile.resolveSibling(portFile.getFileName() + ".log");
      Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), PushCrashMain.class.getName(), journal.toString(), portFile.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Files.exists(portFile)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new AssertionError("the child did not start:\n" + Files.readString(log));
        }
        Thread.sleep(20);
      }
      String[] ports = Files.readString(portFile).split(" ");
      return new Child(p, Integer.parseInt(ports[0]), Integer.parseInt(ports[1]), log);
    }

    String mainUrl() {
      return "http://127.0.0.1:" + mainPort;
    }

    String gatewayUrl() {
      return "http://127.0.0.1:" + gatewayPort;
    }
  }
}
