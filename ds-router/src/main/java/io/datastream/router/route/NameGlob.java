package io.datastream.router.route;

/**
 * A glob over names: a route's {@code task} ({@code nginx-*}), and the agent ids, hosts, task ids,
 * topics and certificate CNs of agent credentials. {@code *} matches any run of characters,
 * {@code ?} one character, everything else itself. Greedy two-pointer match
 * with one backtrack point; names here are at most a few hundred characters.
 */
public final class NameGlob {
    private final String glob;
    private final boolean literal;

    public NameGlob(String glob) {
        this.glob = glob;
        this.literal = glob.indexOf('*') < 0 && glob.indexOf('?') < 0;
    }

    public boolean matches(String name) {
        if (name == null) {
            return false;
        }
        if (literal) {
            return glob.equals(name);
        }
        int g = 0;
        int n = 0;
        int star = -1;
        int afterStar = 0;
        while (n < name.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == name.charAt(n))) {
                g++;
                n++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                afterStar = n;
            } else if (star >= 0) {
                g = star + 1;
                n = ++afterStar;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    public static boolean any(java.util.List<NameGlob> globs, String name) {
        for (NameGlob g : globs) {
            if (g.matches(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return glob;
    }
}
