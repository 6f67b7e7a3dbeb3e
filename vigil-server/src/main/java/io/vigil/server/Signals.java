package io.vigil.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Unix signals, as Prometheus handles them: SIGTERM and SIGINT stop gracefully (and the process then
 * exits 0, not the JVM's 143), SIGHUP reloads the configuration. sun.misc.Signal is the supported
 * JDK API for this (module jdk.unsupported; it is not Unsafe).
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  static void install(VigilServer server) {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), sig -> {
        log.atInfo().addKeyValue("signal", "SIG" + sig.getName()).log("Received signal, exiting gracefully...");
        server.requestStop();
      });
    }
    Signal.handle(new Signal("HUP"), sig -> Thread.ofVirtual().name("config-reload").start(() -> server.reloadConfig()));
  }
}
