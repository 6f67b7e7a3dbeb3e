package io.vigil.tsdb.wal;

/**
 * Progress of WAL replay, as /api/v1/status/walreplay reports it: the first and last segment to
 * read and the one being read (all -1 before replay starts; current == max when done).
 */
public record WalReplayStatus(int min, int max, int current, boolean done) {
  public static final WalReplayStatus NOT_STARTED = new WalReplayStatus(-1, -1, -1, false);
}
