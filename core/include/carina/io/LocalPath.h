// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>

#include <QString>

namespace carina::io {

/// The local file path of `pathOrUrl`: QML file dialogs hand out `file:` URLs, the command line
/// and tests plain paths; a plain path comes back unchanged.
CARINA_CORE_EXPORT QString localPath(const QString &pathOrUrl);

} // namespace carina::io
