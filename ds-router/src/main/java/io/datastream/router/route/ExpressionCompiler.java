package io.datastream.router.route;

import io.datastream.protocol.batch.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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
 * {@code =~} is false. {@code =~} searches (anchor with ^ and $ for a whole match).
 */
public final class ExpressionCompiler {
    private final String src;
    private final List<Token> tokens;
    private int next;

    private ExpressionCompiler(String src, List<Token> tokens) {
        this.src = src;
        this.tokens = tokens;
    }

    /** Compiles {@code source}; errors carry the 1-based position of the offending character. */
    public static Condition compile(String source) throws ExpressionException {
        ExpressionCompiler c = new ExpressionCompiler(source, Lexer.tokens(source));
        Condition result = c.or();
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

    private Condition or() throws ExpressionException {
        Condition left = and();
        while (peek().kind == Kind.OR) {
            take();
            Condition l = left;
            Condition r = and();
            left = b -> l.test(b) || r.test(b);
        }
        return left;
    }

    private Condition and() throws ExpressionException {
        Condition left = unary();
        while (peek().kind == Kind.AND) {
            take();
            Condition l = left;
            Condition r = unary();
            left = b -> l.test(b) && r.test(b);
        }
        return left;
    }

    private Condition unary() throws ExpressionException {
        Token t = peek();
        if (t.kind == Kind.NOT) {
            take();
            Condition inner = unary();
            return b -> !inner.test(b);
        }
        if (t.kind == Kind.LPAREN) {
            take();
            Condition inner = or();
            Token close = take();
            if (close.kind != Kind.RPAREN) {
                throw new ExpressionException(close.pos, "expected ')' to close the '(' at position " + t.pos + ", found " + close.describe());
            }
            return inner;
        }
        return comparison();
    }

    private Condition comparison() throws ExpressionException {
        Function<Batch, String> left = operand();
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
        Function<Batch, String> right = operand();
        boolean negate = op.kind == Kind.NE;
        return b -> {
            String l = left.apply(b);
            String r = right.apply(b);
            return negate != (l != null && l.equals(r));
        };
    }

    private Function<Batch, String> operand() throws ExpressionException {
        Token t = take();
        if (t.kind == Kind.STRING) {
            String literal = t.text;
            return b -> literal;
        }
        if (t.kind == Kind.FIELD) {
            return field(t);
        }
        throw new ExpressionException(t.pos, "expected task, host, agent, path, header.NAME or a string, found " + t.describe());
    }

    private static Function<Batch, String> field(Token t) throws ExpressionException {
        String name = t.text;
        switch (name) {
            case "task":
                return Batch::taskId;
            case "host":
                return Batch::host;
            case "agent":
                return Batch::agentId;
            case "path":
                return Batch::path;
            default:
                if (name.startsWith("header.") && name.length() > "header.".length()) {
                    String key = name.substring("header.".length());
                    return b -> b.headers().get(key);
                }
                throw new ExpressionException(t.pos, "unknown field '" + name + "' (expected task, host, agent, path or header.NAME)");
        }
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
