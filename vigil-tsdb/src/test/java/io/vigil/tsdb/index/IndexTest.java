package io.vigil.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.Labels;
import io.vigil.model.Matcher;
import io.vigil.tsdb.query.PostingsForMatchers;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class IndexTest {
  @TempDir Path dir;

  private List<Labels> series(Random r, int n) {
    TreeSet<Labels> set = new TreeSet<>();
    while (set.size() < n) {
      set.add(Labels.of("__name__", "metric_" + r.nextInt(20), "instance", "host-" + r.nextInt(50) + ":9100",
          "job", r.nextBoolean() ? "node" : "app", "mode", r.nextInt(3) == 0 ? "" : "m" + r.nextInt(4), "ü", "ñ" + r.nextInt(2)));
    }
    return new ArrayList<>(set);
  }

  private Path write(List<Labels> all) throws IOException {
    TreeSet<String> symbols = new TreeSet<>();
    all.forEach(l -> l.forEach((n, v) -> {
      symbols.add(n);
      symbols.add(v);
    }));
    Path file = dir.resolve("index");
    try (IndexWriter w = new IndexWriter(file, symbols, -5000)) {
      long ref = 1L << 32 | 8;
      for (int i = 0; i < all.size(); i++) {
        int nc = i % 4;
        long[] mints = new long[nc];
        long[] maxts = new long[nc];
        long[] refs = new long[nc];
        for (int c = 0; c < nc; c++) {
          mints[c] = -1000 + c * 100L;
          maxts[c] = mints[c] + 50;
          refs[c] = ref;
          ref += 37;
        }
        w.addSeries(all.get(i), mints, maxts, refs, nc);
      }
    }
    return file;
  }

  @Test
  void roundTripsSeriesChunksPostingsAndLabelValues() throws IOException {
    long seed = System.nanoTime();
    System.out.println("IndexTest seed=" + seed);
    Random r = new Random(seed);
    List<Labels> all = series(r, 500);
    Path file = write(all);
    try (Arena arena = Arena.ofConfined()) {
      IndexReader ix = new IndexReader(file, arena);
      assertThat(ix.verify()).isEqualTo(500);
      RoaringBitmap ids = ix.allPostings();
      assertThat(ids.getCardinality()).isEqualTo(500);
      IndexReader.SeriesEntry e = new IndexReader.SeriesEntry();
      int i = 0;
      long ref = 1L << 32 | 8;
      for (int id : ids.toArray()) { // ids ascend in label order
        ix.series(id, e, true);
        assertThat(e.labels).isEqualTo(all.get(i));
        assertThat(e.numChunks).isEqualTo(i % 4);
        for (int c = 0; c < e.numChunks; c++) {
          assertThat(e.mints[c]).isEqualTo(-1000 + c * 100L);
          assertThat(e.maxts[c]).isEqualTo(e.mints[c] + 50);
          assertThat(e.refs[c]).isEqualTo(ref);
          ref += 37;
        }
        i++;
      }
      assertThat(ix.labelNames()).containsExactly("__name__", "instance", "job", "mode", "ü");
      assertThat(ix.labelValues("job")).containsExactly("app", "node");
      // Postings for matchers agree with brute force over the labels.
      Matcher[][] cases = {
          {Matcher.equal("job", "node")},
          {Matcher.regex("__name__", "metric_1.*"), Matcher.notEqual("mode", "m1")},
          {Matcher.regex("instance", "host-(1|2|3):9100"), Matcher.equal("mode", "")},
          {Matcher.notRegex("mode", "m[0-2]"), Matcher.equal("ü", "ñ1")},
          {Matcher.equal("nope", "x")},
      };
      for (Matcher[] ms : cases) {
        RoaringBitmap got = PostingsForMatchers.select(ix.view(), ms);
        List<Labels> gotLabels = new ArrayList<>();
        for (int id : got.toArray()) {
          gotLabels.add(ix.series(id, e, true).labels);
        }
        List<Labels> want = all.stream().filter(l -> {
          for (Matcher m : ms) {
            if (!m.matches(l.get(m.name()))) {
              return false;
            }
          }
          return true;
        }).toList();
        assertThat(gotLabels).as("%s", List.of(ms)).containsExactlyElementsOf(want);
      }
    }
  }

  @Test
  void damageIsReportedWithSectionAndOffset() throws IOException {
    Path file = write(series(new Random(1), 50));
    byte[] original = Files.readAllBytes(file);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(0);
      f.write(0);
    }
    assertThatThrownBy(() -> open(file)).isInstanceOf(CorruptIndexException.class)
        .hasMessage("index " + file + " corrupt in header at offset 0: bad magic 0x00494458; not an index");
    Files.write(file, original);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(original.length - 5);
      f.write(original[original.length - 5] ^ 1);
    }
    assertThatThrownBy(() -> open(file)).isInstanceOf(CorruptIndexException.class)
        .hasMessageStartingWith("index " + file + " corrupt in TOC at offset " + (original.length - 44) + ": checksum mismatch: stored 0x");
    Files.write(file, original);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(20); // inside the symbol table
      f.write(original[20] ^ 1);
    }
    assertThatThrownBy(() -> open(file)).isInstanceOf(CorruptIndexException.class)
        .hasMessageStartingWith("index " + file + " corrupt in symbol table at offset 8: checksum mismatch: stored 0x");
    Files.write(file, java.util.Arrays.copyOf(original, 20));
    assertThatThrownBy(() -> open(file)).isInstanceOf(CorruptIndexException.class)
        .hasMessage("index " + file + " corrupt in header at offset 0: file of 20 bytes is too short for an index");
  }

  private static void open(Path file) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      new IndexReader(file, arena).verify();
    }
  }
}
