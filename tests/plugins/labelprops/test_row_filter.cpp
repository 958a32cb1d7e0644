// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The DataTable filter syntax of the region table: per-column filters, combined expressions and
// the messages for filters that do not parse.
#include "RowFilter.h"

#include <QtTest>

#include <cmath>
#include <limits>

using carina::labelprops::FilterSyntaxError;
using carina::labelprops::RowFilter;

namespace {

const std::vector<std::string> kColumns{"label", "area", "perimeter", "bbox-0", "eccentricity"};

bool passes(const RowFilter &f, std::initializer_list<double> row)
{
    const std::vector<double> v(row);
    return f.matches(v.data());
}

// The parse error for `text` as an expression ("" when it parses).
QString expressionError(const char *text, std::size_t *position = nullptr)
{
    try {
        RowFilter::parseExpression(text, kColumns);
    } catch (const FilterSyntaxError &e) {
        if (position)
            *position = e.position();
        return QString::fromUtf8(e.what());
    }
    return {};
}

QString columnError(const char *text)
{
    try {
        RowFilter::parseColumn(text, 0);
    } catch (const FilterSyntaxError &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestRowFilter : public QObject
{
    Q_OBJECT

private slots:
    void column_filters_take_the_datatable_operators()
    {
        struct Case { const char *text; double value; bool pass; };
        const Case cases[] = {
            {"> 100", 101, true},   {"> 100", 100, false},  {">= 100", 100, true}, {"< 5", 4.9, true},
            {"<= 3", 3, true},      {"<= 3", 3.5, false},   {"eq 5", 5, true},     {"eq 5", 5.5, false},
            {"= 5", 5, true},       {"== 5", 4, false},     {"5", 5, true},        {"5", 6, false},
            {"ne 5", 4, true},      {"!= 5", 5, false},     {"gt 2", 3, true},     {"GE 2", 2, true},
            {"lt 2", 2, false},     {"le 2", 2, true},      {"10-50", 10, true},   {"10-50", 50, true},
            {"10-50", 50.5, false}, {"10 - 50", 9, false},  {"10..50", 30, true},  {"10 to 50", 51, false},
            {"-5..-2", -3, true},   {"-5--2", -1, false},   {"> -1.5e2", -100, true}, {"> 1e3", 999, false},
            {"> 10 and < 20", 15, true}, {"> 10 and < 20", 25, false}, {"< 10 or > 20", 25, true},
            {"not 3-4", 3.5, false}, {"(< 1 or > 9) and != 10", 10, false}, {".5", 0.5, true},
            {"   ", 123, true},
        };
        for (const Case &c : cases) {
            const RowFilter f = RowFilter::parseColumn(c.text, 0);
            QVERIFY2(passes(f, {c.value}) == c.pass, qPrintable(QStringLiteral("%1 on %2").arg(c.text).arg(c.value)));
        }
    }

    void a_filter_applies_to_its_own_column()
    {
        const RowFilter f = RowFilter::parseColumn("> 10", 2);
        QVERIFY(passes(f, {0, 0, 11}));
        QVERIFY(!passes(f, {100, 100, 9}));
    }

    void expressions_combine_named_columns()
    {
        const RowFilter f = RowFilter::parseExpression("area < 1000 and perimeter > 200", kColumns);
        QVERIFY(passes(f, {1, 999, 201, 0, 0}));
        QVERIFY(!passes(f, {1, 1000, 201, 0, 0}));
        QVERIFY(!passes(f, {1, 999, 200, 0, 0}));

        // and binds tighter than or
        const RowFilter g = RowFilter::parseExpression("label = 1 or area > 10 and perimeter > 10", kColumns);
        QVERIFY(passes(g, {1, 0, 0, 0, 0}));
        QVERIFY(!passes(g, {2, 11, 0, 0, 0}));
        QVERIFY(passes(g, {2, 11, 11, 0, 0}));
        const RowFilter h = RowFilter::parseExpression("(label = 1 || area > 10) && perimeter > 10", kColumns);
        QVERIFY(!passes(h, {1, 0, 0, 0, 0}));

        // dashed names, braces, ranges and word operators inside an expression
        const RowFilter k = RowFilter::parseExpression("bbox-0 10-20 and {eccentricity} ge 0.5 and not label eq 3", kColumns);
        QVERIFY(passes(k, {1, 0, 0, 15, 0.5}));
        QVERIFY(!passes(k, {3, 0, 0, 15, 0.5}));
        QVERIFY(!passes(k, {1, 0, 0, 21, 0.5}));
        QVERIFY(RowFilter::parseExpression("", kColumns).isEmpty());
        QVERIFY(RowFilter::parseExpression("AREA > 1", kColumns).matches(std::vector<double>{0, 2, 0, 0, 0}.data()));
    }

    void nan_passes_only_not_equal()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QVERIFY(!passes(RowFilter::parseColumn("> 0", 0), {nan}));
        QVERIFY(!passes(RowFilter::parseColumn("<= 0", 0), {nan}));
        QVERIFY(!passes(RowFilter::parseColumn("0-10", 0), {nan}));
        QVERIFY(passes(RowFilter::parseColumn("!= 0", 0), {nan}));
    }

    void malformed_filters_say_what_is_wrong()
    {
        std::size_t position = 0;
        QVERIFY(expressionError("area <", &position).contains("expected a number after \"<\""));
        QCOMPARE(position, std::size_t(6));
        QVERIFY(expressionError("volume > 3", &position).contains("unknown column \"volume\""));
        QCOMPARE(position, std::size_t(0));
        QVERIFY(expressionError("area < 1000 perimeter > 200").contains("join conditions with \"and\""));
        QVERIFY(expressionError("(area > 1").contains("never closed"));
        QVERIFY(expressionError("area > 1)").contains("unexpected \")\""));
        QVERIFY(expressionError("area > 1 and").contains("expected a column name, found the end"));
        QVERIFY(expressionError("area >> 3").contains("expected a number"));
        QVERIFY(expressionError("area > 3 # x").contains("unexpected character \"#\""));
        QVERIFY(expressionError("{area > 3").contains("closing"));
        QVERIFY(expressionError("> 3").contains("expected a column name"));
        QVERIFY(expressionError("area 50-10").contains("below its start"));
        QVERIFY(expressionError("area > 1.2.3").contains("not a number"));
        QVERIFY(columnError("abc").contains("expected a comparison"));
        QVERIFY(columnError("> ").contains("expected a number"));
        QVERIFY(columnError("10-").contains("range"));
        QVERIFY(columnError("eq").contains("expected a number"));
        QVERIFY(columnError("5 5").contains("unexpected"));
        QVERIFY(columnError("((((").contains("expected"));
    }
};

QTEST_APPLESS_MAIN(TestRowFilter)
#include "test_row_filter.moc"
