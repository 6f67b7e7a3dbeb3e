package io.vigil.tsdb.head;

import io.vigil.storage.SampleIterator;
import io.vigil.tsdb.chunkenc.XorIterator;
import io.vigil.tsdb.query.ChunkedSeriesIterator;

/** Iterates the in-order chunks of a {@link ChunkSnapshot}. Reusable across series of one querier. */
final class HeadSeriesIterator extends ChunkedSeriesIterator {
  private final XorIterator xor = new XorIterator();
  private ChunkSnapshot snap;

  HeadSeriesIterator reset(ChunkSnapshot snap) {
    this.snap = snap;
    resetRange(snap.mint(), snap.maxt(), snap.deleted());
    return this;
  }

  @Override
  protected int chunkCount() {
    return snap.n();
  }

  @Override
  protected long chunkMinT(int i) {
    return snap.times()[2 * i];
  }

  @Override
  protected long chunkMaxT(int i) {
    return snap.times()[2 * i + 1];
  }

  @Override
  protected SampleIterator loadChunk(int i) {
    int count = snap.counts()[i];
    return count < 0 ? xor.reset(snap.data()[i], 0, snap.lengths()[i]) : xor.reset(snap.data()[i], 0, snap.lengths()[i], count);
  }
}
