package io.vigil.push;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.testkit.MemoryStorage;
import io.vigil.web.Router;
import io.vigil.web.WebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The child process of {@link CrashTest}: the push service with its journal in {@code args[0]},
 * served on two loopback ports (main, drop-in) that it writes to {@code args[1]}, until killed.
 */
public final class PushCrashMain {
  private PushCrashMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path portFile = Path.of(args[1]);
    PrometheusRegistry registry = new PrometheusRegistry();
    PushService service = PushService.open(PushOptions.defaults(dir), registry);
    service.start(new MemoryStorage(), Duration.ofMillis(500));
    Router main = new Router();
    service.registerRoutes(main);
    Router gateway = new Router();
    service.registerPushgatewayRoutes(gateway, registry);
    WebServer mainServer = new WebServer(PushServer.webOptions(), main, registry);
    WebServer gatewayServer = new WebServer(PushServer.webOptions(), gateway, new PrometheusRegistry());
    mainServer.start();
    gatewayServer.start();
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, mainServer.port() + " " + gatewayServer.port());
    Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join();
  }
}
