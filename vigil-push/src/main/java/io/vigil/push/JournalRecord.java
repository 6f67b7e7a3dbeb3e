package io.vigil.push;

import io.vigil.model.Labels;

/** A decoded journal record (docs/format/push-journal.md). */
sealed interface JournalRecord {
  /** The whole state of one group. */
  record Group(PushGroup group) implements JournalRecord {}

  /** The group with this key is gone; {@code expired} when its TTL ran out, else a DELETE request. */
  record Delete(GroupingKey key, boolean expired) implements JournalRecord {}

  /** Every group whose key carries all labels of {@code filter} is gone (all groups when it is empty). */
  record Wipe(Labels filter) implements JournalRecord {}

  /** The end of a snapshot holding {@code groups} group records. */
  record SnapshotEnd(long groups) implements JournalRecord {}
}
