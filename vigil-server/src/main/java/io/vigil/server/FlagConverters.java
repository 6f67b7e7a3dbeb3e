package io.vigil.server;

import io.vigil.config.ByteSize;
import io.vigil.config.PromDuration;
import io.vigil.web.ListenAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for Prometheus-style flag values; their messages name the bad value. */
final class FlagConverters {
  private FlagConverters() {}

  static final class Duration implements ITypeConverter<PromDuration> {
    @Override
    public PromDuration convert(String value) {
      try {
        return PromDuration.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class Size implements ITypeConverter<ByteSize> {
    @Override
    public ByteSize convert(String value) {
      try {
        return ByteSize.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class Address implements ITypeConverter<ListenAddress> {
    @Override
    public ListenAddress convert(String value) {
      try {
        return ListenAddress.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int v;
      try {
        v = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("not an integer: \"" + value + "\"");
      }
      if (v <= 0) {
        throw new TypeConversionException("must be positive, got " + v);
      }
      return v;
    }
  }
}
