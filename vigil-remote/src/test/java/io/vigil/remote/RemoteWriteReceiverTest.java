package io.vigil.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.vigil.model.Labels;
import io.vigil.model.MetricType;
import io.vigil.model.StaleNaN;
import io.vigil.remote.Stored.Point;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbOptions;
import io.vigil.web.Tenant;
import io.vigil.testkit.MemoryStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The receiver without HTTP: decoding, validation and batch semantics over a real TSDB. */
class RemoteWriteReceiverTest {
  static final long NOW = System.currentTimeMillis();

  @TempDir
  Path dir;
  Tsdb db;
  PrometheusRegistry registry;
  RemoteWriteReceiver receiver;

  @BeforeEach
  void open() {
    db = Tsdb.open(dir, TsdbOptions.defaults().withCompactionIntervalMs(0), new PrometheusRegistry());
    registry = new PrometheusRegistry();
    receiver = new RemoteWriteReceiver(db, RemoteWriteOptions.defaults(), registry);
  }

  @AfterEach
  void close() {
    db.close();
  }

  WriteResult send(WriteRequestEncoder enc) {
    return send(enc, null);
  }

  WriteResult send(WriteRequestEncoder enc, Tenant tenant) {
    byte[] body = enc.compressedCopy();
    return receiver.write(body, 0, body.length, tenant);
  }

  static Labels up(String instance) {
    return Labels.of("__name__", "up", "job", "node", "instance", instance);
  }

