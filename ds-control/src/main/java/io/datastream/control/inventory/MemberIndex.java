package io.datastream.control.inventory;

import io.datastream.registry.member.MemberDirectory;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link MemberDirectory} (kept up to date by a ZooKeeper watch) seen as a list sorted by id,
 * for filtering and cursor paging. The sorted snapshot is rebuilt only when the directory changed
 * since the last one, on the first request that needs it. Members whose node goes away are kept
 * as {@link #down()} for a bounded time.
 */
public final class MemberIndex<T> implements AutoCloseable {
    private final MemberDirectory<T> directory;
    private final Function<T, String> id;
    private final Comparator<T> order;
    private final AtomicLong changes = new AtomicLong();
    private final DownMembers<T> down;
    private volatile Snapshot<T> snapshot = new Snapshot<>(-1, List.of());

    private record Snapshot<T>(long changes, List<T> items) {
    }

    public MemberIndex(MemberDirectory<T> directory, Function<T, String> id) {
        this(directory, id, Clock.systemUTC());
    }

    /** @param clock control's clock, for when members went down */
    public MemberIndex(MemberDirectory<T> directory, Function<T, String> id, Clock clock) {
        this.directory = directory;
        this.down = new DownMembers<>(clock);
        directory.addRemovalListener(down::wentDown);
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

    /** The members that went away while control watched and are not back, sorted by id (see {@link DownMembers}). */
    public List<DownMembers.Down<T>> down() {
        return down.sorted(memberId -> directory.get(memberId) != null);
    }

    /** Down members forgotten early because more than {@link DownMembers#MAX} were down. */
    public long downForgotten() {
        return down.forgottenOverCap();
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
