package io.vigil.tsdb.block;

import io.vigil.storage.StorageException;
import io.vigil.storage.SampleIterator;
import io.vigil.tsdb.chunkenc.PackedIterator;
import io.vigil.tsdb.chunkenc.XorIterator;
import io.vigil.tsdb.chunks.CorruptChunkException;
import io.vigil.tsdb.encoding.DecodeException;
import io.vigil.tsdb.query.ChunkedSeriesIterator;
import io.vigil.tsdb.query.Intervals;

/** Iterates one series of a block through its chunk references. Reusable within a querier. */
final class BlockSeriesIterator extends ChunkedSeriesIterator {
  private final XorIterator xor = new XorIterator();
  private final PackedIterator packed = new PackedIterator();
  private Block block;
  private long[] mints;
  private long[] maxts;
  private long[] refs;
  private int n;

  BlockSeriesIterator reset(Block block, long[] mints, long[] maxts, long[] refs, int n, long mint, long maxt, Intervals deleted) {
    this.block = block;
    this.mints = mints;
    this.maxts = maxts;
    this.refs = refs;
    this.n = n;
    resetRange(mint, maxt, deleted);
    return this;
  }

  @Override
  protected int chunkCount() {
    return n;
  }

  @Override
  protected long chunkMinT(int i) {
    return mints[i];
  }

  @Override
  protected long chunkMaxT(int i) {
    return maxts[i];
  }

  @Override
  protected SampleIterator loadChunk(int i) {
    try {
      return block.chunks.load(refs[i], xor, packed);
    } catch (CorruptChunkException e) {
      block.markCorrupt(e.getMessage());
      throw new StorageException("block " + block.ulid() + " is damaged: " + e.getMessage(), e);
    } catch (DecodeException e) {
      block.markCorrupt(e.getMessage());
      throw new StorageException("block " + block.ulid() + " has an undecodable chunk: " + e.getMessage(), e);
    }
  }
}