  @Test
  void storesSamplesAndStaleMarkersBitExact() {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(up("a"), new long[] {NOW, NOW + 15_000, NOW + 30_000}, new double[] {1, Double.NaN, StaleNaN.VALUE}, 0, 3);
    enc.addSeries(up("b"), NOW, 0.0);

    WriteResult r = send(enc);

    assertThat(r.status()).as(r.message()).isEqualTo(204);
    assertThat(r.samplesWritten()).isEqualTo(4);
    Map<Labels, List<Point>> stored = Stored.all(db);
    assertThat(stored).containsOnlyKeys(up("a"), up("b"));
    List<Point> a = stored.get(up("a"));
    assertThat(a).containsExactly(Point.of(NOW, 1), Point.of(NOW + 15_000, Double.NaN), Point.of(NOW + 30_000, StaleNaN.VALUE));
    assertThat(StaleNaN.is(a.get(2).value())).isTrue();
    assertThat(StaleNaN.is(a.get(1).value())).isFalse();
    assertThat(counter("vigil_remote_write_samples_received", null)).isEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4, 65_536})
  void repeatedSeriesLandInTheRightSeriesWhateverTheCacheSize(int cacheSize) {
    receiver = new RemoteWriteReceiver(db, RemoteWriteOptions.defaults().withSeriesCacheSize(cacheSize), new PrometheusRegistry());
    for (int round = 0; round < 3; round++) {
      WriteRequestEncoder enc = new WriteRequestEncoder();
      for (int i = 0; i < 50; i++) {
        enc.addSeries(up("host-" + i), NOW + round * 1000L, round * 100 + i);
      }
      assertThat(send(enc).status()).isEqualTo(204);
    }
    Map<Labels, List<Point>> stored = Stored.all(db);
    assertThat(stored).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(stored.get(up("host-" + i))).containsExactly(Point.of(NOW, i), Point.of(NOW + 1000, 100 + i),
          Point.of(NOW + 2000, 200 + i));
    }
  }

  /**
   * Concurrent requests share one series cache: each round, every thread sends a different shard of
   * the series (shards rotate between threads), so entries one request cached are used by others,
   * with more requests in flight than pooled contexts.
   */
  @Test
  void concurrentRequestsShareTheSeriesCacheAndStoreEverySample() throws Exception {
    int threads = 6;
    int perShard = 300;
    int rounds = 8;
    receiver = new RemoteWriteReceiver(db, RemoteWriteOptions.defaults().withSeriesCacheSize(65_536), new PrometheusRegistry());
    CyclicBarrier barrier = new CyclicBarrier(threads);
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int w = 0; w < threads; w++) {
      int worker = w;
      workers.add(Thread.ofPlatform().start(() -> {
        try {
          for (int round = 0; round < rounds; round++) {
            int shard = (worker + round) % threads;
            WriteRequestEncoder enc = new WriteRequestEncoder();
            for (int i = 0; i < perShard; i++) {
              enc.addSeries(up("host-" + shard + "-" + i), NOW + round * 15_000L, round * 1000 + i);
            }
            WriteResult r = send(enc);
            if (r.status() != 204) {
              failures.add(new AssertionError("round " + round + ": " + r));
            }
            barrier.await();
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      }));
    }
    for (Thread t : workers) {
      t.join();
    }
    assertThat(failures).isEmpty();
    Map<Labels, List<Point>> stored = Stored.all(db);
    assertThat(stored).hasSize(threads * perShard);
    for (int shard = 0; shard < threads; shard++) {
      for (int i = 0; i < perShard; i++) {
        List<Point> expected = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          expected.add(Point.of(NOW + round * 15_000L, round * 1000 + i));
        }
        assertThat(stored.get(up("host-" + shard + "-" + i))).containsExactlyElementsOf(expected);
      }
    }
    assertThat(receiver.cachedSeries()).isEqualTo(threads * perShard);
  }

  /** Random requests (label order, unicode, special values) stored as sent, compared with the reference storage. */
  @Test
  void randomRequestsRoundTripThroughTheReferenceStorage() {
    long seed = System.nanoTime();
    System.out.println("randomRequestsRoundTrip seed=" + seed);
    Random rnd = new Random(seed);
    MemoryStorage memory = new MemoryStorage();
    RemoteWriteReceiver r = new RemoteWriteReceiver(memory, RemoteWriteOptions.defaults().withSeriesCacheSize(8), new PrometheusRegistry());
    Map<Labels, Map<Long, Long>> expected = new TreeMap<>();
    String[] values = {"a", "b", "ü", "日本", "x y", "\"q\"", "line\nbreak", "🙂"};
    double[] specials = {0.0, -0.0, Double.NaN, StaleNaN.VALUE, Double.POSITIVE_INFINITY, 1e-300, -7.5};
    for (int req = 0; req < 30; req++) {
      WriteRequestEncoder enc = new WriteRequestEncoder();
      for (int s = 0; s < 1 + rnd.nextInt(40); s++) {
        List<String> pairs = new ArrayList<>(List.of("__name__", "metric_" + rnd.nextInt(5)));
        for (int l = 0; l < rnd.nextInt(4); l++) {
          pairs.add("label_" + l);
          pairs.add(values[rnd.nextInt(values.length)]);
        }
        shufflePairs(pairs, rnd);
        int n = 1 + rnd.nextInt(3);
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
          ts[i] = NOW - rnd.nextInt(1_000_000);
          vs[i] = rnd.nextInt(4) == 0 ? specials[rnd.nextInt(specials.length)] : rnd.nextGaussian() * 1e6;
        }
        Labels labels = Labels.of(pairs.toArray(new String[0]));
        Map<Long, Long> samples = expected.computeIfAbsent(labels, k -> new TreeMap<>());
        boolean conflict = false;
        for (int i = 0; i < n; i++) {
          Long old = samples.get(ts[i]);
          conflict |= old != null && old != Double.doubleToRawLongBits(vs[i]);
        }
        if (conflict) {
          continue; // the reference storage rejects a conflicting duplicate; keep the expectation simple
        }
        for (int i = 0; i < n; i++) {
          samples.put(ts[i], Double.doubleToRawLongBits(vs[i]));
        }
        enc.addRawSeries(pairs.toArray(new String[0]), ts, vs);
      }
      byte[] body = enc.compressedCopy();
      WriteResult result = r.write(body, 0, body.length, null);
      assertThat(result.status()).as("seed %d request %d: %s", seed, req, result.message()).isEqualTo(204);
    }
    Map<Labels, List<Point>> stored = Stored.all(memory);
    assertThat(stored.keySet()).as("seed %d", seed).isEqualTo(expected.keySet());
    expected.forEach((labels, samples) -> {
      List<Point> want = new ArrayList<>();
      samples.forEach((t, bits) -> want.add(new Point(t, bits)));
      assertThat(stored.get(labels)).as("seed %d %s", seed, labels).isEqualTo(want);
    });
  }

  private static void shufflePairs(List<String> pairs, Random rnd) {
    for (int i = pairs.size() / 2 - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      String n = pairs.get(2 * i);
      String v = pairs.get(2 * i + 1);
      pairs.set(2 * i, pairs.get(2 * j));
      pairs.set(2 * i + 1, pairs.get(2 * j + 1));
      pairs.set(2 * j, n);
      pairs.set(2 * j + 1, v);
    }
  }

  @Test
  void unsortedLabelsAreAcceptedAndStoredSorted() {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addRawSeries(new String[] {"job", "x", "__name__", "m", "a", "1"}, new long[] {NOW}, new double[] {5});
    assertThat(send(enc).status()).isEqualTo(204);
    assertThat(Stored.all(db)).containsOnlyKeys(Labels.of("__name__", "m", "a", "1", "job", "x"));
  }

  @Test
  void invalidSeriesAreRejectedWith400AndTheRestIsWritten() {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(up("good"), NOW, 1);
    enc.addRawSeries(new String[] {"__name__", "m", "job", "a", "job", "b"}, new long[] {NOW}, new double[] {1});
    enc.addRawSeries(new String[] {"__name__", "m", "", "v"}, new long[] {NOW}, new double[] {1});
    enc.addRawSeries(new String[] {"job", "nameless"}, new long[] {NOW}, new double[] {1});
    enc.addRawSeries(new String[] {"__name__", "1bad"}, new long[] {NOW}, new double[] {1});
    enc.addRawSeries(new String[] {"__name__", "m", "bad-name", "v"}, new long[] {NOW}, new double[] {1});
    enc.addRawSeries(new String[] {}, new long[] {NOW, NOW + 1}, new double[] {1, 2});
    enc.addSeries(up("good2"), NOW, 2);

    WriteResult r = send(enc);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).startsWith("invalid labels: duplicate label name \"job\" in {__name__=\"m\", job=\"a\", job=\"b\"}\n")
        .contains("invalid labels: empty label name in {__name__=\"m\", =\"v\"}")
        .contains("invalid labels: no metric name (__name__) in {job=\"nameless\"}")
        .endsWith("rejected 7 of 9 samples (invalid_labels: 7); the other 2 were written");
    assertThat(r.samplesWritten()).isEqualTo(2);
    assertThat(Stored.all(db)).containsOnlyKeys(up("good"), up("good2"));
    assertThat(counter("vigil_remote_write_samples_rejected", "invalid_labels")).isEqualTo(7);
  }

  @Test
  void invalidUtf8InAValueIsRejected() {
    byte[] series = WriteRequestParserTest.message(out -> {
      out.writeBytes(1, com.google.protobuf.ByteString.copyFrom(WriteRequestParserTest.message(l -> {
        l.writeString(1, "__name__");
        l.writeString(2, "m");
      })));
      out.writeBytes(1, com.google.protobuf.ByteString.copyFrom(WriteRequestParserTest.message(l -> {
        l.writeString(1, "path");
        l.writeBytes(2, com.google.protobuf.ByteString.copyFrom(new byte[] {'a', (byte) 0xc3, 0x28}));
      })));
      WriteRequestParserTest.sample(out, 1, NOW);
    });
    WriteResult r = send(new WriteRequestEncoder().addEncodedSeries(series));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).startsWith("invalid labels: label name or value is not valid UTF-8");
    assertThat(Stored.all(db)).isEmpty();
  }

  @Test
  void labelLimitsRejectTheSeries() {
    receiver = new RemoteWriteReceiver(db, RemoteWriteOptions.defaults().withLabelLimits(3, 10, 20), new PrometheusRegistry());
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(Labels.of("__name__", "m", "a", "1", "b", "2", "c", "3"), NOW, 1);
    enc.addSeries(Labels.of("__name__", "m", "long_label_name", "1"), NOW, 1);
    enc.addSeries(Labels.of("__name__", "m", "v", "x".repeat(21)), NOW, 1);
    enc.addSeries(Labels.of("__name__", "m", "ok", "x".repeat(20)), NOW, 1);
    WriteResult r = send(enc);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).startsWith("series has 4 labels, more than the limit of 3")
        .endsWith("rejected 3 of 4 samples (label_limits: 3); the other 1 were written");
    assertThat(Stored.all(db)).hasSize(1);
  }

  @Test
  void outOfOrderAndConflictingDuplicatesAre400ButTheRestIsDurable() {
    WriteRequestEncoder first = new WriteRequestEncoder();
    first.addSeries(up("a"), NOW, 1);
    assertThat(send(first).status()).isEqualTo(204);

    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(up("a"), new long[] {NOW - 1000, NOW, NOW + 1000}, new double[] {0, 2, 3}, 0, 3); // old, conflicting, ok
    enc.addSeries(up("b"), NOW - 1000, 4); // new series: fine
    enc.addSeries(up("c"), NOW + 11 * 60_000, 5); // too far in the future
    WriteResult r = send(enc);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).startsWith("out of order sample")
        .contains("duplicate sample for timestamp")
        .contains("out of bounds: timestamp " + (NOW + 11 * 60_000))
        .endsWith("rejected 3 of 5 samples (out_of_order: 1, out_of_bounds: 1, duplicate_timestamp: 1); the other 2 were written");
    Map<Labels, List<Point>> stored = Stored.all(db);
    assertThat(stored.get(up("a"))).containsExactly(Point.of(NOW, 1), Point.of(NOW + 1000, 3));
    assertThat(stored.get(up("b"))).containsExactly(Point.of(NOW - 1000, 4));
    assertThat(stored).doesNotContainKey(up("c"));
    assertThat(counter("vigil_remote_write_samples_rejected", "out_of_order")).isEqualTo(1);

    // An identical resend is not an error (Prometheus ignores exact duplicates): 204.
    WriteRequestEncoder again = new WriteRequestEncoder();
    again.addSeries(up("a"), NOW + 1000, 3);
    assertThat(send(again).status()).isEqualTo(204);
  }

  @Test
  void nativeHistogramsExemplarsAndMetadataAreCountedAndSkipped() {
    byte[] series = WriteRequestParserTest.message(out -> {
      WriteRequestParserTest.label(out, "__name__", "rpc_seconds");
      WriteRequestParserTest.sample(out, 1.5, NOW);
      out.writeBytes(3, com.google.protobuf.ByteString.copyFrom(WriteRequestParserTest.message(e -> e.writeDouble(2, 0.5))));
      out.writeBytes(4, com.google.protobuf.ByteString.copyFrom(WriteRequestParserTest.message(h -> h.writeUInt64(1, 3))));
    });
    byte[] histogramOnly = WriteRequestParserTest.message(out -> {
      WriteRequestParserTest.label(out, "__name__", "latency");
      out.writeBytes(4, com.google.protobuf.ByteString.copyFrom(WriteRequestParserTest.message(h -> h.writeUInt64(1, 3))));
    });
    WriteRequestEncoder enc = new WriteRequestEncoder().addEncodedSeries(series).addEncodedSeries(histogramOnly)
        .addMetadata(MetricType.HISTOGRAM, "rpc_seconds", "RPC latency.", "seconds");

    WriteResult r = send(enc);

    assertThat(r.status()).as(r.message()).isEqualTo(204);
    assertThat(Stored.all(db)).containsOnlyKeys(Labels.of("__name__", "rpc_seconds"));
    assertThat(counter("vigil_remote_write_samples_rejected", "native_histogram_unsupported")).isEqualTo(2);
    assertThat(counter("vigil_remote_write_exemplars_dropped", null)).isEqualTo(1);
    assertThat(counter("vigil_remote_write_metadata_ignored", null)).isEqualTo(1);
    assertThat(counter("vigil_remote_write_samples_received", null)).isEqualTo(3);
  }

  @Test
  void truncatedOrGarbageSnappyIs400() {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(up("a"), NOW, 1);
    byte[] body = enc.compressedCopy();
    for (int len = 0; len < body.length; len++) {
      WriteResult r = receiver.write(body, 0, len, null);
      assertThat(r.status()).as("prefix %d", len).isEqualTo(400);
      assertThat(r.message()).startsWith("snappy: corrupt input");
    }
    byte[] garbage = {0x05, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThat(receiver.write(garbage, 0, garbage.length, null).status()).isEqualTo(400);
    assertThat(Stored.all(db)).isEmpty();
  }

  @Test
  void headerClaimingFourGibibytesIsRefusedBeforeAllocating() {
    byte[] bomb = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x00}; // declares 2^32 - 1 bytes
    WriteResult r = receiver.write(bomb, 0, bomb.length, null);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.message()).isEqualTo("decompressed body of 4294967295 bytes (declared in the snappy header) exceeds the limit of "
        + RemoteWriteOptions.DEFAULT_MAX_DECOMPRESSED_BYTES + " bytes");
    byte[] over32 = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x1f};
    assertThat(receiver.write(over32, 0, over32.length, null).message()).contains("exceeds 32 bits");
  }

  @Test
  void smallDecompressedLimitIsEnforcedFromTheHeader() {
    receiver = new RemoteWriteReceiver(db, RemoteWriteOptions.defaults().withMaxDecompressedBytes(1000), new PrometheusRegistry());
    WriteRequestEncoder enc = new WriteRequestEncoder();
    for (int i = 0; i < 100; i++) {
      enc.addSeries(up("h" + i), NOW, i);
    }
    assertThat(enc.size()).isGreaterThan(1000);
    WriteResult r = send(enc);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.message()).contains("bytes (declared in the snappy header) exceeds the limit of 1000 bytes");
  }

  @Test
  void malformedProtobufStoresNothingEvenAfterGoodSeries() {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(up("a"), NOW, 1);
    enc.addEncodedSeries(new byte[] {0x0a, 0x7f}); // a label claiming 127 bytes inside a 2-byte series
    WriteResult r = send(enc);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).startsWith("proto: WriteRequest: TimeSeries.labels of 127 bytes runs past the end");
    assertThat(Stored.all(db)).isEmpty();
  }

  @Test
  void tooManySamplesOrSeriesIs413AndStoresNothing() {
    receiver = new RemoteWriteReceiver(db, RemoteWriteOptions.defaults().withMaxSamplesPerRequest(10), new PrometheusRegistry());
    WriteRequestEncoder enc = new WriteRequestEncoder();
    for (int i = 0; i < 11; i++) {
      enc.addSeries(up("h" + i), NOW, i);
    }
    WriteResult r = send(enc);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.message()).isEqualTo("request has more than 10 samples, the limit per request");
    assertThat(Stored.all(db)).isEmpty();

    receiver = new RemoteWriteReceiver(db, RemoteWriteOptions.defaults().withMaxSeriesPerRequest(5), new PrometheusRegistry());
    assertThat(send(enc).message()).isEqualTo("request has more than 5 series, the limit per request");
    assertThat(Stored.all(db)).isEmpty();
  }

  @Test
  void tenantLabelIsSetOnEverySeriesOverridingTheSender() {
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(Labels.of("__name__", "m", "tenant", "spoofed"), NOW, 1);
    enc.addSeries(Labels.of("__name__", "n"), NOW, 2);
    assertThat(send(enc, new Tenant("tenant", "acme")).status()).isEqualTo(204);
    // The same bytes again for another tenant: the series cache must not mix tenants up.
    assertThat(send(enc, new Tenant("tenant", "globex")).status()).isEqualTo(204);
    assertThat(send(enc).status()).isEqualTo(204);
    assertThat(Stored.all(db)).containsOnlyKeys(
        Labels.of("__name__", "m", "tenant", "acme"), Labels.of("__name__", "n", "tenant", "acme"),
        Labels.of("__name__", "m", "tenant", "globex"), Labels.of("__name__", "n", "tenant", "globex"),
        Labels.of("__name__", "m", "tenant", "spoofed"), Labels.of("__name__", "n"));
  }

  @Test
  void closedStorageIs500AndNothingIsStored() {
    db.close();
    WriteRequestEncoder enc = new WriteRequestEncoder();
    enc.addSeries(up("a"), NOW, 1);
    WriteResult r = send(enc);
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.message()).startsWith("storage error: ");
    db = Tsdb.open(dir, TsdbOptions.defaults().withCompactionIntervalMs(0), new PrometheusRegistry());
    assertThat(Stored.all(db)).isEmpty();
  }

  @Test
  void emptyRequestIs204() {
    byte[] empty = {0x00};
    assertThat(receiver.write(empty, 0, 1, null).status()).isEqualTo(204);
  }

  double counter(String name, String reason) {
    for (MetricSnapshot s : registry.scrape()) {
      if (s.getMetadata().getName().equals(name) && s instanceof CounterSnapshot c) {
        for (var dp : c.getDataPoints()) {
          if (reason == null || reason.equals(dp.getLabels().get("reason"))) {
            return dp.getValue();
          }
        }
      }
    }
    throw new AssertionError("no metric " + name + " " + reason);
  }
}
