package io.vigil.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeveledCompactorTest {
  private static final long H = 3_600_000;
  private final LeveledCompactor c = new LeveledCompactor(2 * H, 54 * H);

  private static BlockMeta meta(String id, long min, long max, int level) {
    return new BlockMeta(id, min, max, new BlockMeta.Stats(100, 10, 10, 0), new BlockMeta.Compaction(level, List.of(id), List.of()),
        1, List.of(), null);
  }

  private static List<String> ids(List<BlockMeta> l) {
    return l.stream().map(BlockMeta::ulid).toList();
  }

  @Test
  void rangesGrowByThreeUpToTheMaximum() {
    assertThat(c.ranges()).containsExactly(2 * H, 6 * H, 18 * H, 54 * H);
  }

  @Test
  void mergesAFullRangeButNotTheNewestBlock() {
    assertThat(c.plan(List.of(meta("a", 0, 2 * H, 1), meta("b", 2 * H, 4 * H, 1)))).isEmpty();
    assertThat(ids(c.plan(List.of(meta("a", 0, 2 * H, 1), meta("b", 2 * H, 4 * H, 1), meta("c", 4 * H, 6 * H, 1)))))
        .isEmpty(); // c is the newest: a 6 h group would include it
    assertThat(ids(c.plan(List.of(meta("a", 0, 2 * H, 1), meta("b", 2 * H, 4 * H, 1), meta("c", 4 * H, 6 * H, 1),
        meta("d", 6 * H, 8 * H, 1))))).containsExactly("a", "b", "c");
  }

  @Test
  void mergesAnIncompleteRangeOnceNewerDataExists() {
    assertThat(ids(c.plan(List.of(meta("a", 0, 2 * H, 1), meta("b", 2 * H, 4 * H, 1), meta("d", 8 * H, 10 * H, 1)))))
        .containsExactly("a", "b");
  }

  @Test
  void overlappingBlocksComeFirst() {
    assertThat(ids(c.plan(List.of(meta("a", 0, 6 * H, 2), meta("o", 2 * H, 4 * H, 1), meta("z", 30 * H, 32 * H, 1)))))
        .containsExactly("a", "o");
  }

  @Test
  void blocksWithManyTombstonesAreRewritten() {
    BlockMeta t = new BlockMeta("t", 0, 6 * H, new BlockMeta.Stats(100, 10, 10, 2), new BlockMeta.Compaction(2, List.of("t"), List.of()),
        1, List.of(), null);
    assertThat(ids(c.plan(List.of(t, meta("n", 6 * H, 8 * H, 1))))).containsExactly("t");
  }

  @Test
  void largerLevelsAreBuiltFromSmallerOnes() {
    assertThat(ids(c.plan(List.of(meta("a", 0, 6 * H, 2), meta("b", 6 * H, 12 * H, 2), meta("c", 12 * H, 18 * H, 2),
        meta("d", 18 * H, 20 * H, 1))))).containsExactly("a", "b", "c");
  }
}
