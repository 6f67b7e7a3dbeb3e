package io.vigil.web;

/**
 * A blocking HTTP handler. It runs on its own virtual thread, so it may block on I/O, storage and
 * locks freely. It must produce a response through the exchange; an exception it throws becomes a
 * 500 unless a response was already started.
 */
@FunctionalInterface
public interface Endpoint {
  void handle(HttpExchange exchange) throws Exception;
}
