package io.vigil.storage;

import java.util.List;

/**
 * A lazy cursor over series. Call {@link #next()} before the first {@link #at()}. Failures while
 * reading surface as {@link StorageException} from {@code next()}.
 */
public interface SeriesSet {
  SeriesSet EMPTY = new SeriesSet() {
    @Override
    public boolean next() {
      return false;
    }

    @Override
    public Series at() {
      throw new IllegalStateException("empty series set");
    }
  };

  boolean next();

  /** The current series; valid until the querier closes. */
  Series at();

  /** Non-fatal problems met while reading (e.g. a remote source was unavailable). */
  default List<String> warnings() {
    return List.of();
  }
}
