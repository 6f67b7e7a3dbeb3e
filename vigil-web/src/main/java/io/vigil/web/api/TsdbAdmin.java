package io.vigil.web.api;

import io.vigil.model.Matcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The TSDB operations behind the admin API ({@code /api/v1/admin/tsdb/...}, only with
 * --web.enable-admin-api). Implementations must be thread-safe. An exception fails the request with
 * errorType "internal" and its message.
 */
public interface TsdbAdmin {
  /** For servers without a TSDB: every operation fails with "TSDB not ready". */
  TsdbAdmin UNAVAILABLE = new TsdbAdmin() {
    @Override
    public void snapshot(Path dir, boolean withHead) {
      throw new IllegalStateException("TSDB not ready");
    }

    @Override
    public void deleteSeries(long mint, long maxt, List<Matcher> matchers) {
      throw new IllegalStateException("TSDB not ready");
    }

    @Override
    public void cleanTombstones() {
      throw new IllegalStateException("TSDB not ready");
    }
  };

  /**
   * Writes a snapshot of all blocks (and the head when {@code withHead}) into {@code dir}, which the
   * API has just created ({@code <data dir>/snapshots/<name>}).
   */
  void snapshot(Path dir, boolean withHead) throws IOException;

  /** Marks samples of series matching all matchers in [mint, maxt] (ms, inclusive) as deleted. */
  void deleteSeries(long mint, long maxt, List<Matcher> matchers) throws IOException;

  /** Rewrites blocks to drop deleted samples. */
  void cleanTombstones() throws IOException;
}
