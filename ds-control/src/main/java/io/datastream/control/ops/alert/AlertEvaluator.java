package io.datastream.control.ops.alert;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluation round: every rule's value, its next state, the state (and any transition) stored,
 * and firing / resolved notified unless the rule is silenced. Run by the scheduler's one thread.
 */
final class AlertEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

    private final AlertRepository repo;
    private final Measure measure;
    private final GoneAgents gone;
    private final Notifier notifier;
    private final Clock clock;

    AlertEvaluator(AlertRepository repo, Measure measure, GoneAgents gone, Notifier notifier, Clock clock) {
        this.repo = repo;
        this.measure = measure;
        this.gone = gone;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** Evaluates every rule once; returns the transitions made. */
    int evaluate() {
        long now = clock.millis();
        gone.refresh(now);
        int transitions = 0;
        for (AlertRepository.StoredRule sr : repo.list()) {
            try {
                transitions += evaluate(sr, now) ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.warn("alert rule {} could not be evaluated: {}", sr.rule().id(), e.toString());
            }
        }
        return transitions;
    }

    private boolean evaluate(AlertRepository.StoredRule sr, long now) {
        AlertRule rule = sr.rule();
        RuleStatus st = sr.status();
        Measure.Value v = measure.of(rule, now);
        boolean breaching = v.value() > rule.threshold();
        long breachStart = st.state() == AlertState.PENDING ? st.sinceMs() : now;
        boolean held = breaching && now - breachStart >= rule.forMs();
        AlertState next = st.state().next(breaching, held);
        if (next == st.state()) {
            if (v.value() != st.value() || !v.message().equals(st.message())) {
                repo.save(rule.id(), new RuleStatus(next, st.sinceMs(), v.value(), v.message(), st.silencedUntilMs()), null);
            }
            return false;
        }
        Transition t = new Transition(rule.id(), now, st.state(), next, v.value(), v.message());
        repo.save(rule.id(), new RuleStatus(next, now, v.value(), v.message(), st.silencedUntilMs()), t).join();
        if (next.notifiedFrom(st.state())) {
            if (now < st.silencedUntilMs()) {
                LOG.info("alert {} {} (silenced until {}): {}", rule.id(), next, java.time.Instant.ofEpochMilli(st.silencedUntilMs()), v.message());
            } else {
                notifier.send(new Notification(rule, next, v.value(), v.message(), now));
            }
        }
        return true;
    }
}
