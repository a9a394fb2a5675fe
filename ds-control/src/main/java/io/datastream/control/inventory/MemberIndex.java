package io.datastream.control.inventory;

import io.datastream.registry.member.MemberDirectory;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link MemberDirectory} (kept up to date by a ZooKeeper watch) seen as a list sorted by id,
 * for filtering and cursor paging. The sorted snapshot is rebuilt only when the directory changed
 * since the last one, on the first request that needs it.
 */
public final class MemberIndex<T> implements AutoCloseable {
    private final MemberDirectory<T> directory;
    private final Function<T, String> id;
    private final Comparator<T> order;
    private final AtomicLong changes = new AtomicLong();
    private volatile Snapshot<T> snapshot = new Snapshot<>(-1, List.of());

    private record Snapshot<T>(long changes, List<T> items) {
    }

    public MemberIndex(MemberDirectory<T> directory, Function<T, String> id) {
        this.directory = directory;
        this.id = id;
        this.order = Comparator.comparing(id, Comparator.nullsFirst(Comparator.naturalOrder()));
        directory.addListener(changes::incrementAndGet);
    }

    public MemberIndex<T> start() {
        directory.start();
        return this;
    }

    /** Every member, sorted by id (an immutable snapshot). */
    public List<T> sorted() {
        long c = changes.get();
        Snapshot<T> s = snapshot;
        if (s.changes() == c) {
            return s.items();
        }
        List<T> items = directory.members();
        items.removeIf(t -> id.apply(t) == null);
        items.sort(order);
        Snapshot<T> fresh = new Snapshot<>(c, List.copyOf(items));
        snapshot = fresh;
        return fresh.items();
    }

    /** One member by id, or null. */
    public T get(String memberId) {
        return directory.get(memberId);
    }

    public int size() {
        return directory.size();
    }

    /** The id of a member. */
    public String idOf(T member) {
        return id.apply(member);
    }

    @Override
    public void close() {
        directory.close();
    }
}
