package io.vigil.rules.template;

import java.util.List;

/**
 * A parsed template: a closed hierarchy of immutable records (Go's {@code parse.Node}s). Every
 * node keeps its char offset in the template text for error messages; {@link #toString()} prints
 * it as Go does, which is what execution errors show after "at <...>".
 */
sealed interface Node {
  int pos();

  record ListNode(int pos, List<Node> nodes) implements Node {
    public ListNode {
      nodes = List.copyOf(nodes);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      nodes.forEach(sb::append);
      return sb.toString();
    }
  }

  record TextNode(int pos, String text) implements Node {
    @Override
    public String toString() {
      return text;
    }
  }

  /** {{pipeline}}: prints the value unless the pipeline declares variables. */
  record ActionNode(int pos, int line, Pipe pipe) implements Node {
    @Override
    public String toString() {
      return "{{" + pipe + "}}";
    }
  }

  /** if, with and range share this shape. */
  record ControlNode(Kind kind, int pos, int line, Pipe pipe, ListNode list, ListNode elseList) implements Node {
    enum Kind { IF, WITH, RANGE }

    @Override
    public String toString() {
      String name = kind.name().toLowerCase(java.util.Locale.ROOT);
      return "{{" + name + " " + pipe + "}}" + list + (elseList == null ? "" : "{{else}}" + elseList) + "{{end}}";
    }
  }

  record TemplateNode(int pos, int line, String name, Pipe pipe) implements Node {
    @Override
    public String toString() {
      return "{{template " + GoText.quote(name) + (pipe == null ? "" : " " + pipe) + "}}";
    }
  }

  record BreakNode(int pos, int line) implements Node {
    @Override
    public String toString() {
      return "{{break}}";
    }
  }

  record ContinueNode(int pos, int line) implements Node {
    @Override
    public String toString() {
      return "{{continue}}";
    }
  }

  /** Only during parsing: the {{end}} and {{else}} that close a list. */
  record EndNode(int pos) implements Node {
    @Override
    public String toString() {
      return "{{end}}";
    }
  }

  record ElseNode(int pos, int line) implements Node {
    @Override
    public String toString() {
      return "{{else}}";
    }
  }

  /**
   * A pipeline, optionally declaring ({@code :=}) or assigning ({@code =}) variables; also a
   * parenthesized argument.
   */
  record Pipe(int pos, int line, boolean isAssign, List<String> decl, List<Command> cmds) implements Node {
    public Pipe {
      decl = List.copyOf(decl);
      cmds = List.copyOf(cmds);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      if (!decl.isEmpty()) {
        sb.append(String.join(", ", decl)).append(isAssign ? " = " : " := ");
      }
      for (int i = 0; i < cmds.size(); i++) {
        if (i > 0) {
          sb.append(" | ");
        }
        sb.append(cmds.get(i));
      }
      return sb.toString();
    }
  }

  /** A function or field/method call with its arguments, or a single operand. */
  record Command(int pos, List<Node> args) implements Node {
    public Command {
      args = List.copyOf(args);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < args.size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        Node a = args.get(i);
        sb.append(a instanceof Pipe ? "(" + a + ")" : a.toString());
      }
      return sb.toString();
    }
  }

  record IdentifierNode(int pos, String name) implements Node {
    @Override
    public String toString() {
      return name;
    }
  }

  /** $x.Field1.Field2: idents[0] is the variable. */
  record VariableNode(int pos, List<String> idents) implements Node {
    @Override
    public String toString() {
      return String.join(".", idents);
    }
  }

  record DotNode(int pos) implements Node {
    @Override
    public String toString() {
      return ".";
    }
  }

  record NilNode(int pos) implements Node {
    @Override
    public String toString() {
      return "nil";
    }
  }

  /** .Field1.Field2 */
  record FieldNode(int pos, List<String> idents) implements Node {
    @Override
    public String toString() {
      return "." + String.join(".", idents);
    }
  }

  /** (pipeline).Field1.Field2 */
  record ChainNode(int pos, Node node, List<String> fields) implements Node {
    @Override
    public String toString() {
      String base = node instanceof Pipe ? "(" + node + ")" : node.toString();
      return base + "." + String.join(".", fields);
    }
  }

  record BoolNode(int pos, boolean value) implements Node {
    @Override
    public String toString() {
      return Boolean.toString(value);
    }
  }

  record StringNode(int pos, String quoted, String text) implements Node {
    @Override
    public String toString() {
      return quoted;
    }
  }

  /**
   * A number with every Go type it can take (an integer literal is also a valid float).
   *
   * @param text as written
   */
  record NumberNode(int pos, String text, boolean isInt, long intValue, boolean isFloat, double floatValue)
      implements Node {
    @Override
    public String toString() {
      return text;
    }
  }
}
