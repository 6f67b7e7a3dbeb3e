package io.vigil.tsdb.index;

import io.vigil.model.Labels;
import io.vigil.tsdb.encoding.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.SortedSet;
import java.util.zip.CRC32C;
import org.roaringbitmap.RoaringBitmap;

/**
 * Writes a block index (docs/format/index.md) in one pass: the symbol table at construction, then
 * series in label order, then postings, the postings offset table and the TOC at {@link #close()},
 * which fsyncs the file. Postings are accumulated in memory (a RoaringBitmap per label pair).
 * Single-threaded.
 */
public final class IndexWriter implements AutoCloseable {
  private static final int FLUSH_BYTES = 1 << 20;

  private final FileChannel ch;
  private final ByteBuf buf = new ByteBuf(FLUSH_BYTES + 4096);
  private final ByteBuf body = new ByteBuf(256);
  private final HashMap<String, Integer> symbolIds;
  private final HashMap<Long, RoaringBitmap> postings = new HashMap<>();
  private final RoaringBitmap all = new RoaringBitmap();
  private long pos;
  private final long symbolsOffset;
  private long seriesOffset = -1;
  private Labels last;
  private int numSeries;

  private final long baseTime;

  /**
   * @param symbols every label name and value the series will use; "" is added
   * @param baseTime chunk times are stored relative to it (the block's minimum time)
   */
  public IndexWriter(Path file, SortedSet<String> symbols, long baseTime) throws IOException {
    this.baseTime = baseTime;
    ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    buf.putIntBE(IndexDescriptor.MAGIC).put(IndexDescriptor.VERSION).put(0).put(0).put(0);
    pos = IndexDescriptor.HEADER_BYTES;
    symbolsOffset = pos;
    String[] sorted = symbols.contains("") ? symbols.toArray(String[]::new) : prependEmpty(symbols);
    symbolIds = HashMap.newHashMap(sorted.length);
    int lengthAt = buf.length();
    buf.putIntBE(0);
    int from = buf.length();
    buf.putIntBE(sorted.length);
    for (int i = 0; i < sorted.length; i++) {
      if (i > 0 && sorted[i - 1].compareTo(sorted[i]) >= 0) {
        throw new IllegalArgumentException("symbols not sorted by String.compareTo");
      }
      symbolIds.put(sorted[i], i);
      buf.putString(sorted[i]);
    }
    int len = buf.length() - from;
    buf.setIntBE(lengthAt, len);
    buf.putIntBE(crc(buf.array(), from, len));
    pos += 4 + len + 4;
  }

  private static String[] prependEmpty(SortedSet<String> symbols) {
    String[] out = new String[symbols.size() + 1];
    out[0] = "";
    int i = 1;
    for (String s : symbols) {
      out[i++] = s;
    }
    return out;
  }

  private static int crc(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }

  private int sym(String s) {
    Integer id = symbolIds.get(s);
    if (id == null) {
      throw new IllegalArgumentException("label string not in the symbol table: " + s);
    }
    return id;
  }

  /**
   * Adds a series with its chunks (sorted by mint, non-overlapping); series must come in label order.
   *
   * @return the series id
   */
  public int addSeries(Labels labels, long[] mints, long[] maxts, long[] refs, int nChunks) throws IOException {
    if (last != null && last.compareTo(labels) >= 0) {
      throw new IllegalArgumentException("series out of order: " + labels + " after " + last);
    }
    last = labels;
    if (seriesOffset < 0) {
      seriesOffset = align();
    } else {
      align();
    }
    long id = pos / IndexDescriptor.SERIES_ALIGNMENT;
    if (id > 0xFFFF_FFFFL) {
      throw new IOException("series section larger than 16 GiB: too many series for one block");
    }
    body.clear();
    body.putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      int n = sym(labels.name(i));
      int v = sym(labels.value(i));
      body.putUvarint(n).putUvarint(v);
      postings.computeIfAbsent(((long) n << 32) | v, k -> new RoaringBitmap()).add((int) id);
    }
    all.add((int) id);
    body.putUvarint(nChunks);
    for (int i = 0; i < nChunks; i++) {
      if (i == 0) {
        body.putVarint(mints[0] - baseTime);
      } else {
        body.putUvarint(mints[i] - maxts[i - 1]);
      }
      body.putUvarint(maxts[i] - mints[i]);
      if (i == 0) {
        body.putUvarint(refs[0]);
      } else {
        body.putVarint(refs[i] - refs[i - 1]);
      }
    }
    int before = buf.length();
    buf.putUvarint(body.length()).put(body.array(), 0, body.length()).putIntBE(crc(body.array(), 0, body.length()));
    pos += buf.length() - before;
    numSeries++;
    maybeFlush();
    return (int) id;
  }

  private long align() {
    int before = buf.length();
    long rem = pos % IndexDescriptor.SERIES_ALIGNMENT;
    if (rem != 0) {
      for (long i = rem; i < IndexDescriptor.SERIES_ALIGNMENT; i++) {
        buf.put(0);
      }
    }
    pos += buf.length() - before;
    return pos;
  }

  public int numSeries() {
    return numSeries;
  }

  private void maybeFlush() throws IOException {
    if (buf.length() >= FLUSH_BYTES) {
      flush();
    }
  }

  private void flush() throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buf.array(), 0, buf.length());
    while (b.hasRemaining()) {
      ch.write(b);
    }
    buf.clear();
  }

  @Override
  public void close() throws IOException {
    try {
      if (seriesOffset < 0) {
        seriesOffset = align();
      }
      long postingsOffset = pos;
      long[] keys = new long[postings.size() + 1];
      keys[0] = 0; // "" = "": every series
      int k = 1;
      for (long key : postings.keySet()) {
        keys[k++] = key;
      }
      Arrays.sort(keys, 1, keys.length); // name id, then value id: the order of the strings
      long[] offsets = new long[keys.length];
      for (int i = 0; i < keys.length; i++) {
        RoaringBitmap bm = i == 0 ? all : postings.get(keys[i]);
        bm.runOptimize();
        offsets[i] = pos;
        int size = bm.serializedSizeInBytes();
        ByteBuffer bb = ByteBuffer.allocate(size);
        bm.serialize(bb);
        int before = buf.length();
        buf.putIntBE(size).put(bb.array(), 0, size).putIntBE(crc(bb.array(), 0, size));
        pos += buf.length() - before;
        maybeFlush();
      }
      long tableOffset = pos;
      int before = buf.length();
      buf.putIntBE(0);
      int from = buf.length();
      buf.putIntBE(keys.length);
      for (int i = 0; i < keys.length; i++) {
        buf.putUvarint(keys[i] >>> 32).putUvarint(keys[i] & 0xFFFF_FFFFL).putUvarint(offsets[i]);
      }
      int len = buf.length() - from;
      buf.setIntBE(from - 4, len);
      buf.putIntBE(crc(buf.array(), from, len));
      pos += buf.length() - before;
      int tocFrom = buf.length();
      buf.putLongBE(symbolsOffset).putLongBE(seriesOffset).putLongBE(postingsOffset).putLongBE(tableOffset).putLongBE(baseTime);
      buf.putIntBE(crc(buf.array(), tocFrom, IndexDescriptor.TOC_CRC_COVERS));
      pos += IndexDescriptor.TOC_BYTES;
      flush();
      ch.force(true);
    } finally {
      ch.close();
    }
  }
}
