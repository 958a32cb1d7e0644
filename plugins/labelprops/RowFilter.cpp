// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "RowFilter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

namespace carina::labelprops {

namespace {

struct Token
{
    enum Kind { End, Number, Word, Symbol } kind = End;
    std::string text; ///< Word: lower-cased unless braced; Symbol: the operator
    double number = 0.0;
    std::size_t position = 0;
    bool braced = false;
};

bool wordChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::vector<Token> tokenize(std::string_view s)
{
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
            continue;
        }
        Token t;
        t.position = i;
        if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
            // No sign here: '-' is its own token so "10-50" reads as a range.
            std::size_t j = i;
            while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || (s[j] == '.' && !(j + 1 < s.size() && s[j + 1] == '.'))))
                ++j;
            if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
                std::size_t k = j + 1;
                if (k < s.size() && (s[k] == '+' || s[k] == '-'))
                    ++k;
                if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
                    while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k])))
                        ++k;
                    j = k;
                }
            }
            const auto r = std::from_chars(s.data() + i, s.data() + j, t.number);
            if (r.ec != std::errc() || r.ptr != s.data() + j)
                throw FilterSyntaxError("\"" + std::string(s.substr(i, j - i)) + "\" is not a number", i);
            t.kind = Token::Number;
            t.text = std::string(s.substr(i, j - i));
            i = j;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            // Column names hold '-' before a digit (bbox-0, centroid-1).
            std::size_t j = i;
            while (j < s.size() && (wordChar(s[j]) || (s[j] == '-' && j + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[j + 1]))
                                                       && j > i && std::isalpha(static_cast<unsigned char>(s[j - 1])))))
                ++j;
            t.kind = Token::Word;
            t.text = std::string(s.substr(i, j - i));
            std::transform(t.text.begin(), t.text.end(), t.text.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
            i = j;
        } else if (c == '{') {
            const std::size_t close = s.find('}', i);
            if (close == std::string_view::npos)
                throw FilterSyntaxError("\"{\" without a closing \"}\"", i);
            t.kind = Token::Word;
            t.braced = true;
            t.text = std::string(s.substr(i + 1, close - i - 1));
            i = close + 1;
        } else {
            static constexpr std::string_view two[] = {"<=", ">=", "==", "!=", "&&", "||", ".."};
            t.kind = Token::Symbol;
            bool found = false;
            for (std::string_view op : two)
                if (s.substr(i, 2) == op) {
                    t.text = std::string(op);
                    i += 2;
                    found = true;
                    break;
                }
            if (!found) {
                if (std::string_view("<>=!()-+").find(c) == std::string_view::npos)
                    throw FilterSyntaxError(std::string("unexpected character \"") + c + "\"", i);
                t.text = std::string(1, c);
                ++i;
            }
        }
        tokens.push_back(std::move(t));
    }
    Token end;
    end.position = s.size();
    tokens.push_back(end);
    return tokens;
}

std::string describe(const Token &t)
{
    return t.kind == Token::End ? std::string("the end") : "\"" + t.text + "\"";
}

} // namespace

// Recursive descent over the token list; every node goes into the filter's flat vector.
class FilterParser
{
public:
    FilterParser(std::string_view text, const std::vector<std::string> *columns, int fixedColumn)
        : m_tokens(tokenize(text)), m_columns(columns), m_fixedColumn(fixedColumn) {}

    RowFilter parse()
    {
        if (peek().kind == Token::End)
            return m_filter; // blank: no filter
        m_filter.m_root = parseOr();
        if (peek().kind != Token::End)
            throw FilterSyntaxError("unexpected " + describe(peek()) + (m_columns ? " (join conditions with \"and\" / \"or\")" : ""),
                                    peek().position);
        return m_filter;
    }

private:
    const Token &peek() const { return m_tokens[m_pos]; }
    Token take() { return m_tokens[m_pos++]; }
    bool acceptWord(std::string_view w)
    {
        if (peek().kind == Token::Word && !peek().braced && peek().text == w) {
            ++m_pos;
            return true;
        }
        return false;
    }
    bool acceptSymbol(std::string_view s)
    {
        if (peek().kind == Token::Symbol && peek().text == s) {
            ++m_pos;
            return true;
        }
        return false;
    }
    int add(const RowFilter::Node &n)
    {
        m_filter.m_nodes.push_back(n);
        return int(m_filter.m_nodes.size()) - 1;
    }
    int binary(RowFilter::Node::Kind kind, int left, int right)
    {
        RowFilter::Node n;
        n.kind = kind;
        n.left = left;
        n.right = right;
        return add(n);
    }

