package io.datastream.agent.ship;

/** A router's "host:port". */
public record RouterAddress(String host, int port) {
    public static RouterAddress parse(String s) {
        int c = s.lastIndexOf(':');
        if (c <= 0) {
            throw new IllegalArgumentException("router address must be host:port, was '" + s + "'");
        }
        String host = s.substring(0, c);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new RouterAddress(host, Integer.parseInt(s.substring(c + 1)));
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
