package io.vigil.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.model.Labels;
import io.vigil.testkit.MemoryStorage;
import io.vigil.web.Authenticator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** client_java's PushGateway client pushing, adding and deleting, in both of its formats. */
class ClientJavaPushTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(Format.class)
  void pushPushAddAndDelete(Format format) throws Exception {
    MemoryStorage storage = new MemoryStorage();
    try (PushServer s = PushServer.start(PushServer.options(dir), storage, Duration.ofHours(1), Authenticator.ALLOW_ALL)) {
      PrometheusRegistry registry = new PrometheusRegistry();
      Counter runs = Counter.builder().name("backup_runs").help("Backup runs.").register(registry);
      Gauge last = Gauge.builder().name("backup_last_success_timestamp_seconds").help("Last success.").register(registry);
      Histogram duration = Histogram.builder().name("backup_duration_seconds").help("Duration.")
          .classicUpperBounds(1, 10, 100).register(registry);
      Summary size = Summary.builder().name("backup_size_bytes").help("Size.").quantile(0.5, 0.01).register(registry);
      runs.inc(3);
      last.set(1.7e9);
      duration.observe(0.5);
      duration.observe(5);
      duration.observe(50);
      size.observe(1000);
      PushGateway pg = PushGateway.builder().address("127.0.0.1:" + s.main.port()).job("nightly")
          .groupingKey("instance", "db1").registry(registry).format(format).build();
      pg.push();

      JsonNode group = onlyGroup(s);
      assertThat(group.get("labels").toString()).isEqualTo("{\"instance\":\"db1\",\"job\":\"nightly\"}");
      assertThat(group.get("backup_runs_total").get("type").asString()).isEqualTo("COUNTER");
      assertThat(group.get("backup_runs_total").get("metrics").get(0).get("value").asString()).isEqualTo("3");
      assertThat(group.get("backup_last_success_timestamp_seconds").get("metrics").get(0).get("value").asString())
          .isEqualTo("1.7e+09");
      JsonNode h = group.get("backup_duration_seconds").get("metrics").get(0);
      assertThat(h.get("buckets").toString()).isEqualTo("{\"+Inf\":\"3\",\"1\":\"1\",\"10\":\"2\",\"100\":\"3\"}");
      assertThat(h.get("count").asString()).isEqualTo("3");
      assertThat(h.get("sum").asString()).isEqualTo("55.5");
      JsonNode q = group.get("backup_size_bytes").get("metrics").get(0);
      assertThat(q.get("quantiles").toString()).isEqualTo("{\"0.5\":\"1000\"}");
      assertThat(q.get("count").asString()).isEqualTo("1");

      Labels runsSeries = Labels.of("__name__", "backup_runs_total", "job", "nightly", "instance", "db1");
      assertThat(Stored.series(storage, runsSeries).getLast().v()).isEqualTo(3);
      assertThat(Stored.series(storage, Labels.of("__name__", "backup_duration_seconds_bucket", "job", "nightly",
          "instance", "db1", "le", "10.0")).getLast().v()).isEqualTo(2);
      assertThat(Stored.series(storage, Labels.of("__name__", "backup_size_bytes", "job", "nightly", "instance", "db1",
          "quantile", "0.5")).getLast().v()).isEqualTo(1000);

      // pushAdd (POST) of another registry: the families of the group stay, a new one comes
      PrometheusRegistry extra = new PrometheusRegistry();
      Gauge files = Gauge.builder().name("backup_files").help("Files.").register(extra);
      files.set(120);
      PushGateway.builder().address("127.0.0.1:" + s.main.port()).job("nightly").groupingKey("instance", "db1")
          .registry(extra).format(format).build().pushAdd();
      assertThat(onlyGroup(s).propertyNames()).contains("backup_runs_total", "backup_duration_seconds", "backup_files");

      // push (PUT) of the extra registry alone replaces the group: the others end with staleness markers
      PushGateway.builder().address("127.0.0.1:" + s.main.port()).job("nightly").groupingKey("instance", "db1")
          .registry(extra).format(format).build().push();
      assertThat(onlyGroup(s).propertyNames()).doesNotContain("backup_runs_total").contains("backup_files");
      assertThat(Stored.series(storage, runsSeries).getLast().stale()).isTrue();

      pg.delete();
      assertThat(s.service.groupCount()).isZero();
      assertThat(Stored.series(storage, Labels.of("__name__", "backup_files", "job", "nightly", "instance", "db1"))
          .getLast().stale()).isTrue();
    }
  }

  private static JsonNode onlyGroup(PushServer s) {
    JsonNode data = Json.parse(Http.get(s.mainUrl() + "/api/v1/metrics").body()).get("data");
    assertThat(data.size()).as(data.toString()).isEqualTo(1);
    return data.get(0);
  }
}
