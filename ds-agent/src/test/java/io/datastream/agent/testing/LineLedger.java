package io.datastream.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.protocol.envelope.LineIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every line delivered, by identity, with checks that matter to users: nothing missing, no
 * identity carrying two different contents, duplicates only as re-sends of the same identity.
 */
public final class LineLedger {
    private final Map<LineIdentity, String> byIdentity = new HashMap<>();
    private final Map<String, Integer> contentCount = new HashMap<>();
    private final List<String> conflicts = new ArrayList<>();
    private final List<LineIdentity> duplicated = new ArrayList<>();
    private long deliveries;
    private long duplicates;

    public synchronized void add(String task, String agent, long fingerprint, long offset, byte[] content) {
        add(new LineIdentity(task, agent, fingerprint, offset), new String(content, StandardCharsets.UTF_8));
    }

    public synchronized void add(LineIdentity id, String content) {
        deliveries++;
        String old = byIdentity.putIfAbsent(id, content);
        if (old == null) {
            contentCount.merge(content, 1, Integer::sum);
        } else {
            duplicates++;
            if (duplicated.size() < 1_000_000) {
                duplicated.add(id);
            }
            if (!old.equals(content)) {
                conflicts.add(id + ": '" + old + "' then '" + content + "'");
            }
        }
    }

    public synchronized int distinctLines() {
        return byIdentity.size();
    }

    public synchronized long deliveries() {
        return deliveries;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    /** Identities delivered more than once (re-sends). */
    public synchronized List<LineIdentity> duplicatedIdentities() {
        return new ArrayList<>(duplicated);
    }

    public synchronized Set<String> contents() {
        return new HashSet<>(contentCount.keySet());
    }

    public synchronized boolean containsAll(Collection<String> expected) {
        return contentCount.keySet().containsAll(expected);
    }

    public synchronized List<String> missing(Collection<String> expected) {
        List<String> out = new ArrayList<>();
        for (String e : expected) {
            if (!contentCount.containsKey(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Every expected line arrived; identities never conflict; and each expected line has
     * exactly one identity (a re-read of a file under a new identity would be a duplicate the
     * sink cannot drop).
     */
    public synchronized void assertExactlyOnceAfterDedup(Collection<String> expected) {
        assertThat(conflicts).as("identities with two contents").isEmpty();
        assertThat(missing(expected)).as("lines never delivered").isEmpty();
        Map<String, Integer> extra = new HashMap<>();
        for (String e : expected) {
            int n = contentCount.getOrDefault(e, 0);
            if (n != 1) {
                extra.put(e, n);
            }
        }
        assertThat(extra).as("lines delivered under more than one identity").isEmpty();
    }

    public synchronized void assertNoConflicts() {
        assertThat(conflicts).as("identities with two contents").isEmpty();
    }
}
