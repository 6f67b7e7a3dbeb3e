package io.vigil.rules;

import io.vigil.promql.parser.ParserOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code vigil check rules FILE...}: promtool's {@code check rules}. Prints {@code Checking FILE} on
 * {@code out}, then {@code   SUCCESS: N rules found} on {@code out} or {@code   FAILED:} and one line
 * per error on {@code err}, then an empty line; lint findings (duplicate recording rules) are
 * printed as failures but do not change the exit code, as in promtool without --lint-fatal.
 */
public final class RuleChecker {
  /** promtool's exit codes. */
  public static final int SUCCESS = 0;
  public static final int FAILURE = 1;

  private final RuleFileParser parser;

  public RuleChecker(ParserOptions promqlOptions) {
    this.parser = new RuleFileParser(promqlOptions);
  }

  /** Checks one file without printing; an unreadable file is one error. */
  public RuleFile checkFile(Path file) {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (CharacterCodingException e) {
      return new RuleFile(name, List.of(), List.of(RuleFileError.unpositioned(name, "file is not valid UTF-8")),
          List.of());
    } catch (IOException e) {
      return new RuleFile(name, List.of(), List.of(RuleFileError.unpositioned(name, "error reading file: "
          + e.getMessage())), List.of());
    }
    return parser.parse(name, text);
  }

  /**
   * Checks every file in order and prints promtool's report.
   *
   * @return {@link #SUCCESS}, or {@link #FAILURE} when any file has errors
   */
  public int check(List<Path> files, PrintStream out, PrintStream err) {
    boolean failed = false;
    for (Path f : files) {
      out.println("Checking " + f);
      RuleFile result = checkFile(f);
      if (!result.ok()) {
        err.println("  FAILED:");
        result.errors().forEach(e -> err.println(e));
        failed = true;
      } else if (!result.lintWarnings().isEmpty()) {
        err.println("  FAILED:");
        result.lintWarnings().forEach(w -> err.println("lint error " + w));
      } else {
        out.println("  SUCCESS: " + result.ruleCount() + " rules found");
      }
      out.println();
    }
    return failed ? FAILURE : SUCCESS;
  }
}
