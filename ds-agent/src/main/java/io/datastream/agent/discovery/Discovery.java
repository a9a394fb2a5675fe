package io.datastream.agent.discovery;

import io.datastream.agent.AgentConfig;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discovery thread: scans every task's globs every {@code discovery.intervalMs}, and at once
 * (50 ms debounce) when inotify (java.nio {@link WatchService}) reports a file created, moved or
 * deleted in a watched directory; forwards writes to watched files as wake-up hints. Without
 * inotify (or with {@code discovery.watch: false}) the periodic scan and the tailer's polling
 * do the job alone. Never reads file contents.
 */
public final class Discovery implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
    private static final long DEBOUNCE_MS = 50;
    private static final long MAX_WAIT_MS = 250;
    /** Write hints are collected for this long and sent as one set. */
    private static final long WRITE_COALESCE_MS = 20;

    private final AgentConfig.DiscoveryOptions options;
    private final DiscoveryListener listener;
    private final LongSupplier clock;
    private final GlobScanner scanner;
    private final PathPolicy policy;
    private final BlockingQueue<Map<String, TaskSpec>> taskUpdates = new ArrayBlockingQueue<>(16);
    private final Map<String, TaskSpec> tasks = new LinkedHashMap<>();
    private final Map<String, Long> nextScan = new HashMap<>();
    private final Map<Path, WatchKey> watched = new HashMap<>();
    /** Watched directories registered without write events (busy: their files are polled). */
    private final Set<Path> quiet = new HashSet<>();
    private Set<Path> busy = Set.of();
    private final Map<Path, Set<String>> dirTasks = new HashMap<>();
    private final Map<String, Set<Path>> taskDirs = new HashMap<>();
    private final WatchService watcher;
    private Set<Path> writes = new HashSet<>();
    private long writesDue;
    private volatile boolean running = true;
    private boolean watchLimitLogged;

    public Discovery(AgentConfig.DiscoveryOptions options, PathPolicy policy, DiscoveryListener listener, LongSupplier clockMillis) {
        this.options = options;
        this.listener = listener;
        this.clock = clockMillis;
        this.policy = policy;
        this.scanner = new GlobScanner(options.maxFilesPerTask(), policy);
        WatchService w = null;
        if (options.watch() && options.maxWatchedDirs() > 0) {
            try {
                w = FileSystems.getDefault().newWatchService();
            } catch (IOException | UnsupportedOperationException e) {
                LOG.warn("inotify is not available ({}); discovery falls back to polling every {} ms", e.getMessage(), options.intervalMs());
            }
        }
        this.watcher = w;
    }

    /** The path policy: distinct refusals per task and reason (any thread). */
    public PathPolicy policy() {
        return policy;
    }

    /** Replaces the set of tasks (any thread). Scans of changed tasks start at once. */
    public void setTasks(Map<String, TaskSpec> newTasks) {
        Map<String, TaskSpec> copy = Map.copyOf(newTasks);
        while (!taskUpdates.offer(copy)) {
            taskUpdates.poll(); // an older update is superseded by this one
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                loop();
            } catch (ClosedWatchServiceException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("discovery failed; retrying in the next round", e);
            }
        }
    }

    private void loop() throws InterruptedException {
        Map<String, TaskSpec> update = null;
        for (Map<String, TaskSpec> u; (u = taskUpdates.poll()) != null; ) {
            update = u;
        }
        if (update != null) {
            applyTasks(update);
        }
        long now = clock.getAsLong();
        long next = Long.MAX_VALUE;
        for (Map.Entry<String, Long> e : nextScan.entrySet()) {
            if (e.getValue() <= now) {
                TaskSpec spec = tasks.get(e.getKey());
                if (spec != null) {
                    scan(spec);
                }
                e.setValue(clock.getAsLong() + options.intervalMs());
            }
            next = Math.min(next, e.getValue());
        }
        long wait = Math.max(1, Math.min(MAX_WAIT_MS, next - clock.getAsLong()));
        if (!writes.isEmpty()) {
            long left = writesDue - clock.getAsLong();
            if (left <= 0) {
                listener.onWrites(writes);
                writes = new HashSet<>();
            } else {
                wait = Math.min(wait, left);
            }
        }
        if (watcher == null) {
            Map<String, TaskSpec> u = taskUpdates.poll(wait, TimeUnit.MILLISECONDS);
            if (u != null) {
                applyTasks(u);
            }
            return;
        }
        adjustWriteEvents();
        WatchKey key = watcher.poll(wait, TimeUnit.MILLISECONDS);
        while (key != null) {
            handle(key);
            key = watcher.poll();
        }
    }

    private void applyTasks(Map<String, TaskSpec> update) {
        for (Iterator<Map.Entry<String, TaskSpec>> it = tasks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, TaskSpec> e = it.next();
            if (!update.containsKey(e.getKey())) {
                it.remove();
                nextScan.remove(e.getKey());
                unwatch(e.getKey());
            }
        }
        long now = clock.getAsLong();
        for (Map.Entry<String, TaskSpec> e : update.entrySet()) {
            TaskSpec old = tasks.put(e.getKey(), e.getValue());
            if (!e.getValue().equals(old)) {
                nextScan.put(e.getKey(), now);
            }
        }
    }

    private void scan(TaskSpec spec) {
        GlobScanner.Scan s = scanner.scan(spec);
        listener.onScan(s.result());
        if (watcher != null) {
            watch(spec.id(), s.directories());
        }
    }

    private void handle(WatchKey key) {
        Path dir = (Path) key.watchable();
        boolean rescan = false;
        for (WatchEvent<?> ev : key.pollEvents()) {
            if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                rescan = true;
            } else if (ev.kind() == StandardWatchEventKinds.ENTRY_MODIFY) {
                if (writes.isEmpty()) {
                    writesDue = clock.getAsLong() + WRITE_COALESCE_MS;
                }
                writes.add(dir.resolve((Path) ev.context()));
            } else {
                rescan = true; // created, deleted, moved in or out
            }
        }
        if (!key.reset()) {
            watched.remove(dir);
            quiet.remove(dir);
            rescan = true;
        }
        if (rescan) {
            long due = clock.getAsLong() + DEBOUNCE_MS;
            for (String task : dirTasks.getOrDefault(dir, Set.of())) {
                nextScan.computeIfPresent(task, (k, v) -> Math.min(v, due));
            }
        }
    }

    /** Write events only for directories whose files are not polled continuously anyway. */
    private void adjustWriteEvents() {
        Set<Path> now = listener.busyDirectories();
        if (now == busy) {
            return;
        }
        busy = now;
        for (Path d : watched.keySet()) {
            boolean wantQuiet = now.contains(d);
            if (wantQuiet != quiet.contains(d)) {
                try {
                    if (wantQuiet) {
                        d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
                        quiet.add(d);
                    } else {
                        d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                                StandardWatchEventKinds.ENTRY_MODIFY);
                        quiet.remove(d);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("cannot re-register {}: {}", d, e.toString());
                }
            }
        }
    }

    private void watch(String task, Set<Path> dirs) {
        Set<Path> old = taskDirs.put(task, new HashSet<>(dirs));
        if (old != null) {
            for (Path d : old) {
                if (!dirs.contains(d)) {
                    release(task, d);
                }
            }
        }
        for (Path d : dirs) {
            dirTasks.computeIfAbsent(d, k -> new HashSet<>()).add(task);
            if (watched.containsKey(d)) {
                continue;
            }
            if (watched.size() >= options.maxWatchedDirs()) {
                if (!watchLimitLogged) {
                    watchLimitLogged = true;
                    LOG.warn("watching {} directories (discovery.maxWatchedDirs); others are only polled every {} ms",
                            watched.size(), options.intervalMs());
                }
                continue;
            }
            try {
                watched.put(d, d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY));
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot watch {}: {}", d, e.toString());
            }
        }
    }

    private void unwatch(String task) {
        Set<Path> dirs = taskDirs.remove(task);
        if (dirs != null) {
            for (Path d : new ArrayList<>(dirs)) {
                release(task, d);
            }
        }
    }

    private void release(String task, Path dir) {
        Set<String> users = dirTasks.get(dir);
        if (users == null) {
            return;
        }
        users.remove(task);
        if (users.isEmpty()) {
            dirTasks.remove(dir);
            WatchKey k = watched.remove(dir);
            quiet.remove(dir);
            if (k != null) {
                k.cancel();
            }
        }
    }

    /** Directories watched by inotify now (for status). */
    public int watchedDirectories() {
        return watched.size();
    }

    public List<String> taskIds() {
        return List.copyOf(tasks.keySet());
    }

    @Override
    public void close() {
        running = false;
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.debug("closing the watch service: {}", e.toString());
            }
        }
    }
}
