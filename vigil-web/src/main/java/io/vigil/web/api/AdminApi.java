package io.vigil.web.api;

import io.vigil.model.Matcher;
import io.vigil.web.HttpExchange;
import io.vigil.web.Tenant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * tsdb/snapshot, tsdb/delete_series and tsdb/clean_tombstones. A tenant's deletes are confined to
 * its own series like its reads.
 */
final class AdminApi {
  /** Go's "20060102T150405Z0700" for a UTC time. */
  private static final DateTimeFormatter SNAPSHOT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private final TsdbAdmin admin;
  private final Path dataDir;
  private final Clock clock;

  AdminApi(TsdbAdmin admin, Path dataDir, Clock clock) {
    this.admin = admin;
    this.dataDir = dataDir;
    this.clock = clock;
  }

  /** What every admin endpoint answers without --web.enable-admin-api. */
  static void disabled(HttpExchange ex) {
    throw new ApiError(ApiError.Type.UNAVAILABLE, "admin APIs disabled");
  }

  void snapshot(HttpExchange ex) throws IOException {
    boolean skipHead = false;
    String v = Params.value(ex, "skip_head");
    if (!v.isEmpty()) {
      try {
        skipHead = Params.parseBool(v);
      } catch (IllegalArgumentException e) {
        throw ApiError.invalidParam("skip_head", "unable to parse boolean: " + e.getMessage());
      }
    }
    String name = SNAPSHOT_TIME.format(clock.instant()) + "-"
        + String.format("%016x", ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
    Path dir;
    try {
      if (dataDir == null) {
        throw new IOException("no data directory configured");
      }
      dir = Files.createDirectories(dataDir.resolve("snapshots").resolve(name));
    } catch (IOException e) {
      throw ApiError.internal("create snapshot directory: " + e.getMessage());
    }
    try {
      admin.snapshot(dir, !skipHead);
    } catch (IOException | RuntimeException e) {
      throw ApiError.internal("create snapshot: " + e.getMessage());
    }
    ApiResponses.success(ex, g -> {
      g.writeStartObject();
      g.writeStringProperty("name", name);
      g.writeEndObject();
    });
  }

  void deleteSeries(HttpExchange ex) throws IOException {
    List<String> match = ex.params("match[]");
    if (match.isEmpty()) {
      throw ApiError.badData("no match[] parameter provided");
    }
    long start = Params.timeParam(ex, "start", Params.MIN_TIME_MS);
    long end = Params.timeParam(ex, "end", Params.MAX_TIME_MS);
    // All selectors are parsed before anything is deleted, so a bad one deletes nothing.
    List<List<Matcher>> sets = MatcherSets.parse(match, ex.attribute(Tenant.class),
        msg -> ApiError.invalidParam("match[]", msg));
    try {
      for (List<Matcher> set : sets) {
        admin.deleteSeries(start, end, set);
      }
    } catch (IOException | RuntimeException e) {
      throw ApiError.internal(String.valueOf(e.getMessage()));
    }
    ApiResponses.noContent(ex);
  }

  void cleanTombstones(HttpExchange ex) throws IOException {
    try {
      admin.cleanTombstones();
    } catch (IOException | RuntimeException e) {
      throw ApiError.internal(String.valueOf(e.getMessage()));
    }
    ApiResponses.noContent(ex);
  }
}
