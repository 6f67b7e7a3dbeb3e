package io.vigil.model.relabel;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Applies relabel rules in order, with Prometheus's semantics for every action. A missing label reads
 * as the empty string; setting a label to the empty string deletes it; a rule that drops the label
 * set stops processing. Stateless and thread-safe.
 *
 * <p>Deviation from Prometheus: {@code labelmap} results that are not valid label names are skipped
 * (Prometheus would add them), because Vigil's label sets only ever hold valid names.
 */
public final class Relabeler {
  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(Relabeler::newMd5);

  private Relabeler() {}

  /**
   * The relabeled labels, or null when a rule dropped them. Returns {@code in} itself when the rules
   * changed nothing that needs a copy (e.g. only keep/drop rules).
   */
  public static Labels process(Labels in, List<RelabelConfig> cfgs) {
    if (cfgs.isEmpty()) {
      return in;
    }
    if (allFilters(cfgs)) {
      for (RelabelConfig cfg : cfgs) {
        if (!keeps(cfg, join(cfg, in::get), in.get(cfg.targetLabel()))) {
          return null;
        }
      }
      return in;
    }
    Labels.Builder b = new Labels.Builder(in);
    return process(b, cfgs) ? b.build() : null;
  }

  /**
   * Applies the rules to a builder in place (so callers on hot paths can reuse one builder).
   *
   * @return false when a rule dropped the label set; the builder's content is then unspecified
   */
  public static boolean process(Labels.Builder b, List<RelabelConfig> cfgs) {
    for (RelabelConfig cfg : cfgs) {
      if (!apply(cfg, b)) {
        return false;
      }
    }
    return true;
  }

  private static boolean allFilters(List<RelabelConfig> cfgs) {
    for (RelabelConfig cfg : cfgs) {
      if (!cfg.action().isFilter()) {
        return false;
      }
    }
    return true;
  }

  private static boolean keeps(RelabelConfig cfg, String val, String targetValue) {
    return switch (cfg.action()) {
      case KEEP -> cfg.regex().matches(val);
      case DROP -> !cfg.regex().matches(val);
      case KEEP_EQUAL -> targetValue.equals(val);
      case DROP_EQUAL -> !targetValue.equals(val);
      default -> throw new IllegalStateException("not a filter: " + cfg.action());
    };
  }

  private static boolean apply(RelabelConfig cfg, Labels.Builder b) {
    RelabelAction action = cfg.action();
    if (action.isFilter()) {
      return keeps(cfg, join(cfg, b::get), b.get(cfg.targetLabel()));
    }
    switch (action) {
      case REPLACE -> replace(cfg, join(cfg, b::get), b);
      case LOWERCASE -> b.set(cfg.targetLabel(), join(cfg, b::get).toLowerCase(Locale.ROOT));
      case UPPERCASE -> b.set(cfg.targetLabel(), join(cfg, b::get).toUpperCase(Locale.ROOT));
      case HASHMOD -> b.set(cfg.targetLabel(), Long.toString(hashMod(join(cfg, b::get), cfg.modulus())));
      case LABELMAP, LABELDROP, LABELKEEP -> byName(cfg, b);
      default -> throw new IllegalStateException("unhandled action " + action);
    }
    return true;
  }

  private static void replace(RelabelConfig cfg, String val, Labels.Builder b) {
    String target = cfg.targetLabel();
    String replacement = cfg.replacement();
    RelabelRegex regex = cfg.regex();
    // Prometheus's fast path: the default regex on an empty value just sets (or deletes) the label.
    if (val.isEmpty() && regex.isDefault()
        && !TemplateExpansion.hasVariables(target) && !TemplateExpansion.hasVariables(replacement)) {
      b.set(target, replacement);
      return;
    }
    TemplateExpansion.Groups groups = match(regex, val);
    if (groups == null) {
      return; // no match: no replacement takes place
    }
    String name = TemplateExpansion.expand(target, groups);
    if (!LabelNames.isValidLabelName(name)) {
      return;
    }
    b.set(name, TemplateExpansion.expand(replacement, groups)); // "" deletes the label
  }

  /** labelmap, labeldrop and labelkeep iterate over a snapshot of the current labels. */
  private static void byName(RelabelConfig cfg, Labels.Builder b) {
    Labels current = b.build();
    RelabelRegex regex = cfg.regex();
    for (int i = 0; i < current.size(); i++) {
      String name = current.name(i);
      switch (cfg.action()) {
        case LABELDROP -> {
          if (regex.matches(name)) {
            b.del(name);
          }
        }
        case LABELKEEP -> {
          if (!regex.matches(name)) {
            b.del(name);
          }
        }
        default -> {
          TemplateExpansion.Groups groups = match(regex, name);
          if (groups != null) {
            String mapped = TemplateExpansion.expand(cfg.replacement(), groups);
            if (LabelNames.isValidLabelName(mapped)) {
              b.set(mapped, current.value(i));
            }
          }
        }
      }
    }
  }

  /** Capture groups of a whole-string match, or null when {@code s} does not match. */
  private static TemplateExpansion.Groups match(RelabelRegex regex, String s) {
    if (regex.isDefault()) {
      return new WholeString(s); // (.*) matches everything; group 0 and 1 are the input
    }
    com.google.re2j.Matcher m = regex.submatcher(s);
    if (!m.matches()) {
      return null;
    }
    return new TemplateExpansion.Groups() {
      @Override
      public String group(int index) {
        return index < 0 || index > m.groupCount() ? null : m.group(index);
      }

      @Override
      public int indexOf(String name) {
        return regex.groupIndex(name);
      }
    };
  }

  private record WholeString(String s) implements TemplateExpansion.Groups {
    @Override
    public String group(int index) {
      return index == 0 || index == 1 ? s : null;
    }

    @Override
    public int indexOf(String name) {
      return -1;
    }
  }

  /** The source label values joined with the separator; {@code get} reads one label ("" if absent). */
  private static String join(RelabelConfig cfg, UnaryOperator<String> get) {
    List<String> names = cfg.sourceLabels();
    if (names.size() == 1) {
      return get.apply(names.get(0));
    }
    StringBuilder sb = new StringBuilder(32);
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sb.append(cfg.separator());
      }
      sb.append(get.apply(names.get(i)));
    }
    return sb.toString();
  }

  /**
   * Prometheus's hashmod: MD5 of the UTF-8 value, the last 8 of its 16 bytes read big-endian as an
   * unsigned 64-bit integer, modulo the modulus. (Prometheus keeps the last 8 bytes "to give the
   * same result as earlier versions"; the documentation does not say which half.)
   */
  static long hashMod(String value, long modulus) {
    byte[] sum = MD5.get().digest(value.getBytes(StandardCharsets.UTF_8));
    long h = 0;
    for (int i = 8; i < 16; i++) {
      h = (h << 8) | (sum[i] & 0xff);
    }
    return Long.remainderUnsigned(h, modulus);
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide MD5", e);
    }
  }
}
