// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/PluginHost.h>

#include <QAbstractListModel>
#include <QQmlEngine>
#include <QUrl>

namespace carina {

/// The plugins the host found, for the shell's tool tiles: loaded ones and failed ones with
/// the reason. A snapshot of PluginHost::plugins() taken by reset().
class PluginListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by AppController.plugins")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role { IdRole = Qt::UserRole + 1, NameRole, DescriptionRole, VersionRole, IconRole, LoadedRole, ErrorRole, FilePathRole, IconUrlRole, RetryableRole };

    explicit PluginListModel(QObject *parent = nullptr);

    /// Takes the records of `host` (null = none); the host must outlive the model.
    void reset(const PluginHost *host);
    int count() const { return int(m_records.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// After a retry was asked for: the plugin at `filePath` says it loads at the next start.
    void markRetrying(const QString &filePath);
    /// The record of row `row` as a map with the role names as keys (empty when out of range).
    Q_INVOKABLE QVariantMap get(int row) const;

    /// The image the plugin compiled in for its tile (its metadata's "icon", beside its panel),
    /// or an empty URL when it has none: the tile then shows the name's initial.
    static QUrl iconUrl(const PluginRecord &record);

signals:
    void countChanged();

private:
    std::vector<PluginRecord> m_records;
};

} // namespace carina
