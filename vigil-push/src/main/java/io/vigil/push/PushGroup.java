package io.vigil.push;

import java.util.List;

/**
 * The state of one group: its families (sorted by name), the times of its last successful and
 * last failed change, and its TTL override. Immutable: every change makes a new instance, so
 * readers (the exposition, the sampler, the API, compaction) use whatever instance they got without
 * locks.
 *
 * @param pushTimeNanos Unix ns of the last successful change (push_time_seconds), 0 if never
 * @param failureTimeNanos Unix ns of the last failed change (push_failure_time_seconds), 0 if never
 * @param ttlMs {@link #DEFAULT_TTL} for the server's default, 0 for never, else milliseconds
 */
record PushGroup(GroupingKey key, List<PushedFamily> families, long pushTimeNanos, long failureTimeNanos,
    long ttlMs) {
  static final long DEFAULT_TTL = -1;

  PushGroup {
    families = List.copyOf(families);
    for (int i = 1; i < families.size(); i++) {
      if (families.get(i - 1).name().compareTo(families.get(i).name()) >= 0) {
        throw new IllegalArgumentException("families of " + key + " not sorted by name or not unique: "
            + families.get(i - 1).name() + ", " + families.get(i).name());
      }
    }
    if (ttlMs < DEFAULT_TTL) {
      throw new IllegalArgumentException("ttlMs must be -1, 0 or positive: " + ttlMs);
    }
  }

  PushGroup withFailure(long nanos) {
    return new PushGroup(key, families, pushTimeNanos, nanos, ttlMs);
  }

  /** The family of that name, or null. */
  PushedFamily family(String name) {
    int lo = 0;
    int hi = families.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = families.get(mid).name().compareTo(name);
      if (c == 0) {
        return families.get(mid);
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return null;
  }

  /** When the group last changed at all (the time_stamp of its push_time_seconds in the API). */
  long lastChangeNanos() {
    return Math.max(pushTimeNanos, failureTimeNanos);
  }

  /** The Pushgateway's last_push_successful: no failure since the last success. */
  boolean lastPushSuccessful() {
    return pushTimeNanos >= failureTimeNanos;
  }

  int sampleCount() {
    int n = 2; // push_time_seconds and push_failure_time_seconds
    for (PushedFamily f : families) {
      n += f.sampleCount();
    }
    return n;
  }

  /** The group's TTL in ms given the server default (0 = never expires). */
  long effectiveTtlMs(long defaultTtlMs) {
    return ttlMs == DEFAULT_TTL ? defaultTtlMs : ttlMs;
  }

  static double seconds(long unixNanos) {
    return unixNanos / 1e9;
  }
}
