package io.vigil.tsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.tsdb.chunkenc.Encoding;
import io.vigil.tsdb.chunkenc.XorChunk;
import io.vigil.storage.SampleIterator;
import io.vigil.tsdb.chunkenc.PackedChunk;
import io.vigil.tsdb.chunkenc.PackedIterator;
import io.vigil.tsdb.chunkenc.TimestampColumn;
import io.vigil.tsdb.chunkenc.XorIterator;
import io.vigil.tsdb.encoding.ByteBuf;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkFileTest {
  @TempDir Path dir;

  @Test
  void packedChunksResolveTheirSharedTimestampColumn() throws IOException {
    long[] ts = {1000, 16000, 31000};
    long colRef;
    long[] chunkRefs = new long[2];
    try (ChunkWriter w = new ChunkWriter(dir)) {
      ByteBuf col = new ByteBuf();
      TimestampColumn.encode(ts, 0, 3, col);
      colRef = w.write(Encoding.TIMESTAMPS, col.array(), 0, col.length());
      for (int s = 0; s < 2; s++) {
        ByteBuf b = new ByteBuf();
        PackedChunk.encode(ts, new double[] {s, s + 1, s + 2.5}, 0, 3, colRef, b);
        chunkRefs[s] = w.write(Encoding.PACKED, b.array(), 0, b.length());
      }
    }
    try (Arena arena = Arena.ofConfined()) {
      ChunkReader r = new ChunkReader(dir, arena);
      assertThat(r.verifyAll()).as("timestamp columns are not counted as chunks").isEqualTo(2);
      PackedIterator packed = new PackedIterator();
      SampleIterator it = r.load(chunkRefs[1], new XorIterator(), packed);
      assertThat(it).isSameAs(packed);
      assertThat(it.seek(16000)).isTrue();
      assertThat(it.atV()).isEqualTo(2);
      assertThat(r.column(colRef)).isSameAs(r.column(colRef)); // cached
      assertThatThrownBy(() -> r.load(colRef, new XorIterator(), packed)).isInstanceOf(CorruptChunkException.class)
          .hasMessageContaining("refers to a timestamp column instead of a chunk");
    }
  }

  @Test
  void writesAcrossFilesAndReadsBackWithChecksums() throws IOException {
    List<Long> refs = new ArrayList<>();
    List<byte[]> datas = new ArrayList<>();
    try (ChunkWriter w = new ChunkWriter(dir, 300)) {
      for (int c = 0; c < 20; c++) {
        long[] ts = new long[10];
        double[] vs = new double[10];
        for (int i = 0; i < 10; i++) {
          ts[i] = c * 1000L + i;
          vs[i] = c + i / 10.0;
        }
        ByteBuf b = new ByteBuf();
        XorChunk.encode(ts, vs, 0, 10, b);
        datas.add(b.toByteArray());
        refs.add(w.write(Encoding.XOR, b.array(), 0, b.length()));
      }
    }
    assertThat(ChunkFileDescriptor.seq(refs.getLast())).isGreaterThan(1); // several files
    try (Arena arena = Arena.ofConfined()) {
      ChunkReader r = new ChunkReader(dir, arena);
      assertThat(r.verifyAll()).isEqualTo(20);
      XorIterator xor = new XorIterator();
      for (int c = 0; c < 20; c++) {
        assertThat(r.bytes(refs.get(c))).containsExactly(datas.get(c));
        SampleIterator it = r.load(refs.get(c), xor, new PackedIterator());
        assertThat(it).isSameAs(xor);
        assertThat(it.next()).isTrue();
        assertThat(it.atT()).isEqualTo(c * 1000L);
      }
    }
    Path f1 = dir.resolve("chunks").resolve("000001");
    try (RandomAccessFile f = new RandomAccessFile(f1.toFile(), "rw")) {
      f.seek(12);
      int b = f.read();
      f.seek(12);
      f.write(b ^ 4);
    }
    try (Arena arena = Arena.ofConfined()) {
      ChunkReader r = new ChunkReader(dir, arena);
      assertThatThrownBy(r::verifyAll).isInstanceOf(CorruptChunkException.class)
          .hasMessageStartingWith("chunk file " + f1 + " corrupt at offset 8: chunk checksum mismatch: stored 0x");
      assertThatThrownBy(() -> r.load(refs.get(0), new XorIterator(), new PackedIterator())).isInstanceOf(CorruptChunkException.class);
      assertThatThrownBy(() -> r.load(ChunkFileDescriptor.ref(9, 8), new XorIterator(), new PackedIterator()))
          .isInstanceOf(CorruptChunkException.class)
          .hasMessageContaining("chunk reference to a missing file");
    }
  }
}
