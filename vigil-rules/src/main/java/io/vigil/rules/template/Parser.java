package io.vigil.rules.template;

import io.vigil.rules.template.Node.ActionNode;
import io.vigil.rules.template.Node.BoolNode;
import io.vigil.rules.template.Node.BreakNode;
import io.vigil.rules.template.Node.ChainNode;
import io.vigil.rules.template.Node.Command;
import io.vigil.rules.template.Node.ContinueNode;
import io.vigil.rules.template.Node.ControlNode;
import io.vigil.rules.template.Node.DotNode;
import io.vigil.rules.template.Node.ElseNode;
import io.vigil.rules.template.Node.EndNode;
import io.vigil.rules.template.Node.FieldNode;
import io.vigil.rules.template.Node.IdentifierNode;
import io.vigil.rules.template.Node.ListNode;
import io.vigil.rules.template.Node.NilNode;
import io.vigil.rules.template.Node.Pipe;
import io.vigil.rules.template.Node.StringNode;
import io.vigil.rules.template.Node.TemplateNode;
import io.vigil.rules.template.Node.VariableNode;
import io.vigil.rules.template.Token.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Go text/template's parser: a recursive-descent parser over {@link Lexer} tokens building
 * {@link Node} trees, one per template name ({{define}} and {{block}} add more). Checks at parse time
 * what Go checks: functions exist, variables are declared, break/continue are inside range,
 * pipelines are well formed. The first error wins, with Go's message and line.
 */
