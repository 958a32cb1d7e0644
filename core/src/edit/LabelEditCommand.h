// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/edit/LabelPatch.h>

#include <QUndoCommand>

#include <memory>

namespace carina {

class Document;
class LabelVolume;

/// One undoable label edit. Holds the layer's volume, not its index, so undo still finds the
/// right voxels after layers were reordered; the document is told which layer index it is now.
class LabelEditCommand : public QUndoCommand
{
public:
    LabelEditCommand(Document *document, std::shared_ptr<LabelVolume> labels, LabelPatch patch,
                     const QString &text);

    void undo() override;
    void redo() override;
    const LabelPatch &patch() const { return m_patch; }

private:
    void notify();

    Document *m_document;
    std::shared_ptr<LabelVolume> m_labels;
    LabelPatch m_patch;
    bool m_applied = true; // the edit wrote through the patch before it was pushed
};

} // namespace carina
