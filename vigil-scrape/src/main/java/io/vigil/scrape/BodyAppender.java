package io.vigil.scrape;

import io.vigil.exposition.ByteSlice;
import io.vigil.exposition.Entry;
import io.vigil.exposition.ExpositionException;
import io.vigil.exposition.ExpositionFormat;
import io.vigil.exposition.ExpositionParser;
import io.vigil.model.Labels;
import io.vigil.model.StaleNaN;
import io.vigil.model.relabel.Relabeler;
import io.vigil.storage.Appender;
import io.vigil.storage.SampleRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends the samples of one scrape body to storage through a target's {@link ScrapeCache}
 * (Prometheus's {@code scrapeLoop.append}). A series already in the cache costs a hash lookup of its
 * raw bytes and an append by reference; only new series are parsed into labels, given the target
 * labels (with {@code exported_} renames or honored labels), metric-relabeled and checked against the
 * label limits. After a successful body, series of the previous successful body that are missing
 * get a staleness marker at the scrape time.
 *
 * <p>Errors (a parse error, a limit, an unusable Content-Type) fail the whole body: the caller rolls
 * the appender back and calls {@link #appendFailure} on a fresh one, which marks every series of the
 * last successful body stale. Samples the storage rejects (out of order, duplicates, out of bounds)
 * are counted and skipped, as in Prometheus.
 *
 * <p>One instance per scrape loop; not thread-safe. It keeps one parser per format.
 */
public final class BodyAppender {
  static final String EXPORTED_PREFIX = "exported_";

  private final AppendOptions opts;
  private final ScrapeCache cache;
  private final ExpositionParser[] parsers = new ExpositionParser[ExpositionFormat.values().length];
  private final Labels.Builder scratch = new Labels.Builder(16);
  private final List<String> conflicts = new ArrayList<>(4);
  private final Result result = new Result();
  private Appender staleApp;
  private long staleTs;
  private final ScrapeCache.StaleSink staleSink = this::writeStale;

  /** Counts of one append; reused, valid until the next call. */
  public static final class Result {
    /** Samples in the body. */
    public int total;
    /** Samples left after metric relabeling (counted even when storage rejects them, as Prometheus). */
    public int added;
    /** Series new to the cache and stored. */
    public int seriesAdded;
    public int outOfOrder;
    public int duplicates;
    public int outOfBounds;
    /** Whether the sample limit failed the body. */
    public boolean sampleLimitExceeded;
    /** Whether a label limit failed the body. */
    public boolean labelLimitExceeded;
    /** Why the body failed, or null. */
    public String error;

    void reset() {
      total = added = seriesAdded = outOfOrder = duplicates = outOfBounds = 0;
      sampleLimitExceeded = labelLimitExceeded = false;
      error = null;
    }
  }

  public BodyAppender(AppendOptions opts, ScrapeCache cache) {
    this.opts = opts;
    this.cache = cache;
  }

  public ScrapeCache cache() {
    return cache;
  }

  public AppendOptions options() {
    return opts;
  }

  /**
   * Appends every sample of {@code body[offset, offset+length)}.
   *
   * @param contentType the response's Content-Type, selecting the parser
   * @param timestampMs the scrape time, for samples without (or with ignored) timestamps and markers
   * @return the counts; {@link Result#error} non-null means the caller must roll back
   */
  public Result append(Appender app, byte[] body, int offset, int length, String contentType, long timestampMs) {
    Result r = result;
    r.reset();
    ExpositionFormat format;
    try {
      format = ContentTypes.formatFor(contentType, opts.fallbackProtocol());
    } catch (ScrapeFailure e) {
      r.error = e.getMessage();
      return r;
    }
    ExpositionParser p = parser(format).reset(body, offset, length);
    int it = cache.beginIteration();
    long sampleLimit = opts.sampleLimit();
    boolean honorTimestamps = opts.honorTimestamps();
    boolean trackExplicit = opts.trackTimestampsStaleness();
    try {
      Entry kind;
      while ((kind = p.next()) != Entry.EOF) {
        switch (kind) {
          case SERIES -> {
            r.total++;
            ScrapeCache.Entry e = cache.get(p.series());
            boolean isNew = e == null;
            if (isNew) {
              e = newEntry(p, r);
              if (e == null) {
                return r; // a label limit failed the body
              }
            }
            e.seenIter = it;
            if (e.labels == null) {
              continue; // dropped by metric relabeling
            }
            r.added++;
            if (sampleLimit > 0 && r.added > sampleLimit) {
              r.sampleLimitExceeded = true;
              continue; // keep counting what the body holds
            }
            boolean explicit = honorTimestamps && p.hasTimestamp();
            e.tracked = !explicit || trackExplicit;
            if (appendSample(app, e, explicit ? p.timestampMs() : timestampMs, p.value(), r) && isNew) {
              r.seriesAdded++;
            }
          }
          case TYPE -> {
            ScrapeCache.MetaEntry m = cache.meta(p.familyName());
            if (m.type != p.type()) {
              m.type = p.type();
              m.publish();
            }
          }
          case HELP -> {
            ScrapeCache.MetaEntry m = cache.meta(p.familyName());
            ByteSlice raw = p.text();
            if (!raw.contentEquals(m.helpRaw, 0, m.helpRaw.length)) {
              m.helpRaw = raw.toByteArray();
              m.help = p.help();
              m.publish();
            }
          }
          case UNIT -> {
            ScrapeCache.MetaEntry m = cache.meta(p.familyName());
            ByteSlice raw = p.text();
            if (!raw.contentEquals(m.unitRaw, 0, m.unitRaw.length)) {
              m.unitRaw = raw.toByteArray();
              m.unit = p.unit();
              m.publish();
            }
          }
          default -> { } // comments
        }
      }
    } catch (ExpositionException e) {
      r.error = e.getMessage();
      return r;
    }
    if (r.sampleLimitExceeded) {
      r.error = "sample limit exceeded";
      return r;
    }
    staleApp = app;
    staleTs = timestampMs;
    cache.endSuccessfulIteration(staleSink, length == 0);
    staleApp = null;
    return r;
  }

  /**
   * After a failed scrape or body (the caller rolled its appender back), or when the target goes
   * away: a staleness marker at {@code timestampMs} for every series of the last successful body.
   */
  public void appendFailure(Appender app, long timestampMs) {
    staleApp = app;
    staleTs = timestampMs;
    cache.endFailedIteration(staleSink);
    staleApp = null;
  }

  private void writeStale(ScrapeCache.Entry e) {
    try {
      appendRef(staleApp, e, staleTs, StaleNaN.VALUE);
    } catch (SampleRejectedException ignored) {
      // Out of order or duplicate: the series was written again meanwhile (a recreated target, or
      // another spelling of it in this body), so it is not stale. Prometheus ignores these too.
    }
  }

  /** Appends; returns false when the storage rejected the sample (counted in {@code r}). */
  private static boolean appendSample(Appender app, ScrapeCache.Entry e, long t, double v, Result r) {
    try {
      appendRef(app, e, t, v);
      return true;
    } catch (SampleRejectedException x) {
      switch (x.reason()) {
        case OUT_OF_ORDER -> r.outOfOrder++;
        case DUPLICATE_TIMESTAMP -> r.duplicates++;
        case OUT_OF_BOUNDS -> r.outOfBounds++;
        default -> { } // invalid labels or a storage limit: the sample is lost, as in Prometheus
      }
      return false;
    }
  }

  private static void appendRef(Appender app, ScrapeCache.Entry e, long t, double v) {
    if (e.ref != 0) {
      try {
        app.append(e.ref, t, v);
        return;
      } catch (SampleRejectedException x) {
        if (x.reason() != SampleRejectedException.Reason.UNKNOWN_SERIES) {
          throw x;
        }
        // The storage dropped the series (head truncation): find or create it again by labels.
      }
    }
    e.ref = app.append(0, e.labels, t, v);
  }

  /** Builds, checks and caches a series seen for the first time; null when a limit failed the body. */
  private ScrapeCache.Entry newEntry(ExpositionParser p, Result r) {
    Labels.Builder b = scratch;
    p.labels(b);
    addTargetLabels(b);
    if (!opts.metricRelabelConfigs().isEmpty() && !Relabeler.process(b, opts.metricRelabelConfigs())) {
      return cache.add(p.series(), null, 0);
    }
    Labels lset = b.build();
    if (lset.isEmpty()) {
      return cache.add(p.series(), null, 0);
    }
    if (lset.metricName().isEmpty()) {
      r.error = "missing metric name (__name__ label)";
      return null;
    }
    String limitError = checkLabelLimits(lset, p.series());
    if (limitError != null) {
      r.error = limitError;
      r.labelLimitExceeded = true;
      return null;
    }
    return cache.add(p.series(), lset, 0);
  }

  /** Prometheus's mutateSampleLabels, before metric relabeling. */
  private void addTargetLabels(Labels.Builder b) {
    Labels target = opts.targetLabels();
    if (opts.honorLabels()) {
      for (int i = 0; i < target.size(); i++) {
        if (b.get(target.name(i)).isEmpty()) {
          b.set(target.name(i), target.value(i));
        }
      }
      return;
    }
    conflicts.clear();
    for (int i = 0; i < target.size(); i++) {
      String name = target.name(i);
      String exposed = b.get(name);
      if (!exposed.isEmpty()) {
        conflicts.add(name);
        conflicts.add(exposed);
      }
      b.set(name, target.value(i));
    }
    if (conflicts.isEmpty()) {
      return;
    }
    // Shorter names first (stable), so exported_exported_x cannot take the place of exported_x.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < conflicts.size(); i += 2) {
      order.add(i);
    }
    order.sort((x, y) -> Integer.compare(conflicts.get(x).length(), conflicts.get(y).length()));
    for (int i : order) {
      String newName = conflicts.get(i);
      do {
        newName = EXPORTED_PREFIX + newName;
      } while (!b.get(newName).isEmpty());
      b.set(newName, conflicts.get(i + 1));
    }
  }

  private String checkLabelLimits(Labels lset, ByteSlice raw) {
    long labelLimit = opts.labelLimit();
    if (labelLimit > 0 && lset.size() > labelLimit) {
      return "label_limit exceeded (metric: " + first50(raw.toString()) + ", number of labels: " + lset.size()
          + ", limit: " + labelLimit + ")";
    }
    long nameLimit = opts.labelNameLengthLimit();
    long valueLimit = opts.labelValueLengthLimit();
    if (nameLimit <= 0 && valueLimit <= 0) {
      return null;
    }
    for (int i = 0; i < lset.size(); i++) {
      String name = lset.name(i);
      if (nameLimit > 0 && name.length() > nameLimit) {
        return "label_name_length_limit exceeded (metric: " + first50(raw.toString()) + ", label name: "
            + first50(name) + ", length: " + name.length() + ", limit: " + nameLimit + ")";
      }
      String value = lset.value(i);
      int valueBytes = utf8Length(value);
      if (valueLimit > 0 && valueBytes > valueLimit) {
        return "label_value_length_limit exceeded (metric: " + first50(raw.toString()) + ", label name: "
            + first50(name) + ", value: \"" + first50(value) + "\", length: " + valueBytes + ", limit: " + valueLimit + ")";
      }
    }
    return null;
  }

  private static String first50(String s) {
    return s.length() <= 50 ? s : s.substring(0, 50);
  }

  private static int utf8Length(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return s.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return n;
  }

  private ExpositionParser parser(ExpositionFormat format) {
    ExpositionParser p = parsers[format.ordinal()];
    if (p == null) {
      p = ExpositionParser.create(format, new byte[0], 0, 0, opts.parserOptions());
      parsers[format.ordinal()] = p;
    }
    return p;
  }
}
