package io.datastream.agent.tail;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Matches a multiline start pattern against the first bytes of a line, decoded as UTF-8 (bad
 * bytes become U+FFFD), with RE2/J's {@link Matcher#find()} (linear time whatever the operator's
 * pattern): anchor the pattern with {@code ^} to match at the line start. Reuses its decoder, buffers and matcher: nothing is allocated per line.
 */
final class StartMatcher {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final CharBuffer chars = CharBuffer.allocate(LineRules.START_PREFIX_BYTES + 8);
    private final Matcher matcher;
    private byte[] wrapped;
    private ByteBuffer bytes;

    StartMatcher(Pattern pattern) {
        this.matcher = pattern.matcher("");
    }

    boolean matches(byte[] buf, int index, int length) {
        if (buf != wrapped) {
            wrapped = buf;
            bytes = ByteBuffer.wrap(buf);
        }
        bytes.limit(index + length).position(index);
        chars.clear();
        decoder.reset();
        decoder.decode(bytes, chars, true);
        decoder.flush(chars);
        chars.flip();
        matcher.reset(chars);
        return matcher.find();
    }
}
