package io.vigil.rules.template;

import io.vigil.rules.template.Function.Kind;
import io.vigil.rules.template.GoValues.AlertData;
import io.vigil.rules.template.GoValues.GoDuration;
import io.vigil.rules.template.GoValues.GoMap;
import io.vigil.rules.template.GoValues.GoNil;
import io.vigil.rules.template.GoValues.GoTime;
import io.vigil.rules.template.GoValues.QueryResult;
import io.vigil.rules.template.GoValues.Sample;
import io.vigil.rules.template.Node.ActionNode;
import io.vigil.rules.template.Node.BoolNode;
import io.vigil.rules.template.Node.BreakNode;
import io.vigil.rules.template.Node.ChainNode;
import io.vigil.rules.template.Node.Command;
import io.vigil.rules.template.Node.ContinueNode;
import io.vigil.rules.template.Node.ControlNode;
import io.vigil.rules.template.Node.DotNode;
import io.vigil.rules.template.Node.FieldNode;
import io.vigil.rules.template.Node.IdentifierNode;
import io.vigil.rules.template.Node.ListNode;
import io.vigil.rules.template.Node.NilNode;
import io.vigil.rules.template.Node.NumberNode;
import io.vigil.rules.template.Node.Pipe;
import io.vigil.rules.template.Node.StringNode;
import io.vigil.rules.template.Node.TemplateNode;
import io.vigil.rules.template.Node.TextNode;
import io.vigil.rules.template.Node.VariableNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Executes a parsed template (Go's exec.go): walks the nodes with dot and a variable stack,
 * evaluates pipelines, converts and checks function arguments against Go parameter types, and
 * reports errors as {@code template: NAME:LINE:COL: executing "NAME" at <NODE>: ...}. Bounded by
 * {@link Template.Limits}. One instance per execution; not thread-safe.
 */
final class Executor {
  /** Stops the execution with a finished message. */
  static final class ExecError extends RuntimeException {
    ExecError(String message) {
      super(message, null, false, false);
    }
  }

  private static final class Break extends RuntimeException {
    Break() {
      super(null, null, false, false);
    }
  }

  private static final class Continue extends RuntimeException {
    Continue() {
      super(null, null, false, false);
    }
  }

  private static final Break BREAK = new Break();
  private static final Continue CONTINUE = new Continue();
  /** "No value passed down the pipeline" (Go's missingVal), distinct from the invalid value null. */
  private static final Object MISSING = new Object();

  private record Var(String name, Object value) {}

  private final Template template;
  private final Map<String, Function> functions;
  private final Function.Context ctx;
  private final Template.Limits limits;
  private final StringBuilder out;
  private List<Var> vars = new ArrayList<>();
  private String currentName;
  private Node node;
  private int depth;
  private long steps;

  Executor(Template template, Map<String, Function> functions, Function.Context ctx, Template.Limits limits,
      StringBuilder out) {
    this.template = template;
    this.functions = functions;
    this.ctx = ctx;
    this.limits = limits;
    this.out = out;
    this.currentName = template.name();
  }

  void execute(Object data) {
    vars.add(new Var("$", data));
    walk(data, template.root());
  }

  // ---- errors ----

  private ExecError error(String message) {
    if (node == null) {
      return new ExecError("template: " + currentName + ": " + message);
    }
    return new ExecError("template: " + location(node.pos()) + ": executing " + GoText.quote(currentName) + " at <"
        + node + ">: " + message);
  }

  /** Go's ErrorContext: parse name, line, and the byte offset within the line (0-based). */
  private String location(int pos) {
    String text = template.text();
    int p = Math.min(pos, text.length());
    int lastNewline = text.lastIndexOf('\n', p - 1);
    int line = 1;
    for (int i = 0; i < p; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    int col = GoText.byteLength(text.substring(lastNewline + 1, p));
    return template.name() + ":" + line + ":" + col;
  }

  private void at(Node n) {
    node = n;
  }

  private void step() {
    if (++steps > limits.maxSteps()) {
      throw error("template execution exceeds " + limits.maxSteps() + " steps");
    }
  }

  private void write(String s) {
    if (out.length() + s.length() > limits.maxOutputChars()) {
      throw error("template output exceeds " + limits.maxOutputChars() + " characters");
    }
    out.append(s);
  }

  // ---- variables ----

  private int mark() {
    return vars.size();
  }

  private void pop(int mark) {
    while (vars.size() > mark) {
      vars.removeLast();
    }
  }

  private void push(String name, Object value) {
    vars.add(new Var(name, value));
  }

  private void setVar(String name, Object value) {
    for (int i = vars.size() - 1; i >= 0; i--) {
      if (vars.get(i).name().equals(name)) {
        vars.set(i, new Var(name, value));
        return;
      }
    }
    throw error("undefined variable: " + name);
  }

  private void setTopVar(int n, Object value) {
    int i = vars.size() - n;
    vars.set(i, new Var(vars.get(i).name(), value));
  }

  private Object varValue(String name) {
    for (int i = vars.size() - 1; i >= 0; i--) {
      if (vars.get(i).name().equals(name)) {
        return vars.get(i).value();
      }
    }
    throw error("undefined variable: " + name);
  }

  // ---- walking ----

  private void walk(Object dot, Node n) {
    at(n);
    if (!(n instanceof ListNode)) {
      step();
    }
    switch (n) {
      case ActionNode a -> {
        Object v = evalPipeline(dot, a.pipe());
        if (a.pipe().decl().isEmpty()) {
          at(a);
          write(GoValues.print(v));
        }
      }
      case BreakNode b -> throw BREAK;
      case ContinueNode c -> throw CONTINUE;
      case ControlNode c -> {
        if (c.kind() == ControlNode.Kind.RANGE) {
          walkRange(dot, c);
        } else {
          walkIfOrWith(dot, c);
        }
      }
      case ListNode l -> {
        for (Node child : l.nodes()) {
          walk(dot, child);
        }
      }
      case TemplateNode t -> walkTemplate(dot, t);
      case TextNode t -> write(t.text());
      default -> throw error("unknown node: " + n);
    }
  }

  private void walkIfOrWith(Object dot, ControlNode c) {
    int mark = mark();
    try {
      Object val = evalPipeline(dot, c.pipe());
      if (GoValues.isTrue(val)) {
        walk(c.kind() == ControlNode.Kind.WITH ? val : dot, c.list());
      } else if (c.elseList() != null) {
        walk(dot, c.elseList());
      }
    } finally {
      pop(mark);
    }
  }

  private void walkRange(Object dot, ControlNode r) {
    at(r);
    int outer = mark();
    try {
      Object val = evalPipeline(dot, r.pipe());
      int mark = mark();
      boolean ran = false;
      switch (val) {
        case QueryResult q -> {
          for (int i = 0; i < q.samples().size(); i++) {
            ran = true;
            if (!iteration(r, (long) i, q.samples().get(i), mark)) {
              break;
            }
          }
        }
        case GoMap m -> {
          for (var e : m.entries().entrySet()) {
            ran = true;
            if (!iteration(r, e.getKey(), e.getValue(), mark)) {
              break;
            }
          }
        }
        case Long n -> {
          if (r.pipe().decl().size() > 1) {
            throw error("can't use " + n + " to iterate over more than one variable");
          }
          for (long i = 0; i < n; i++) {
            ran = true;
            if (!iteration(r, i, i, mark)) {
              break;
            }
          }
        }
        case null -> {
          // nil behaves like an empty collection
        }
        case GoNil nil -> {
          // likewise
        }
        default -> throw error("range can't iterate over " + GoValues.print(val));
      }
      if (!ran && r.elseList() != null) {
        walk(dot, r.elseList());
      }
    } finally {
      pop(outer);
    }
  }

  /** One range iteration; false when {{break}} ended the loop. */
  private boolean iteration(ControlNode r, Object index, Object elem, int mark) {
    at(r);
    step();
    if (!r.pipe().decl().isEmpty()) {
      setTopVar(1, elem);
    }
    if (r.pipe().decl().size() > 1) {
      setTopVar(2, index);
    }
    try {
      walk(elem, r.list());
      return true;
    } catch (Continue c) {
      return true;
    } catch (Break b) {
      return false;
    } finally {
      pop(mark);
    }
  }

  private void walkTemplate(Object dot, TemplateNode t) {
    at(t);
    ListNode tree = template.trees().get(t.name());
    if (tree == null) {
      throw error("template " + GoText.quote(t.name()) + " not defined");
    }
    if (depth >= limits.maxTemplateDepth()) {
      throw error("exceeded maximum template depth (" + limits.maxTemplateDepth() + ")");
    }
    Object newDot = evalPipeline(dot, t.pipe());
    List<Var> savedVars = vars;
    String savedName = currentName;
    vars = new ArrayList<>(List.of(new Var("$", newDot)));
    currentName = t.name();
    depth++;
    try {
      walk(newDot, tree);
    } finally {
      depth--;
      vars = savedVars;
      currentName = savedName;
    }
  }

  // ---- evaluation ----

  private Object evalPipeline(Object dot, Pipe pipe) {
    if (pipe == null) {
      return null;
    }
    at(pipe);
    Object value = MISSING;
    for (Command cmd : pipe.cmds()) {
      value = evalCommand(dot, cmd, value);
    }
    for (String v : pipe.decl()) {
      if (pipe.isAssign()) {
        setVar(v, value);
      } else {
        push(v, value);
      }
    }
    return value;
  }

  private void notAFunction(List<Node> args, Object fin) {
    if (args.size() > 1 || fin != MISSING) {
      throw error("can't give argument to non-function " + args.getFirst());
    }
  }

  private Object evalCommand(Object dot, Command cmd, Object fin) {
    Node first = cmd.args().getFirst();
    switch (first) {
      case FieldNode f -> {
        return evalFieldNode(dot, f, cmd.args(), fin);
      }
      case ChainNode c -> {
        return evalChainNode(dot, c, cmd.args(), fin);
      }
      case IdentifierNode id -> {
        return evalFunction(dot, id, cmd, cmd.args(), fin);
      }
      case Pipe p -> {
        notAFunction(cmd.args(), fin);
        return evalPipeline(dot, p);
      }
      case VariableNode v -> {
        return evalVariableNode(dot, v, cmd.args(), fin);
      }
      default -> {
        // a literal
      }
    }
    at(first);
    notAFunction(cmd.args(), fin);
    return switch (first) {
      case BoolNode b -> b.value();
      case DotNode d -> dot;
      case NilNode n -> throw error("nil is not a command");
      case NumberNode n -> idealConstant(n);
      case StringNode s -> s.text();
      default -> throw error("can't evaluate command " + GoText.quote(first.toString()));
    };
  }

  /** A number in a context with no type: float syntax makes a float64, otherwise an int. */
  private Object idealConstant(NumberNode n) {
    at(n);
    String t = n.text();
    boolean rune = t.startsWith("'");
    boolean hexInt = t.replaceFirst("^[+-]", "").matches("0[xX][^pP]*");
    if (n.isFloat() && !hexInt && !rune && t.chars().anyMatch(c -> ".eEpP".indexOf(c) >= 0)) {
      return n.floatValue();
    }
    if (n.isInt()) {
      return n.intValue();
    }
    throw error(t + " overflows int");
  }

  private Object evalFieldNode(Object dot, FieldNode f, List<Node> args, Object fin) {
    at(f);
    return evalFieldChain(dot, dot, f, f.idents(), args, fin);
  }

  private Object evalChainNode(Object dot, ChainNode c, List<Node> args, Object fin) {
    at(c);
    if (c.node() instanceof NilNode) {
      throw error("indirection through explicit nil in " + c);
    }
    Object pipe = evalArg(dot, Kind.VALUE, c.node());
    return evalFieldChain(dot, pipe, c, c.fields(), args, fin);
  }

  private Object evalVariableNode(Object dot, VariableNode v, List<Node> args, Object fin) {
    at(v);
    Object value = varValue(v.idents().getFirst());
    if (v.idents().size() == 1) {
      notAFunction(args == null ? List.of(v) : args, fin);
      return value;
    }
    return evalFieldChain(dot, value, v, v.idents().subList(1, v.idents().size()), args, fin);
  }

  private Object evalFieldChain(Object dot, Object receiver, Node n, List<String> idents, List<Node> args,
      Object fin) {
    int last = idents.size() - 1;
    for (int i = 0; i < last; i++) {
      receiver = evalField(dot, idents.get(i), n, null, MISSING, receiver);
    }
    return evalField(dot, idents.get(last), n, args, fin, receiver);
  }

  private Object evalField(Object dot, String name, Node n, List<Node> args, Object fin, Object receiver) {
    if (receiver == null) {
      return null; // missingkey=zero: an absent value has no fields, silently
    }
    Function method = methodOf(receiver, name);
    if (method != null) {
      return evalCall(dot, method, n, name, args, fin, receiver);
    }
    boolean hasArgs = (args != null && args.size() > 1) || fin != MISSING;
    switch (receiver) {
      case GoMap m -> {
        if (hasArgs) {
          throw error(name + " is not a method but has arguments");
        }
        Object v = m.entries().get(name);
        return v != null ? v : m.zero();
      }
      case AlertData a -> {
        Object v = switch (name) {
          case "Labels" -> a.labels();
          case "ExternalLabels" -> a.externalLabels();
          case "ExternalURL" -> a.externalUrl();
          case "Value" -> a.value();
          default -> MISSING;
        };
        if (v != MISSING) {
          if (hasArgs) {
            throw error(name + " has arguments but cannot be invoked as function");
          }
          return v;
        }
      }
      case Sample s -> {
        Object v = switch (name) {
          case "Labels" -> s.labels();
          case "Value" -> s.value();
          default -> MISSING;
        };
        if (v != MISSING) {
          if (hasArgs) {
            throw error(name + " has arguments but cannot be invoked as function");
          }
          return v;
        }
      }
      case GoNil nil -> {
        if (nil == GoValues.NIL) {
          throw error("nil pointer evaluating interface {}." + name);
        }
        if (nil.typeName().equals("*template.sample") && (name.equals("Labels") || name.equals("Value"))) {
          throw error("nil pointer evaluating " + nil.typeName() + "." + name);
        }
      }
      default -> {
        // no fields
      }
    }
    throw error("can't evaluate field " + name + " in type " + GoValues.typeName(receiver));
  }

  /** The methods of time values that templates can call ((toTime x).Unix and the like). */
  private static Function methodOf(Object receiver, String name) {
    if (receiver instanceof GoTime t) {
      return switch (name) {
        case "Unix" -> Function.of(name, (a, c) -> t.epochSecond());
        case "UnixMilli" -> Function.of(name, (a, c) -> t.epochSecond() * 1000 + t.nanos() / 1_000_000);
        case "UTC" -> Function.of(name, (a, c) -> t);
        case "String" -> Function.of(name, (a, c) -> GoValues.timeString(t));
        case "Format" -> Function.of(name, (a, c) -> GoTimeLayout.format(t, (String) a.getFirst()), Kind.STRING);
        default -> null;
      };
    }
    if (receiver instanceof GoDuration d) {
      return switch (name) {
        case "Seconds" -> Function.of(name, (a, c) -> d.nanos() / 1e9);
        case "Minutes" -> Function.of(name, (a, c) -> d.nanos() / 6e10);
        case "Hours" -> Function.of(name, (a, c) -> d.nanos() / 3.6e12);
        case "Milliseconds" -> Function.of(name, (a, c) -> d.nanos() / 1_000_000);
        case "String" -> Function.of(name, (a, c) -> GoValues.durationString(d.nanos()));
        default -> null;
      };
    }
    return null;
  }

  private Object evalFunction(Object dot, IdentifierNode id, Node cmd, List<Node> args, Object fin) {
    at(id);
    Function f = functions.get(id.name());
    if (f == null) {
      throw error(GoText.quote(id.name()) + " is not a defined function");
    }
    return evalCall(dot, f, cmd, id.name(), args, fin, null);
  }

  private Object evalCall(Object dot, Function f, Node n, String name, List<Node> allArgs, Object fin,
      Object receiver) {
    List<Node> args = allArgs == null ? List.of() : allArgs.subList(1, allArgs.size());
    int numIn = args.size() + (fin != MISSING ? 1 : 0);
    int numFixed = f.params().size();
    if (f.variadic() != null) {
      if (numIn < numFixed) {
        throw error("wrong number of args for " + name + ": want at least " + numFixed + " got " + args.size());
      }
    } else if (numIn != numFixed) {
      throw error("wrong number of args for " + name + ": want " + numFixed + " got " + numIn);
    }
    if (f.lazy()) {
      // and/or stop at the first argument that decides the result
      boolean isOr = name.equals("or");
      Object v = null;
      for (Node a : args) {
        v = evalArg(dot, Kind.VALUE, a);
        if (GoValues.isTrue(v) == isOr) {
          return v;
        }
      }
      if (fin != MISSING) {
        v = fin;
      }
      return v;
    }
    List<Object> argv = new ArrayList<>(numIn);
    int i = 0;
    for (; i < numFixed && i < args.size(); i++) {
      argv.add(evalArg(dot, f.params().get(i), args.get(i)));
    }
    for (; i < args.size(); i++) {
      argv.add(evalArg(dot, f.variadic(), args.get(i)));
    }
    if (fin != MISSING) {
      Kind k = f.variadic() == null || numIn - 1 < numFixed ? f.params().get(numIn - 1) : f.variadic();
      argv.add(validateType(fin, k));
    }
    try {
      return f.impl().call(argv, ctx);
    } catch (Function.Failure e) {
      at(n);
      throw error("error calling " + name + ": " + e.getMessage());
    }
  }

  private Object evalArg(Object dot, Kind kind, Node n) {
    at(n);
    switch (n) {
      case DotNode d -> {
        return validateType(dot, kind);
      }
      case NilNode nil -> {
        if (canBeNil(kind)) {
          return zero(kind);
        }
        throw error("cannot assign nil to " + kind.goType);
      }
      case FieldNode f -> {
        return validateType(evalFieldNode(dot, f, List.of(n), MISSING), kind);
      }
      case VariableNode v -> {
        return validateType(evalVariableNode(dot, v, null, MISSING), kind);
      }
      case Pipe p -> {
        return validateType(evalPipeline(dot, p), kind);
      }
      case IdentifierNode id -> {
        return validateType(evalFunction(dot, id, id, null, MISSING), kind);
      }
      case ChainNode c -> {
        return validateType(evalChainNode(dot, c, null, MISSING), kind);
      }
      default -> {
        // a literal, converted to the parameter's type
      }
    }
    return switch (kind) {
      case BOOL -> n instanceof BoolNode b ? b.value() : fail("expected bool; found " + n);
      case FLOAT -> n instanceof NumberNode num && num.isFloat() ? num.floatValue() : fail("expected float; found " + n);
      case INT -> n instanceof NumberNode num && num.isInt() ? num.intValue() : fail("expected integer; found " + n);
      case STRING -> n instanceof StringNode s ? s.text() : fail("expected string; found " + n);
      case ANY, VALUE -> switch (n) {
        case BoolNode b -> b.value();
        case NumberNode num -> idealConstant(num);
        case StringNode s -> s.text();
        default -> fail("can't handle assignment of " + n + " to empty interface argument");
      };
      default -> fail("can't handle " + n + " for arg of type " + kind.goType);
    };
  }

  private Object fail(String message) {
    throw error(message);
  }

  private static boolean canBeNil(Kind k) {
    return k == Kind.ANY || k == Kind.VALUE || k == Kind.SAMPLE || k == Kind.QUERY_RESULT;
  }

  private static Object zero(Kind k) {
    return switch (k) {
      case SAMPLE -> new GoNil("*template.sample");
      case QUERY_RESULT -> new QueryResult(List.of());
      case ANY -> GoValues.NIL;
      default -> null;
    };
  }

  /** Go's validateType: the value must be assignable to the parameter type. */
  private Object validateType(Object value, Kind kind) {
    if (kind == Kind.VALUE) {
      return value;
    }
    if (value == null) {
      if (canBeNil(kind)) {
        return zero(kind);
      }
      throw error("invalid value; expected " + kind.goType);
    }
    boolean ok = switch (kind) {
      case STRING -> value instanceof String;
      case FLOAT -> value instanceof Double;
      case INT -> value instanceof Long;
      case BOOL -> value instanceof Boolean;
      case SAMPLE -> value instanceof Sample || (value instanceof GoNil nil && nil.typeName().equals("*template.sample"));
      case QUERY_RESULT -> value instanceof QueryResult;
      case ANY, VALUE -> true;
    };
    if (!ok) {
      throw error("wrong type for value; expected " + kind.goType + "; got " + GoValues.typeName(value));
    }
    return value;
  }
}
