package io.vigil.rules.template;

import io.vigil.rules.template.Function.Failure;
import io.vigil.rules.template.Function.Kind;
import io.vigil.rules.template.GoValues.GoMap;
import io.vigil.rules.template.GoValues.GoNil;
import io.vigil.rules.template.GoValues.QueryResult;
import io.vigil.rules.template.GoValues.SafeHtml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Go text/template's predefined functions (funcs.go), with Go's semantics and error texts. */
final class Builtins {
  private Builtins() {}

  static final String BAD_COMPARISON_TYPE = "invalid type for comparison";
  static final String BAD_COMPARISON = "incompatible types for comparison";
  static final String NO_COMPARISON = "missing argument for comparison";

  static Map<String, Function> table() {
    Map<String, Function> m = new LinkedHashMap<>();
    add(m, new Function("and", List.of(Kind.VALUE), Kind.VALUE, true, (a, c) -> null));
    add(m, new Function("or", List.of(Kind.VALUE), Kind.VALUE, true, (a, c) -> null));
    add(m, Function.variadic("call", Builtins::call, Kind.VALUE, Kind.VALUE));
    add(m, Function.variadic("html", (a, c) -> GoText.htmlEscape(evalArgs(a)), Kind.ANY));
    add(m, Function.variadic("index", Builtins::index, Kind.VALUE, Kind.VALUE));
    add(m, Function.variadic("slice", Builtins::slice, Kind.VALUE, Kind.VALUE));
    add(m, Function.variadic("js", (a, c) -> GoText.jsEscape(evalArgs(a)), Kind.ANY));
    add(m, Function.of("len", Builtins::length, Kind.VALUE));
    add(m, Function.of("not", (a, c) -> !GoValues.isTrue(a.getFirst()), Kind.VALUE));
    add(m, Function.variadic("print", (a, c) -> sprint(a), Kind.ANY));
    add(m, Function.variadic("printf", (a, c) -> GoFormat.sprintf((String) a.getFirst(), a.subList(1, a.size())),
        Kind.ANY, Kind.STRING));
    add(m, Function.variadic("println", (a, c) -> sprintln(a), Kind.ANY));
    add(m, Function.variadic("urlquery", (a, c) -> GoText.queryEscape(evalArgs(a)), Kind.ANY));
    add(m, Function.variadic("eq", (a, c) -> eq(a), Kind.VALUE, Kind.VALUE));
    add(m, Function.of("ge", (a, c) -> !lt(a.get(0), a.get(1)), Kind.VALUE, Kind.VALUE));
    add(m, Function.of("gt", (a, c) -> !(lt(a.get(0), a.get(1)) || eq(a)), Kind.VALUE, Kind.VALUE));
    add(m, Function.of("le", (a, c) -> lt(a.get(0), a.get(1)) || eq(a), Kind.VALUE, Kind.VALUE));
    add(m, Function.of("lt", (a, c) -> lt(a.get(0), a.get(1)), Kind.VALUE, Kind.VALUE));
    add(m, Function.of("ne", (a, c) -> !eq(a), Kind.VALUE, Kind.VALUE));
    return m;
  }

  private static void add(Map<String, Function> m, Function f) {
    m.put(f.name(), f);
  }

