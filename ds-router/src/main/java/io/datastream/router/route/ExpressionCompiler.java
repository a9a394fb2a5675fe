package io.datastream.router.route;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.datastream.protocol.batch.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Compiles rule expressions into {@link Condition}s.
 *
 * <pre>
 * expr       := or
 * or         := and ( "||" and )*
 * and        := unary ( "&amp;&amp;" unary )*
 * unary      := "!" unary | "(" expr ")" | comparison
 * comparison := operand ( "==" | "!=" ) operand  |  operand "=~" string
 * operand    := "task" | "host" | "agent" | "path" | "header." NAME | string
 * string     := '"' chars '"' | "'" chars "'"      (escapes: \" \' \\ \n \t)
 * </pre>
 *
 * A header the batch does not have equals nothing: {@code ==} is false, {@code !=} is true and
 * {@code =~} is false. {@code =~} searches (anchor with ^ and $ for a whole match), with RE2 semantics
 * (com.google.re2j): matching takes time linear in the input whatever the pattern, so an
 * operator's pattern cannot stall the event loop (no back-references or look-around).
 */
public final class ExpressionCompiler<T> {
    private final String src;
    private final List<Token> tokens;
    private final Fields<T> fields;
    private int next;

    private ExpressionCompiler(String src, List<Token> tokens, Fields<T> fields) {
        this.src = src;
        this.tokens = tokens;
        this.fields = fields;
    }

    /** Compiles {@code source} over a batch's header fields; errors carry the 1-based position of the offending character. */
    public static Condition compile(String source) throws ExpressionException {
        Predicate<Batch> p = compile(source, Fields.BATCH);
        return p::test;
    }

    /**
     * Compiles {@code source} over the fields {@code fields} names (for events: {@code header.NAME}
     * only); errors carry the 1-based position of the offending character.
     */
    public static <T> Predicate<T> compile(String source, Fields<T> fields) throws ExpressionException {
        ExpressionCompiler<T> c = new ExpressionCompiler<>(source, Lexer.tokens(source), fields);
        Predicate<T> result = c.or();
        Token t = c.peek();
        if (t.kind != Kind.END) {
            throw new ExpressionException(t.pos, "unexpected " + t.describe() + " (expected '&&', '||' or the end)");
        }
        return result;
    }

    enum Kind { LPAREN, RPAREN, AND, OR, NOT, EQ, NE, MATCH, STRING, FIELD, END }

    record Token(Kind kind, String text, int pos) {
        String describe() {
            return switch (kind) {
                case END -> "end of expression";
                case STRING -> "string \"" + text + "\"";
                default -> "'" + text + "'";
            };
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        return tokens.get(next++);
    }

    private Predicate<T> or() throws ExpressionException {
        Predicate<T> left = and();
        while (peek().kind == Kind.OR) {
            take();
            Predicate<T> l = left;
            Predicate<T> r = and();
            left = b -> l.test(b) || r.test(b);
        }
        return left;
    }

    private Predicate<T> and() throws ExpressionException {
        Predicate<T> left = unary();
        while (peek().kind == Kind.AND) {
            take();
            Predicate<T> l = left;
            Predicate<T> r = unary();
            left = b -> l.test(b) && r.test(b);
        }
        return left;
    }

    private Predicate<T> unary() throws ExpressionException {
        Token t = peek();
        if (t.kind == Kind.NOT) {
            take();
            Predicate<T> inner = unary();
            return b -> !inner.test(b);
        }
        if (t.kind == Kind.LPAREN) {
            take();
            Predicate<T> inner = or();
            Token close = take();
            if (close.kind != Kind.RPAREN) {
                throw new ExpressionException(close.pos, "expected ')' to close the '(' at position " + t.pos + ", found " + close.describe());
            }
            return inner;
        }
        return comparison();
    }

    private Predicate<T> comparison() throws ExpressionException {
        Function<T, String> left = operand();
        Token op = take();
        if (op.kind == Kind.MATCH) {
            Token re = take();
            if (re.kind != Kind.STRING) {
                throw new ExpressionException(re.pos, "'=~' needs a string with a regular expression, found " + re.describe());
            }
            Pattern p;
            try {
                p = Pattern.compile(re.text);
            } catch (PatternSyntaxException e) {
                throw new ExpressionException(re.pos, "bad regular expression: " + e.getDescription());
            }
            return b -> {
                String v = left.apply(b);
                return v != null && p.matcher(v).find();
            };
        }
        if (op.kind != Kind.EQ && op.kind != Kind.NE) {
            throw new ExpressionException(op.pos, "expected '==', '!=' or '=~', found " + op.describe());
        }
        Function<T, String> right = operand();
        boolean negate = op.kind == Kind.NE;
        return b -> {
            String l = left.apply(b);
            String r = right.apply(b);
            return negate != (l != null && l.equals(r));
        };
    }

    private Function<T, String> operand() throws ExpressionException {
        Token t = take();
        if (t.kind == Kind.STRING) {
            String literal = t.text;
            return b -> literal;
        }
        if (t.kind == Kind.FIELD) {
            return field(t);
        }
        throw new ExpressionException(t.pos, "expected " + fields.names() + " or a string, found " + t.describe());
    }

    private Function<T, String> field(Token t) throws ExpressionException {
        Function<T, String> f = fields.field(t.text);
        if (f == null) {
            throw new ExpressionException(t.pos, "unknown field '" + t.text + "' (expected " + fields.names() + ")");
        }
        return f;
    }

    @Override
    public String toString() {
        return src;
    }

    /** Splits an expression into tokens. */
    private static final class Lexer {
        private final String s;
        private int i;

        private Lexer(String s) {
            this.s = s;
        }

        static List<Token> tokens(String s) throws ExpressionException {
            Lexer lx = new Lexer(s);
            List<Token> out = new ArrayList<>();
            Token t;
            do {
                t = lx.next();
                out.add(t);
            } while (t.kind != Kind.END);
            return out;
        }

        private Token next() throws ExpressionException {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int pos = i + 1;
            if (i >= s.length()) {
                return new Token(Kind.END, "", pos);
            }
            char c = s.charAt(i);
            switch (c) {
                case '(':
                    i++;
                    return new Token(Kind.LPAREN, "(", pos);
                case ')':
                    i++;
                    return new Token(Kind.RPAREN, ")", pos);
                case '&':
                    return pair('&', Kind.AND, "&&", pos);
                case '|':
                    return pair('|', Kind.OR, "||", pos);
                case '!':
                    i++;
                    if (i < s.length() && s.charAt(i) == '=') {
                        i++;
                        return new Token(Kind.NE, "!=", pos);
                    }
                    return new Token(Kind.NOT, "!", pos);
                case '=':
                    i++;
                    if (i < s.length() && s.charAt(i) == '=') {
                        i++;
                        return new Token(Kind.EQ, "==", pos);
                    }
                    if (i < s.length() && s.charAt(i) == '~') {
                        i++;
                        return new Token(Kind.MATCH, "=~", pos);
                    }
                    throw new ExpressionException(pos, "'=' is not an operator (use '==' or '=~')");
                case '"':
                case '\'':
                    return string(c, pos);
                default:
                    if (Character.isLetter(c) || c == '_') {
                        int start = i;
                        while (i < s.length() && isNameChar(s.charAt(i))) {
                            i++;
                        }
                        return new Token(Kind.FIELD, s.substring(start, i), pos);
                    }
                    throw new ExpressionException(pos, "unexpected character '" + c + "'");
            }
        }

        private static boolean isNameChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
        }

        private Token pair(char c, Kind kind, String text, int pos) throws ExpressionException {
            if (i + 1 < s.length() && s.charAt(i + 1) == c) {
                i += 2;
                return new Token(kind, text, pos);
            }
            throw new ExpressionException(pos, "'" + c + "' is not an operator (use '" + text + "')");
        }

        private Token string(char quote, int pos) throws ExpressionException {
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == quote) {
                    return new Token(Kind.STRING, b.toString(), pos);
                }
                if (c == '\\') {
                    if (i >= s.length()) {
                        break;
                    }
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case '\\', '"', '\'' -> b.append(e);
                        // keep regex escapes such as \d as they are
                        default -> b.append('\\').append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            throw new ExpressionException(pos, "string is not closed (missing " + quote + ")");
        }
    }
}
