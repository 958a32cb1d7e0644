// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Document.h>

#include <QQmlEngine>

namespace carina {

/// Makes core's Document a QML type (`Document`) without giving core a QML dependency, so QML
/// can declare `property Document document` and tooling knows its properties.
struct DocumentForeign
{
    Q_GADGET
    QML_FOREIGN(carina::Document)
    QML_NAMED_ELEMENT(Document)
    QML_UNCREATABLE("The document is owned by AppController")
};

} // namespace carina