    int parseOr()
    {
        int left = parseAnd();
        while (acceptWord("or") || acceptSymbol("||"))
            left = binary(RowFilter::Node::Or, left, parseAnd());
        return left;
    }
    int parseAnd()
    {
        int left = parseUnary();
        while (acceptWord("and") || acceptSymbol("&&"))
            left = binary(RowFilter::Node::And, left, parseUnary());
        return left;
    }
    int parseUnary()
    {
        if (acceptWord("not") || acceptSymbol("!"))
            return binary(RowFilter::Node::Not, parseUnary(), -1);
        if (peek().kind == Token::Symbol && peek().text == "(") {
            const std::size_t open = take().position;
            const int inner = parseOr();
            if (!acceptSymbol(")"))
                throw FilterSyntaxError("\"(\" at position " + std::to_string(open + 1) + " is never closed", peek().position);
            return inner;
        }
        int column = m_fixedColumn;
        if (m_columns) {
            const Token t = peek();
            if (t.kind != Token::Word)
                throw FilterSyntaxError("expected a column name, found " + describe(t), t.position);
            ++m_pos;
            const auto it = std::find(m_columns->begin(), m_columns->end(), t.text);
            if (it == m_columns->end())
                throw FilterSyntaxError("unknown column \"" + t.text + "\"", t.position);
            column = int(it - m_columns->begin());
        }
        return parseCondition(column);
    }

    std::optional<double> maybeValue()
    {
        const std::size_t save = m_pos;
        double sign = 1.0;
        if (acceptSymbol("-"))
            sign = -1.0;
        else
            acceptSymbol("+");
        if (peek().kind == Token::Number)
            return sign * take().number;
        if (peek().kind == Token::Word && !peek().braced && (peek().text == "inf" || peek().text == "infinity")) {
            ++m_pos;
            return sign * HUGE_VAL;
        }
        m_pos = save;
        return std::nullopt;
    }
    double value(const std::string &after)
    {
        if (const auto v = maybeValue())
            return *v;
        throw FilterSyntaxError("expected a number " + after + ", found " + describe(peek()), peek().position);
    }

    int parseCondition(int column)
    {
        using Node = RowFilter::Node;
        struct Spelling { std::string_view text; bool word; Node::Op op; };
        static constexpr Spelling ops[] = {
            {"<=", false, Node::LessEqual}, {">=", false, Node::GreaterEqual}, {"<", false, Node::Less},
            {">", false, Node::Greater},    {"==", false, Node::Equal},        {"=", false, Node::Equal},
            {"!=", false, Node::NotEqual},  {"le", true, Node::LessEqual},     {"ge", true, Node::GreaterEqual},
            {"lt", true, Node::Less},       {"gt", true, Node::Greater},       {"eq", true, Node::Equal},
            {"ne", true, Node::NotEqual}};
        const Token t = peek();
        for (const Spelling &s : ops) {
            if ((s.word ? t.kind == Token::Word && !t.braced : t.kind == Token::Symbol) && t.text == s.text) {
                ++m_pos;
                Node n;
                n.kind = Node::Compare;
                n.op = s.op;
                n.column = column;
                n.a = value("after \"" + t.text + "\"");
                return add(n);
            }
        }
        const auto first = maybeValue();
        if (!first)
            throw FilterSyntaxError("expected a comparison (>, <=, eq, ...), a number or a range, found " + describe(t), t.position);
        Node n;
        n.column = column;
        if (acceptSymbol("-") || acceptSymbol("..") || acceptWord("to")) {
            n.kind = Node::Range;
            n.a = *first;
            n.b = value("after the range's start");
            if (n.b < n.a)
                throw FilterSyntaxError("the range's end is below its start", t.position);
        } else {
            n.kind = Node::Compare;
            n.op = Node::Equal;
            n.a = *first;
        }
        return add(n);
    }

    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    const std::vector<std::string> *m_columns;
    int m_fixedColumn;
    RowFilter m_filter;
};

RowFilter RowFilter::parseColumn(std::string_view text, int column)
{
    return FilterParser(text, nullptr, column).parse();
}

RowFilter RowFilter::parseExpression(std::string_view text, const std::vector<std::string> &columns)
{
    return FilterParser(text, &columns, 0).parse();
}

bool RowFilter::eval(int index, const double *row) const
{
    const Node &n = m_nodes[std::size_t(index)];
    switch (n.kind) {
    case Node::And:
        return eval(n.left, row) && eval(n.right, row);
    case Node::Or:
        return eval(n.left, row) || eval(n.right, row);
    case Node::Not:
        return !eval(n.left, row);
    case Node::Range: {
        const double v = row[n.column];
        return v >= n.a && v <= n.b;
    }
    case Node::Compare:
        break;
    }
    const double v = row[n.column];
    switch (n.op) {
    case Node::Less: return v < n.a;
    case Node::LessEqual: return v <= n.a;
    case Node::Greater: return v > n.a;
    case Node::GreaterEqual: return v >= n.a;
    case Node::Equal: return v == n.a;
    case Node::NotEqual: return !(v == n.a);
    }
    return false;
}

} // namespace carina::labelprops
