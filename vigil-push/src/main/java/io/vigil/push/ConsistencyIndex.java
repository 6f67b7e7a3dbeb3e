package io.vigil.push;

import io.vigil.exposition.MetricPoint;
import io.vigil.model.Labels;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What must hold across all groups for the exposition to stay valid, kept incrementally so that a
 * push costs work in proportion to its own size, not to the number of groups (the Pushgateway
 * gathers and checks every group on every push):
 *
 * <ul>
 *   <li>every sample name is occupied by at most one family name with one type
 *       ({@link NameClaims}), counted by the number of groups holding that family;
 *   <li>every series (family name + labels) belongs to one group: two groups can produce the same
 *       series when one group's key lacks a label that the other's body supplies.
 * </ul>
 *
 * Not thread-safe: used under the store's lock.
 */
final class ConsistencyIndex {
  private record SeriesId(String family, Labels labels) {}

  private static final class Holders {
    final NameClaims.Claim claim;
    int groups;

    Holders(NameClaims.Claim claim) {
      this.claim = claim;
    }
  }

  private final Map<String, Holders> claims = new HashMap<>();
  private final Map<SeriesId, GroupingKey> series = new HashMap<>();

  /**
   * Checks a push into group {@code key}, whose current state is {@code existing} (or null), where
   * {@code replaceAll} says whether every family of the group is replaced (PUT) or only those of
   * the same names (POST). {@code own} tells the sample names the server's own metrics occupy in
   * the same exposition (null: none).
   *
   * @return the reason the push is inconsistent, or null when it is fine
   */
  String check(GroupingKey key, PushGroup existing, Iterable<PushedFamily> pushed, boolean replaceAll,
      Function<String, NameClaims.Claim> own) {
    for (PushedFamily f : pushed) {
      for (String name : NameClaims.claimed(f.name(), f.type())) {
        Holders h = claims.get(name);
        if (h != null && !(h.claim.family().equals(f.name()) && h.claim.type() == f.type())) {
          boolean replacedHere = existing != null && existing.family(h.claim.family()) != null
              && (replaceAll || containsName(pushed, h.claim.family()));
          if (h.groups - (replacedHere ? 1 : 0) > 0) {
            return NameClaims.clash(f.name(), f.type(), name, h.claim);
          }
        }
        NameClaims.Claim mine = own == null ? null : own.apply(name);
        if (mine != null && !(mine.family().equals(f.name()) && mine.type() == f.type())) {
          return NameClaims.clash(f.name(), f.type(), name, mine) + " (one of Vigil's own metrics)";
        }
      }
      for (MetricPoint p : f.points()) {
        GroupingKey owner = series.get(new SeriesId(f.name(), p.labels()));
        if (owner != null && !owner.equals(key)) {
          return "metric " + f.name() + p.labels() + " is already pushed by the group " + owner
              + "; two groups cannot hold the same series";
        }
      }
    }
    return null;
  }

  private static boolean containsName(Iterable<PushedFamily> families, String name) {
    for (PushedFamily f : families) {
      if (f.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Replaces the entries of group state {@code before} (or null) by those of {@code after} (or null). */
  void replace(PushGroup before, PushGroup after) {
    Set<PushedFamily> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    if (before != null && after != null) {
      for (PushedFamily f : after.families()) {
        if (before.family(f.name()) == f) {
          kept.add(f); // the same instance: a family a POST left alone
        }
      }
    }
    if (before != null) {
      for (PushedFamily f : before.families()) {
        if (!kept.contains(f)) {
          remove(f);
        }
      }
    }
    if (after != null) {
      for (PushedFamily f : after.families()) {
        if (!kept.contains(f)) {
          add(after.key(), f);
        }
      }
    }
  }

  private void add(GroupingKey key, PushedFamily f) {
    for (String name : NameClaims.claimed(f.name(), f.type())) {
      claims.computeIfAbsent(name, n -> new Holders(new NameClaims.Claim(f.name(), f.type()))).groups++;
    }
    for (MetricPoint p : f.points()) {
      series.put(new SeriesId(f.name(), p.labels()), key);
    }
  }

  private void remove(PushedFamily f) {
    for (String name : NameClaims.claimed(f.name(), f.type())) {
      Holders h = claims.get(name);
      if (h != null && --h.groups <= 0) {
        claims.remove(name);
      }
    }
    for (MetricPoint p : f.points()) {
      series.remove(new SeriesId(f.name(), p.labels()));
    }
  }

  void clear() {
    claims.clear();
    series.clear();
  }

  int seriesCount() {
    return series.size();
  }
}