  /** fmt.Sprint: a space between operands when neither is a string. */
  static String sprint(List<Object> args) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (i > 0 && !GoValues.isStringKind(a) && !GoValues.isStringKind(args.get(i - 1))) {
        sb.append(' ');
      }
      GoValues.print(sb, a, true);
    }
    return sb.toString();
  }

  static String sprintln(List<Object> args) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      GoValues.print(sb, args.get(i), true);
    }
    return sb.append('\n').toString();
  }

  /** text/template's evalArgs: a lone string as is, otherwise fmt.Sprint of everything. */
  private static String evalArgs(List<Object> args) {
    if (args.size() == 1 && args.getFirst() instanceof String s) {
      return s;
    }
    return sprint(args);
  }

  private static Object call(List<Object> a, Function.Context c) throws Failure {
    Object fn = a.getFirst();
    if (fn == null) {
      throw new Failure("call of nil");
    }
    throw new Failure("non-function of type " + GoValues.typeName(fn));
  }

  private static Object length(List<Object> a, Function.Context c) throws Failure {
    Object item = a.getFirst();
    return switch (item) {
      case null -> throw new Failure("reflect: call of reflect.Value.Type on zero Value");
      case GoNil n -> throw new Failure("len of nil pointer");
      case String s -> (long) GoText.byteLength(s);
      case SafeHtml h -> (long) GoText.byteLength(h.text());
      case GoMap m -> (long) m.entries().size();
      case QueryResult q -> (long) q.samples().size();
      default -> throw new Failure("len of type " + GoValues.typeName(item));
    };
  }

  private static Object index(List<Object> a, Function.Context c) throws Failure {
    Object item = a.getFirst();
    if (item == null || item == GoValues.NIL) {
      throw new Failure("index of untyped nil");
    }
    for (Object idx : a.subList(1, a.size())) {
      switch (item) {
        case GoNil n -> throw new Failure("index of nil pointer");
        case QueryResult q -> item = q.samples().get(indexArg(idx, q.samples().size(), false));
        case String s -> {
          byte[] b = s.getBytes(StandardCharsets.UTF_8);
          item = (long) (b[indexArg(idx, b.length, false)] & 0xff);
        }
        case SafeHtml h -> {
          byte[] b = h.text().getBytes(StandardCharsets.UTF_8);
          item = (long) (b[indexArg(idx, b.length, false)] & 0xff);
        }
        case GoMap m -> {
          if (idx == null) {
            throw new Failure("value is nil; should be of type string");
          }
          if (!GoValues.isStringKind(idx)) {
            throw new Failure("value has type " + GoValues.typeName(idx) + "; should be string");
          }
          Object v = m.entries().get(GoValues.stringOf(idx));
          item = v != null ? v : m.zero();
        }
        default -> throw new Failure("can't index item of type " + GoValues.typeName(item));
      }
    }
    return item;
  }

  /** An index into something of length len; {@code inclusive} allows len itself (slice bounds). */
  private static int indexArg(Object idx, int len, boolean inclusive) throws Failure {
    if (idx == null || idx instanceof GoNil) {
      throw new Failure("cannot index slice/array with nil");
    }
    if (!(idx instanceof Long x)) {
      throw new Failure("cannot index slice/array with type " + GoValues.typeName(idx));
    }
    if (x < 0 || x > len || (!inclusive && x == len)) {
      throw new Failure("index out of range: " + x);
    }
    return (int) (long) x;
  }

  private static Object slice(List<Object> a, Function.Context c) throws Failure {
    Object item = a.getFirst();
    List<Object> idx = a.subList(1, a.size());
    if (item == null || item instanceof GoNil) {
      throw new Failure("slice of untyped nil");
    }
    if (idx.size() > 3) {
      throw new Failure("too many slice indexes: " + idx.size());
    }
    int len;
    switch (item) {
      case String s -> len = GoText.byteLength(s);
      case QueryResult q -> len = q.samples().size();
      default -> throw new Failure("can't slice item of type " + GoValues.typeName(item));
    }
    if (item instanceof String && idx.size() == 3) {
      throw new Failure("cannot 3-index slice a string");
    }
    int[] bounds = {0, len, len};
    for (int i = 0; i < idx.size(); i++) {
      bounds[i] = indexArg(idx.get(i), len, true);
    }
    if (bounds[0] > bounds[1]) {
      throw new Failure("invalid slice index: " + bounds[0] + " > " + bounds[1]);
    }
    if (idx.size() == 3 && bounds[1] > bounds[2]) {
      throw new Failure("invalid slice index: " + bounds[1] + " > " + bounds[2]);
    }
    if (item instanceof String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      return new String(Arrays.copyOfRange(b, bounds[0], bounds[1]), StandardCharsets.UTF_8);
    }
    return new QueryResult(new ArrayList<>(((QueryResult) item).samples().subList(bounds[0], bounds[1])));
  }

  private enum BasicKind { BOOL, INT, FLOAT, STRING, INVALID }

  private static BasicKind kind(Object v) {
    return switch (v) {
      case Boolean b -> BasicKind.BOOL;
      case Long l -> BasicKind.INT;
      case Double d -> BasicKind.FLOAT;
      case String s -> BasicKind.STRING;
      case SafeHtml h -> BasicKind.STRING;
      case null, default -> BasicKind.INVALID;
    };
  }

  /** eq arg1 arg2...: true when arg1 equals any of the others. */
  static boolean eq(List<Object> a) throws Failure {
    Object x = untypedNil(a.getFirst());
    if (a.size() < 2) {
      throw new Failure(NO_COMPARISON);
    }
    BasicKind k1 = kind(x);
    for (Object raw : a.subList(1, a.size())) {
      Object y = untypedNil(raw);
      BasicKind k2 = kind(y);
      boolean truth;
      if (k1 != k2) {
        if (x != null && y != null) {
          throw new Failure(BAD_COMPARISON);
        }
        truth = false;
      } else {
        truth = switch (k1) {
          case BOOL, INT -> x.equals(y);
          case FLOAT -> (double) x == (double) y;
          case STRING -> GoValues.stringOf(x).equals(GoValues.stringOf(y));
          case INVALID -> identical(x, y);
        };
      }
      if (truth) {
        return true;
      }
    }
    return false;
  }

  /** A nil interface holds nothing: Go's indirectInterface makes it the invalid value. */
  private static Object untypedNil(Object v) {
    return v == GoValues.NIL ? null : v;
  }

  private static boolean identical(Object x, Object y) throws Failure {
    boolean nilX = x == null || x instanceof GoNil;
    boolean nilY = y == null || y instanceof GoNil;
    if (nilX || nilY) {
      return nilX == nilY;
    }
    if (x instanceof GoMap || x instanceof QueryResult) {
      throw new Failure("non-comparable type " + GoValues.print(x) + ": " + GoValues.typeName(x));
    }
    return x == y;
  }

  static boolean lt(Object x, Object y) throws Failure {
    BasicKind k1 = kind(x);
    BasicKind k2 = kind(y);
    if (k1 == BasicKind.INVALID || k2 == BasicKind.INVALID) {
      throw new Failure(BAD_COMPARISON_TYPE);
    }
    if (k1 != k2) {
      throw new Failure(BAD_COMPARISON);
    }
    return switch (k1) {
      case BOOL -> throw new Failure(BAD_COMPARISON_TYPE);
      case INT -> (long) x < (long) y;
      case FLOAT -> (double) x < (double) y;
      case STRING -> GoValues.stringOf(x).compareTo(GoValues.stringOf(y)) < 0;
      case INVALID -> throw new Failure(BAD_COMPARISON_TYPE);
    };
  }
}
