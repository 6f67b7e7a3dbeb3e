package io.vigil.storage;

/** Something samples can be written to. Thread-safe: each caller takes its own {@link Appender}. */
public interface Appendable {
  Appender appender();
}
