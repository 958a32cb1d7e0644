// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "RegionTableModel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace carina::labelprops {

namespace {

bool isIntegerColumn(const QString &name)
{
    return name == QLatin1String("label") || name == QLatin1String("area") || name == QLatin1String("euler_number")
           || name.startsWith(QLatin1String("bbox-"));
}

} // namespace

RegionTableModel::RegionTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void RegionTableModel::setTable(algo::RegionTable table)
{
    beginResetModel();
    m_table = std::move(table);
    m_allColumns.clear();
    const std::vector<std::string> names = m_table.availableColumns();
    for (const std::string &n : names)
        m_allColumns.append(QString::fromStdString(n));
    const std::size_t cols = names.size();
    m_values.assign(m_table.regions.size() * cols, 0.0);
    for (std::size_t r = 0; r < m_table.regions.size(); ++r)
        for (std::size_t c = 0; c < cols; ++c)
            m_values[r * cols + c] = algo::regionValue(m_table, m_table.regions[r], names[c]);
    m_shown.clear();
    for (int c = 0; c < m_allColumns.size(); ++c)
        if (!m_hidden.contains(m_allColumns[c]))
            m_shown.push_back(c);
    m_present.clear();
    if (columnIndex(m_sortName) < 0)
        m_sortName = QStringLiteral("label");
    // Re-parse the filters against the new columns.
    const QHash<QString, QString> filters = m_columnFilterText;
    m_columnFilterText.clear();
    m_columnFilterError.clear();
    m_columnFilters.clear();
    for (auto it = filters.begin(); it != filters.end(); ++it)
        if (columnIndex(it.key()) >= 0)
            parseColumnFilter(it.key(), it.value());
    parseExpression();
    rebuildRows();
    endResetModel();
    emit tableChanged();
    emit columnsChanged();
    emit rowsChanged();
}

void RegionTableModel::setPresent(std::vector<bool> present)
{
    beginResetModel();
    m_present = std::move(present);
    rebuildRows();
    endResetModel();
    emit rowsChanged();
}

int RegionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RegionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

QString RegionTableModel::format(double value, int column) const
{
    if (std::isnan(value))
        return QStringLiteral("–");
    if (isIntegerColumn(m_allColumns[column]))
        return QString::number(qint64(value));
    return QString::number(value, 'g', 6);
}

QVariant RegionTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()) || index.column() >= int(m_shown.size()))
        return {};
    const std::size_t region = m_rows[std::size_t(index.row())];
    const int column = m_shown[std::size_t(index.column())];
    const double v = rowValues(region)[column];
    switch (role) {
    case Qt::DisplayRole:
        return format(v, column);
    case ValueRole:
        return v;
    case LabelRole:
        return int(m_table.regions[region].label);
    case SelectedRole:
        return int(m_table.regions[region].label) == m_selectedLabel;
    case ColumnNameRole:
        return m_allColumns[column];
    default:
        return {};
    }
}

QVariant RegionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return columnName(section);
    return section + 1;
}

QHash<int, QByteArray> RegionTableModel::roleNames() const
{
    return {{Qt::DisplayRole, "display"},
            {ValueRole, "value"},
            {LabelRole, "regionLabel"},
            {SelectedRole, "isSelected"},
            {ColumnNameRole, "columnName"}};
}

QStringList RegionTableModel::shownColumns() const
{
    QStringList list;
    for (int c : m_shown)
        list.append(m_allColumns[c]);
    return list;
}

QString RegionTableModel::sortColumn() const
{
    return m_sortName;
}

int RegionTableModel::totalRows() const
{
    if (m_present.empty())
        return int(m_table.regions.size());
    return int(std::count_if(m_table.regions.begin(), m_table.regions.end(), [&](const algo::RegionProperties &r) {
        return r.label >= m_present.size() || m_present[r.label];
    }));
}

void RegionTableModel::setSelectedLabel(int label)
{
    if (label == m_selectedLabel)
        return;
    m_selectedLabel = label;
    emit selectedLabelChanged();
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, int(m_shown.size()) - 1), {SelectedRole});
}

void RegionTableModel::setColumnShown(const QString &name, bool shown)
{
    const int c = columnIndex(name);
    if (c < 0 || name == QLatin1String("label") || isColumnShown(name) == shown)
        return;
    beginResetModel();
    if (shown) {
        m_hidden.removeAll(name);
        m_shown.push_back(c);
        std::sort(m_shown.begin(), m_shown.end());
    } else {
        m_hidden.append(name);
        std::erase(m_shown, c);
    }
    endResetModel();
    emit columnsChanged();
}

bool RegionTableModel::isColumnShown(const QString &name) const
{
    const int c = columnIndex(name);
    return c >= 0 && std::find(m_shown.begin(), m_shown.end(), c) != m_shown.end();
}

void RegionTableModel::sortBy(const QString &name)
{
    sortByColumn(name, name == m_sortName ? !m_sortAscending : true);
}

void RegionTableModel::sortByColumn(const QString &name, bool ascending)
{
    if (columnIndex(name) < 0)
        return;
    beginResetModel();
    m_sortName = name;
    m_sortAscending = ascending;
    rebuildRows();
    endResetModel();
    emit sortChanged();
}

QString RegionTableModel::parseColumnFilter(const QString &name, const QString &text)
{
    const int c = columnIndex(name);
    if (c < 0)
        return tr("no column \"%1\"").arg(name);
    std::erase_if(m_columnFilters, [c](const auto &f) { return f.first == c; });
    m_columnFilterError.remove(name);
    m_columnFilterText.insert(name, text);
    try {
        RowFilter filter = RowFilter::parseColumn(text.toStdString(), c);
        if (!filter.isEmpty())
            m_columnFilters.emplace_back(c, std::move(filter));
    } catch (const FilterSyntaxError &e) {
        const QString error = tr("%1 filter: %2 (at character %3)").arg(name, QString::fromUtf8(e.what())).arg(e.position() + 1);
        m_columnFilterError.insert(name, error);
        return error;
    }
    return {};
}