final class Parser {
  /** Thrown internally to unwind on the first error; carries the finished message. */
  private static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message, null, false, false);
    }
  }

  private final String parseName;
  private final List<Token> tokens;
  private final Set<String> functions;
  private final Map<String, ListNode> trees;
  private int p;
  private Token current; // the most recently read token: its line is the error line (Go's token[0])
  private List<String> vars = new ArrayList<>(List.of("$"));
  private int rangeDepth;
  private int actionLine;
  private int depth; // nesting of parenthesized pipelines and control structures

  /** Deep nesting would overflow the Java stack; Go has no such limit, real templates stay far below. */
  static final int MAX_NESTING = 200;

  private Parser(String parseName, List<Token> tokens, Set<String> functions, Map<String, ListNode> trees) {
    this.parseName = parseName;
    this.tokens = tokens;
    this.functions = functions;
    this.trees = trees;
    this.current = tokens.getFirst();
  }

  /**
   * Parses {@code text} as template {@code name}; defined templates go into {@code trees} too.
   *
   * @throws TemplateException with Go's message
   */
  static void parse(String name, String text, Set<String> functions, Map<String, ListNode> trees)
      throws TemplateException {
    Parser parser = new Parser(name, Lexer.lex(text), functions, trees);
    try {
      ListNode root = parser.parseTop();
      parser.add(name, root);
    } catch (Failure f) {
      throw new TemplateException(f.getMessage());
    }
  }

  // ---- tokens ----

  private Token next() {
    Token t = tokens.get(Math.min(p, tokens.size() - 1));
    p++;
    current = t;
    return t;
  }

  private void backup() {
    p--;
  }

  private Token peek() {
    return tokens.get(Math.min(p, tokens.size() - 1));
  }

  private Token nextNonSpace() {
    Token t;
    do {
      t = next();
    } while (t.type() == Type.SPACE);
    return t;
  }

  private Token peekNonSpace() {
    int save = p;
    Token t = nextNonSpace();
    p = save;
    return t;
  }

  // ---- errors ----

  private Failure error(String message) {
    return new Failure("template: " + parseName + ":" + current.line() + ": " + message);
  }

  private Failure unexpected(Token t, String context) {
    if (t.type() == Type.ERROR) {
      String extra = "";
      if (actionLine != 0 && actionLine != t.line()) {
        extra = " in action started at " + parseName + ":" + actionLine;
        if (t.val().endsWith(" action")) {
          extra = extra.substring(" in action".length());
        }
      }
      return error(t.val() + extra);
    }
    return error("unexpected " + t + " in " + context);
  }

  private Token expect(Type type, String context) {
    Token t = nextNonSpace();
    if (t.type() != type) {
      throw unexpected(t, context);
    }
    return t;
  }

  private void enter() {
    if (++depth > MAX_NESTING) {
      throw error("template nested more than " + MAX_NESTING + " levels deep");
    }
  }

  // ---- structure ----

  private void add(String name, ListNode root) {
    ListNode existing = trees.get(name);
    if (existing == null || isEmpty(existing)) {
      trees.put(name, root);
    } else if (!isEmpty(root)) {
      throw error("template: multiple definition of template " + GoText.quote(name));
    }
  }

  /** Go's IsEmptyTree: nothing but white space text. */
  static boolean isEmpty(Node n) {
    return switch (n) {
      case ListNode l -> l.nodes().stream().allMatch(Parser::isEmpty);
      case Node.TextNode t -> t.text().isBlank();
      default -> false;
    };
  }

  private ListNode parseTop() {
    List<Node> nodes = new ArrayList<>();
    int pos = peek().pos();
    while (peek().type() != Type.EOF) {
      if (peek().type() == Type.LEFT_DELIM) {
        int save = p;
        Token delim = next();
        if (nextNonSpace().type() == Type.DEFINE) {
          actionLine = delim.line();
          parseDefinition();
          actionLine = 0;
          continue;
        }
        p = save;
      }
      Node n = textOrAction();
      if (n instanceof EndNode || n instanceof ElseNode) {
        throw error("unexpected " + n);
      }
      nodes.add(n);
    }
    return new ListNode(pos, nodes);
  }

  private void parseDefinition() {
    String context = "define clause";
    Token nameToken = nextNonSpace();
    if (nameToken.type() != Type.STRING && nameToken.type() != Type.RAW_STRING) {
      throw unexpected(nameToken, context);
    }
    String name = unquote(nameToken.val());
    expect(Type.RIGHT_DELIM, context);
    List<String> saved = vars;
    vars = new ArrayList<>(List.of("$"));
    Node[] end = new Node[1];
    ListNode body = itemList(end);
    if (!(end[0] instanceof EndNode)) {
      throw error("unexpected " + end[0] + " in " + context);
    }
    vars = saved;
    add(name, body);
  }

  /** Nodes up to {{end}} or {{else}}, which is returned in end[0]. */
  private ListNode itemList(Node[] end) {
    int pos = peekNonSpace().pos();
    List<Node> nodes = new ArrayList<>();
    while (peekNonSpace().type() != Type.EOF) {
      Node n = textOrAction();
      if (n instanceof EndNode || n instanceof ElseNode) {
        end[0] = n;
        return new ListNode(pos, nodes);
      }
      nodes.add(n);
    }
    throw error("unexpected EOF");
  }

  private Node textOrAction() {
    Token t = nextNonSpace();
    switch (t.type()) {
      case TEXT -> {
        return new Node.TextNode(t.pos(), t.val());
      }
      case LEFT_DELIM -> {
        actionLine = t.line();
        try {
          return action();
        } finally {
          actionLine = 0;
        }
      }
      default -> throw unexpected(t, "input");
    }
  }

  private Node action() {
    Token t = nextNonSpace();
    switch (t.type()) {
      case BLOCK -> {
        return blockControl();
      }
      case BREAK -> {
        return breakOrContinue(t, true);
      }
      case CONTINUE -> {
        return breakOrContinue(t, false);
      }
      case ELSE -> {
        return elseControl();
      }
      case END -> {
        return new EndNode(expect(Type.RIGHT_DELIM, "end").pos());
      }
      case IF -> {
        return control(ControlNode.Kind.IF);
      }
      case RANGE -> {
        return control(ControlNode.Kind.RANGE);
      }
      case TEMPLATE -> {
        return templateControl();
      }
      case WITH -> {
        return control(ControlNode.Kind.WITH);
      }
      default -> {
        backup();
        Token start = peek();
        return new ActionNode(start.pos(), start.line(), pipeline("command", Type.RIGHT_DELIM));
      }
    }
  }

  private Node breakOrContinue(Token t, boolean isBreak) {
    String word = isBreak ? "break" : "continue";
    Token close = nextNonSpace();
    if (close.type() != Type.RIGHT_DELIM) {
      throw unexpected(close, "{{" + word + "}}");
    }
    if (rangeDepth == 0) {
      throw error("{{" + word + "}} outside {{range}}");
    }
    return isBreak ? new BreakNode(t.pos(), t.line()) : new ContinueNode(t.pos(), t.line());
  }

  private Node elseControl() {
    Token peeked = peekNonSpace();
    // "{{else if" / "{{else with": left for the control parser, which reads the if/with itself.
    if (peeked.type() == Type.IF || peeked.type() == Type.WITH) {
      return new ElseNode(peeked.pos(), peeked.line());
    }
    Token t = expect(Type.RIGHT_DELIM, "else");
    return new ElseNode(t.pos(), t.line());
  }

  private ControlNode control(ControlNode.Kind kind) {
    String context = kind.name().toLowerCase(java.util.Locale.ROOT);
    int varMark = vars.size();
    enter();
    try {
      Pipe pipe = pipeline(context, Type.RIGHT_DELIM);
      if (kind == ControlNode.Kind.RANGE) {
        rangeDepth++;
      }
      Node[] end = new Node[1];
      ListNode list = itemList(end);
      if (kind == ControlNode.Kind.RANGE) {
        rangeDepth--;
      }
      ListNode elseList = null;
      if (end[0] instanceof ElseNode elseNode) {
        Type chained = kind == ControlNode.Kind.IF ? Type.IF : kind == ControlNode.Kind.WITH ? Type.WITH : null;
        if (chained != null && peekNonSpace().type() == chained) {
          // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} with the inner end shared.
          nextNonSpace();
          elseList = new ListNode(elseNode.pos(), List.of(control(kind)));
        } else {
          elseList = itemList(end);
          if (!(end[0] instanceof EndNode)) {
            throw error("expected end; found " + end[0]);
          }
        }
      }
      return new ControlNode(kind, pipe.pos(), pipe.line(), pipe, list, elseList);
    } finally {
      depth--;
      vars = new ArrayList<>(vars.subList(0, Math.min(varMark, vars.size())));
    }
  }

  private Node blockControl() {
    String context = "block clause";
    Token t = nextNonSpace();
    String name = templateName(t, context);
    Pipe pipe = pipeline(context, Type.RIGHT_DELIM);
    List<String> saved = vars;
    int savedRange = rangeDepth;
    vars = new ArrayList<>(List.of("$"));
    rangeDepth = 0;
    Node[] end = new Node[1];
    ListNode body = itemList(end);
    if (!(end[0] instanceof EndNode)) {
      throw error("unexpected " + end[0] + " in " + context);
    }
    vars = saved;
    rangeDepth = savedRange;
    add(name, body);
    return new TemplateNode(t.pos(), t.line(), name, pipe);
  }

  private Node templateControl() {
    String context = "template clause";
    Token t = nextNonSpace();
    String name = templateName(t, context);
    Pipe pipe = null;
    if (nextNonSpace().type() != Type.RIGHT_DELIM) {
      backup();
      pipe = pipeline(context, Type.RIGHT_DELIM);
    }
    return new TemplateNode(t.pos(), t.line(), name, pipe);
  }

  private String templateName(Token t, String context) {
    if (t.type() == Type.STRING || t.type() == Type.RAW_STRING) {
      return unquote(t.val());
    }
    throw unexpected(t, context);
  }

  private String unquote(String quoted) {
    try {
      return GoValues.unquote(quoted);
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  // ---- pipelines ----

  private Pipe pipeline(String context, Type end) {
    Token first = peekNonSpace();
    boolean isAssign = false;
    List<String> decl = new ArrayList<>();
    while (peekNonSpace().type() == Type.VARIABLE) {
      int save = p;
      Token v = nextNonSpace();
      Token n = peekNonSpace();
      if (n.type() == Type.ASSIGN || n.type() == Type.DECLARE) {
        isAssign = n.type() == Type.ASSIGN;
        nextNonSpace();
        decl.add(v.val());
        vars.add(v.val());
        break;
      }
      if (n.type() == Type.CHAR && n.val().equals(",")) {
        nextNonSpace();
        decl.add(v.val());
        vars.add(v.val());
        if (context.equals("range") && decl.size() < 2) {
          Type after = peekNonSpace().type();
          if (after == Type.VARIABLE || after == Type.RIGHT_DELIM || after == Type.RIGHT_PAREN) {
            continue; // the second variable of a range
          }
          throw error("range can only initialize variables");
        }
        throw error("too many declarations in " + context);
      }
      p = save; // a variable used as an operand, not declared
      break;
    }
    List<Command> cmds = new ArrayList<>();
    while (true) {
      Token t = nextNonSpace();
      if (t.type() == end) {
        checkPipeline(cmds, context);
        return new Pipe(first.pos(), first.line(), isAssign, decl, cmds);
      }
      switch (t.type()) {
        case BOOL, CHAR_CONSTANT, COMPLEX, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING, VARIABLE,
            LEFT_PAREN -> {
          backup();
          cmds.add(command());
        }
        default -> throw unexpected(t, context);
      }
    }
  }

  private void checkPipeline(List<Command> cmds, String context) {
    if (cmds.isEmpty()) {
      throw error("missing value for " + context);
    }
    for (int i = 1; i < cmds.size(); i++) {
      Node first = cmds.get(i).args().getFirst();
      if (first instanceof BoolNode || first instanceof DotNode || first instanceof NilNode
          || first instanceof Node.NumberNode || first instanceof StringNode) {
        throw error("non executable command in pipeline stage " + (i + 1));
      }
    }
  }

  private Command command() {
    int pos = peekNonSpace().pos();
    List<Node> args = new ArrayList<>();
    while (true) {
      peekNonSpace();
      Node operand = operand();
      if (operand != null) {
        args.add(operand);
      }
      Token t = next();
      switch (t.type()) {
        case SPACE -> {
          continue;
        }
        case RIGHT_DELIM, RIGHT_PAREN -> backup();
        case PIPE -> {
          // the next command follows
        }
        default -> throw unexpected(t, "operand");
      }
      break;
    }
    if (args.isEmpty()) {
      throw error("empty command");
    }
    return new Command(pos, args);
  }

  private Node operand() {
    Node node = term();
    if (node == null) {
      return null;
    }
    if (peek().type() == Type.FIELD) {
      int pos = peek().pos();
      List<String> fields = new ArrayList<>();
      while (peek().type() == Type.FIELD) {
        fields.add(next().val().substring(1));
      }
      switch (node) {
        case FieldNode f -> {
          List<String> all = new ArrayList<>(f.idents());
          all.addAll(fields);
          return new FieldNode(f.pos(), all);
        }
        case VariableNode v -> {
          List<String> all = new ArrayList<>(v.idents());
          all.addAll(fields);
          return new VariableNode(v.pos(), all);
        }
        case BoolNode b -> throw error("unexpected . after term " + GoText.quote(b.toString()));
        case StringNode s -> throw error("unexpected . after term " + GoText.quote(s.toString()));
        case Node.NumberNode n -> throw error("unexpected . after term " + GoText.quote(n.toString()));
        case NilNode n -> throw error("unexpected . after term " + GoText.quote(n.toString()));
        case DotNode d -> throw error("unexpected . after term " + GoText.quote(d.toString()));
        default -> {
          return new ChainNode(pos, node, fields);
        }
      }
    }
    return node;
  }

  private Node term() {
    Token t = nextNonSpace();
    switch (t.type()) {
      case IDENTIFIER -> {
        if (!functions.contains(t.val())) {
          throw error("function " + GoText.quote(t.val()) + " not defined");
        }
        return new IdentifierNode(t.pos(), t.val());
      }
      case DOT -> {
        return new DotNode(t.pos());
      }
      case NIL -> {
        return new NilNode(t.pos());
      }
      case VARIABLE -> {
        return useVar(t);
      }
      case FIELD -> {
        return new FieldNode(t.pos(), List.of(t.val().substring(1)));
      }
      case BOOL -> {
        return new BoolNode(t.pos(), t.val().equals("true"));
      }
      case CHAR_CONSTANT, COMPLEX, NUMBER -> {
        try {
          return GoValues.number(t.pos(), t.val(), t.type());
        } catch (IllegalArgumentException e) {
          throw error(e.getMessage());
        }
      }
      case LEFT_PAREN -> {
        enter();
        Pipe pipe = pipeline("parenthesized pipeline", Type.RIGHT_PAREN);
        depth--;
        return pipe;
      }
      case STRING, RAW_STRING -> {
        return new StringNode(t.pos(), t.val(), unquote(t.val()));
      }
      default -> {
        backup();
        return null;
      }
    }
  }

  private Node useVar(Token t) {
    List<String> idents = Arrays.asList(t.val().split("\\.", -1));
    String name = idents.getFirst();
    if (!vars.contains(name)) {
      throw error("undefined variable " + GoText.quote(name));
    }
    return new VariableNode(t.pos(), idents);
  }
}
