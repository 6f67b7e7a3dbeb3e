package io.vigil.push;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON helpers for tests of /api/v1/metrics. */
final class Json {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  static JsonNode parse(String s) {
    return MAPPER.readTree(s);
  }

  static List<String> fieldNames(JsonNode n) {
    return new ArrayList<>(n.propertyNames());
  }

  static List<JsonNode> normalizedGroups(JsonNode response) {
    return normalizedGroups(response, g -> true);
  }

  /**
   * The groups of an /api/v1/metrics answer, sorted by their labels, with wall-clock values replaced:
   * every time_stamp by "TS", non-zero push times by "T".
   */
  static List<JsonNode> normalizedGroups(JsonNode response, Predicate<JsonNode> keep) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode g : response.get("data")) {
      if (!keep.test(g)) {
        continue;
      }
      JsonNode copy = g.deepCopy();
      normalize(copy, null);
      out.add(copy);
    }
    out.sort(Comparator.comparing(g -> g.get("labels").toString()));
    return out;
  }

  private static void normalize(JsonNode n, String family) {
    if (n instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : new ArrayList<>(o.properties())) {
        String k = e.getKey();
        if (k.equals("time_stamp")) {
          o.put(k, "TS");
        } else if (k.equals("value") && family != null && family.startsWith("push_") && !e.getValue().asString().equals("0")) {
          o.put(k, "T");
        } else {
          normalize(e.getValue(), family == null && e.getValue().isObject() && e.getValue().has("metrics") ? k : family);
        }
      }
    } else if (n instanceof ArrayNode a) {
      for (JsonNode c : a) {
        normalize(c, family);
      }
    }
  }
}
