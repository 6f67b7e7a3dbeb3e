package io.vigil.tsdb.head;

/**
 * Applies committed samples to their series and counts what happened, for one batch (live commit)
 * or one replay shard. The live apply path and WAL replay share this one rule set, so replay
 * rebuilds exactly the state live commits produced. Not thread-safe: one per applying thread; the
 * caller guards the series (its monitor live, exclusive ownership in a replay shard).
 */
final class SampleTally {
  long memAdded;
  long chunksAdded;
  long appended;
  long outOfOrderAppended;
  long rejectedOutOfOrder;
  long rejectedOutOfBounds;
  long rejectedDuplicate;
  long minT = Long.MAX_VALUE;
  long maxT = Long.MIN_VALUE;
  long oooMinT = Long.MAX_VALUE;

  void reset() {
    memAdded = 0;
    chunksAdded = 0;
    appended = 0;
    outOfOrderAppended = 0;
    rejectedOutOfOrder = 0;
    rejectedOutOfBounds = 0;
    rejectedDuplicate = 0;
    minT = Long.MAX_VALUE;
    maxT = Long.MIN_VALUE;
    oooMinT = Long.MAX_VALUE;
  }

  /**
   * Applies one sample of commit {@code seq} with the acceptance window {@code minValid} /
   * {@code oooFloor} (see {@link Head#classify}).
   *
   * @param lowWatermark no reader has a snapshot older than this (see {@link MemSeries#noteCommit})
   */
  void apply(MemSeries s, long t, long bits, long seq, long lowWatermark, long minValid, long oooFloor, long chunkRangeMs) {
    switch (Head.classify(s.maxT(), s.lastValueBits(), t, bits, minValid, oooFloor)) {
      case Head.IN_ORDER -> {
        s.noteCommit(seq, lowWatermark);
        int before = s.numChunks();
        memAdded += s.appendInOrder(t, bits, chunkRangeMs);
        chunksAdded += s.numChunks() - before;
        appended++;
        minT = Math.min(minT, t);
        maxT = Math.max(maxT, t);
      }
      case Head.OUT_OF_ORDER_ACCEPTED -> {
        if (s.ooo == null) {
          s.ooo = new OooSamples();
        }
        long before = s.ooo.bytes();
        int r = s.ooo.insert(t, bits, seq);
        memAdded += s.ooo.bytes() - before;
        if (r == OooSamples.INSERTED) {
          outOfOrderAppended++;
          appended++;
          oooMinT = Math.min(oooMinT, t);
        } else if (r == OooSamples.DUPLICATE_CONFLICT) {
          rejectedDuplicate++;
        }
      }
      case Head.REJECT_OUT_OF_ORDER -> rejectedOutOfOrder++;
      case Head.REJECT_OUT_OF_BOUNDS -> rejectedOutOfBounds++;
      case Head.REJECT_DUPLICATE -> rejectedDuplicate++;
      default -> { } // same timestamp, same value: nothing to do
    }
  }
}
