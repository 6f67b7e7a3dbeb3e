package io.vigil.tsdb.wal;

/** Receives records during replay or checkpointing. Records (and their arrays) are valid only during the call. */
public interface RecordSink {
  void series(WalRecord.Series r);

  void samples(WalRecord.Samples r);

  void tombstones(WalRecord.Tombstones r);
}
