package io.datastream.control.inventory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One page of a filtered list sorted by id.
 *
 * @param items the page
 * @param total how many items match the filter in all
 * @param next  the cursor for the next page (the last id of this page), or null on the last page
 */
public record Page<T>(List<T> items, int total, String next) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /**
     * Filters {@code sorted} (sorted by {@code id}), keeping at most {@code limit} items whose id
     * is greater than {@code after} (null = from the start).
     */
    public static <T> Page<T> of(List<T> sorted, Function<T, String> id, Predicate<T> filter, String after, int limit) {
        int from = 0;
        if (after != null) {
            from = firstAfter(sorted, id, after);
        }
        int total = 0;
        for (int i = 0; i < from; i++) {
            if (filter.test(sorted.get(i))) {
                total++;
            }
        }
        List<T> items = new ArrayList<>(Math.min(limit, 64));
        boolean more = false;
        for (int i = from; i < sorted.size(); i++) {
            T t = sorted.get(i);
            if (!filter.test(t)) {
                continue;
            }
            total++;
            if (items.size() < limit) {
                items.add(t);
            } else {
                more = true;
            }
        }
        String next = more ? id.apply(items.get(items.size() - 1)) : null;
        return new Page<>(Collections.unmodifiableList(items), total, next);
    }

    private static <T> int firstAfter(List<T> sorted, Function<T, String> id, String after) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            String m = id.apply(sorted.get(mid));
            if (m == null || m.compareTo(after) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
