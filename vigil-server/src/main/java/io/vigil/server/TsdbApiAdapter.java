package io.vigil.server;

import io.vigil.model.Matcher;
import io.vigil.tsdb.Tsdb;
import io.vigil.tsdb.TsdbStats;
import io.vigil.tsdb.wal.WalReplayStatus;
import io.vigil.web.api.TsdbAdmin;
import io.vigil.web.api.TsdbStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** The HTTP API's narrow TSDB interfaces, over the real TSDB (which may still be opening). */
final class TsdbApiAdapter implements TsdbStatus, TsdbAdmin {
  private final Supplier<Tsdb> tsdb;

  TsdbApiAdapter(Supplier<Tsdb> tsdb) {
    this.tsdb = tsdb;
  }

  private Tsdb db() {
    Tsdb db = tsdb.get();
    if (db == null) {
      throw new IllegalStateException("TSDB not ready");
    }
    return db;
  }

  @Override
  public Stats stats(int limit) {
    TsdbStats s = db().stats(limit);
    TsdbStats.HeadStats h = s.headStats();
    return new Stats(new HeadStats(h.numSeries(), h.numLabelPairs(), h.chunkCount(), h.minTime(), h.maxTime()),
        stats(s.seriesCountByMetricName()), stats(s.labelValueCountByLabelName()),
        stats(s.memoryInBytesByLabelName()), stats(s.seriesCountByLabelValuePair()));
  }

  private static List<Stat> stats(List<TsdbStats.Stat> in) {
    return in.stream().map(x -> new Stat(x.name(), x.value())).toList();
  }

  @Override
  public WalReplay walReplay() {
    Tsdb db = tsdb.get();
    if (db == null) {
      return new WalReplay(-1, -1, -1);
    }
    WalReplayStatus s = db.walReplayStatus();
    return new WalReplay(s.min(), s.max(), s.current());
  }

  @Override
  public void snapshot(Path dir, boolean withHead) throws IOException {
    db().snapshot(dir, withHead);
  }

  @Override
  public void deleteSeries(long mint, long maxt, List<Matcher> matchers) {
    db().deleteSeries(mint, maxt, matchers.toArray(Matcher[]::new));
  }

  @Override
  public void cleanTombstones() throws IOException {
    db().cleanTombstones();
  }
}
