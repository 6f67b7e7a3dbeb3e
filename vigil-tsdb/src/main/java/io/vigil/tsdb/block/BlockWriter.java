package io.vigil.tsdb.block;

import io.vigil.model.Labels;
import io.vigil.storage.Querier;
import io.vigil.storage.SampleIterator;
import io.vigil.storage.SelectHints;
import io.vigil.storage.SeriesSet;
import io.vigil.tsdb.chunkenc.Encoding;
import io.vigil.tsdb.chunkenc.PackedChunk;
import io.vigil.tsdb.chunkenc.PackedLayout;
import io.vigil.tsdb.chunkenc.TimestampColumn;
import io.vigil.tsdb.chunks.ChunkFileDescriptor;
import io.vigil.tsdb.chunks.ChunkWriter;
import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.fs.FileSync;
import io.vigil.tsdb.index.IndexDescriptor;
import io.vigil.tsdb.index.IndexWriter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a block from any querier: the head (a level-1 block), a merge of blocks (compaction), one
 * block without its deleted data (tombstone cleaning) or the head into a snapshot. Samples are
 * re-encoded into fresh XOR chunks, so duplicates across overlapping sources collapse and deleted
 * samples vanish. Chunks are PACKED (see docs/format/chunks.md) with shared timestamp columns. The
 * block is built in {@code <ulid>.tmp-for-creation}, fsynced, and renamed into
 * place: it appears whole or not at all.
 */
public final class BlockWriter {
  private BlockWriter() {}

  /**
   * Writes the series of {@code source} with samples in {@code [mint, maxt)} into a new block
   * directory under {@code parentDir}.
   *
   * @return the new block's meta, or null if there was no sample (no block is written)
   */
  public static BlockMeta write(Path parentDir, Querier source, long mint, long maxt, BlockMeta.Compaction compaction)
      throws IOException {
    return write(parentDir, Ulid.next(), source, mint, maxt, compaction);
  }

  /** Like {@link #write(Path, Querier, long, long, BlockMeta.Compaction)} with a given ULID (level-1 blocks list themselves as source). */
  public static BlockMeta write(Path parentDir, String ulid, Querier source, long mint, long maxt, BlockMeta.Compaction compaction)
      throws IOException {
    return write(parentDir, ulid, source, mint, maxt, compaction, ChunkFileDescriptor.MAX_SEGMENT_BYTES);
  }

  static BlockMeta write(Path parentDir, String ulid, Querier source, long mint, long maxt, BlockMeta.Compaction compaction,
      long maxChunkFileBytes) throws IOException {
    Path tmp = parentDir.resolve(ulid + Block.CREATION_SUFFIX);
    FileSync.deleteRecursively(tmp);
    Files.createDirectories(tmp);
    SelectHints hints = new SelectHints(mint, maxt - 1, 0, "", 0, 0);
    try {
      TreeSet<String> symbols = new TreeSet<>();
      SeriesSet ss = source.select(true, hints);
      while (ss.next()) {
        Labels l = ss.at().labels();
        for (int i = 0; i < l.size(); i++) {
          symbols.add(l.name(i));
          symbols.add(l.value(i));
        }
      }
      long samples = 0;
      long chunkCount = 0;
      int series;
      try (ChunkWriter cw = new ChunkWriter(tmp, maxChunkFileBytes);
          IndexWriter iw = new IndexWriter(tmp.resolve(IndexDescriptor.FILE), symbols, mint)) {
        SeriesEncoder enc = new SeriesEncoder(cw);
        ss = source.select(true, hints);
        SampleIterator it = null;
        while (ss.next()) {
          it = ss.at().iterator(it);
          int n = enc.encode(it, mint, maxt);
          if (n > 0) {
            iw.addSeries(ss.at().labels(), enc.mints, enc.maxts, enc.refs, enc.nChunks);
            samples += n;
            chunkCount += enc.nChunks;
          }
        }
        series = iw.numSeries();
      }
      if (series == 0) {
        FileSync.deleteRecursively(tmp);
        return null;
      }
      Tombstones.write(tmp, Map.of());
      BlockMeta meta = new BlockMeta(ulid, mint, maxt, new BlockMeta.Stats(samples, series, chunkCount, 0), compaction,
          BlockMeta.VERSION, dataFiles(tmp), null);
      meta.write(tmp);
      FileSync.directory(tmp);
      FileSync.rename(tmp, parentDir.resolve(ulid));
      return BlockMeta.read(parentDir.resolve(ulid));
    } catch (CorruptBlockException e) {
      FileSync.deleteRecursively(tmp);
      throw new IOException("block just written does not verify: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      FileSync.deleteRecursively(tmp);
      throw e;
    }
  }

  /** The index and chunk files with their sizes, for meta.json. */
  private static List<BlockMeta.FileInfo> dataFiles(Path dir) throws IOException {
    List<BlockMeta.FileInfo> out = new ArrayList<>();
    Path chunks = dir.resolve(ChunkFileDescriptor.DIR);
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(chunks)) {
      ds.forEach(p -> names.add(p.getFileName().toString()));
    }
    names.sort(null);
    for (String n : names) {
      out.add(new BlockMeta.FileInfo(ChunkFileDescriptor.DIR + "/" + n, Files.size(chunks.resolve(n))));
    }
    out.add(new BlockMeta.FileInfo(IndexDescriptor.FILE, Files.size(dir.resolve(IndexDescriptor.FILE))));
    return out;
  }

