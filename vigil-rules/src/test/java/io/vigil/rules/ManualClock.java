package io.vigil.rules;

import java.util.concurrent.CountDownLatch;

/** A clock only the test moves: sleepers wake when it reaches their deadline. */
final class ManualClock implements RuleClock {
  private long now;

  ManualClock(long startMs) {
    this.now = startMs;
  }

  @Override
  public synchronized long nowMs() {
    return now;
  }

  @Override
  public synchronized boolean sleepUntil(long deadlineMs, CountDownLatch stop) throws InterruptedException {
    while (now < deadlineMs) {
      if (stop.getCount() == 0) {
        return false;
      }
      wait(10); // stop is a latch, not this monitor: look at it regularly
    }
    return stop.getCount() > 0;
  }

  synchronized void advanceTo(long t) {
    if (t < now) {
      throw new IllegalArgumentException("time goes forward only: " + t + " < " + now);
    }
    now = t;
    notifyAll();
  }
}
