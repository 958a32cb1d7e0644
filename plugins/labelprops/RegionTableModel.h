// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include "RowFilter.h"

#include <carina/algo/RegionProperties.h>

#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>
#include <QVariantMap>

#include <cstdint>
#include <vector>

namespace carina::labelprops {

/// The region-properties table as a QML TableView sees it: the shown columns of the rows that
/// pass the filters, sorted by one column.
///
/// Filters: one per column in DataTable syntax (RowFilter::parseColumn) and one combined
/// expression (RowFilter::parseExpression); a filter that does not parse is not applied and its
/// message is in filterError. Rows of deleted labels (setPresent) are hidden.
class RegionTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_PROPERTY(QStringList allColumns READ allColumns NOTIFY tableChanged)
    Q_PROPERTY(QStringList shownColumns READ shownColumns NOTIFY columnsChanged)
    Q_PROPERTY(QString sortColumn READ sortColumn NOTIFY sortChanged)
    Q_PROPERTY(bool sortAscending READ sortAscending NOTIFY sortChanged)
    Q_PROPERTY(QString expression READ expression WRITE setExpression NOTIFY filterChanged)
    Q_PROPERTY(QString filterError READ filterError NOTIFY filterChanged)
    Q_PROPERTY(int shownRows READ shownRows NOTIFY rowsChanged)
    Q_PROPERTY(int totalRows READ totalRows NOTIFY rowsChanged)
    Q_PROPERTY(int selectedLabel READ selectedLabel WRITE setSelectedLabel NOTIFY selectedLabelChanged)

public:
    enum Role { ValueRole = Qt::UserRole + 1, LabelRole, SelectedRole, ColumnNameRole };

    explicit RegionTableModel(QObject *parent = nullptr);

    /// Replaces the table; keeps the filters, sorting and column choice that still apply.
    void setTable(algo::RegionTable table);
    const algo::RegionTable &table() const { return m_table; }
    /// present[label] false hides that label's row (deleted from the layer); empty = all present.
    void setPresent(std::vector<bool> present);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QStringList allColumns() const { return m_allColumns; }
    QStringList shownColumns() const;
    QString sortColumn() const;
    bool sortAscending() const { return m_sortAscending; }
    QString expression() const { return m_expression; }
    void setExpression(const QString &expression);
    QString filterError() const;
    int shownRows() const { return int(m_rows.size()); }
    int totalRows() const;
    int selectedLabel() const { return m_selectedLabel; }
    void setSelectedLabel(int label);

    /// Shows or hides column `name` (label always stays).
    Q_INVOKABLE void setColumnShown(const QString &name, bool shown);
    Q_INVOKABLE bool isColumnShown(const QString &name) const;
    /// Sorts by `name`; the same column again flips the order.
    Q_INVOKABLE void sortBy(const QString &name);
    Q_INVOKABLE void sortByColumn(const QString &name, bool ascending);
    Q_INVOKABLE QString columnFilter(const QString &name) const { return m_columnFilterText.value(name); }
    /// Sets column `name`'s filter; returns the parse error ("" when it parses).
    Q_INVOKABLE QString setColumnFilter(const QString &name, const QString &text);
    Q_INVOKABLE void clearFilters();
    /// Name of shown column `column`.
    Q_INVOKABLE QString columnName(int column) const;
    /// Label of shown row `row`, 0 when out of range.
    Q_INVOKABLE int labelAt(int row) const;
    /// Shown row of `label`, -1 when filtered out or unknown.
    Q_INVOKABLE int rowOfLabel(int label) const;
    /// Every column of `label` as {name: value}, empty when unknown.
    Q_INVOKABLE QVariantMap propertiesOf(int label) const;
    /// Column `name` of `label` (NaN when unknown).
    Q_INVOKABLE double valueOf(int label, const QString &name) const;

    /// Indices (into table().regions) of the shown rows, in display order.
    const std::vector<std::size_t> &shownRegionIndices() const { return m_rows; }
    /// The table restricted to the shown rows, in display order (for the CSV export).
    algo::RegionTable shownTable() const;
    /// Smallest and largest value of column `name` over the shown rows (NaN, NaN when none).
    std::pair<double, double> shownRange(const QString &name) const;

signals:
    void tableChanged();
    void columnsChanged();
    void sortChanged();
    void filterChanged();
    void rowsChanged();
    void selectedLabelChanged();

private:
    void rebuildRows();
    QString parseColumnFilter(const QString &name, const QString &text);
    void parseExpression();
    int columnIndex(const QString &name) const;
    const double *rowValues(std::size_t region) const { return m_values.data() + region * std::size_t(m_allColumns.size()); }
    QString format(double value, int column) const;

    algo::RegionTable m_table;
    QStringList m_allColumns;
    std::vector<double> m_values; ///< regions x allColumns, row-major
    std::vector<int> m_shown;     ///< indices into m_allColumns
    QStringList m_hidden;         ///< names the user hid (kept across tables)
    std::vector<bool> m_present;
    std::vector<std::size_t> m_rows;
    QString m_sortName = QStringLiteral("label");
    bool m_sortAscending = true;
    QHash<QString, QString> m_columnFilterText;
    QHash<QString, QString> m_columnFilterError;
    QString m_expression;
    QString m_expressionError;
    std::vector<std::pair<int, RowFilter>> m_columnFilters;
    RowFilter m_expressionFilter;
    int m_selectedLabel = 0;
};

} // namespace carina::labelprops
