package io.datastream.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.testkit.kafka.TopicTally;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The count reconciliation that ends every end-to-end scenario: lines written to the log files,
 * what the agent and routers report, what the Kafka topic holds (lines, distinct identities,
 * re-sends), and what the sink committed. The committed output must equal what was written, line
 * by line, every line exactly once; Kafka must hold every written line under exactly one identity
 * (re-sends carry the same identity, and the sink drops them); nothing corrupt anywhere.
 */
public final class Tiers {
    private final String scenario;
    private final Map<String, Object> counts = new LinkedHashMap<>();
    private Long agentAcked;
    private Long agentDropped;
    private boolean agentRanThroughout;

    public Tiers(String scenario) {
        this.scenario = scenario;
    }

    /** Records a count reported by a component (printed in the reconciliation line). */
    public Tiers count(String name, Object value) {
        counts.put(name, value);
        return this;
    }

    /**
     * The agent tier: {@code ds_agent_lines_acked_total} and {@code ds_agent_dropped_lines_total}
     * of the scenario's task. Nothing may be dropped; an agent that ran through the whole scenario
     * acknowledged every line written exactly once in its count (however often it sent it), one
     * restarted during the scenario counts only since its restart (at most the lines written).
     */
    public Tiers agent(long acked, long dropped, boolean ranThroughout) {
        agentAcked = acked;
        agentDropped = dropped;
        agentRanThroughout = ranThroughout;
        counts.put(ranThroughout ? "agent.acked" : "agent.ackedSinceRestart", acked);
        counts.put("agent.dropped", dropped);
        return this;
    }

    /**
     * Checks the tiers against each other and prints one line with every count.
     *
     * @param resendsExpected whether the scenario may re-send lines into Kafka (a crash or an
     *                        outage); without failures Kafka must hold each line exactly once too
     */
    public void reconcile(List<String> written, TopicTally kafka, List<String> committed, boolean resendsExpected) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("written", written.size());
        all.putAll(counts);
        all.put("kafka.records", kafka.records());
        all.put("kafka.lines", kafka.lines());
        all.put("kafka.distinct", kafka.distinctLines());
        all.put("kafka.resent", kafka.resentLines());
        all.put("committed", committed.size());
        System.out.println("[tiers] " + scenario + ": " + all);

        assertThat(written).as("the test wrote unique lines").doesNotHaveDuplicates();
        assertThat(kafka.corruptRecords()).as("corrupt Kafka records").isZero();
        assertThat(kafka.conflicts()).as("identities with two contents").isZero();
        assertThat(kafka.distinctLines()).as("distinct lines in Kafka").isEqualTo(written.size());
        assertThat(new HashSet<>(kafka.contents().values())).as("lines in Kafka")
                .isEqualTo(new HashSet<>(written));
        if (!resendsExpected) {
            assertThat(kafka.resentLines()).as("re-sent lines without any failure").isZero();
        }
        if (agentDropped != null) {
            assertThat(agentDropped).as("lines the agent dropped").isZero();
            if (agentRanThroughout) {
                assertThat(agentAcked).as("lines the agent acknowledged").isEqualTo(written.size());
            } else {
                assertThat(agentAcked).as("lines the restarted agent acknowledged").isBetween(0L, (long) written.size());
            }
        }
        assertThat(committed).as("committed output has no duplicates").doesNotHaveDuplicates();
        assertThat(committed).as("committed output, line by line").containsExactlyInAnyOrderElementsOf(written);
    }
}
