package io.vigil.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Reads a YAML document into a {@link YamlNode} tree that keeps every node's line and column, using
 * Jackson's streaming YAML parser. Beyond what Jackson's token stream gives, it resolves aliases,
 * and applies merge keys ({@code <<: *base}). Duplicate keys are kept, in order, for
 * {@link MappingReader} to report with their field path.
 *
 * <p>Bounded: documents larger than {@link Limits#maxChars()} are rejected before parsing, and
 * alias expansion counts against {@link Limits#maxNodes()} so that "billion laughs" documents fail
 * fast instead of exhausting memory or time downstream. Jackson bounds the nesting depth.
 */
public final class YamlTree {
  /**
   * @param maxChars largest document accepted; default 16 Mi characters (real configurations are a
   *     few KiB, generated ones with thousands of targets a few MiB)
   * @param maxNodes most nodes a document may expand to, aliases counted at full size; default 1 Mi
   */
  public record Limits(int maxChars, int maxNodes) {
    public static final Limits DEFAULT = new Limits(16 << 20, 1 << 20);
  }

  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

  private final String text;
  private final Problems problems;
  private final Limits limits;
  private final Map<String, YamlNode> anchors = new HashMap<>();
  private final Map<YamlNode, Integer> anchoredSizes = new IdentityHashMap<>();
  private YAMLParser parser;
  private long nodes;

  private YamlTree(String text, Problems problems, Limits limits) {
    this.text = text;
    this.problems = problems;
    this.limits = limits;
  }

  /**
   * The root of the first document in {@code text}, or null when the document is empty or could
   * not be read (the reason is then recorded in {@code problems} with its position).
   */
  public static YamlNode read(String text, Problems problems) {
    return read(text, problems, Limits.DEFAULT);
  }

  public static YamlNode read(String text, Problems problems, Limits limits) {
    if (text.length() > limits.maxChars()) {
      problems.error(1, 1, "", "document too large: " + text.length() + " characters, the limit is "
          + limits.maxChars());
      return null;
    }
    return new YamlTree(text, problems, limits).readDocument();
  }

  private YamlNode readDocument() {
    try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), text)) {
      parser = (YAMLParser) p;
      JsonToken t = parser.nextToken();
      return t == null ? null : value(t);
    } catch (JacksonException e) {
      syntaxError(e);
      return null;
    } catch (TooLarge e) {
      problems.error(e.line, e.column, "", e.getMessage());
      return null;
    }
  }

  /**
   * SnakeYAML's messages are "context / problem" lines, each followed by " in reader, line L, column
   * C:" and a source excerpt. Keeps the words, joined on one line, and the position of the problem.
   */
  private void syntaxError(JacksonException e) {
    TokenStreamLocation at = e.getLocation();
    int line = at == null ? 0 : at.getLineNr();
    int column = at == null ? 0 : at.getColumnNr();
    String raw = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    StringBuilder words = new StringBuilder();
    for (String l : raw.split("\n")) {
      com.google.re2j.Matcher m = MARK.matcher(l);
      if (m.matches()) {
        line = Integer.parseInt(m.group(1));
        column = Integer.parseInt(m.group(2));
      } else if (!l.isBlank() && !Character.isWhitespace(l.charAt(0))) {
        words.append(words.isEmpty() ? "" : ": ").append(l.strip());
      }
    }
    problems.error(line, column, "", "invalid YAML: " + words);
  }

  private static final com.google.re2j.Pattern MARK =
      com.google.re2j.Pattern.compile(" in reader, line (\\d+), column (\\d+):");

  private YamlNode value(JsonToken t) {
    TokenStreamLocation at = parser.currentTokenLocation();
    int line = at.getLineNr();
    int column = at.getColumnNr();
    Object anchor = parser.getObjectId();
    YamlNode node = switch (t) {
      case START_OBJECT -> mapping(line, column);
      case START_ARRAY -> sequence(line, column);
      default -> parser.isCurrentAlias() ? alias(parser.getString(), line, column) : scalar(t, at);
    };
    count(1, line, column);
    if (anchor != null && !parser.isCurrentAlias()) {
      anchors.put(anchor.toString(), node);
    }
    return node;
  }

  private YamlNode scalar(JsonToken t, TokenStreamLocation at) {
    String s = t == JsonToken.VALUE_NULL ? "" : parser.getString();
    boolean plain = parser.getRawTag() == null && !startsQuotedOrBlock(at.getCharOffset());
    return new YamlNode.Scalar(s, plain, at.getLineNr(), at.getColumnNr());
  }

  private boolean startsQuotedOrBlock(long offset) {
    if (offset < 0 || offset >= text.length()) {
      return false;
    }
    char c = text.charAt((int) offset);
    return c == '"' || c == '\'' || c == '|' || c == '>';
  }

  private YamlNode alias(String name, int line, int column) {
    YamlNode target = anchors.get(name);
    if (target == null) {
      problems.error(line, column, "", "unknown anchor \"" + name + "\" referenced");
      return new YamlNode.Scalar("", true, line, column);
    }
    // An alias costs as much as the nodes it stands for: that is what consumers will walk.
    count(anchoredSizes.computeIfAbsent(target, YamlTree::size), line, column);
    return target;
  }

  private static int size(YamlNode n) {
    return switch (n) {
      case YamlNode.Scalar s -> 1;
      case YamlNode.Sequence s -> 1 + s.items().stream().mapToInt(YamlTree::size).sum();
      case YamlNode.Mapping m -> 1 + m.entries().stream().mapToInt(e -> size(e.value())).sum();
    };
  }

  private void count(long n, int line, int column) {
    nodes += n;
    if (nodes > limits.maxNodes()) {
      throw new TooLarge("document too large: more than " + limits.maxNodes()
          + " nodes after expanding aliases", line, column);
    }
  }

  private YamlNode sequence(int line, int column) {
    List<YamlNode> items = new ArrayList<>();
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      items.add(value(t));
    }
    return new YamlNode.Sequence(items, line, column);
  }

  private YamlNode mapping(int line, int column) {
    List<YamlNode.Entry> entries = new ArrayList<>();
    List<YamlNode> merges = new ArrayList<>();
    Map<String, YamlNode.Entry> seen = new HashMap<>();
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_OBJECT) {
      TokenStreamLocation at = parser.currentTokenLocation();
      String key = parser.currentName();
      YamlNode v = value(parser.nextToken());
      if (key.equals("<<")) {
        merges.add(v);
        continue;
      }
      YamlNode.Entry e = new YamlNode.Entry(key, at.getLineNr(), at.getColumnNr(), v);
      // Duplicates stay in the tree so that readers can report them with their field path.
      seen.putIfAbsent(key, e);
      entries.add(e);
    }
    for (YamlNode m : merges) {
      merge(m, entries, seen);
    }
    return new YamlNode.Mapping(entries, line, column);
  }

  /** YAML merge keys: entries of the merged mapping(s) that the mapping does not set itself. */
  private void merge(YamlNode source, List<YamlNode.Entry> entries, Map<String, YamlNode.Entry> seen) {
    switch (source) {
      case YamlNode.Mapping m -> {
        for (YamlNode.Entry e : m.entries()) {
          if (seen.putIfAbsent(e.key(), e) == null) {
            entries.add(e);
          }
        }
      }
      case YamlNode.Sequence s -> s.items().forEach(item -> merge(item, entries, seen));
      case YamlNode.Scalar s -> problems.error(s.line(), s.column(), "",
          "merge key \"<<\" needs a mapping or a list of mappings, got " + s.describe());
    }
  }

  private static final class TooLarge extends RuntimeException {
    final int line;
    final int column;

    TooLarge(String message, int line, int column) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
    }
  }
}
