package io.vigil.storage;

/** @param limit at most this many results, 0 for no limit */
public record LabelHints(int limit) {
  public static final LabelHints NONE = new LabelHints(0);
}
