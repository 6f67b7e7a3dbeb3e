package io.vigil.tsdb.query;

import java.util.function.Predicate;
import org.roaringbitmap.RoaringBitmap;

/**
 * The inverted index of one source (the head or a block) as {@link PostingsForMatchers} needs it.
 * Series ids are the source's own (head refs, block series ids). Bitmaps returned may be shared
 * with the index: callers never modify them. Implementations are used by one thread at a time and,
 * for the head, only while the index read lock is held.
 */
public interface IndexView {
  /** All series ids. */
  RoaringBitmap allPostings();

  /** Ids of series with {@code name="value"}; an empty bitmap when none. */
  RoaringBitmap postings(String name, String value);

  /**
   * The union of the postings of every value of {@code name} that starts with {@code prefix} and is
   * accepted by {@code accept}, visiting values in sorted order (so a prefix is a range scan).
   */
  RoaringBitmap postingsForValues(String name, String prefix, Predicate<String> accept);
}
