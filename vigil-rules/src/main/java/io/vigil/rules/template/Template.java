package io.vigil.rules.template;

import io.vigil.rules.template.Node.ListNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A parsed Go text/template with Prometheus's function map and {@code missingkey=zero}, as
 * Prometheus's template.Expander builds it. Immutable and thread-safe once parsed; each
 * {@link #execute} has its own state.
 */
final class Template {
  /**
   * Bounds on one execution, so that a template can neither loop for ever ({{range 1000000000}})
   * nor grow memory without bound. Go has none; real alert templates stay orders of magnitude below.
   *
   * @param maxSteps nodes walked (1,000,000)
   * @param maxOutputChars characters written (1 Mi)
   * @param maxTemplateDepth nested {{template}} calls (100; Go allows 100,000, which Java's stack would not)
   */
  record Limits(long maxSteps, int maxOutputChars, int maxTemplateDepth) {
    static final Limits DEFAULT = new Limits(1_000_000, 1 << 20, 100);
  }

  static final Map<String, Function> FUNCTIONS;

  static {
    Map<String, Function> m = new LinkedHashMap<>(Builtins.table());
    m.putAll(PrometheusFunctions.table());
    FUNCTIONS = Collections.unmodifiableMap(m);
  }

  private final String name;
  private final String text;
  private final Map<String, ListNode> trees;

  private Template(String name, String text, Map<String, ListNode> trees) {
    this.name = name;
    this.text = text;
    this.trees = Map.copyOf(trees);
  }

  /**
   * @throws TemplateException with Go's message, e.g. {@code template: NAME:1: unclosed action}
   */
  static Template parse(String name, String text) throws TemplateException {
    Map<String, ListNode> trees = new HashMap<>();
    Parser.parse(name, text, Set.copyOf(FUNCTIONS.keySet()), trees);
    return new Template(name, text, trees);
  }

  String name() {
    return name;
  }

  String text() {
    return text;
  }

  ListNode root() {
    return trees.get(name);
  }

  Map<String, ListNode> trees() {
    return trees;
  }

  /**
   * Runs the template on {@code data}.
   *
   * @throws TemplateException with Go's execution error text
   * @throws Function.Panic when a function panicked (Prometheus reports those without wrapping)
   */
  String execute(Object data, Function.Context ctx, Limits limits) throws TemplateException {
    StringBuilder out = new StringBuilder(Math.min(256, text.length() * 2));
    try {
      new Executor(this, FUNCTIONS, ctx, limits, out).execute(data);
    } catch (Executor.ExecError e) {
      throw new TemplateException(e.getMessage());
    } catch (StackOverflowError e) {
      throw new TemplateException("template: " + name + ": nested too deeply");
    }
    return out.toString();
  }
}
