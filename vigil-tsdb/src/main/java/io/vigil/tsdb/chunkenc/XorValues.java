package io.vigil.tsdb.chunkenc;

/**
 * The value half of the Gorilla scheme, shared by the XOR chunk (values interleaved with
 * timestamps) and the PACKED chunk's XOR value mode: the first value as 64 raw bits, then each value
 * XORed with the previous one (raw bits, so NaN payloads and the staleness marker survive):
 * {@code 0} unchanged; {@code 10} + the bits inside the previous leading/trailing-zero window;
 * {@code 11} + 5 bits of leading zeros (capped at 31) + 6 bits of length (64 as 0) + the bits.
 */
final class XorValues {
  private XorValues() {}

  static final int NO_WINDOW = -1;

  /** Encoder state. Reusable after {@link #reset()}. */
  static final class Encoder {
    private long prev;
    private int window = NO_WINDOW;
    private boolean started;

    void reset() {
      prev = 0;
      window = NO_WINDOW;
      started = false;
    }

    void write(BitSink out, long bits) {
      if (!started) {
        out.writeBits(bits, 64);
        started = true;
      } else {
        window = writeNext(out, prev, bits, window);
      }
      prev = bits;
    }
  }

  /**
   * Writes a value after the first: {@code bits} XORed with {@code prev}.
   *
   * @param window the window the previous value left, {@code leading << 8 | trailing}, or {@link #NO_WINDOW}
   * @return the window after this value (a plain int so encoders can keep it in a field of their own)
   */
  static int writeNext(BitSink out, long prev, long bits, int window) {
    long x = bits ^ prev;
    if (x == 0) {
      out.writeBits(0, 1);
      return window;
    }
    int lz = Math.min(Long.numberOfLeadingZeros(x), XorLayout.MAX_LEADING);
    int tz = Long.numberOfTrailingZeros(x);
    int leading = window >> 8;
    int trailing = window & 0xFF;
    if (window != NO_WINDOW && lz >= leading && tz >= trailing) {
      // The changed bits fit the previous window: no need to repeat its position.
      int sig = 64 - leading - trailing;
      if (sig <= 62) {
        out.writeBits((0b10L << sig) | (x >>> trailing), 2 + sig); // one write when it fits 64 bits
      } else {
        out.writeBits(0b10, 2);
        out.writeBits(x >>> trailing, sig);
      }
      return window;
    }
    int sig = 64 - lz - tz;
    // '11', 5 bits leading, 6 bits length (64 wraps to 0), then the bits: one write when it fits.
    long header = (0b11L << 11) | ((long) lz << 6) | (sig & 63);
    if (sig <= 51) {
      out.writeBits((header << sig) | (x >>> tz), 13 + sig);
    } else {
      out.writeBits(header, 13);
      out.writeBits(x >>> tz, sig);
    }
    return lz << 8 | tz;
  }

  /** Decoder state. Reusable after {@link #reset()}. */
  static final class Decoder {
    private long bits;
    private int leading;
    private int sigBits;

    void reset() {
      bits = 0;
      leading = 0;
      sigBits = 0;
    }

    long first(BitInput in) {
      bits = in.readLong(64);
      return bits;
    }

    long next(BitInput in) {
      int p = (int) in.peek(2);
      if ((p & 0b10) == 0) {
        in.skip(1);
        return bits; // unchanged value
      }
      in.skip(2);
      if ((p & 0b01) != 0) {
        int header = (int) in.read(11);
        leading = header >>> 6;
        sigBits = header & 63;
        if (sigBits == 0) {
          sigBits = 64;
        }
      }
      int trailing = 64 - leading - sigBits;
      bits ^= in.readLong(sigBits) << trailing;
      return bits;
    }
  }
}
