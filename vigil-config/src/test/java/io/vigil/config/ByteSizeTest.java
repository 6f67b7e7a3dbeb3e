package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSizeTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      0          | 0        | 0B
      0B         | 0        | 0B
      1B         | 1        | 1B
      1KB        | 1024     | 1KiB
      1KiB       | 1024     | 1KiB
      10MB       | 10485760 | 10MiB
      1.5MB      | 1572864  | 1MiB512KiB
      1MB1KB25B  | 1049625  | 1MiB1KiB25B
      1MiB1KiB25B | 1049625 | 1MiB1KiB25B
      1025B      | 1025     | 1KiB1B
      2GB        | 2147483648 | 2GiB
      1EB        | 1152921504606846976 | 1EiB
      """)
  void parsesBase2UnitsLikePrometheus(String text, long bytes, String formatted) {
    ByteSize b = ByteSize.parse(text);
    assertThat(b.bytes()).isEqualTo(bytes);
    assertThat(b).hasToString(formatted);
    assertThat(ByteSize.parse(b.toString())).isEqualTo(b);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      1000   | units: unknown unit  in 1000
      1kB    | units: unknown unit kB in 1kB
      1kiB   | units: unknown unit kiB in 1kiB
      5MB1   | units: unknown unit  in 5MB1
      MB     | units: invalid MB
      .MB    | units: invalid .MB
      -1MB   | size must not be negative: -1MB
      8EB    | units: overflow parsing unit
      """)
  void rejectsWhatPrometheusRejects(String text, String message) {
    assertThatThrownBy(() -> ByteSize.parse(text)).hasMessage(message);
  }

  @org.junit.jupiter.api.Test
  void emptyIsInvalid() {
    assertThatThrownBy(() -> ByteSize.parse("")).hasMessage("units: invalid ");
  }
}
