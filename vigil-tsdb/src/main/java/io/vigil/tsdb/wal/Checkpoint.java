package io.vigil.tsdb.wal;

import io.vigil.model.Labels;
import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.fs.FileSync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Compacts the start of the WAL into a checkpoint so that replay time is bounded by the data still
 * in the head, not by how long the process has run. A checkpoint keeps the series records of series
 * still in the head, their samples at or after a time, and their tombstones, in the original order.
 */
public final class Checkpoint {
  /** Output samples records are cut at about this size so that no single record gets huge. */
  private static final int OUTPUT_RECORD_BYTES = 1 << 20;

  private Checkpoint() {}

  /** What a checkpoint kept. */
  public record Stats(int lastSegment, long seriesKept, long samplesKept, long samplesDropped) {}

  /**
   * Writes {@code checkpoint.<last>} from the previous checkpoint and every segment up to
   * {@code last}, then deletes what it replaces. The segments must be closed (the writer is past
   * them). On any failure the previous state is left intact.
   *
   * @param keepSeries whether a series reference is still in the head
   * @param keepSamplesFrom samples older than this are dropped (they are in blocks)
   */
  public static Stats create(Path walDir, int last, IntPredicate keepSeries, long keepSamplesFrom, long segmentBytes)
      throws IOException {
    int previous = WalReplay.cleanUp(walDir);
    if (last <= previous) {
      return new Stats(last, 0, 0, 0);
    }
    Path tmp = walDir.resolve(WalDescriptor.checkpointName(last) + ".tmp");
    FileSync.deleteRecursively(tmp);
    Files.createDirectories(tmp);
    Filter filter = new Filter(keepSeries, keepSamplesFrom);
    try (SegmentWriter out = new SegmentWriter(tmp, segmentBytes)) {
      filter.out = out;
      long[] counts = new long[2];
      if (previous >= 0) {
        Path cp = walDir.resolve(WalDescriptor.checkpointName(previous));
        for (int i : Wal.segments(cp)) {
          WalReplay.readSegment(cp.resolve(WalDescriptor.segmentName(i)), cp.getFileName() + "/" + WalDescriptor.segmentName(i),
              i, filter, counts);
          filter.check();
        }
      }
      List<Integer> segs = Wal.segments(walDir);
      for (int i : segs) {
        if (i > previous && i <= last) {
          WalReplay.readSegment(walDir.resolve(WalDescriptor.segmentName(i)), WalDescriptor.segmentName(i), i, filter, counts);
          filter.check();
        }
      }
      filter.flushSamples();
      filter.check();
    } catch (IOException | RuntimeException e) {
      FileSync.deleteRecursively(tmp);
      throw e;
    }
    FileSync.rename(tmp, walDir.resolve(WalDescriptor.checkpointName(last)));
    WalReplay.deleteBefore(walDir, last);
    return new Stats(last, filter.seriesKept, filter.samplesKept, filter.samplesDropped);
  }

  /** Filters records and re-encodes what is kept into the output. */
  private static final class Filter implements RecordSink {
    private final IntPredicate keepSeries;
    private final long keepFrom;
    SegmentWriter out;
    private final ByteBuf buf = new ByteBuf(OUTPUT_RECORD_BYTES + 4096);
    private int[] refs = new int[1024];
    private long[] ts = new long[1024];
    private long[] bits = new long[1024];
    private int n;
    private IOException error;
    long seriesKept;
    long samplesKept;
    long samplesDropped;

    Filter(IntPredicate keepSeries, long keepFrom) {
      this.keepSeries = keepSeries;
      this.keepFrom = keepFrom;
    }

    void check() throws IOException {
      if (error != null) {
        throw error;
      }
    }

    private void write(ByteBuf b) {
      try {
        out.write(b);
      } catch (IOException e) {
        if (error == null) {
          error = e;
        }
      }
    }

    @Override
    public void series(WalRecord.Series r) {
      int[] keptRefs = new int[r.n()];
      Labels[] keptLabels = new Labels[r.n()];
      int k = 0;
      for (int i = 0; i < r.n(); i++) {
        if (keepSeries.test(r.refs()[i])) {
          keptRefs[k] = r.refs()[i];
          keptLabels[k++] = r.labels()[i];
        }
      }
      if (k > 0) {
        flushSamples(); // series records must stay ahead of samples that name them
        buf.clear();
        WalRecords.encodeSeries(buf, keptRefs, keptLabels, k);
        write(buf);
        seriesKept += k;
      }
    }

    @Override
    public void samples(WalRecord.Samples r) {
      for (int i = 0; i < r.n(); i++) {
        if (r.ts()[i] < keepFrom || !keepSeries.test(r.refs()[i])) {
          samplesDropped++;
          continue;
        }
        if (n == refs.length) {
          refs = java.util.Arrays.copyOf(refs, n * 2);
          ts = java.util.Arrays.copyOf(ts, n * 2);
          bits = java.util.Arrays.copyOf(bits, n * 2);
        }
        refs[n] = r.refs()[i];
        ts[n] = r.ts()[i];
        bits[n++] = r.valueBits()[i];
        samplesKept++;
        if (n * 12 >= OUTPUT_RECORD_BYTES) {
          flushSamples();
        }
      }
    }

    void flushSamples() {
      if (n == 0) {
        return;
      }
      buf.clear();
      WalRecords.encodeSamples(buf, refs, ts, bits, n);
      write(buf);
      n = 0;
    }

    @Override
    public void tombstones(WalRecord.Tombstones r) {
      int[] kr = new int[r.n()];
      long[] mi = new long[r.n()];
      long[] ma = new long[r.n()];
      int k = 0;
      for (int i = 0; i < r.n(); i++) {
        if (keepSeries.test(r.refs()[i])) {
          kr[k] = r.refs()[i];
          mi[k] = r.mints()[i];
          ma[k++] = r.maxts()[i];
        }
      }
      if (k > 0) {
        flushSamples();
        buf.clear();
        WalRecords.encodeTombstones(buf, kr, mi, ma, k);
        write(buf);
      }
    }
  }
}
