// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Qt Quick Test of the drawing tools driven by touch events on a real chest CT (RICORD COVID
// series from ../shared, or the bundled LungPET-CT-Dx sample): painted voxel counts, undo/redo.
#include <carina/Document.h>
#include <carina/edit/Rasterize.h>
#include <carina/io/DicomSeries.h>

#include <QCryptographicHash>
#include <QQmlContext>
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

#include <filesystem>

Q_IMPORT_QML_PLUGIN(Carina_ShellPlugin)
Q_IMPORT_QML_PLUGIN(Carina_ControlsPlugin)

namespace {

carina::algo::SlicePlane toAlgo(int plane)
{
    return plane == 1 ? carina::algo::SlicePlane::Coronal
                      : plane == 2 ? carina::algo::SlicePlane::Sagittal : carina::algo::SlicePlane::Axial;
}

std::vector<Eigen::Vector3d> toPoints(const QVariantList &list)
{
    std::vector<Eigen::Vector3d> points;
    for (const QVariant &v : list) {
        const QVector3D p = v.value<QVector3D>();
        points.emplace_back(p.x(), p.y(), p.z());
    }
    return points;
}

} // namespace

/// What the test compares the app with: core's rasterisation of the LPS points the touches
/// mapped to, and voxel counts and checksums taken straight from the layer.
class Reference : public QObject
{
    Q_OBJECT
public:
    carina::Document *document = nullptr;
    Q_INVOKABLE int polygonVoxels(int plane, int slice, const QVariantList &lps) const
    {
        return int(carina::edit::rasterizePolygon(geometry(), toAlgo(plane), slice, toPoints(lps)).size());
    }
    Q_INVOKABLE int rectangleVoxels(int plane, int slice, const QVector3D &a, const QVector3D &b) const
    {
        return int(carina::edit::rasterizeRectangle(geometry(), toAlgo(plane), slice, {a.x(), a.y(), a.z()},
                                                    {b.x(), b.y(), b.z()})
                       .size());
    }
    Q_INVOKABLE int polylineVoxels(int plane, int slice, const QVariantList &lps, double widthMm) const
    {
        return int(carina::edit::rasterizePolyline(geometry(), toAlgo(plane), slice, toPoints(lps), widthMm).size());
    }
    Q_INVOKABLE int sphereVoxels(const QVector3D &centre, double radiusMm) const
    {
        return int(carina::edit::rasterizeSphere(geometry(), {centre.x(), centre.y(), centre.z()}, radiusMm).size());
    }
    /// Voxels of `label` in layer `layer`, counted over the whole volume.
    Q_INVOKABLE int count(int layer, int label) const
    {
        const carina::LabelVolume &labels = *document->layer(layer).labels;
        return int(std::count(labels.data(), labels.data() + labels.voxelCount(), std::uint16_t(label)));
    }
    /// Slices of layer `layer` holding any label.
    Q_INVOKABLE int slicesWithLabels(int layer) const
    {
        const carina::LabelVolume &labels = *document->layer(layer).labels;
        const carina::Dims &d = labels.dims();
        const std::size_t plane = std::size_t(d[0]) * std::size_t(d[1]);
        int slices = 0;
        for (int k = 0; k < d[2]; ++k)
            slices += std::any_of(labels.data() + plane * std::size_t(k), labels.data() + plane * std::size_t(k + 1),
                                  [](std::uint16_t v) { return v != 0; });
        return slices;
    }
    Q_INVOKABLE QString checksum(int layer) const
    {
        const carina::LabelVolume &labels = *document->layer(layer).labels;
        return QString::fromLatin1(
            QCryptographicHash::hash(QByteArrayView(reinterpret_cast<const char *>(labels.data()),
                                                    qsizetype(labels.voxelCount() * 2)),
                                     QCryptographicHash::Sha1)
                .toHex());
    }
    Q_INVOKABLE double voxelAreaMm2(int plane) const
    {
        const carina::algo::SliceMapping m = carina::algo::sliceMapping(geometry(), toAlgo(plane));
        return geometry().spacing[m.axisX] * geometry().spacing[m.axisY];
    }

private:
    const carina::ImageGeometry &geometry() const { return document->image().geometry(); }
};

class Setup : public QObject
{
    Q_OBJECT
public slots:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        namespace fs = std::filesystem;
        const std::string ricord = std::string(CARINA_SHARED_DIR) + "/data/ct/ricord1a-every2nd";
        const std::string sample = std::string(CARINA_SOURCE_DIR) + "/data/sample/lungpetctdx-a0002";
        QString source;
        for (const std::string &path : {ricord, sample}) {
            if (!fs::exists(path))
                continue;
            try {
                const carina::io::DicomScan scan = carina::io::scanDicom(path);
                carina::io::LoadResult result = carina::io::loadDicomSeries(scan.series.front());
                m_document.setImage(result.volume);
                source = QString::fromStdString(path);
                break;
            } catch (const std::exception &e) {
                qWarning("could not load %s: %s", path.c_str(), e.what());
            }
        }
        m_reference.document = &m_document;
        engine->rootContext()->setContextProperty(QStringLiteral("testDocument"), &m_document);
        engine->rootContext()->setContextProperty(QStringLiteral("reference"), &m_reference);
        engine->rootContext()->setContextProperty(QStringLiteral("scanSource"), source);
        engine->rootContext()->setContextProperty(QStringLiteral("screenshotDir"),
                                                  qEnvironmentVariable("CARINA_SCREENSHOT_DIR"));
    }

private:
    carina::Document m_document;
    Reference m_reference;
};

QUICK_TEST_MAIN_WITH_SETUP(qml_annotation, Setup)

#include "test_qml_annotation.moc"
