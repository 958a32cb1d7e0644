// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Qt Quick Test of the slice pane driven by touch events, on a synthetic CT-like volume.
#include <carina/Document.h>

#include <QQmlContext>
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

#include <cmath>

Q_IMPORT_QML_PLUGIN(Carina_ShellPlugin)
Q_IMPORT_QML_PLUGIN(Carina_ControlsPlugin)

class Setup : public QObject
{
    Q_OBJECT
public slots:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // Qt 6.4 does not search the resource path of qt_add_qml_module by default.
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        // 64 x 64 x 40 voxels, 1 x 1 x 2 mm, LPS: a soft-tissue ellipse with a dense ball,
        // so every slice has structure and window changes are visible.
        carina::ImageGeometry g;
        g.dims = {64, 64, 40};
        g.spacing = {1.0, 1.0, 2.0};
        g.origin = {-32, -32, -40};
        carina::Volume volume(carina::VoxelType::Int16, g);
        std::int16_t *p = volume.data<std::int16_t>();
        for (int k = 0; k < 40; ++k)
            for (int j = 0; j < 64; ++j)
                for (int i = 0; i < 64; ++i) {
                    const double x = (i - 32) / 28.0, y = (j - 32) / 22.0;
                    const double r = std::hypot(i - 40.0, j - 30.0, (k - 20) * 2.0);
                    std::int16_t v = x * x + y * y < 1.0 ? std::int16_t(40 + 3 * k) : std::int16_t(-1000);
                    if (r < 8.0)
                        v = 700;
                    p[g.linearIndex(i, j, k)] = v;
                }
        volume.info().units = "HU";
        volume.info().modality = "CT";
        m_document.setImage(volume);
        engine->rootContext()->setContextProperty(QStringLiteral("testDocument"), &m_document);
    }

private:
    carina::Document m_document;
};

QUICK_TEST_MAIN_WITH_SETUP(qml_slice_view, Setup)

#include "test_qml_slice_view.moc"
