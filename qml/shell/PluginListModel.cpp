// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "PluginListModel.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace carina {

PluginListModel::PluginListModel(QObject *parent) : QAbstractListModel(parent) {}

void PluginListModel::reset(const PluginHost *host)
{
    beginResetModel();
    m_records = host ? host->plugins() : std::vector<PluginRecord>{};
    // Loaded tools first, then the failed ones, each by name: the user looks for tools.
    std::stable_sort(m_records.begin(), m_records.end(), [](const PluginRecord &a, const PluginRecord &b) {
        if (a.loaded != b.loaded)
            return a.loaded;
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
    endResetModel();
    emit countChanged();
}

QUrl PluginListModel::iconUrl(const PluginRecord &record)
{
    // The metadata's "icon" names an image the plugin compiled in beside its panel
    // (carina_add_plugin(... ICON ggo.svg)); an older plugin's icon word ("ggo") names none.
    if (!record.plugin || record.icon.isEmpty())
        return {};
    const QUrl panel = record.plugin->panelUrl();
    if (panel.scheme() != QLatin1String("qrc"))
        return {};
    const QUrl icon = panel.resolved(QUrl(record.icon));
    return QFile::exists(QLatin1Char(':') + icon.path()) ? icon : QUrl();
}

int PluginListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

QVariant PluginListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= int(m_records.size()))
        return {};
    const PluginRecord &r = m_records[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return r.name.isEmpty() ? QFileInfo(r.filePath).fileName() : r.name;
    case IdRole: return r.id;
    case DescriptionRole: return r.description;
    case VersionRole: return r.version;
    case IconRole: return r.icon;
    case LoadedRole: return r.loaded;
    case ErrorRole: return r.error;
    case FilePathRole: return r.filePath;
    case IconUrlRole: return iconUrl(r);
    case RetryableRole: return r.crashedLoading;
    default: return {};
    }
}

QHash<int, QByteArray> PluginListModel::roleNames() const
{
    return {{IdRole, "pluginId"},       {NameRole, "name"},     {DescriptionRole, "description"},
            {VersionRole, "version"},   {IconRole, "icon"},     {LoadedRole, "loaded"},
            {ErrorRole, "error"},       {FilePathRole, "filePath"}, {IconUrlRole, "iconUrl"}, {RetryableRole, "retryable"}};
}

void PluginListModel::markRetrying(const QString &filePath)
{
    for (std::size_t i = 0; i < m_records.size(); ++i) {
        if (m_records[i].filePath != filePath)
            continue;
        m_records[i].crashedLoading = false;
        m_records[i].error = tr("loads again at the next start");
        const QModelIndex at = index(int(i));
        emit dataChanged(at, at, {ErrorRole, RetryableRole});
    }
}

QVariantMap PluginListModel::get(int row) const
{
    QVariantMap map;
    if (row < 0 || row >= int(m_records.size()))
        return map;
    const QModelIndex i = index(row);
    const auto roles = roleNames();
    for (auto it = roles.begin(); it != roles.end(); ++it)
        map.insert(QString::fromLatin1(it.value()), data(i, it.key()));
    return map;
}

} // namespace carina
