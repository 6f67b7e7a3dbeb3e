package io.vigil.rules;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files {@code rule_files} patterns name, as Prometheus's filepath.Glob finds them: a pattern
 * with {@code * ? [} in its last component matches the files of that directory (sorted); a plain
 * path is used when it exists. Patterns matching nothing give nothing, silently, as in Prometheus.
 */
public final class RuleFiles {
  private RuleFiles() {}

  /** The existing files the patterns name, in pattern order, each once. */
  public static List<Path> expand(List<String> patterns) {
    Set<Path> out = new LinkedHashSet<>();
    for (String pattern : patterns) {
      Path p = Path.of(pattern);
      Path name = p.getFileName();
      if (name == null || !hasMeta(name.toString())) {
        if (Files.isRegularFile(p)) {
          out.add(p);
        }
        continue;
      }
      Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + escapeBraces(name.toString()));
      List<Path> matches = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path f : ds) {
          if (m.matches(f.getFileName()) && Files.isRegularFile(f)) {
            matches.add(p.getParent() == null ? f.getFileName() : f);
          }
        }
      } catch (IOException e) {
        continue; // an unreadable or missing directory matches nothing, as in Go's Glob
      }
      matches.sort(null);
      out.addAll(matches);
    }
    return List.copyOf(out);
  }

  private static boolean hasMeta(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  /** Go's patterns have no {a,b} alternation: braces are literal. */
  private static String escapeBraces(String s) {
    return s.replace("{", "\\{").replace("}", "\\}");
  }
}
