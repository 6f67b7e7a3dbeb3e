package io.vigil.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import io.vigil.web.Tenant;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The receiver's series cache against a map: it may forget, but never answers with another series. */
class SeriesCacheTest {
  private static final Tenant TENANT = new Tenant("tenant", "a");

  @Test
  void findsWhatWasPutPerTenantAndNothingElse() {
    SeriesCache c = new SeriesCache(1024);
    byte[] k = bytes("up{job=\"a\"}");
    c.put(k, 0, k.length, 7, null, Labels.of("job", "a"), 1);
    assertThat(c.get(k, 0, k.length, 7, null).ref).isEqualTo(1);
    assertThat(c.get(k, 0, k.length, 7, TENANT)).isNull();
    byte[] other = bytes("up{job=\"b\"}");
    assertThat(c.get(other, 0, other.length, 7, null)).as("same hash, other bytes").isNull();
    byte[] padded = bytes("xxup{job=\"a\"}yy");
    assertThat(c.get(padded, 2, k.length, 7, null).ref).as("a view into a larger buffer").isEqualTo(1);
  }

  @Test
  @Timeout(10)
  void aKeyWhoseHashIsZeroIsFoundAndItsAbsenceEndsTheSearch() {
    SeriesCache c = new SeriesCache(64);
    byte[] k = bytes("zero");
    assertThat(c.get(k, 0, k.length, 0, null)).isNull(); // must return, not probe forever
    c.put(k, 0, k.length, 0, null, Labels.EMPTY, 3);
    assertThat(c.get(k, 0, k.length, 0, null).ref).isEqualTo(3);
    byte[] absent = bytes("absent");
    assertThat(c.get(absent, 0, absent.length, 0, null)).isNull();
  }

  @Test
  void randomPutsAndGetsWithCollidingHashesMatchAModel() {
    long seed = System.nanoTime();
    System.out.println("SeriesCacheTest seed " + seed);
    Random rnd = new Random(seed);
    int capacity = 16 * (1 + rnd.nextInt(256)); // stripes of 1-256 entries: tables grow, generations rotate
    SeriesCache c = new SeriesCache(capacity);
    Map<String, Long> model = new HashMap<>();
    int distinct = capacity * 3;
    for (int op = 0; op < 50_000; op++) {
      int id = rnd.nextInt(distinct);
      Tenant tenant = rnd.nextInt(4) == 0 ? TENANT : null;
      byte[] key = bytes("series-" + id);
      long hash = id % 5 == 0 ? 0 : (id % 7) << 60 | (id % 3); // few distinct hashes: long collision chains
      String modelKey = id + "/" + tenant;
      SeriesCache.Entry e = c.get(key, 0, key.length, hash, tenant);
      if (e != null) {
        assertThat(e.ref).as("seed %d: entry for %s", seed, modelKey).isEqualTo(model.get(modelKey));
        assertThat(e.tenant).isEqualTo(tenant);
      } else {
        long ref = rnd.nextLong();
        c.put(key, 0, key.length, hash, tenant, Labels.EMPTY, ref);
        model.put(modelKey, ref);
        assertThat(c.get(key, 0, key.length, hash, tenant).ref).as("seed %d: just put %s", seed, modelKey).isEqualTo(ref);
      }
    }
  }

  @Test
  void aWorkingSetWithinTheCapacityStopsMissingAfterTheFirstRound() {
    int capacity = 4096;
    SeriesCache c = new SeriesCache(capacity);
    int series = capacity * 9 / 10;
    int misses = 0;
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < series; i++) {
        byte[] key = bytes("series-" + i);
        long hash = ByteHash.of(key, 0, key.length);
        SeriesCache.Entry e = c.get(key, 0, key.length, hash, null);
        if (e == null) {
          c.put(key, 0, key.length, hash, null, Labels.EMPTY, i);
          if (round > 0) {
            misses++;
          }
        } else {
          assertThat(e.ref).isEqualTo(i);
        }
      }
    }
    // Tables grew from 64 slots on the way; stripes fill unevenly, so a stripe may rotate, and its
    // entries survive in the previous generation.
    assertThat(misses).isZero();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
