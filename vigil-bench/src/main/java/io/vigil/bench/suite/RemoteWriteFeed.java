package io.vigil.bench.suite;

import io.vigil.model.Labels;
import io.vigil.remote.RemoteWriteClient;
import io.vigil.remote.WriteRequestEncoder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Feeds the fleet to servers through remote write 1.0 the way Prometheus's queue manager does:
 * series are sharded (series i goes to shard i mod shards, so each series' samples stay in order),
 * each shard cuts requests of about {@code batchSamples} samples and sends them one after the other,
 * and the shards send concurrently. Requests are encoded and snappy-compressed once and the same
 * bytes go to every server.
 */
final class RemoteWriteFeed {
  /** One snappy-compressed WriteRequest and how many samples it carries. */
  record Request(byte[] body, int samples) {}

  /** What one server answered to a set of requests. */
  record SendResult(long samplesSent, long samplesAccepted, long requests, long failedRequests, String firstError,
      double seconds) {}

  private final int shards;
  private final int batchSamples;
  private final WriteRequestEncoder encoder = new WriteRequestEncoder();

  RemoteWriteFeed(int shards, int batchSamples) {
    this.shards = shards;
    this.batchSamples = batchSamples;
  }

  int shards() {
    return shards;
  }

  /**
   * Generates the next {@code scrapes} scrapes, one sample per series per request (as a sender that
   * keeps up sends them), and returns the requests by shard in sending order.
   */
  List<List<Request>> encodeScrapes(Fleet fleet, int scrapes) {
    List<List<Request>> byShard = new ArrayList<>();
    for (int k = 0; k < shards; k++) {
      byShard.add(new ArrayList<>());
    }
    for (int s = 0; s < scrapes; s++) {
      fleet.next();
      encode(fleet, new long[][] {fleet.ts}, new double[][] {fleet.vs}, (k, r) -> byShard.get(k).add(r));
    }
    return byShard;
  }

  /**
   * Encodes buffered scrapes {@code ts[scrape][series]}: each request holds all of them for about
   * {@code batchSamples / scrapes} series (as a sender catching up does).
   */
  void encode(Fleet fleet, long[][] ts, double[][] vs, BiConsumer<Integer, Request> sink) {
    int perSeries = ts.length;
    long[] st = new long[perSeries];
    double[] sv = new double[perSeries];
    List<Labels> labels = fleet.series();
    int n = fleet.size();
    for (int k = 0; k < shards; k++) {
      encoder.reset();
      for (int i = k; i < n; i += shards) {
        for (int j = 0; j < perSeries; j++) {
          st[j] = ts[j][i];
          sv[j] = vs[j][i];
        }
        encoder.addSeries(labels.get(i), st, sv, 0, perSeries);
        if (encoder.sampleCount() >= batchSamples) {
          sink.accept(k, new Request(encoder.compressedCopy(), encoder.sampleCount()));
          encoder.reset();
        }
      }
      if (encoder.sampleCount() > 0) {
        sink.accept(k, new Request(encoder.compressedCopy(), encoder.sampleCount()));
      }
    }
  }

  static RemoteWriteClient client(BenchServer s) {
    // Few attempts: a benchmark must see failures, not hide them behind Prometheus's endless retries.
    return new RemoteWriteClient(URI.create(s.url("/api/v1/write")),
        RemoteWriteClient.Options.defaults().withMaxAttempts(3).withTimeout(Duration.ofMinutes(2)));
  }

  /** Sends every shard's requests to one server, the shards concurrently; returns when all are answered. */
  static SendResult send(BenchServer server, List<List<Request>> byShard) {
    RemoteWriteClient client = client(server);
    Tally tally = new Tally();
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (List<Request> shard : byShard) {
      threads.add(Thread.ofPlatform().name("rw-" + server.name).start(() -> {
        for (Request r : shard) {
          tally.send(client, r);
        }
      }));
    }
    join(threads);
    return tally.result((System.nanoTime() - t0) / 1e9);
  }

  /**
   * Streams {@code scrapes} scrapes to several servers at once, {@code perRequest} scrapes per
   * request, through bounded per-shard queues (so generation never runs far ahead of sending): for
   * the recovery measurement, whose data is too large to hold in memory.
   */
  SendResult[] stream(Fleet fleet, int scrapes, int perRequest, List<BenchServer> servers) {
    int m = servers.size();
    List<List<BlockingQueue<Request>>> queues = new ArrayList<>();
    Tally[] tallies = new Tally[m];
    List<Thread> threads = new ArrayList<>();
    Request end = new Request(new byte[0], 0);
    long t0 = System.nanoTime();
    for (int j = 0; j < m; j++) {
      RemoteWriteClient client = client(servers.get(j));
      Tally tally = tallies[j] = new Tally();
      List<BlockingQueue<Request>> qs = new ArrayList<>();
      for (int k = 0; k < shards; k++) {
        BlockingQueue<Request> q = new ArrayBlockingQueue<>(64);
        qs.add(q);
        threads.add(Thread.ofPlatform().name("rw-" + servers.get(j).name + "-" + k).start(() -> {
          try {
            for (Request r = q.take(); r != end; r = q.take()) {
              tally.send(client, r);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
      }
      queues.add(qs);
    }
    long[][] ts = new long[perRequest][fleet.size()];
    double[][] vs = new double[perRequest][fleet.size()];
    try {
      for (int done = 0; done < scrapes; ) {
        int c = Math.min(perRequest, scrapes - done);
        long[][] bt = c == perRequest ? ts : java.util.Arrays.copyOf(ts, c);
        double[][] bv = c == perRequest ? vs : java.util.Arrays.copyOf(vs, c);
        for (int s = 0; s < c; s++) {
          fleet.next();
          System.arraycopy(fleet.ts, 0, bt[s], 0, fleet.size());
          System.arraycopy(fleet.vs, 0, bv[s], 0, fleet.size());
        }
        encode(fleet, bt, bv, (k, r) -> queues.forEach(qs -> put(qs.get(k), r)));
        done += c;
        if (done % (perRequest * 24) == 0 || done == scrapes) {
          Log.info("  streamed %d of %d scrapes (%.0f s)", done, scrapes, (System.nanoTime() - t0) / 1e9);
        }
      }
    } finally {
      queues.forEach(qs -> qs.forEach(q -> put(q, end)));
      join(threads);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    SendResult[] out = new SendResult[m];
    for (int j = 0; j < m; j++) {
      out[j] = tallies[j].result(secs);
    }
    return out;
  }

  private static void put(BlockingQueue<Request> q, Request r) {
    try {
      q.put(r);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void join(List<Thread> threads) {
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Counts what a server accepted, thread-safe. */
  private static final class Tally {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicReference<String> firstError = new AtomicReference<>();

    void send(RemoteWriteClient client, Request r) {
      requests.incrementAndGet();
      sent.addAndGet(r.samples());
      try {
        RemoteWriteClient.Response resp = client.send(r.body(), r.body().length);
        if (resp.success()) {
          accepted.addAndGet(r.samples());
          return;
        }
        fail("HTTP " + resp.status() + ": " + resp.body().strip());
      } catch (java.io.IOException e) {
        fail(e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail(e.toString());
      }
    }

    private void fail(String why) {
      failed.incrementAndGet();
      firstError.compareAndSet(null, why.length() > 300 ? why.substring(0, 300) + "..." : why);
    }

    SendResult result(double seconds) {
      return new SendResult(sent.get(), accepted.get(), requests.get(), failed.get(), firstError.get(), seconds);
    }
  }
}
