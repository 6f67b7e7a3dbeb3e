package io.vigil.promql.parser;

import java.util.List;

/**
 * What the parser knows about a function: argument types, how many further arguments of the last
 * type it takes, its return type, and whether it is experimental. The implementations live in the
 * engine, in a separate table keyed by name.
 *
 * @param variadic 0: exactly the listed arguments; n > 0: the last argument type may be given up to
 *     n times more ... more precisely the last listed argument is optional and up to n of it are
 *     allowed; -1: any number of the last type
 */
public record FunctionSignature(String name, List<ValueType> argTypes, int variadic, ValueType returnType,
    boolean experimental) {
  public FunctionSignature {
    argTypes = List.copyOf(argTypes);
  }
}
