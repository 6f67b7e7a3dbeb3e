package io.vigil.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Compares a response with a captured Prometheus response by shape: the same field names in the same
 * order, the same JSON types, arrays compared element by element against the fixture's first
 * element. Values are not compared (they were whatever the peer had at capture time).
 */
final class JsonShape {
  private JsonShape() {}

  static JsonNode fixture(String name) {
    return ApiHarness.JSON.readTree(Fixtures.fixtureText("prometheus-api/" + name));
  }

  /**
   * @param freeKeys paths (array indexes written [*]) of further objects whose keys are data, e.g.
   *     "$.data[*]" for the label sets of /api/v1/series
   */
  static void assertSameShape(JsonNode actual, JsonNode expected, String... freeKeys) {
    compare(actual, expected, "$", List.of(freeKeys));
  }

  private static void compare(JsonNode a, JsonNode e, String path, List<String> freeKeys) {
    assertThat(a.getNodeType()).as("type at " + path).isEqualTo(e.getNodeType());
    if (e.isObject()) {
      if (isLabelMap(path) || freeKeys.contains(path.replaceAll("\\[\\d+]", "[*]"))) {
        return; // label sets: any names
      }
      assertThat(new ArrayList<>(a.propertyNames())).as("fields at " + path)
          .containsExactlyElementsOf(new ArrayList<>(e.propertyNames()));
      for (String name : e.propertyNames()) {
        compare(a.get(name), e.get(name), path + "." + name, freeKeys);
      }
    } else if (e.isArray() && !e.isEmpty()) {
      assertThat(a.size()).as("elements at " + path).isPositive();
      for (int i = 0; i < a.size(); i++) {
        compare(a.get(i), e.get(Math.min(i, e.size() - 1)), path + "[" + i + "]", freeKeys);
      }
    }
  }

  /** Objects whose keys are data, not schema. */
  private static boolean isLabelMap(String path) {
    for (String suffix : List.of(".metric", ".labels", ".annotations", ".discoveredLabels", ".target",
        ".seriesLabels")) {
      if (path.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }
}
