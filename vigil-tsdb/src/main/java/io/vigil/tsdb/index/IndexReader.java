package io.vigil.tsdb.index;

import io.vigil.model.Labels;
import io.vigil.tsdb.encoding.ByteDecoder;
import io.vigil.tsdb.encoding.Crc32c;
import io.vigil.tsdb.encoding.DecodeException;
import io.vigil.tsdb.query.IndexView;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads a memory-mapped block index. At open it verifies every checksum and loads the postings
 * offset table (per label name: sorted value symbol ids and list offsets) and the symbol offsets;
 * symbol strings are decoded on first use and cached. Thread-safe.
 */
public final class IndexReader {
  private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final Path file;
  private final MemorySegment seg;
  private final long[] symbolOffsets;
  private final String[] symbolCache;
  private final String[] names;
  private final Map<String, int[]> valuesByName = new HashMap<>();
  private final Map<String, long[]> offsetsByName = new HashMap<>();
  private final long seriesOffset;
  private final long postingsOffset;
  private final long allPostingsOffset;
  private final long baseTime;
  private volatile RoaringBitmap allPostings;

  public IndexReader(Path file, Arena arena) throws IOException {
    this.file = file;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < IndexDescriptor.HEADER_BYTES + IndexDescriptor.TOC_BYTES) {
        throw corrupt("header", 0, "file of " + size + " bytes is too short for an index");
      }
      seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
    }
    int magic = seg.get(INT_BE, 0);
    if (magic != IndexDescriptor.MAGIC) {
      throw corrupt("header", 0, String.format("bad magic 0x%08x; not an index", magic));
    }
    int version = seg.get(ValueLayout.JAVA_BYTE, 4) & 0xFF;
    if (version != IndexDescriptor.VERSION) {
      throw corrupt("header", 4, "unsupported index version " + version + " (known: " + IndexDescriptor.VERSION + ")");
    }
    long toc = seg.byteSize() - IndexDescriptor.TOC_BYTES;
    int storedToc = seg.get(INT_BE, toc + IndexDescriptor.TOC_CRC_COVERS);
    int computedToc = Crc32c.of(seg, toc, toc + IndexDescriptor.TOC_CRC_COVERS);
    if (storedToc != computedToc) {
      throw corrupt("TOC", toc, "checksum mismatch: stored " + Crc32c.hex(storedToc) + ", computed " + Crc32c.hex(computedToc));
    }
    long symbolsOffset = seg.get(LONG_BE, toc);
    seriesOffset = seg.get(LONG_BE, toc + 8);
    postingsOffset = seg.get(LONG_BE, toc + 16);
    long tableOffset = seg.get(LONG_BE, toc + 24);
    baseTime = seg.get(LONG_BE, toc + 32);
    if (!(IndexDescriptor.HEADER_BYTES <= symbolsOffset && symbolsOffset <= seriesOffset && seriesOffset <= postingsOffset
        && postingsOffset <= tableOffset && tableOffset < toc)) {
      throw corrupt("TOC", toc, "section offsets out of order: symbols " + symbolsOffset + ", series " + seriesOffset
          + ", postings " + postingsOffset + ", table " + tableOffset + ", toc " + toc);
    }
    try {
      // Symbols.
      long symLen = checkedSection("symbol table", symbolsOffset, seriesOffset);
      ByteDecoder d = new ByteDecoder(seg, symbolsOffset + 4, symbolsOffset + 4 + symLen);
      int count = d.u32();
      if (count < 1 || count > symLen) {
        throw corrupt("symbol table", symbolsOffset, "symbol count " + count + " impossible for " + symLen + " bytes");
      }
      symbolOffsets = new long[count];
      for (int i = 0; i < count; i++) {
        symbolOffsets[i] = d.position();
        int len = d.uvarintInt((int) d.remaining(), "symbol length");
        d.skip(len);
      }
      symbolCache = new String[count];
      // Postings offset table.
      long tabLen = checkedSection("postings offset table", tableOffset, toc);
      d = new ByteDecoder(seg, tableOffset + 4, tableOffset + 4 + tabLen);
      int entries = d.u32();
      Map<String, List<long[]>> byName = new HashMap<>();
      List<String> nameList = new ArrayList<>();
      long allOff = -1;
      for (int i = 0; i < entries; i++) {
        int n = symbolIndex(d.uvarint(), tableOffset);
        int v = symbolIndex(d.uvarint(), tableOffset);
        long off = d.uvarint();
        if (off < postingsOffset || off >= tableOffset) {
          throw corrupt("postings offset table", tableOffset, "postings offset " + off + " outside the postings section");
        }
        if (i == 0) {
          if (n != 0 || v != 0) {
            throw corrupt("postings offset table", tableOffset, "first entry is not the all-series list");
          }
          allOff = off;
          continue;
        }
        String name = symbol(n);
        List<long[]> l = byName.get(name);
        if (l == null) {
          l = new ArrayList<>();
          byName.put(name, l);
          nameList.add(name);
        }
        l.add(new long[] {v, off});
      }
      if (allOff < 0) {
        throw corrupt("postings offset table", tableOffset, "no entries");
      }
      allPostingsOffset = allOff;
      names = nameList.toArray(String[]::new);
      Arrays.sort(names);
      byName.forEach((name, l) -> {
        int[] vids = new int[l.size()];
        long[] offs = new long[l.size()];
        for (int i = 0; i < vids.length; i++) {
          vids[i] = (int) l.get(i)[0];
          offs[i] = l.get(i)[1];
        }
        valuesByName.put(name, vids);
        offsetsByName.put(name, offs);
      });
    } catch (DecodeException e) {
      throw corrupt("structure", e.offset(), e.getMessage());
    }
  }

  private CorruptIndexException corrupt(String section, long offset, String reason) {
    return new CorruptIndexException(file, section, offset, reason);
  }

  private int symbolIndex(long id, long at) {
    if (id < 0 || id >= symbolOffsets.length) {
      throw corrupt("symbol reference", at, "symbol id " + id + " out of range (" + symbolOffsets.length + " symbols)");
    }
    return (int) id;
  }

  /** Checks a length-prefixed section's crc; returns its length (bytes between length field and crc). */
  private long checkedSection(String name, long start, long limit) {
    long len = seg.get(INT_BE, start) & 0xFFFF_FFFFL;
    if (start + 4 + len + 4 > limit) {
      throw corrupt(name, start, "length " + len + " runs past the section end " + limit);
    }
    int stored = seg.get(INT_BE, start + 4 + len);
    int computed = Crc32c.of(seg, start + 4, start + 4 + len);
    if (stored != computed) {
      throw corrupt(name, start, "checksum mismatch: stored " + Crc32c.hex(stored) + ", computed " + Crc32c.hex(computed));
    }
    return len;
  }

  /**
   * Verifies every series entry and postings list checksum (the symbol table, offset table and TOC
   * are verified by the constructor).
   *
   * @return the number of series
   * @throws CorruptIndexException at the first damage
   */
  public int verify() {
    int n = 0;
    long p = seriesOffset;
    try {
      while (true) {
        p = (p + IndexDescriptor.SERIES_ALIGNMENT - 1) / IndexDescriptor.SERIES_ALIGNMENT * IndexDescriptor.SERIES_ALIGNMENT;
        if (p >= postingsOffset) {
          break;
        }
        ByteDecoder d = new ByteDecoder(seg, p, postingsOffset);
        int len = d.uvarintInt((int) d.remaining(), "series entry length");
        long body = d.position();
        if (len == 0 || body + len + 4 > postingsOffset) {
          throw corrupt("series", p, "entry length " + len + " runs past the series section");
        }
        int stored = seg.get(INT_BE, body + len);
        int computed = Crc32c.of(seg, body, body + len);
        if (stored != computed) {
          throw corrupt("series", p, "checksum mismatch: stored " + Crc32c.hex(stored) + ", computed " + Crc32c.hex(computed));
        }
        p = body + len + 4;
        n++;
      }
      for (long[] offs : offsetsByName.values()) {
        for (long off : offs) {
          checkedSection("postings", off, seg.byteSize());
        }
      }
      checkedSection("postings", allPostingsOffset, seg.byteSize());
    } catch (DecodeException e) {
      throw corrupt("series", p, e.getMessage());
    }
    if (n != allPostings().getCardinality()) {
      throw corrupt("postings", allPostingsOffset, "all-series list has " + allPostings().getCardinality() + " ids but the index holds " + n + " series");
    }
    return n;
  }

  public String symbol(int id) {
    String s = symbolCache[id];
    if (s == null) {
      ByteDecoder d = new ByteDecoder(seg, symbolOffsets[id], seg.byteSize());
      int len = d.uvarintInt(Integer.MAX_VALUE, "symbol length");
      byte[] b = d.bytes(len);
      s = new String(b, StandardCharsets.UTF_8);
      symbolCache[id] = s; // benign race: every thread decodes the same string
    }
    return s;
  }

  public int numSymbols() {
    return symbolOffsets.length;
  }

  /** Sorted label names. */
  public List<String> labelNames() {
    return List.of(names);
  }

  /** Sorted values of a label name. */
  public List<String> labelValues(String name) {
    int[] vids = valuesByName.get(name);
    if (vids == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(vids.length);
    for (int v : vids) {
      out.add(symbol(v));
    }
    return out;
  }

  private RoaringBitmap readPostings(long off) {
    long len = seg.get(INT_BE, off) & 0xFFFF_FFFFL;
    RoaringBitmap bm = new RoaringBitmap();
    try {
      bm.deserialize(seg.asSlice(off + 4, len).asByteBuffer());
    } catch (IOException | RuntimeException e) {
      throw corrupt("postings", off, "undecodable postings list: " + e.getMessage());
    }
    return bm;
  }

  public RoaringBitmap allPostings() {
    RoaringBitmap a = allPostings;
    if (a == null) {
      a = readPostings(allPostingsOffset);
      allPostings = a;
    }
    return a;
  }

  /** Index of {@code value} among the name's sorted values, or -(insertion point) - 1. */
  private int findValue(int[] vids, String value) {
    int lo = 0;
    int hi = vids.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = symbol(vids[mid]).compareTo(value);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  private final IndexView view = new IndexView() {
    private final RoaringBitmap empty = new RoaringBitmap();

    @Override
    public RoaringBitmap allPostings() {
      return IndexReader.this.allPostings();
    }

    @Override
    public RoaringBitmap postings(String name, String value) {
      int[] vids = valuesByName.get(name);
      if (vids == null) {
        return empty;
      }
      int i = findValue(vids, value);
      return i < 0 ? empty : readPostings(offsetsByName.get(name)[i]);
    }

    @Override
    public RoaringBitmap postingsForValues(String name, String prefix, Predicate<String> accept) {
      int[] vids = valuesByName.get(name);
      if (vids == null) {
        return empty;
      }
      long[] offs = offsetsByName.get(name);
      int i = findValue(vids, prefix);
      if (i < 0) {
        i = -i - 1;
      }
      List<RoaringBitmap> parts = new ArrayList<>();
      for (; i < vids.length; i++) {
        String v = symbol(vids[i]);
        if (!v.startsWith(prefix)) {
          break;
        }
        if (accept.test(v)) {
          parts.add(readPostings(offs[i]));
        }
      }
      return parts.isEmpty() ? empty : parts.size() == 1 ? parts.get(0) : FastAggregation.or(parts.iterator());
    }
  };

  public IndexView view() {
    return view;
  }

  /** One decoded series entry; reusable. Chunk arrays hold {@code numChunks} entries. */
  public static final class SeriesEntry {
    public Labels labels;
    public long[] mints = new long[8];
    public long[] maxts = new long[8];
    public long[] refs = new long[8];
    public int numChunks;
  }

  /** Decodes series {@code id} into {@code into} (labels included unless {@code withLabels} is false). */
  public SeriesEntry series(int id, SeriesEntry into, boolean withLabels) {
    long off = (id & 0xFFFF_FFFFL) * IndexDescriptor.SERIES_ALIGNMENT;
    if (off < seriesOffset || off >= postingsOffset) {
      throw corrupt("series", off, "series id " + id + " outside the series section");
    }
    try {
      ByteDecoder d = new ByteDecoder(seg, off, postingsOffset);
      int len = d.uvarintInt((int) d.remaining(), "series entry length");
      d = new ByteDecoder(seg, d.position(), d.position() + len);
      int nl = d.uvarintInt(len, "label count");
      if (withLabels) {
        String[] pairs = new String[2 * nl];
        for (int i = 0; i < 2 * nl; i++) {
          pairs[i] = symbol(symbolIndex(d.uvarint(), off));
        }
        into.labels = Labels.fromSortedPairs(pairs);
      } else {
        for (int i = 0; i < 2 * nl; i++) {
          d.uvarint();
        }
      }
      int nc = d.uvarintInt(len, "chunk count");
      if (into.mints.length < nc) {
        into.mints = new long[nc];
        into.maxts = new long[nc];
        into.refs = new long[nc];
      }
      for (int i = 0; i < nc; i++) {
        long mint = i == 0 ? baseTime + d.varint() : into.maxts[i - 1] + d.uvarint();
        into.mints[i] = mint;
        into.maxts[i] = mint + d.uvarint();
        into.refs[i] = i == 0 ? d.uvarint() : into.refs[i - 1] + d.varint();
      }
      into.numChunks = nc;
      return into;
    } catch (DecodeException e) {
      throw corrupt("series", off, e.getMessage());
    }
  }

  public long sizeBytes() {
    return seg.byteSize();
  }
}
