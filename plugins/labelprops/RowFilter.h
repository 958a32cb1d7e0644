// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace carina::labelprops {

/// A filter text that does not parse; what() names the problem and the character position.
class FilterSyntaxError : public std::runtime_error
{
public:
    FilterSyntaxError(const std::string &message, std::size_t position)
        : std::runtime_error(message), m_position(position) {}
    /// 0-based character offset of the offending token in the filter text.
    std::size_t position() const { return m_position; }

private:
    std::size_t m_position;
};

/// A row predicate over numeric columns, parsed from Dash DataTable's filter syntax.
///
/// Per-column filters (parseColumn) take what a DataTable filter cell takes for numbers:
/// `> 100`, `>= 2`, `< 5`, `<= 3`, `= 5`, `!= 5` and the word forms `gt ge lt le eq ne`, a bare
/// number (equality), plus inclusive ranges `10-50`, `10..50`, `10 to 50`; conditions combine
/// with `and`, `or`, `not` and parentheses (`> 10 and < 50`).
/// Expressions (parseExpression) name the column before each condition:
/// `area < 1000 and perimeter > 200`, `(eccentricity > 0.9 or solidity < 0.8) and area 100-500`;
/// `&&`, `||` and `!` are accepted too, and a column name may be written `{bbox-0}`.
/// `and` binds tighter than `or`. A NaN value satisfies only `!=`.
class RowFilter
{
public:
    /// The empty filter: every row passes.
    RowFilter() = default;

    /// Filter of one column (index `column` in the row passed to matches()). Blank = no filter.
    static RowFilter parseColumn(std::string_view text, int column);
    /// Filter over named columns (`columns[i]` is row value i). Blank = no filter.
    static RowFilter parseExpression(std::string_view text, const std::vector<std::string> &columns);

    bool isEmpty() const { return m_nodes.empty(); }
    /// True when the row (one value per column) passes.
    bool matches(const double *row) const { return isEmpty() || eval(m_root, row); }

    /// Node of the parsed tree (public for the parser; not part of the interface).
    struct Node
    {
        enum Kind { Compare, Range, And, Or, Not } kind = Compare;
        enum Op { Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual } op = Equal;
        int column = 0;
        double a = 0.0, b = 0.0; ///< operand, or the range's bounds
        int left = -1, right = -1;
    };

private:
    friend class FilterParser;
    bool eval(int node, const double *row) const;
    std::vector<Node> m_nodes;
    int m_root = -1;
};

} // namespace carina::labelprops
