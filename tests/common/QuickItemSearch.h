// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <QQuickItem>

namespace carina::test {

/// The item named `name` below `root`, walking the visual tree: Repeater delegates, Loader
/// content and Popup/Drawer content are visual children, not always QObject children.
inline QQuickItem *findItem(QQuickItem *root, const QString &name)
{
    if (root->objectName() == name)
        return root;
    for (QQuickItem *child : root->childItems())
        if (QQuickItem *found = findItem(child, name))
            return found;
    return nullptr;
}

} // namespace carina::test
