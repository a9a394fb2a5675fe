package io.datastream.deploy.doctor;

/**
 * The outcome of one check.
 *
 * @param ok     whether it passed
 * @param name   what was checked, e.g. "kafka localhost:9092"
 * @param detail what was found, or for a failure the cause and what to do
 */
record Check(boolean ok, String name, String detail) {
    static Check ok(String name, String detail) {
        return new Check(true, name, detail);
    }

    static Check fail(String name, String detail) {
        return new Check(false, name, detail);
    }

    String line() {
        return (ok ? "ok    " : "FAIL  ") + name + ": " + detail;
    }
}
