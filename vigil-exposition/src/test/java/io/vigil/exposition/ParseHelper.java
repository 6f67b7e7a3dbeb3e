package io.vigil.exposition;

import io.vigil.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Renders every entry of an input as one line of text, for compact assertions. */
final class ParseHelper {
  private ParseHelper() {}

  static List<String> entries(ExpositionFormat format, String input) throws ExpositionException {
    return entries(format, input.getBytes(StandardCharsets.UTF_8), ParserOptions.DEFAULTS);
  }

  static List<String> entries(ExpositionFormat format, byte[] input, ParserOptions options)
      throws ExpositionException {
    // A non-empty prefix and suffix prove the parser honours offset and length.
    byte[] padded = new byte[input.length + 6];
    System.arraycopy("xx\n{".getBytes(StandardCharsets.US_ASCII), 0, padded, 0, 4);
    System.arraycopy(input, 0, padded, 4, input.length);
    padded[padded.length - 2] = '}';
    padded[padded.length - 1] = '\n';
    ExpositionParser p = ExpositionParser.create(format, padded, 4, input.length, options);
    List<String> out = new ArrayList<>();
    Labels.Builder lb = new Labels.Builder();
    while (true) {
      Entry e = p.next();
      switch (e) {
        case EOF -> {
          out.add("EOF");
          return out;
        }
        case TYPE -> out.add("TYPE " + p.familyName() + " " + p.type().text());
        case HELP -> out.add("HELP " + p.familyName() + " " + p.help());
        case UNIT -> out.add("UNIT " + p.familyName() + " " + p.unit());
        case COMMENT -> out.add("COMMENT " + p.text());
        case SERIES -> {
          p.labels(lb);
          StringBuilder sb = new StringBuilder("SERIES ").append(lb.build()).append(' ').append(p.value());
          if (p.hasTimestamp()) {
            sb.append(" @").append(p.timestampMs());
          }
          if (p.hasExemplar()) {
            Exemplar ex = p.exemplar();
            sb.append(" # ").append(ex.labels()).append(' ').append(ex.value());
            if (ex.hasTimestamp()) {
              sb.append(" @").append(ex.timestampMs());
            }
          }
          out.add(sb.toString());
        }
      }
    }
  }

  /** The message of the error the input produces; fails if it parses. */
  static String error(ExpositionFormat format, String input) {
    return error(format, input.getBytes(StandardCharsets.UTF_8), ParserOptions.DEFAULTS);
  }

  static String error(ExpositionFormat format, byte[] input, ParserOptions options) {
    try {
      List<String> entries = entries(format, input, options);
      throw new AssertionError("expected an error, parsed: " + entries);
    } catch (ExpositionException e) {
      return e.getMessage();
    }
  }
}
