package io.vigil.storage;

/** A full storage: writable, readable, closable. Implemented by the TSDB and by fanouts over it. */
public interface Storage extends Appendable, Queryable, AutoCloseable {
  /** The oldest timestamp (ms) this storage may hold data for; Long.MIN_VALUE if unknown. */
  long startTimeMs();

  /** Flushes and releases everything; appenders and queriers fail afterwards. */
  @Override
  void close();
}
