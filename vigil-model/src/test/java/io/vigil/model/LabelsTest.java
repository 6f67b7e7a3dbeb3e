package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void sortsByNameDropsEmptyValuesAndKeepsTheLastOfARepeatedName() {
    Labels l = Labels.of("job", "node", "__name__", "up", "instance", "", "zone", "a", "zone", "b");
    assertThat(l.toString()).isEqualTo("{__name__=\"up\", job=\"node\", zone=\"b\"}");
    assertThat(l.size()).isEqualTo(3);
    assertThat(l.metricName()).isEqualTo("up");
    assertThat(l.get("instance")).isEmpty();
    assertThat(l.has("instance")).isFalse();
  }

  @Test
  void equalLabelsHaveEqualHashesAndCompareEqual() {
    Labels a = Labels.of("a", "1", "b", "2");
    Labels b = Labels.fromMap(Map.of("b", "2", "a", "1"));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.hash64()).isEqualTo(b.hash64());
    assertThat(a.compareTo(b)).isZero();
  }

  @Test
  void hash64IsStableAcrossProcesses() {
    // Pinned values: sharding and scrape offsets depend on them, so a change here breaks users.
    assertThat(Labels.EMPTY.hash64()).isEqualTo(Labels.of().hash64());
    assertThat(Labels.of("__name__", "up", "job", "node").hash64()).isEqualTo(2_139_955_118_478_616_671L);
  }

  @Test
  void hashSeparatesStringBoundaries() {
    assertThat(Labels.of("ab", "c").hash64()).isNotEqualTo(Labels.of("a", "bc").hash64());
    assertThat(Labels.of("a", "b", "c", "d").hash64()).isNotEqualTo(Labels.of("a", "bc", "d", "x").hash64());
  }

  @Test
  void subsetHashesMatchHashesOfTheSubset() {
    Labels l = Labels.of("__name__", "x", "a", "1", "b", "2", "c", "3");
    String[] by = {"a", "c"};
    assertThat(l.hashForLabels(by)).isEqualTo(Labels.of("a", "1", "c", "3").hash64());
    assertThat(l.hashWithoutLabels(new String[] {"__name__", "b"})).isEqualTo(Labels.of("a", "1", "c", "3").hash64());
  }

  @Test
  void comparesLikePrometheus() {
    List<Labels> sorted = List.of(
        Labels.of("a", "1"),
        Labels.of("a", "1", "b", "1"),
        Labels.of("a", "2"),
        Labels.of("b", "0"));
    List<Labels> shuffled = new ArrayList<>(sorted);
    java.util.Collections.shuffle(shuffled, new Random(1));
    shuffled.sort(null);
    assertThat(shuffled).containsExactlyElementsOf(sorted);
  }

  @Test
  void builderSetDelAndKeep() {
    Labels base = Labels.of("__name__", "m", "a", "1", "b", "2");
    assertThat(base.toBuilder().set("a", "9").del("b").build()).isEqualTo(Labels.of("__name__", "m", "a", "9"));
    assertThat(base.toBuilder().set("c", "3").build().size()).isEqualTo(4);
    assertThat(base.toBuilder().set("a", "").build()).isEqualTo(Labels.of("__name__", "m", "b", "2"));
    assertThat(base.toBuilder().keepOnly(Set.of("b")).build()).isEqualTo(Labels.of("b", "2"));
    assertThat(base.withoutMetricName()).isEqualTo(Labels.of("a", "1", "b", "2"));
    assertThat(Labels.of("A", "x", "__name__", "m").withoutMetricName()).isEqualTo(Labels.of("A", "x"));
    assertThat(base.keep(Set.of("a", "zz"))).isEqualTo(Labels.of("a", "1"));
    assertThat(base.drop(Set.of("a"))).isEqualTo(Labels.of("__name__", "m", "b", "2"));
  }

  @Test
  void rejectsOddArguments() {
    assertThatThrownBy(() -> Labels.of("a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void randomizedAgainstATreeMap() {
    long seed = System.nanoTime();
    System.out.println("LabelsTest seed=" + seed);
    Random r = new Random(seed);
    for (int iter = 0; iter < 2000; iter++) {
      TreeMap<String, String> model = new TreeMap<>();
      Labels.Builder b = new Labels.Builder();
      int n = r.nextInt(12);
      for (int i = 0; i < n; i++) {
        String name = "l" + r.nextInt(8);
        String value = r.nextInt(5) == 0 ? "" : "v" + r.nextInt(3);
        b.set(name, value);
        if (value.isEmpty()) {
          model.remove(name);
        } else {
          model.put(name, value);
        }
      }
      Labels l = b.build();
      assertThat(l.toMap()).as("seed %d", seed).containsExactlyEntriesOf(model);
      for (String name : model.keySet()) {
        assertThat(l.get(name)).isEqualTo(model.get(name));
      }
    }
  }
}
