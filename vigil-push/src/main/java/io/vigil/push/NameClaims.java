package io.vigil.push;

import io.vigil.model.MetricType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample names a family occupies in a text exposition: a histogram {@code x} writes
 * {@code x_bucket}, {@code x_sum} and {@code x_count}, a summary {@code x}, {@code x_sum} and
 * {@code x_count}. Two families that occupy one name would make the exposition ambiguous (and the
 * Pushgateway's Go gatherer rejects them as a "suffix collision"), as would one name with two types.
 */
final class NameClaims {
  private NameClaims() {}

  /** Who occupies a sample name: the family and its type. */
  record Claim(String family, MetricType type) {}

  static String[] claimed(String family, MetricType type) {
    return switch (type) {
      case HISTOGRAM, GAUGE_HISTOGRAM -> new String[] {family, family + "_bucket", family + "_sum", family + "_count"};
      case SUMMARY -> new String[] {family, family + "_sum", family + "_count"};
      default -> new String[] {family};
    };
  }

  /** A message when two of these families (of one push) occupy the same sample name, else null. */
  static String clashWithin(List<PushedFamily> families) {
    if (families.size() < 2) {
      return null;
    }
    Map<String, Claim> seen = new HashMap<>();
    for (PushedFamily f : families) {
      for (String name : claimed(f.name(), f.type())) {
        Claim other = seen.putIfAbsent(name, new Claim(f.name(), f.type()));
        if (other != null) {
          return clash(f.name(), f.type(), name, other);
        }
      }
    }
    return null;
  }

  static String clash(String family, MetricType type, String sampleName, Claim other) {
    if (other.family().equals(family)) {
      return "metric " + family + " is pushed as " + PushBody.typeWord(type) + " but is "
          + article(other.type()) + " elsewhere; a metric name has one type";
    }
    return "metric " + family + " (" + PushBody.typeWord(type) + ") collides with the "
        + PushBody.typeWord(other.type()) + " " + other.family() + ": both would expose samples named " + sampleName;
  }

  private static String article(MetricType t) {
    String w = PushBody.typeWord(t);
    return (w.startsWith("u") ? "an " : "a ") + w;
  }
}
