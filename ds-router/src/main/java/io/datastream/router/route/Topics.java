package io.datastream.router.route;

/** Kafka's topic name rule, checked before a name reaches the producer. */
public final class Topics {
    public static final String RULE = "1 to 249 characters of a-z, A-Z, 0-9, '.', '_' and '-', not '.' or '..'";

    private Topics() {
    }

    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > 249 || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
