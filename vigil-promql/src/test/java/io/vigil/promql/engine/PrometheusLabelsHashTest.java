package io.vigil.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Labels;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The expected hashes were computed independently with the reference C library (libxxhash 0.8.1,
 * XXH64 seed 0) over the byte layout of Prometheus's stringlabels build.
 */
class PrometheusLabelsHashTest {
  @Test
  void matchesPrometheusHashOfLabels() {
    assertThat(PrometheusLabelsHash.of(Labels.EMPTY)).isEqualTo(0xef46db3751d8e999L); // XXH64 of no bytes
    assertThat(PrometheusLabelsHash.of(Labels.of("__name__", "http_requests", "job", "api-server", "instance", "0",
        "group", "production"))).isEqualTo(0x18351c049c0d95e6L);
    assertThat(PrometheusLabelsHash.of(Labels.of("__name__", "http_requests", "job", "api-server", "instance", "0",
        "group", "canary"))).isEqualTo(0xfa6e5aa974a03e59L);
    assertThat(PrometheusLabelsHash.of(Labels.of("job", "api-server", "instance", "0", "group", "canary")))
        .isEqualTo(0x60c73b4c5bfa88a4L);
  }

  @Test
  void lengthsOf255AndMoreTakeFourBytesAndValuesAreUtf8() {
    assertThat(PrometheusLabelsHash.of(Labels.of("__name__", "m", "v", "x".repeat(300)))).isEqualTo(0xcf63b65bd8bf9ee8L);
    assertThat(PrometheusLabelsHash.of(Labels.of("__name__", "m", "city", "Zürich"))).isEqualTo(0x6c1dd88fb0f330adL);
  }

  @Test
  void ratioOffsetIsGoFloatOfUnsignedHashOverMaxUint64() {
    assertThat(PrometheusLabelsHash.ratioOffset(Labels.of("__name__", "http_requests", "job", "api-server",
        "instance", "0", "group", "canary"))).isEqualTo(0.9782463706693543);
    assertThat(PrometheusLabelsHash.ratioOffset(Labels.EMPTY)).isEqualTo(0.9346749315317059);
  }

  /** Seeded property: the unsigned conversion rounds like an exact decimal conversion does. */
  @Test
  void unsignedToDoubleRoundsToNearest() {
    long seed = System.nanoTime();
    System.out.println("PrometheusLabelsHashTest seed " + seed);
    Random rnd = new Random(seed);
    long[] edges = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000_0000_0400L, 0x8000_0000_0000_0C00L,
        0xFFFF_FFFF_FFFF_FC00L, 0xFFFF_FFFF_FFFF_FBFFL};
    for (long u : edges) {
      assertThat(PrometheusLabelsHash.unsignedToDouble(u)).as("u=%s seed=%d", Long.toUnsignedString(u), seed)
          .isEqualTo(new BigDecimal(Long.toUnsignedString(u)).doubleValue());
    }
    for (int i = 0; i < 20_000; i++) {
      long u = rnd.nextLong();
      assertThat(PrometheusLabelsHash.unsignedToDouble(u)).as("u=%s seed=%d", Long.toUnsignedString(u), seed)
          .isEqualTo(new BigDecimal(Long.toUnsignedString(u)).doubleValue());
    }
  }
}
