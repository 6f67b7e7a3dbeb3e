package io.vigil.promql.parser;

import java.util.List;

/**
 * What the parser knows about a function: argument types, its return type, and whether it is
 * experimental. The implementations live in the engine, in a separate table keyed by name.
 *
 * @param variadic as in Prometheus: 0 means exactly {@code argTypes}; n > 0 means the last listed
 *     argument is optional and may be given up to n times; -1 means the last listed argument is
 *     optional and may repeat without limit
 */
public record FunctionSignature(String name, List<ValueType> argTypes, int variadic, ValueType returnType,
    boolean experimental) {
  public FunctionSignature {
    argTypes = List.copyOf(argTypes);
  }
}
