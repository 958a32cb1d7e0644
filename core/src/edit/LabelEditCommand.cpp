// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "edit/LabelEditCommand.h"

#include <carina/Document.h>
#include <carina/LabelVolume.h>

namespace carina {

LabelEditCommand::LabelEditCommand(Document *document, std::shared_ptr<LabelVolume> labels,
                                   LabelPatch patch, const QString &text)
    : QUndoCommand(text), m_document(document), m_labels(std::move(labels)), m_patch(std::move(patch))
{
}

void LabelEditCommand::undo()
{
    m_patch.revert(*m_labels);
    m_applied = false;
    m_document->applyCountChanges(m_labels.get(), m_patch.countChanges(), -1);
    notify();
}

void LabelEditCommand::redo()
{
    if (m_applied)
        return; // QUndoStack::push() calls redo(); the voxels are already written
    m_patch.apply(*m_labels);
    m_applied = true;
    m_document->applyCountChanges(m_labels.get(), m_patch.countChanges(), +1);
    notify();
}

void LabelEditCommand::notify()
{
    // Not notifyLabelsChanged(): that would throw away the counts just brought up to date.
    if (const int index = m_document->layerOf(m_labels.get()); index >= 0)
        emit m_document->labelsChanged(index, m_patch.bounds());
}

} // namespace carina
