package io.vigil.tsdb.wal;

import io.vigil.model.Labels;
import io.vigil.tsdb.encoding.ByteBuf;
import io.vigil.tsdb.encoding.ByteDecoder;
import io.vigil.tsdb.encoding.DecodeException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Encodes framed WAL records into a caller-owned buffer and decodes record payloads
 * (docs/format/wal.md). Encoders append; {@link #begin} and {@link #end} frame whatever is appended
 * between them.
 */
public final class WalRecords {
  private WalRecords() {}

  /** Starts a record of {@code type}; returns its start offset for {@link #end}. */
  public static int begin(ByteBuf dst, byte type) {
    int start = dst.length();
    dst.put(type).putIntBE(0).putIntBE(0);
    return start;
  }

  /** Fills in the length and checksum of the record started at {@code start}. */
  public static void end(ByteBuf dst, int start) {
    int payload = dst.length() - start - WalDescriptor.RECORD_HEADER_BYTES;
    if (payload > WalDescriptor.MAX_RECORD_BYTES) {
      throw new IllegalStateException("WAL record of " + payload + " bytes exceeds " + WalDescriptor.MAX_RECORD_BYTES);
    }
    dst.setIntBE(start + WalDescriptor.LENGTH_OFFSET, payload);
    dst.setIntBE(start + WalDescriptor.CRC_OFFSET, crc(dst.array(), start, payload));
  }

  /** CRC over type, length and payload of the record at {@code start} (skipping the crc field). */
  static int crc(byte[] b, int start, int payloadLength) {
    CRC32C c = new CRC32C();
    c.update(b, start, WalDescriptor.CRC_OFFSET);
    c.update(b, start + WalDescriptor.RECORD_HEADER_BYTES, payloadLength);
    return (int) c.getValue();
  }

  public static void encodeSeries(ByteBuf dst, int[] refs, Labels[] labels, int n) {
    int start = begin(dst, WalDescriptor.TYPE_SERIES);
    for (int i = 0; i < n; i++) {
      dst.putUvarint(refs[i]);
      Labels l = labels[i];
      dst.putUvarint(l.size());
      for (int j = 0; j < l.size(); j++) {
        dst.putString(l.name(j));
        dst.putString(l.value(j));
      }
    }
    end(dst, start);
  }

  public static void encodeSamples(ByteBuf dst, int[] refs, long[] ts, long[] valueBits, int n) {
    int start = begin(dst, WalDescriptor.TYPE_SAMPLES);
    dst.putUvarint(n);
    if (n > 0) {
      dst.putUvarint(refs[0]);
      dst.putVarint(ts[0]);
      dst.ensure(n * 14); // worst typical case; ByteBuf grows further if needed
      for (int i = 0; i < n; i++) {
        dst.putVarint((long) refs[i] - refs[0]);
        dst.putVarint(ts[i] - ts[0]);
        dst.putLongBE(valueBits[i]);
      }
    }
    end(dst, start);
  }

  public static void encodeTombstones(ByteBuf dst, int[] refs, long[] mints, long[] maxts, int n) {
    int start = begin(dst, WalDescriptor.TYPE_TOMBSTONES);
    for (int i = 0; i < n; i++) {
      dst.putUvarint(refs[i]);
      dst.putVarint(mints[i]);
      dst.putVarint(maxts[i]);
    }
    end(dst, start);
  }

  /**
   * Decodes one record's payload.
   *
   * @param reuse a record of the same type whose arrays may be reused, or null
   * @throws DecodeException if the payload is malformed
   */
  public static WalRecord decode(byte type, ByteDecoder d, WalRecord reuse) {
    return switch (type) {
      case WalDescriptor.TYPE_SERIES -> decodeSeries(d);
      case WalDescriptor.TYPE_SAMPLES -> decodeSamples(d, reuse instanceof WalRecord.Samples s ? s : null);
      case WalDescriptor.TYPE_TOMBSTONES -> decodeTombstones(d);
      default -> throw new DecodeException(d.position(), "unknown record type " + type);
    };
  }

  private static int ref(ByteDecoder d) {
    long start = d.position();
    long r = d.uvarint();
    if (r <= 0 || r > Integer.MAX_VALUE) {
      throw new DecodeException(start, "series ref " + Long.toUnsignedString(r) + " out of range");
    }
    return (int) r;
  }

  private static WalRecord.Series decodeSeries(ByteDecoder d) {
    int[] refs = new int[8];
    Labels[] labels = new Labels[8];
    int n = 0;
    while (d.hasRemaining()) {
      if (n == refs.length) {
        refs = Arrays.copyOf(refs, n * 2);
        labels = Arrays.copyOf(labels, n * 2);
      }
      refs[n] = ref(d);
      // Each label takes at least two bytes: bound the count by what is left.
      int count = d.uvarintInt((int) Math.min(Integer.MAX_VALUE / 2, d.remaining() / 2), "label count");
      String[] pairs = new String[2 * count];
      for (int i = 0; i < 2 * count; i++) {
        pairs[i] = d.string();
      }
      labels[n++] = Labels.fromSortedPairs(pairs);
    }
    return new WalRecord.Series(refs, labels, n);
  }

  private static WalRecord.Samples decodeSamples(ByteDecoder d, WalRecord.Samples reuse) {
    // Each sample takes at least 10 bytes: bound the count by what is left.
    int n = d.uvarintInt((int) Math.min(Integer.MAX_VALUE, d.remaining() / 10 + 1), "sample count");
    int[] refs = reuse != null && reuse.refs().length >= n ? reuse.refs() : new int[n];
    long[] ts = reuse != null && reuse.ts().length >= n ? reuse.ts() : new long[n];
    long[] bits = reuse != null && reuse.valueBits().length >= n ? reuse.valueBits() : new long[n];
    if (n > 0) {
      long baseRef = ref(d);
      long baseT = d.varint();
      for (int i = 0; i < n; i++) {
        long start = d.position();
        long r = baseRef + d.varint();
        if (r <= 0 || r > Integer.MAX_VALUE) {
          throw new DecodeException(start, "series ref " + r + " out of range");
        }
        refs[i] = (int) r;
        ts[i] = baseT + d.varint();
        bits[i] = d.u64();
      }
    }
    if (d.hasRemaining()) {
      throw new DecodeException(d.position(), d.remaining() + " unexpected bytes after " + n + " samples");
    }
    return reuse != null && refs == reuse.refs() && ts == reuse.ts() && bits == reuse.valueBits() && reuse.n() == n
        ? reuse : new WalRecord.Samples(refs, ts, bits, n);
  }

  private static WalRecord.Tombstones decodeTombstones(ByteDecoder d) {
    int[] refs = new int[4];
    long[] mints = new long[4];
    long[] maxts = new long[4];
    int n = 0;
    while (d.hasRemaining()) {
      if (n == refs.length) {
        refs = Arrays.copyOf(refs, n * 2);
        mints = Arrays.copyOf(mints, n * 2);
        maxts = Arrays.copyOf(maxts, n * 2);
      }
      refs[n] = ref(d);
      mints[n] = d.varint();
      maxts[n++] = d.varint();
    }
    return new WalRecord.Tombstones(refs, mints, maxts, n);
  }
}