void RegionTableModel::parseExpression()
{
    m_expressionError.clear();
    m_expressionFilter = RowFilter();
    std::vector<std::string> names;
    for (const QString &n : m_allColumns)
        names.push_back(n.toStdString());
    try {
        m_expressionFilter = RowFilter::parseExpression(m_expression.toStdString(), names);
    } catch (const FilterSyntaxError &e) {
        m_expressionError = tr("Expression: %1 (at character %2)").arg(QString::fromUtf8(e.what())).arg(e.position() + 1);
    }
}

QString RegionTableModel::setColumnFilter(const QString &name, const QString &text)
{
    if (columnIndex(name) < 0)
        return tr("no column \"%1\"").arg(name);
    const QString error = parseColumnFilter(name, text);
    beginResetModel();
    rebuildRows();
    endResetModel();
    emit filterChanged();
    emit rowsChanged();
    return error;
}

void RegionTableModel::setExpression(const QString &expression)
{
    if (expression == m_expression)
        return;
    m_expression = expression;
    parseExpression();
    beginResetModel();
    rebuildRows();
    endResetModel();
    emit filterChanged();
    emit rowsChanged();
}

QString RegionTableModel::filterError() const
{
    QStringList errors;
    if (!m_expressionError.isEmpty())
        errors.append(m_expressionError);
    for (const QString &name : m_allColumns)
        if (m_columnFilterError.contains(name))
            errors.append(m_columnFilterError.value(name));
    return errors.join(QLatin1Char('\n'));
}

void RegionTableModel::clearFilters()
{
    m_columnFilterText.clear();
    m_columnFilterError.clear();
    m_columnFilters.clear();
    m_expression.clear();
    parseExpression();
    beginResetModel();
    rebuildRows();
    endResetModel();
    emit filterChanged();
    emit rowsChanged();
}

QString RegionTableModel::columnName(int column) const
{
    return column >= 0 && column < int(m_shown.size()) ? m_allColumns[m_shown[std::size_t(column)]] : QString();
}

int RegionTableModel::labelAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? int(m_table.regions[m_rows[std::size_t(row)]].label) : 0;
}

int RegionTableModel::rowOfLabel(int label) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (int(m_table.regions[m_rows[i]].label) == label)
            return int(i);
    return -1;
}

QVariantMap RegionTableModel::propertiesOf(int label) const
{
    QVariantMap map;
    const auto it = std::lower_bound(m_table.regions.begin(), m_table.regions.end(), label,
                                     [](const algo::RegionProperties &r, int l) { return int(r.label) < l; });
    if (it == m_table.regions.end() || int(it->label) != label)
        return map;
    const double *values = rowValues(std::size_t(it - m_table.regions.begin()));
    for (int c = 0; c < m_allColumns.size(); ++c)
        map.insert(m_allColumns[c], format(values[c], c));
    return map;
}

double RegionTableModel::valueOf(int label, const QString &name) const
{
    const int c = columnIndex(name);
    const auto it = std::lower_bound(m_table.regions.begin(), m_table.regions.end(), label,
                                     [](const algo::RegionProperties &r, int l) { return int(r.label) < l; });
    if (c < 0 || it == m_table.regions.end() || int(it->label) != label)
        return std::numeric_limits<double>::quiet_NaN();
    return rowValues(std::size_t(it - m_table.regions.begin()))[c];
}

algo::RegionTable RegionTableModel::shownTable() const
{
    algo::RegionTable out;
    out.dimensionality = m_table.dimensionality;
    out.geometry = m_table.geometry;
    out.hasIntensity = m_table.hasIntensity;
    out.regions.reserve(m_rows.size());
    for (std::size_t r : m_rows)
        out.regions.push_back(m_table.regions[r]);
    return out;
}

std::pair<double, double> RegionTableModel::shownRange(const QString &name) const
{
    const int c = columnIndex(name);
    double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
    if (c >= 0)
        for (std::size_t r : m_rows) {
            const double v = rowValues(r)[c];
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    if (lo > hi)
        return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    return {lo, hi};
}

void RegionTableModel::rebuildRows()
{
    m_rows.clear();
    for (std::size_t r = 0; r < m_table.regions.size(); ++r) {
        const std::uint32_t label = m_table.regions[r].label;
        if (!m_present.empty() && label < m_present.size() && !m_present[label])
            continue;
        const double *values = rowValues(r);
        bool pass = m_expressionFilter.matches(values);
        for (std::size_t f = 0; pass && f < m_columnFilters.size(); ++f)
            pass = m_columnFilters[f].second.matches(values);
        if (pass)
            m_rows.push_back(r);
    }
    const int c = columnIndex(m_sortName);
    if (c < 0)
        return;
    const std::size_t cols = std::size_t(m_allColumns.size());
    const bool ascending = m_sortAscending;
    // NaN rows go last whichever the order; ties keep label order.
    std::stable_sort(m_rows.begin(), m_rows.end(), [&](std::size_t a, std::size_t b) {
        const double va = m_values[a * cols + std::size_t(c)], vb = m_values[b * cols + std::size_t(c)];
        if (std::isnan(va) || std::isnan(vb))
            return !std::isnan(va) && std::isnan(vb);
        return ascending ? va < vb : va > vb;
    });
}

int RegionTableModel::columnIndex(const QString &name) const
{
    return int(m_allColumns.indexOf(name));
}

} // namespace carina::labelprops
