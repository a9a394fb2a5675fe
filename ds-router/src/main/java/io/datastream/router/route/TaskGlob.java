package io.datastream.router.route;

/**
 * A route's {@code task}: a task id, or a glob of task ids where {@code *} matches any run of
 * characters and {@code ?} any one ({@code nginx-*}). Task ids are at most 64 characters of
 * {@code [A-Za-z0-9._-]}, so the greedy two-pointer match below is cheap.
 */
final class TaskGlob {
    private final String glob;
    private final boolean literal;

    TaskGlob(String glob) {
        this.glob = glob;
        this.literal = glob.indexOf('*') < 0 && glob.indexOf('?') < 0;
    }

    boolean matches(String taskId) {
        if (taskId == null) {
            return false;
        }
        if (literal) {
            return glob.equals(taskId);
        }
        int g = 0;
        int t = 0;
        int star = -1;
        int afterStar = 0;
        while (t < taskId.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == taskId.charAt(t))) {
                g++;
                t++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                afterStar = t;
            } else if (star >= 0) {
                g = star + 1;
                t = ++afterStar;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
