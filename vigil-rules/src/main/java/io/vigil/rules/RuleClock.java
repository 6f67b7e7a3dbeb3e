package io.vigil.rules;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where rule evaluation gets its time from, so that tests can drive evaluations deterministically
 * instead of sleeping. Evaluation timestamps, alert times and "now" all come from here.
 */
public interface RuleClock {
  /** Milliseconds since the epoch. */
  long nowMs();

  /**
   * Blocks until {@link #nowMs()} reaches {@code deadlineMs}, or until {@code stop} is counted down.
   *
   * @return true when the deadline was reached, false when stopped
   */
  boolean sleepUntil(long deadlineMs, CountDownLatch stop) throws InterruptedException;

  /** The wall clock. */
  RuleClock SYSTEM = new RuleClock() {
    @Override
    public long nowMs() {
      return System.currentTimeMillis();
    }

    @Override
    public boolean sleepUntil(long deadlineMs, CountDownLatch stop) throws InterruptedException {
      while (true) {
        long left = deadlineMs - System.currentTimeMillis();
        if (left <= 0) {
          return true;
        }
        if (stop.await(left, TimeUnit.MILLISECONDS)) {
          return false;
        }
      }
    }
  };
}
