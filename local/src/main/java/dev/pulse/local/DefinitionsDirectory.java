package dev.pulse.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A directory of definitions applied like {@code kubectl apply -f dir}, then watched: saving a
 * file creates or updates what it defines (and deletes what it no longer defines), deleting a file
 * deletes its resources. Definitions without a namespace go to {@code namespace}.
 */
final class DefinitionsDirectory implements AutoCloseable {
    /** A resource by what identifies it. */
    record Ref(String apiVersion, String kind, String namespace, String name) {
        @Override
        public String toString() {
            return kind + " " + namespace + "/" + name;
        }
    }

    private final KubernetesClient client;
    private final Path dir;
    private final String namespace;
    private final Progress progress;
    private final Map<Path, List<Ref>> applied = new HashMap<>();
    private WatchService watcher;
    private Thread thread;

    DefinitionsDirectory(KubernetesClient client, Path dir, String namespace, Progress progress) {
        this.client = client;
        this.dir = dir;
        this.namespace = namespace;
        this.progress = progress;
    }

    static boolean isDefinition(Path p) {
        String n = p.getFileName().toString();
        return (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.startsWith(".");
    }

    /** Applies every definition file, in name order (so the numbered samples go stream first). */
    synchronized int applyAll() throws IOException {
        int count = 0;
        for (Path f : files()) {
            count += apply(f);
        }
        return count;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(DefinitionsDirectory::isDefinition).filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Applies one file; returns how many resources it defines. */
    synchronized int apply(Path file) {
        List<HasMetadata> items;
        try (InputStream in = Files.newInputStream(file)) {
            items = client.load(in).items().stream().filter(Objects::nonNull).toList();
        } catch (IOException | RuntimeException e) {
            progress.error("apply", file.getFileName() + ": cannot read it: " + e.getMessage());
            return 0;
        }
        List<Ref> now = new ArrayList<>();
        for (HasMetadata item : items) {
            if (item.getMetadata().getNamespace() == null) {
                item.getMetadata().setNamespace(namespace);
            }
            Ref ref = ref(item);
            now.add(ref);
            try {
                String verb = createOrUpdate(item);
                if (verb != null) {
                    progress.step("apply", ref + " " + verb + " (" + file.getFileName() + ")");
                }
            } catch (KubernetesClientException e) {
                progress.error("apply", ref + " from " + file.getFileName() + ": " + e.getMessage());
            }
        }
        List<Ref> before = applied.getOrDefault(file, List.of());
        for (Ref gone : before) {
            if (!now.contains(gone)) {
                delete(gone, file);
            }
        }
        applied.put(file, now);
        return now.size();
    }

    private static Ref ref(HasMetadata item) {
        return new Ref(item.getApiVersion(), item.getKind(), item.getMetadata().getNamespace(), item.getMetadata().getName());
    }

    /** @return "created", "configured", or null when nothing changed */
    private String createOrUpdate(HasMetadata item) {
        for (int attempt = 0; ; attempt++) {
            HasMetadata existing = client.resource(item).get();
            try {
                if (existing == null) {
                    client.resource(item).create();
                    return "created";
                }
                if (sameDefinition(existing, item)) {
                    return null;
                }
                item.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                client.resource(item).update();
                return "configured";
            } catch (KubernetesClientException e) {
                if ((e.getCode() != 409) || attempt >= 4) {
                    throw e;
                }
            }
        }
    }

    private boolean sameDefinition(HasMetadata existing, HasMetadata item) {
        var ser = client.getKubernetesSerialization();
        Map<String, Object> a = ser.convertValue(existing, Map.class);
        Map<String, Object> b = ser.convertValue(item, Map.class);
        return Objects.equals(a.get("spec"), b.get("spec"))
                && Objects.equals(existing.getMetadata().getLabels(), item.getMetadata().getLabels())
                && Objects.equals(existing.getMetadata().getAnnotations(), item.getMetadata().getAnnotations())
                && Objects.equals(a.get("data"), b.get("data"));
    }

    private void delete(Ref ref, Path file) {
        try {
            var kind = PulseKinds.byKind(ref.kind());
            if (kind.isPresent()) {
                client.genericKubernetesResources(kind.get().context()).inNamespace(ref.namespace()).withName(ref.name()).delete();
            } else {
                client.genericKubernetesResources(ref.apiVersion(), ref.kind()).inNamespace(ref.namespace()).withName(ref.name()).delete();
            }
            progress.step("apply", ref + " deleted (" + file.getFileName() + ")");
        } catch (KubernetesClientException e) {
            progress.error("apply", "deleting " + ref + ": " + e.getMessage());
        }
    }

    /** Starts watching the directory (create/modify → apply the file, delete → delete its resources). */
    void watch() throws IOException {
        watcher = FileSystems.getDefault().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        thread = new Thread(this::loop, "definitions-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Set<Path> changed = new TreeSet<>();
                collect(key, changed);
                // editors write a file in several steps: let them finish, and take the events together
                Thread.sleep(300);
                WatchKey more;
                while ((more = watcher.poll()) != null) {
                    collect(more, changed);
                }
                for (Path f : changed) {
                    if (Files.isRegularFile(f)) {
                        apply(f);
                    } else {
                        removed(f);
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        } catch (RuntimeException e) {
            progress.error("apply", "watching " + dir + " stopped: " + e.getMessage());
        }
    }

    private void collect(WatchKey key, Set<Path> changed) {
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.context() instanceof Path p && isDefinition(p)) {
                changed.add(dir.resolve(p));
            }
        }
        key.reset();
    }

    private synchronized void removed(Path file) {
        List<Ref> refs = applied.remove(file);
        if (refs != null) {
            for (Ref r : refs) {
                delete(r, file);
            }
        }
    }

    /** Resources applied so far, by file (for the tests). */
    synchronized Map<Path, List<Ref>> applied() {
        return new LinkedHashMap<>(applied);
    }

    @Override
    public void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
