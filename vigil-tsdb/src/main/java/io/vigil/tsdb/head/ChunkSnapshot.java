package io.vigil.tsdb.head;

import io.vigil.tsdb.query.Intervals;

/**
 * What one reader sees of one series: references to its chunks as of the reader's snapshot, taken
 * under the series lock and decoded without it. {@code counts[i] < 0} means "all samples in the
 * chunk header"; a non-negative count limits the open chunk to the samples that were there.
 */
record ChunkSnapshot(byte[][] data, int[] lengths, int[] counts, long[] times, int n, long mint, long maxt,
    Intervals deleted, OooSamples.View ooo) {}
