package io.datastream.it.docker;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Whether the suite can run: a Docker daemon must answer, and Testcontainers must be kept from
 * pulling its Ryuk image. Otherwise the suite is skipped (disabled, with the reason in the test
 * report and on stdout), unless {@code DS_DOCKER_REQUIRED=1} is set (CI): then it fails.
 */
final class DockerRequirement implements ExecutionCondition {
    static final String REQUIRED_ENV = "DS_DOCKER_REQUIRED";
    private static volatile String problem;
    private static volatile boolean checked;

    static boolean required() {
        String v = System.getenv(REQUIRED_ENV);
        return "1".equals(v) || "true".equalsIgnoreCase(v);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String p = problem();
        if (p == null || required()) {
            return ConditionEvaluationResult.enabled(p == null ? "Docker answers" : "Docker is required (" + REQUIRED_ENV + "=1)");
        }
        String reason = p + ": container suite skipped (set " + REQUIRED_ENV + "=1 to make this a failure)";
        System.out.println("[docker] " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    /** Fails when Docker is required and missing (the condition above skips the suite otherwise). */
    static void check() {
        String p = problem();
        if (p != null) {
            Assertions.fail(p + " (" + REQUIRED_ENV + "=1: the container suite must run)");
        }
    }

    private static synchronized String problem() {
        if (!checked) {
            problem = findProblem();
            checked = true;
        }
        return problem;
    }

    private static String findProblem() {
        if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            // Ryuk is an image from a registry; this suite only uses locally built images
            return "TESTCONTAINERS_RYUK_DISABLED=true is not set (the parent pom's failsafe configuration sets it)";
        }
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return null;
            }
        } catch (RuntimeException e) {
            // the same as no daemon
        }
        return "Docker is not available (no daemon answers at DOCKER_HOST or /var/run/docker.sock)";
    }
}
