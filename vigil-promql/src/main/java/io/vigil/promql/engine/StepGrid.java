package io.vigil.promql.engine;

/** The evaluation times of one (sub)evaluation: start, start+interval, ... up to end. */
public record StepGrid(long startMs, long endMs, long intervalMs) {
  public StepGrid {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("interval must be positive");
    }
  }

  public int steps() {
    return (int) ((endMs - startMs) / intervalMs) + 1;
  }

  public long time(int i) {
    return startMs + i * intervalMs;
  }
}
