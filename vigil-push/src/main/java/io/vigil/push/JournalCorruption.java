package io.vigil.push;

import java.nio.file.Path;

/**
 * Damage found in a journal file: where ({@code file}, byte {@code offset} of the damaged record or
 * header) and what ({@code message}, see the table in docs/format/push-journal.md). {@code skippedBytes}
 * is how much was passed over until the next valid record, or to the end of the file when
 * {@code toEnd}.
 */
record JournalCorruption(Path file, long offset, String message, long skippedBytes, boolean toEnd) {
  @Override
  public String toString() {
    return file + " at offset " + offset + ": " + message + " (" + skippedBytes + " bytes "
        + (toEnd ? "to the end of the file" : "skipped to the next valid record") + ")";
  }
}