  /**
   * Cuts one series' samples into PACKED chunks of at most {@link PackedLayout#BLOCK_MAX_SAMPLES} and
   * writes them, each referring to a timestamp column that is written once per distinct sequence
   * (series scraped from one target share them). Reused across series.
   */
  private static final class SeriesEncoder {
    /**
     * Distinct columns remembered for sharing; beyond this the least recently used are forgotten
     * (and written again when met), which bounds the writer's memory on blocks with millions of
     * distinct timestamp sequences.
     */
    static final int MAX_REMEMBERED_COLUMNS = 1 << 18;

    private final ChunkWriter cw;
    private final ByteBuf buf = new ByteBuf(1024);
    private final ByteBuf colBuf = new ByteBuf(256);
    private final long[] ts = new long[PackedLayout.BLOCK_MAX_SAMPLES];
    private final double[] vs = new double[PackedLayout.BLOCK_MAX_SAMPLES];
    private final LinkedHashMap<ColumnKey, Long> columns = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ColumnKey, Long> eldest) {
        return size() > MAX_REMEMBERED_COLUMNS;
      }
    };
    private int n;
    long[] mints = new long[8];
    long[] maxts = new long[8];
    long[] refs = new long[8];
    int nChunks;

    SeriesEncoder(ChunkWriter cw) {
      this.cw = cw;
    }

    /** Encodes the samples of {@code it} in {@code [mint, maxt)}; returns how many. */
    int encode(SampleIterator it, long mint, long maxt) throws IOException {
      nChunks = 0;
      n = 0;
      int total = 0;
      long last = Long.MIN_VALUE;
      if (!it.seek(mint)) {
        return 0;
      }
      do {
        long t = it.atT();
        if (t >= maxt) {
          break;
        }
        if (t <= last) {
          continue; // sources are merged and deduplicated; guard the encoder anyway
        }
        if (n == PackedLayout.BLOCK_MAX_SAMPLES) {
          flush();
        }
        ts[n] = t;
        vs[n++] = it.atV();
        last = t;
        total++;
      } while (it.next());
      if (n > 0) {
        flush();
      }
      return total;
    }

    private void flush() throws IOException {
      if (nChunks == mints.length) {
        mints = Arrays.copyOf(mints, nChunks * 2);
        maxts = Arrays.copyOf(maxts, nChunks * 2);
        refs = Arrays.copyOf(refs, nChunks * 2);
      }
      colBuf.clear();
      TimestampColumn.encode(ts, 0, n, colBuf);
      ColumnKey key = new ColumnKey(colBuf.toByteArray());
      Long colRef = columns.get(key);
      if (colRef == null) {
        colRef = cw.write(Encoding.TIMESTAMPS, key.bytes, 0, key.bytes.length);
        columns.put(key, colRef);
      }
      buf.clear();
      PackedChunk.encode(ts, vs, 0, n, colRef, buf);
      refs[nChunks] = cw.write(Encoding.PACKED, buf.array(), 0, buf.length());
      mints[nChunks] = ts[0];
      maxts[nChunks] = ts[n - 1];
      nChunks++;
      n = 0;
    }
  }

  /** An encoded timestamp column as a map key: equal sequences encode to equal bytes. */
  private record ColumnKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ColumnKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }
}
