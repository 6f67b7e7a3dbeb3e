package io.vigil.scrape;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses gzip bodies (RFC 1952) into a reused array with one reused {@link Inflater}, so a
 * scrape loop allocates nothing per body once its buffer has grown; {@code GZIPInputStream} would
 * create an inflater (with native memory) per response. Concatenated members are decoded in turn.
 * Not thread-safe; {@link #close()} frees the inflater's native memory.
 */
final class GzipDecoder implements AutoCloseable {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private byte[] out = new byte[16 * 1024];
  private int length;

  byte[] output() {
    return out;
  }

  int length() {
    return length;
  }

  /**
   * Decodes {@code in[0, inLength)}.
   *
   * @param maxBytes largest decoded size accepted
   * @throws ScrapeFailure for corrupt input, or {@code body size limit exceeded}
   */
  void decode(byte[] in, int inLength, long maxBytes) throws ScrapeFailure {
    length = 0;
    int pos = 0;
    do {
      pos = member(in, pos, inLength, maxBytes);
    } while (pos < inLength && in[pos] == 0x1f); // another member; trailing garbage is ignored as Go does
  }

  private int member(byte[] in, int pos, int end, long maxBytes) throws ScrapeFailure {
    if (end - pos < 18 || (in[pos] & 0xff) != 0x1f || (in[pos + 1] & 0xff) != 0x8b || in[pos + 2] != 8) {
      throw new ScrapeFailure("gzip: invalid header");
    }
    int flags = in[pos + 3] & 0xff;
    int p = pos + 10;
    if ((flags & FEXTRA) != 0) {
      p += 2 + ((in[p] & 0xff) | (in[p + 1] & 0xff) << 8);
    }
    if ((flags & FNAME) != 0) {
      p = skipZeroTerminated(in, p, end);
    }
    if ((flags & FCOMMENT) != 0) {
      p = skipZeroTerminated(in, p, end);
    }
    if ((flags & FHCRC) != 0) {
      p += 2;
    }
    if (p >= end) {
      throw new ScrapeFailure("gzip: invalid header");
    }
    inflater.reset();
    crc.reset();
    inflater.setInput(in, p, end - p);
    int start = length;
    try {
      while (!inflater.finished()) {
        if (length == out.length) {
          if (length >= maxBytes) {
            throw new ScrapeFailure("body size limit exceeded");
          }
          out = Arrays.copyOf(out, (int) Math.min(Math.min(maxBytes + 1, Integer.MAX_VALUE - 16), (long) out.length * 2));
        }
        int n = inflater.inflate(out, length, out.length - length);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new ScrapeFailure("unexpected EOF");
        }
        length += n;
        if (length > maxBytes) {
          throw new ScrapeFailure("body size limit exceeded");
        }
      }
    } catch (DataFormatException e) {
      throw new ScrapeFailure("flate: corrupt input: " + e.getMessage());
    }
    crc.update(out, start, length - start);
    int trailer = end - inflater.getRemaining();
    if (end - trailer < 8) {
      throw new ScrapeFailure("unexpected EOF");
    }
    long expectedCrc = le32(in, trailer);
    long expectedSize = le32(in, trailer + 4);
    if (expectedCrc != crc.getValue() || expectedSize != ((length - start) & 0xffffffffL)) {
      throw new ScrapeFailure("gzip: invalid checksum");
    }
    return trailer + 8;
  }

  private static int skipZeroTerminated(byte[] in, int p, int end) {
    while (p < end && in[p] != 0) {
      p++;
    }
    return p + 1;
  }

  private static long le32(byte[] b, int i) {
    return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
  }

  @Override
  public void close() {
    inflater.end();
  }
}
