package modprep.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plain expressions the templates use most, read without OGNL: a variable, a chain of properties
 * ({@code run.counts.prepared}, {@code user.isAdministrator()}), a call on one of our objects
 * ({@code fmt.time(run.startedAt)}), compared with {@code == != > < >= <=} to another or to a string,
 * whole number or {@code null}, joined by {@code and}, {@code or}, {@code not}. {@link #parse} returns
 * null for anything else, which OGNL then evaluates as before. The operators mean what they mean in
 * OGNL: {@code and}/{@code or} give an operand; a comparison of values other than strings, whole
 * numbers and null is left to OGNL, as is anything an operand cannot read here.
 */
sealed interface PlainExpression {
    /** What an operand gives when it cannot be read here: the whole expression goes to OGNL. */
    Object NOT_OURS = new Object();

    /** Reads chains and calls on the template's variables. */
    interface Reader {
        /** A variable or a chain of properties and no-argument calls, or NOT_OURS. */
        Object chain(String text);

        /** A call with arguments on the value of a chain, or NOT_OURS. */
        Object call(String target, String method, Object[] arguments);
    }

    /** The value, or NOT_OURS. */
    Object value(Reader reader);

    record Chain(String text) implements PlainExpression {
        @Override
        public Object value(Reader reader) {
            return reader.chain(text);
        }
    }

    record Call(String target, String method, List<PlainExpression> arguments) implements PlainExpression {
        @Override
        public Object value(Reader reader) {
            var values = new Object[arguments.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = arguments.get(i).value(reader);
                if (values[i] == NOT_OURS) {
                    return NOT_OURS;
                }
            }
            return reader.call(target, method, values);
        }
    }

    record Literal(Object literal) implements PlainExpression {
        @Override
        public Object value(Reader reader) {
            return literal;
        }
    }

    record Compare(PlainExpression left, PlainExpression right, String operator) implements PlainExpression {
        @Override
        public Object value(Reader reader) {
            Object a = left.value(reader);
            Object b = right.value(reader);
            if (a == NOT_OURS || b == NOT_OURS) {
                return NOT_OURS;
            }
            boolean equality = operator.equals("==") || operator.equals("!=");
            if (equality && (a == null || b == null || a instanceof String && b instanceof String)) {
                return java.util.Objects.equals(a, b) == operator.equals("==");
            }
            if (!whole(a) || !whole(b)) {
                return NOT_OURS;
            }
            int order = Long.compare(((Number) a).longValue(), ((Number) b).longValue());
            return switch (operator) {
                case "==" -> order == 0;
                case "!=" -> order != 0;
                case ">" -> order > 0;
                case "<" -> order < 0;
                case ">=" -> order >= 0;
                default -> order <= 0;
            };
        }

        private static boolean whole(Object value) {
            return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
        }
    }

    record Logic(PlainExpression left, PlainExpression right, boolean and) implements PlainExpression {
        @Override
        public Object value(Reader reader) {
            Object a = left.value(reader);
            if (a == NOT_OURS || truthy(a) != and) {
                return a;
            }
            return right.value(reader);
        }
    }

    record Not(PlainExpression operand) implements PlainExpression {
        @Override
        public Object value(Reader reader) {
            Object a = operand.value(reader);
            return a == NOT_OURS ? a : !truthy(a);
        }
    }

    /** OGNL's own truth (null, false, zero, an empty string... are false), so that nothing reads differently. */
    static boolean truthy(Object value) {
        return ognl.OgnlOps.booleanValue(value);
    }

    Pattern TOKEN = Pattern.compile("\\s*(?:(==|!=|>=|<=|[><!(),])|'([^'\\\\]*)'|(\\d{1,9})(?![\\w.])"
            + "|([A-Za-z_][A-Za-z0-9_]*(?:\\(\\))?(?:\\.[A-Za-z_][A-Za-z0-9_]*(?:\\(\\))?)*))\\s*");

    /** The expression, or null when it is not a plain one. */
    static PlainExpression parse(String text) {
        var tokens = new ArrayList<String>();
        Matcher m = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at || m.end() == at) {
                return null;
            }
            tokens.add(m.group(2) != null ? "'" + m.group(2) : m.group(3) != null ? "#" + m.group(3)
                    : m.group(1) != null ? m.group(1) : m.group(4));
            at = m.end();
        }
        var parser = new Parser(tokens);
        var expression = parser.or();
        return expression != null && parser.at == tokens.size() ? expression : null;
    }

    /** Recursive descent over the tokens: or, and, not, comparison, operand. Null where it is not plain. */
    final class Parser {
        private static final List<String> COMPARISONS = List.of("==", "!=", ">=", "<=", ">", "<");
        private final List<String> tokens;
        private int at;

        private Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        private PlainExpression or() {
            var left = and();
            while (left != null && accept("or")) {
                var right = and();
                left = right == null ? null : new Logic(left, right, false);
            }
            return left;
        }

        private PlainExpression and() {
            var left = not();
            while (left != null && accept("and")) {
                var right = not();
                left = right == null ? null : new Logic(left, right, true);
            }
            return left;
        }

        private PlainExpression not() {
            if (accept("not") || accept("!")) {
                var operand = not();
                return operand == null ? null : new Not(operand);
            }
            var left = operand();
            for (String op : COMPARISONS) {
                if (left != null && accept(op)) {
                    var right = operand();
                    return right == null ? null : new Compare(left, right, op);
                }
            }
            return left;
        }

        private PlainExpression operand() {
            if (at == tokens.size()) {
                return null;
            }
            String token = tokens.get(at++);
            if (token.startsWith("'")) {
                // OGNL reads 'x', one character in single quotes, as a char: left to OGNL.
                return token.length() == 2 ? null : new Literal(token.substring(1));
            }
            if (token.startsWith("#")) {
                return new Literal(Integer.valueOf(token.substring(1)));
            }
            if (!Character.isLetter(token.charAt(0)) && token.charAt(0) != '_') {
                return null;
            }
            return switch (token) {
                case "null" -> new Literal(null);
                case "true", "false" -> new Literal(Boolean.valueOf(token));
                case "and", "or", "not" -> null;
                default -> accept("(") ? call(token) : new Chain(token);
            };
        }

        /** {@code target.method(arguments)}: a call on a chain, with plain arguments. */
        private PlainExpression call(String chain) {
            int dot = chain.lastIndexOf('.');
            if (dot < 0 || chain.endsWith(")")) {
                return null;
            }
            var arguments = new ArrayList<PlainExpression>();
            if (!accept(")")) {
                do {
                    var argument = or();
                    if (argument == null) {
                        return null;
                    }
                    arguments.add(argument);
                } while (accept(","));
                if (!accept(")")) {
                    return null;
                }
            }
            String method = chain.substring(dot + 1);
            return arguments.isEmpty() ? new Chain(chain + "()") : new Call(chain.substring(0, dot), method, arguments);
        }

        private boolean accept(String token) {
            if (at < tokens.size() && tokens.get(at).equals(token)) {
                at++;
                return true;
            }
            return false;
        }
    }
}
