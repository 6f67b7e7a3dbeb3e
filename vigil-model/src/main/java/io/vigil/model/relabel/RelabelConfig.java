package io.vigil.model.relabel;

import io.vigil.model.LabelNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One relabel rule, as in Prometheus's {@code relabel_config}. The constructor validates the rule
 * with Prometheus's per-action rules and messages (legacy label-name character set, since Vigil does
 * not accept UTF-8 names yet) and throws {@link InvalidRelabelConfigException} for a bad one, so an
 * instance is always usable. Immutable and thread-safe.
 *
 * @param sourceLabels labels whose values are joined with {@code separator}; empty means none
 * @param separator placed between source values; default {@code ;}
 * @param regex anchored RE2 regex; default {@code (.*)}
 * @param modulus for {@code hashmod}; 0 when unused
 * @param targetLabel label written by replace, hashmod, lowercase, uppercase and compared by
 *     keepequal/dropequal; may contain {@code $1}-style references for replace; "" when unused
 * @param replacement template for replace and labelmap; default {@code $1}
 * @param action what the rule does; default replace
 */
public record RelabelConfig(
    List<String> sourceLabels,
    String separator,
    RelabelRegex regex,
    long modulus,
    String targetLabel,
    String replacement,
    RelabelAction action) {

  public static final String DEFAULT_SEPARATOR = ";";
  public static final String DEFAULT_REPLACEMENT = "$1";

  public RelabelConfig {
    sourceLabels = List.copyOf(sourceLabels);
    Objects.requireNonNull(separator, "separator");
    Objects.requireNonNull(regex, "regex");
    Objects.requireNonNull(targetLabel, "targetLabel");
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(action, "action");
    validate(sourceLabels, separator, regex, modulus, targetLabel, replacement, action);
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void validate(
      List<String> sourceLabels,
      String separator,
      RelabelRegex regex,
      long modulus,
      String target,
      String replacement,
      RelabelAction action) {
    for (String name : sourceLabels) {
      if (!LabelNames.isValidLabelName(name)) {
        throw invalid(LabelNames.quote(name) + " is not a valid label name");
      }
    }
    if (modulus < 0) {
      throw invalid("modulus must not be negative");
    }
    if (action == RelabelAction.HASHMOD && modulus == 0) {
      throw invalid("relabel configuration for hashmod requires non-zero modulus");
    }
    boolean writesTarget = switch (action) {
      case REPLACE, HASHMOD, LOWERCASE, UPPERCASE, KEEP_EQUAL, DROP_EQUAL -> true;
      default -> false;
    };
    if (writesTarget && target.isEmpty()) {
      throw invalid("relabel configuration for " + action + " action requires 'target_label' value");
    }
    if (action == RelabelAction.REPLACE) {
      boolean ok = TemplateExpansion.hasVariables(target)
          ? isValidLabelNameTemplate(target)
          : LabelNames.isValidLabelName(target);
      if (!ok) {
        throw invalidTarget(target, action);
      }
    }
    boolean caseOrEqual = switch (action) {
      case LOWERCASE, UPPERCASE, KEEP_EQUAL, DROP_EQUAL -> true;
      default -> false;
    };
    if (caseOrEqual && !LabelNames.isValidLabelName(target)) {
      throw invalidTarget(target, action);
    }
    if (caseOrEqual && !replacement.equals(DEFAULT_REPLACEMENT)) {
      throw invalid("'replacement' can not be set for " + action + " action");
    }
    if (action == RelabelAction.LABELMAP && !isValidLabelNameTemplate(replacement)) {
      throw invalid(LabelNames.quote(replacement) + " is invalid 'replacement' for " + action + " action");
    }
    if (action == RelabelAction.HASHMOD && !LabelNames.isValidLabelName(target)) {
      throw invalidTarget(target, action);
    }
    if ((action == RelabelAction.KEEP_EQUAL || action == RelabelAction.DROP_EQUAL)
        && (!regex.isDefault() || modulus != 0 || !separator.equals(DEFAULT_SEPARATOR)
            || !replacement.equals(DEFAULT_REPLACEMENT))) {
      throw invalid(action + " action requires only 'source_labels' and `target_label`, and no other fields");
    }
    if ((action == RelabelAction.LABELDROP || action == RelabelAction.LABELKEEP)
        && (!sourceLabels.isEmpty() || !target.isEmpty() || modulus != 0
            || !separator.equals(DEFAULT_SEPARATOR) || !replacement.equals(DEFAULT_REPLACEMENT))) {
      throw invalid(action + " action requires only 'regex', and no other fields");
    }
  }

  /**
   * Prometheus's rule for label names built from a template (legacy character set): letters, '_',
   * digits (not first) and {@code $name} / {@code ${name}} references, at least one character.
   */
  static boolean isValidLabelNameTemplate(String s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '$') {
        boolean braced = i + 1 < n && s.charAt(i + 1) == '{';
        int j = braced ? i + 2 : i + 1;
        int start = j;
        while (j < n && isWordChar(s.charAt(j))) {
          j++;
        }
        if (j == start) {
          return false;
        }
        if (braced) {
          if (j >= n || s.charAt(j) != '}') {
            return false;
          }
          j++;
        }
        i = j;
      } else if (isWordChar(c) && !(i == 0 && c >= '0' && c <= '9')) {
        i++;
      } else {
        return false;
      }
    }
    return true;
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static InvalidRelabelConfigException invalidTarget(String target, RelabelAction action) {
    return invalid(LabelNames.quote(target) + " is invalid 'target_label' for " + action + " action");
  }

  private static InvalidRelabelConfigException invalid(String message) {
    return new InvalidRelabelConfigException(message);
  }

  /** Starts from Prometheus's defaults: separator ";", regex "(.*)", replacement "$1", replace. */
  public static final class Builder {
    private List<String> sourceLabels = List.of();
    private String separator = DEFAULT_SEPARATOR;
    private RelabelRegex regex = RelabelRegex.DEFAULT;
    private long modulus;
    private String targetLabel = "";
    private String replacement = DEFAULT_REPLACEMENT;
    private RelabelAction action = RelabelAction.REPLACE;

    public Builder sourceLabels(String... names) {
      this.sourceLabels = new ArrayList<>(Arrays.asList(names));
      return this;
    }

    public Builder sourceLabels(List<String> names) {
      this.sourceLabels = names;
      return this;
    }

    public Builder separator(String separator) {
      this.separator = separator;
      return this;
    }

    /** @throws io.vigil.model.Matcher.InvalidRegexException for invalid RE2 syntax */
    public Builder regex(String regex) {
      this.regex = RelabelRegex.compile(regex);
      return this;
    }

    public Builder regex(RelabelRegex regex) {
      this.regex = regex;
      return this;
    }

    public Builder modulus(long modulus) {
      this.modulus = modulus;
      return this;
    }

    public Builder targetLabel(String targetLabel) {
      this.targetLabel = targetLabel;
      return this;
    }

    public Builder replacement(String replacement) {
      this.replacement = replacement;
      return this;
    }

    public Builder action(RelabelAction action) {
      this.action = action;
      return this;
    }

    /** @throws InvalidRelabelConfigException when Prometheus would reject the rule */
    public RelabelConfig build() {
      return new RelabelConfig(sourceLabels, separator, regex, modulus, targetLabel, replacement, action);
    }
  }
}
