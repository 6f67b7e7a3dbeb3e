package io.vigil.scrape.discovery;

import io.vigil.config.FileSdConfig;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code file_sd_configs}: reads every file matching the patterns (a {@code *} may appear in the
 * last path component), reports their groups, and reads them again when a watched directory
 * changes (java.nio WatchService) and every {@code refresh_interval} regardless, since watches miss
 * changes on some file systems (NFS, some container volumes).
 *
 * <p>A file that cannot be read or parsed is logged and counted, and its previous groups stay as
 * they were: a half-written file never makes targets vanish. A file that disappears removes its
 * groups; a file with fewer groups than before removes the missing ones.
 */
public final class FileDiscoverer implements Discoverer {
  private static final Logger log = LoggerFactory.getLogger(FileDiscoverer.class);

  private final FileSdConfig config;
  private final DiscoveryMetrics metrics;
  /** Groups per file as last read successfully. */
  private final Map<Path, Integer> groupCounts = new HashMap<>();

  public FileDiscoverer(FileSdConfig config, DiscoveryMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public void run(Consumer<List<TargetGroup>> updates) throws InterruptedException {
    long refreshMs = Math.max(1, config.refreshInterval().millis());
    try (WatchService watcher = openWatcher()) {
      watchDirectories(watcher);
      refresh(updates);
      long nextRefresh = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(refreshMs);
      while (true) {
        long waitNanos = nextRefresh - System.nanoTime();
        WatchKey key = null;
        if (waitNanos > 0) {
          key = watcher == null ? sleep(waitNanos) : watcher.poll(waitNanos, TimeUnit.NANOSECONDS);
        }
        if (key != null) {
          drain(key);
          WatchKey more;
          while ((more = watcher.poll()) != null) {
            drain(more);
          }
        } else {
          nextRefresh = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(refreshMs);
        }
        watchDirectories(watcher); // directories created since the last round
        refresh(updates);
      }
    } catch (IOException | ClosedWatchServiceException e) {
      throw new IllegalStateException("file discovery watcher failed: " + e, e);
    }
  }

  private static WatchKey sleep(long nanos) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(nanos);
    return null;
  }

  private WatchService openWatcher() {
    try {
      return FileSystems.getDefault().newWatchService();
    } catch (IOException | UnsupportedOperationException e) {
      metrics.fileWatcherErrors.inc();
      log.warn("file discovery cannot watch files, relying on refresh_interval {}: {}", config.refreshInterval(), e.toString());
      return null;
    }
  }

  private final Set<Path> watched = new java.util.HashSet<>();

  private void watchDirectories(WatchService watcher) {
    if (watcher == null) {
      return;
    }
    for (String pattern : config.files()) {
      Path dir = Path.of(pattern).toAbsolutePath().getParent();
      if (dir == null || watched.contains(dir) || !Files.isDirectory(dir)) {
        continue;
      }
      try {
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
        watched.add(dir);
      } catch (IOException e) {
        metrics.fileWatcherErrors.inc();
        log.warn("file discovery cannot watch directory {}: {}", dir, e.toString());
      }
    }
  }

  private static void drain(WatchKey key) {
    key.pollEvents();
    key.reset();
  }

  /** Reads all matching files and reports their groups. Package-private for tests. */
  void refresh(Consumer<List<TargetGroup>> updates) {
    long start = System.nanoTime();
    Set<Path> files = matchingFiles();
    List<TargetGroup> out = new ArrayList<>();
    Map<Path, Integer> counts = new HashMap<>();
    for (Path file : files) {
      try {
        List<TargetGroup> groups = TargetGroupFile.read(file);
        out.addAll(groups);
        counts.put(file, groups.size());
        Integer before = groupCounts.get(file);
        for (int i = groups.size(); before != null && i < before; i++) {
          out.add(TargetGroup.removed(file + ":" + i));
        }
      } catch (IOException | RuntimeException e) {
        metrics.fileReadErrors.inc();
        log.error("file discovery: error reading {}, keeping its previous targets: {}", file, e.getMessage());
        Integer before = groupCounts.get(file);
        if (before != null) {
          counts.put(file, before); // its groups stay as last reported
        }
      }
    }
    for (Map.Entry<Path, Integer> e : groupCounts.entrySet()) {
      if (!counts.containsKey(e.getKey())) {
        for (int i = 0; i < e.getValue(); i++) {
          out.add(TargetGroup.removed(e.getKey() + ":" + i));
        }
      }
    }
    groupCounts.clear();
    groupCounts.putAll(counts);
    metrics.fileScanDuration.observe((System.nanoTime() - start) / 1e9);
    updates.accept(out);
  }

  /** Files matching any pattern, sorted, each once. */
  private Set<Path> matchingFiles() {
    Set<Path> out = new LinkedHashSet<>();
    for (String pattern : config.files()) {
      Path p = Path.of(pattern);
      String name = p.getFileName().toString();
      if (name.indexOf('*') < 0 && name.indexOf('?') < 0 && name.indexOf('[') < 0) {
        if (Files.isRegularFile(p)) {
          out.add(p);
        }
        continue;
      }
      Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
      if (!Files.isDirectory(dir)) {
        continue;
      }
      TreeSet<Path> sorted = new TreeSet<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, name)) {
        for (Path f : ds) {
          if (Files.isRegularFile(f)) {
            sorted.add(f);
          }
        }
      } catch (IOException e) {
        metrics.fileReadErrors.inc();
        log.error("file discovery: cannot list {}: {}", dir, e.toString());
      }
      out.addAll(sorted);
    }
    return out;
  }
}
