package io.vigil.tsdb.block;

import io.vigil.storage.MergeQuerier;
import io.vigil.storage.Querier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Plans and runs compactions as Prometheus does: overlapping blocks are merged first (vertical
 * compaction, e.g. out-of-order blocks); otherwise blocks that together fill an aligned range of the
 * next size up (ranges grow by 3x from the block range: 2 h, 6 h, 18 h, 54 h, ... up to the maximum)
 * are merged into one; a block with many tombstones is rewritten alone. The newest block is never
 * compacted right away, so a fresh head block is not immediately rewritten.
 */
public final class LeveledCompactor {
  /** Ranges grow by this factor per level, as in Prometheus (2 h, 6 h, 18 h, ...). */
  static final int RANGE_FACTOR = 3;
  /** A block whose tombstones cover more than this share of its series is rewritten. */
  static final double TOMBSTONE_REWRITE_RATIO = 0.05;

  private final long[] ranges;

  public LeveledCompactor(long blockRangeMs, long maxRangeMs) {
    List<Long> r = new ArrayList<>();
    for (long x = blockRangeMs; x <= maxRangeMs && x > 0; x *= RANGE_FACTOR) {
      r.add(x);
    }
    if (r.isEmpty()) {
      r.add(blockRangeMs);
    }
    ranges = r.stream().mapToLong(Long::longValue).toArray();
  }

  public long[] ranges() {
    return ranges.clone();
  }

  /** The blocks to compact together next (at least one), or an empty list if none. */
  public List<BlockMeta> plan(List<BlockMeta> metas) {
    List<BlockMeta> sorted = new ArrayList<>(metas);
    sorted.sort(Comparator.comparingLong(BlockMeta::minTime).thenComparingLong(BlockMeta::maxTime));
    List<BlockMeta> overlapping = overlapping(sorted);
    if (!overlapping.isEmpty()) {
      return overlapping;
    }
    if (sorted.size() < 2) {
      return List.of();
    }
    BlockMeta newest = sorted.getLast();
    List<BlockMeta> candidates = sorted.subList(0, sorted.size() - 1);
    for (int level = 1; level < ranges.length; level++) {
      long r = ranges[level];
      List<BlockMeta> group = new ArrayList<>();
      long groupStart = Long.MIN_VALUE;
      for (BlockMeta m : candidates) {
        long start = Math.floorDiv(m.minTime(), r) * r;
        if (m.maxTime() > start + r) {
          // Spans a boundary of this range: already bigger than this level.
          if (group.size() > 1 && complete(group, groupStart, r, newest)) {
            return group;
          }
          group = new ArrayList<>();
          groupStart = Long.MIN_VALUE;
          continue;
        }
        if (start != groupStart) {
          if (group.size() > 1 && complete(group, groupStart, r, newest)) {
            return group;
          }
          group = new ArrayList<>();
          groupStart = start;
        }
        group.add(m);
      }
      if (group.size() > 1 && complete(group, groupStart, r, newest)) {
        return group;
      }
    }
    for (BlockMeta m : candidates) {
      if (m.stats().numSeries() > 0 && (double) m.stats().numTombstones() / m.stats().numSeries() > TOMBSTONE_REWRITE_RATIO) {
        return List.of(m);
      }
    }
    return List.of();
  }

  /** A group may be merged when it fills its range or when newer data exists past the range. */
  private static boolean complete(List<BlockMeta> group, long start, long r, BlockMeta newest) {
    boolean full = group.getFirst().minTime() == start && group.getLast().maxTime() == start + r;
    return full || newest.minTime() >= start + r;
  }

  /** The first run of blocks whose ranges overlap, or empty. */
  static List<BlockMeta> overlapping(List<BlockMeta> sorted) {
    for (int i = 0; i < sorted.size(); i++) {
      List<BlockMeta> run = new ArrayList<>();
      run.add(sorted.get(i));
      long end = sorted.get(i).maxTime();
      for (int j = i + 1; j < sorted.size() && sorted.get(j).minTime() < end; j++) {
        run.add(sorted.get(j));
        end = Math.max(end, sorted.get(j).maxTime());
      }
      if (run.size() > 1) {
        return run;
      }
    }
    return List.of();
  }

  /** The outcome: the new block (null if everything was deleted) and the blocks it replaces. */
  public record Result(BlockMeta meta, List<BlockMeta> parents) {}

  /**
   * Merges {@code blocks} into one new block under {@code dataDir}: samples deduplicated, tombstones
   * applied, level one above the highest parent (unchanged for a single block being cleaned).
   */
  public static Result compact(Path dataDir, List<Block> blocks) throws IOException {
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    int level = 0;
    LinkedHashSet<String> sources = new LinkedHashSet<>();
    List<BlockMeta.Parent> parents = new ArrayList<>();
    List<BlockMeta> metas = new ArrayList<>();
    List<Querier> queriers = new ArrayList<>();
    try {
      for (Block b : blocks) {
        BlockMeta m = b.meta();
        metas.add(m);
        mint = Math.min(mint, m.minTime());
        maxt = Math.max(maxt, m.maxTime());
        level = Math.max(level, m.compaction().level());
        sources.addAll(m.compaction().sources());
        parents.add(new BlockMeta.Parent(m.ulid(), m.minTime(), m.maxTime()));
        queriers.add(b.querier(m.minTime(), m.maxTime() - 1));
      }
      int newLevel = blocks.size() == 1 ? level : level + 1;
      try (Querier q = new MergeQuerier(queriers)) {
        queriers = List.of();
        BlockMeta meta = BlockWriter.write(dataDir, q, mint, maxt,
            new BlockMeta.Compaction(newLevel, List.copyOf(sources), parents));
        return new Result(meta, metas);
      }
    } finally {
      queriers.forEach(Querier::close);
    }
  }
}
