// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// View3D with a real Document, rendered by Qt3D under Xvfb and checked pixel by pixel:
// mesh colour and background, opacity and visibility, nested see-through meshes, the slice
// planes' content, place and orientation, the iso-surface task and the upload of a big mesh.
#include "QuickItemSearch.h"
#include "IsoSurfaceBuilder.h"
#include "MeshGeometry.h"
#include "MeshSceneModel.h"

#include <carina/Document.h>
#include <carina/algo/MarchingCubes.h>
#include <carina/io/Nifti.h>

#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QMatrix4x4>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <cmath>
#include <memory>

Q_IMPORT_QML_PLUGIN(Carina_ShellPlugin)
Q_IMPORT_QML_PLUGIN(Carina_ControlsPlugin)

using namespace carina;

namespace {

using carina::test::findItem;

constexpr int N = 64;            // voxels per side
constexpr double Spacing = 2.0;  // mm: a 128 mm cube centred on the origin
constexpr double SphereRadius = 40.0;

ImageGeometry cubeGeometry()
{
    ImageGeometry g;
    g.dims = {N, N, N};
    g.spacing = Eigen::Vector3d::Constant(Spacing);
    g.origin = Eigen::Vector3d::Constant(-Spacing * (N - 1) / 2.0);
    return g;
}

// A CT-like image: 1000 HU ball of radius 40 mm at the origin in 0 HU, plus a 2000 HU rod
// along y in the patient's left-superior corner (x, z in 30..50 mm) that shows whether a
// slice texture is flipped.
Volume phantom(bool withRod)
{
    Volume v(VoxelType::Int16, cubeGeometry());
    v.info().modality = "CT";
    v.info().units = "HU";
    auto *p = v.data<std::int16_t>();
    const ImageGeometry &g = v.geometry();
    for (int k = 0; k < N; ++k)
        for (int j = 0; j < N; ++j)
            for (int i = 0; i < N; ++i) {
                const Eigen::Vector3d x = g.indexToPhysical(Eigen::Vector3d(i, j, k));
                std::int16_t value = x.norm() < SphereRadius ? 1000 : 0;
                if (withRod && x.x() > 30 && x.x() < 50 && x.z() > 30 && x.z() < 50)
                    value = 2000;
                p[g.linearIndex(i, j, k)] = value;
            }
    return v;
}

std::shared_ptr<Mesh> sphereMesh(const std::string &name, double radius, std::array<float, 3> colour)
{
    // The shared marching cubes on a ball image: the same path the app's surfaces take.
    Volume v(VoxelType::Float32, cubeGeometry());
    float *p = v.data<float>();
    const ImageGeometry &g = v.geometry();
    for (int k = 0; k < N; ++k)
        for (int j = 0; j < N; ++j)
            for (int i = 0; i < N; ++i)
                p[g.linearIndex(i, j, k)] = float(radius - g.indexToPhysical(Eigen::Vector3d(i, j, k)).norm());
    algo::MarchingCubesOptions options;
    options.isoValue = 0.0;
    auto mesh = std::make_shared<Mesh>(algo::marchingCubes(v, options));
    mesh->name = name;
    mesh->colour = colour;
    return mesh;
}

// A UV sphere with about `triangles` triangles (for the upload budget, no volume needed).
std::shared_ptr<Mesh> bigSphere(std::size_t triangles, double radius)
{
    const int rings = int(std::sqrt(double(triangles) / 4.0));
    const int segments = 2 * rings;
    auto mesh = std::make_shared<Mesh>();
    mesh->name = "big";
    for (int r = 0; r <= rings; ++r) {
        const double theta = M_PI * r / rings;
        for (int s = 0; s <= segments; ++s) {
            const double phi = 2 * M_PI * s / segments;
            const Eigen::Vector3d n(std::sin(theta) * std::cos(phi), std::sin(theta) * std::sin(phi), std::cos(theta));
            for (int a = 0; a < 3; ++a) {
                mesh->vertices.push_back(float(radius * n[a]));
                mesh->normals.push_back(float(n[a]));
            }
        }
    }
    for (int r = 0; r < rings; ++r)
        for (int s = 0; s < segments; ++s) {
            const std::uint32_t a = std::uint32_t(r * (segments + 1) + s), b = a + 1;
            const std::uint32_t c = a + std::uint32_t(segments + 1), d = c + 1;
            mesh->triangles.insert(mesh->triangles.end(), {a, c, b, b, c, d});
        }
    return mesh;
}

double colourDistance(QRgb a, QRgb b)
{
    return std::sqrt(std::pow(qRed(a) - qRed(b), 2) + std::pow(qGreen(a) - qGreen(b), 2) +
                     std::pow(qBlue(a) - qBlue(b), 2));
}

QString describe(QRgb c)
{
    return QStringLiteral("rgb(%1, %2, %3)").arg(qRed(c)).arg(qGreen(c)).arg(qBlue(c));
}

} // namespace

class TestView3D : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void meshModelKeepsRowsAcrossDocumentChanges();
    void sphereShowsMeshColourOnBackground();
    void opacityAndVisibilityChangeThePixels();
    void meshInsideSeeThroughMeshStaysVisible();
    void slicePlanesShowTheSliceAtTheCursorUpright();
    void dragOrbitsAndDoubleTapResets();
    void isoSurfaceTaskAddsBoneMesh();
    void millionTriangleMeshUploadsWithoutFreezingTheUi();
    void ctPhantomLungsAndBoneLookRight();

private:
    QImage stableGrab(int minimumMs = 250);
    QPoint project(const QVector3D &lps) const;
    QRgb pixelAt(const QImage &image, const QPoint &p) const;
    void save(const QImage &image, const QString &name);
    void waitForMeshesReady();
    QObject *sceneRoot() const;

    QQmlEngine *m_engine = nullptr;
    QQuickWindow *m_window = nullptr;
    QQuickItem *m_view = nullptr;
    Document *m_document = nullptr;
    QPointingDevice *m_touch = nullptr;
};

void TestView3D::initTestCase()
{
    if (QGuiApplication::platformName() == QLatin1String("offscreen") ||
        QGuiApplication::platformName() == QLatin1String("minimal"))
        QSKIP("Scene3D draws nothing on the offscreen platform: run under xvfb-run (CTest does)");

    m_touch = QTest::createTouchDevice();
    m_document = new Document(this);
    m_engine = new QQmlEngine(this);
    m_engine->addImportPath(QStringLiteral("qrc:/qt/qml")); // Qt 6.4 does not look there by itself
    QQmlComponent component(m_engine);
    component.setData("import QtQuick\nimport Carina.Shell\nView3D { width: 640; height: 480 }\n", QUrl());
    QVERIFY2(component.isReady(), qPrintable(component.errorString()));
    QObject *object = component.createWithInitialProperties({{"document", QVariant::fromValue<QObject *>(m_document)}});
    QVERIFY2(object, qPrintable(component.errorString()));
    m_view = qobject_cast<QQuickItem *>(object);
    QVERIFY(m_view);
    m_window = new QQuickWindow;
    m_window->resize(640, 480);
    m_view->setParentItem(m_window->contentItem());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
}

void TestView3D::cleanupTestCase()
{
    delete m_view;
    delete m_window;
}

void TestView3D::init()
{
    m_document->setImage(phantom(true));
    m_view->setProperty("slicesVisible", false);
    QMetaObject::invokeMethod(m_view, "resetView");
}

QImage TestView3D::stableGrab(int minimumMs)
{
    // Scene3D renders asynchronously and meshes upload off the UI thread: wait until two
    // grabs 120 ms apart agree.
    QTest::qWait(minimumMs);
    QImage previous = m_window->grabWindow();
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 8000) {
        QTest::qWait(120);
        QImage current = m_window->grabWindow();
        if (current == previous)
            return current;
        previous = current;
    }
    return previous;
}

QPoint TestView3D::project(const QVector3D &lps) const
{
    auto *camera = m_view->property("camera").value<QObject *>();
    const auto projection = camera->property("projectionMatrix").value<QMatrix4x4>();
    const auto view = camera->property("viewMatrix").value<QMatrix4x4>();
    const QVector3D ndc = (projection * view).map(lps);
    return QPoint(int(std::lround((ndc.x() + 1) / 2 * m_view->width())),
                  int(std::lround((1 - ndc.y()) / 2 * m_view->height())));
}

QRgb TestView3D::pixelAt(const QImage &image, const QPoint &p) const
{
    const qreal dpr = image.devicePixelRatio();
    return image.pixel(int(p.x() * dpr), int(p.y() * dpr));
}

void TestView3D::save(const QImage &image, const QString &name)
{
    image.save(QStringLiteral(CARINA_BINARY_DIR "/view3d-%1.png").arg(name));
}

QObject *TestView3D::sceneRoot() const
{
    // The Qt3D entity tree hangs off the Scene3D item, not off the Qt Quick item tree.
    auto *scene = m_view->findChild<QQuickItem *>(QStringLiteral("scene3d"));
    return scene ? scene->property("entity").value<QObject *>() : nullptr;
}

void TestView3D::waitForMeshesReady()
{
    QTRY_VERIFY_WITH_TIMEOUT(
        [this] {
            const auto entities = sceneRoot()->findChildren<MeshGeometry *>();
            for (MeshGeometry *g : entities)
                if (g->isLoading())
                    return false;
            return true;
        }(),
        10000);
}

void TestView3D::meshModelKeepsRowsAcrossDocumentChanges()
{
    Document doc;
    doc.setImage(phantom(false));
    MeshSceneModel model;
    model.setDocument(&doc);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.center(), QVector3D(0, 0, 0));
    QVERIFY(std::abs(model.radius() - float(std::sqrt(3.0) * 64.0)) < 0.01f);

    auto a = std::make_shared<Mesh>(*bigSphere(200, 10));
    a->name = "a";
    auto b = std::make_shared<Mesh>(*bigSphere(200, 20));
    b->name = "b";
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    doc.setMesh(a);
    doc.setMesh(b);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(inserted.count(), 2);

    // An opacity change keeps the row and its geometry: only the opacity roles change.
    doc.setMeshOpacity(0, 0.4);
    QCOMPARE(changed.count(), 1);
    const auto roles = changed.last().at(2).value<QList<int>>();
    QVERIFY(roles.contains(MeshSceneModel::OpacityRole));
    QVERIFY(!roles.contains(MeshSceneModel::MeshRole));
    QVERIFY(model.data(model.index(0), MeshSceneModel::TransparentRole).toBool());

    // Replacing by name updates the row's mesh role in place.
    auto a2 = std::make_shared<Mesh>(*a);
    doc.setMesh(a2);
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(changed.last().at(2).value<QList<int>>().contains(MeshSceneModel::MeshRole));
    QCOMPARE(model.data(model.index(0), MeshSceneModel::MeshRole).value<MeshHandle>().mesh.get(), a2.get());

    doc.removeMesh(0);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.data(model.index(0), MeshSceneModel::NameRole).toString(), QStringLiteral("b"));
    QCOMPARE(reset.count(), 0);

    // Packing drops triangles that point past the vertex array instead of reading out of bounds.
    Mesh bad = *a;
    bad.triangles.insert(bad.triangles.end(), {0, 1, std::uint32_t(bad.vertexCount() + 5)});
    bad.normals.clear();
    const MeshGeometry::Packed packed = MeshGeometry::pack(bad);
    QCOMPARE(std::size_t(packed.triangleCount), a->triangleCount());
    QCOMPARE(packed.vertices.size(), qsizetype(a->vertexCount() * 6 * sizeof(float)));
}

void TestView3D::sphereShowsMeshColourOnBackground()
{
    const std::array<float, 3> colour{0.25f, 0.55f, 0.95f};
    m_document->setMesh(sphereMesh("ball", SphereRadius, colour));
    waitForMeshesReady();
    const QImage image = stableGrab();
    save(image, "sphere");

    const QPoint centre = project(QVector3D(0, 0, 0));
    QVERIFY2(std::abs(centre.x() - 320) <= 2 && std::abs(centre.y() - 240) <= 2, "front view is centred");
    const QRgb c = pixelAt(image, centre);
    // Lit head-on: about 0.9 x colour plus a little specular.
    const QRgb expected = qRgb(int(255 * (0.9 * colour[0] + 0.04)), int(255 * (0.9 * colour[1] + 0.04)),
                               int(255 * (0.9 * colour[2] + 0.04)));
    QVERIFY2(colourDistance(c, expected) < 40, qPrintable(describe(c) + " vs " + describe(expected)));
    QVERIFY2(qBlue(c) > qGreen(c) && qGreen(c) > qRed(c), qPrintable(describe(c)));

    // Corners: the dark gradient background, lighter at the top.
    const QRgb topLeft = image.pixel(2, 2);
    const QRgb bottomRight = image.pixel(image.width() - 3, image.height() - 3);
    for (QRgb corner : {topLeft, bottomRight}) {
        QVERIFY2(qRed(corner) + qGreen(corner) + qBlue(corner) < 200, qPrintable(describe(corner)));
        QVERIFY2(colourDistance(corner, c) > 120, qPrintable(describe(corner)));
    }
    QVERIFY2(qGray(topLeft) > qGray(bottomRight) + 10, qPrintable(describe(topLeft) + " / " + describe(bottomRight)));

    // The sphere's edge is shaded darker than its centre (lighting, not a flat fill), and the
    // silhouette is where a 40 mm ball projects.
    const QPoint inside = project(QVector3D(SphereRadius * 0.8f, 0, 0));
    const QPoint outside = project(QVector3D(SphereRadius * 1.15f, 0, 0));
    QVERIFY2(qGray(pixelAt(image, inside)) < qGray(c), qPrintable(describe(pixelAt(image, inside))));
    QVERIFY2(colourDistance(pixelAt(image, outside), c) > 120, qPrintable(describe(pixelAt(image, outside))));
}

void TestView3D::opacityAndVisibilityChangeThePixels()
{
    m_document->setMesh(sphereMesh("ball", SphereRadius, {0.95f, 0.45f, 0.2f}));
    waitForMeshesReady();
    const QPoint centre = project(QVector3D(0, 0, 0));
    const QRgb opaque = pixelAt(stableGrab(), centre);

    m_document->setMeshVisible(0, false);
    const QImage hidden = stableGrab();
    const QRgb background = pixelAt(hidden, centre);
    QVERIFY2(colourDistance(opaque, background) > 150, qPrintable(describe(opaque) + " / " + describe(background)));
    QVERIFY2(qGray(background) < 80, qPrintable(describe(background)));

    m_document->setMeshVisible(0, true);
    m_document->setMeshOpacity(0, 0.35);
    const QImage translucent = stableGrab();
    save(translucent, "sphere-translucent");
    const QRgb blended = pixelAt(translucent, centre);
    // Between the background and the opaque colour, nearer the background at 35 %.
    QVERIFY2(colourDistance(blended, background) > 30, qPrintable(describe(blended)));
    QVERIFY2(colourDistance(blended, opaque) > 60, qPrintable(describe(blended)));
    QVERIFY2(qRed(blended) > qBlue(blended), qPrintable(describe(blended)));
}

void TestView3D::meshInsideSeeThroughMeshStaysVisible()
{
    // A lesion (opaque, red) inside a see-through lung-like shell, and a see-through inner
    // ball: both stay visible through the outer surface whatever the draw order.
    auto outer = sphereMesh("lung", SphereRadius, {0.85f, 0.75f, 0.7f});
    outer->opacity = 0.3f;
    auto inner = sphereMesh("lesion", 15, {0.9f, 0.15f, 0.1f});
    m_document->setMesh(outer);
    m_document->setMesh(inner);
    waitForMeshesReady();
    const QPoint centre = project(QVector3D(0, 0, 0));
    const QImage both = stableGrab();
    save(both, "nested");
    const QRgb lesion = pixelAt(both, centre);
    QVERIFY2(qRed(lesion) > 2 * qGreen(lesion) && qRed(lesion) > 120, qPrintable(describe(lesion)));
    const QRgb shellOnly = pixelAt(both, project(QVector3D(0, 0, SphereRadius * 0.75f)));
    QVERIFY2(qGray(shellOnly) > 40, qPrintable(describe(shellOnly)));

    m_document->setMeshOpacity(1, 0.5);
    const QImage bothSeeThrough = stableGrab();
    save(bothSeeThrough, "nested-both-translucent");
    const QRgb lesion2 = pixelAt(bothSeeThrough, centre);
    QVERIFY2(qRed(lesion2) > qGreen(lesion2) + 30, qPrintable(describe(lesion2)));
}

void TestView3D::slicePlanesShowTheSliceAtTheCursorUpright()
{
    m_document->setMesh(sphereMesh("ball", SphereRadius, {0.25f, 0.55f, 0.95f}));
    m_view->setProperty("slicesVisible", true);
    waitForMeshesReady();
    const QImage throughCentre = stableGrab();
    save(throughCentre, "slices");
    // Window 40/400: 0 HU is grey 102, the 1000 HU ball and the 2000 HU rod are white.
    const QRgb plane = pixelAt(throughCentre, project(QVector3D(-52, 0, 30)));
    QVERIFY2(std::abs(qRed(plane) - 102) < 16 && std::abs(qBlue(plane) - 102) < 16, qPrintable(describe(plane)));

    // Coronal plane 50 mm anterior: in front of the ball, it hides it.
    m_document->setCursor(QVector3D(0, -50, 0));
    const QImage anterior = stableGrab();
    save(anterior, "slices-anterior");
    const QRgb centre = pixelAt(anterior, project(QVector3D(0, -50, 0)));
    QVERIFY2(std::abs(qGray(centre) - 102) < 16, qPrintable(describe(centre)));
    // The rod in the patient's left-superior corner shows on screen upper right (front view:
    // patient left on the right, superior up); the other corners are background grey.
    const QRgb leftSuperior = pixelAt(anterior, project(QVector3D(40, -50, 40)));
    const QRgb rightSuperior = pixelAt(anterior, project(QVector3D(-40, -50, 40)));
    const QRgb leftInferior = pixelAt(anterior, project(QVector3D(40, -50, -40)));
    QVERIFY2(qGray(leftSuperior) > 230, qPrintable(describe(leftSuperior)));
    QVERIFY2(std::abs(qGray(rightSuperior) - 102) < 16, qPrintable(describe(rightSuperior)));
    QVERIFY2(std::abs(qGray(leftInferior) - 102) < 16, qPrintable(describe(leftInferior)));
    QVERIFY(project(QVector3D(40, -50, 40)).x() > project(QVector3D(-40, -50, 40)).x());

    // Coronal plane through the ball: a white disc of radius sqrt(40^2 - 30^2) = 26 mm
    // (the mesh hidden: its cap in front of the plane covers the disc).
    m_document->setMeshVisible(0, false);
    m_document->setCursor(QVector3D(0, -30, 0));
    const QImage cut = stableGrab();
    save(cut, "slices-cut");
    QVERIFY2(qGray(pixelAt(cut, project(QVector3D(0, -30, 0)))) > 230, "ball section is white");
    QVERIFY2(std::abs(qGray(pixelAt(cut, project(QVector3D(-33, -30, -10)))) - 102) < 16, "outside the section is grey");

    // Hidden planes: the ball is back.
    m_document->setMeshVisible(0, true);
    m_view->setProperty("slicesVisible", false);
    const QRgb ball = pixelAt(stableGrab(), project(QVector3D(0, 0, 0)));
    QVERIFY2(qBlue(ball) > qRed(ball) + 60, qPrintable(describe(ball)));
}

void TestView3D::dragOrbitsAndDoubleTapResets()
{
    m_document->setMesh(sphereMesh("ball", SphereRadius, {0.25f, 0.55f, 0.95f}));
    QCOMPARE(m_view->property("azimuth").toDouble(), 0.0);
    auto *camera = m_view->property("camera").value<QObject *>();
    const QVector3D front = camera->property("position").value<QVector3D>();
    QVERIFY2(front.y() < -100 && std::abs(front.x()) < 1e-3 && std::abs(front.z()) < 1e-3, "camera anterior");

    auto label = [this](const char *edge) {
        QQuickItem *item = findItem(m_view, QStringLiteral("orientation-%1").arg(QLatin1String(edge)));
        return item ? item->property("text").toString() : QStringLiteral("(no label)");
    };
    QCOMPARE(label("left"), QStringLiteral("R"));
    QCOMPARE(label("right"), QStringLiteral("L"));
    QCOMPARE(label("top"), QStringLiteral("S"));
    QCOMPARE(label("bottom"), QStringLiteral("I"));

    QTest::mousePress(m_window, Qt::LeftButton, {}, QPoint(200, 240));
    for (int x = 210; x <= 400; x += 10)
        QTest::mouseMove(m_window, QPoint(x, 240));
    QTest::mouseRelease(m_window, Qt::LeftButton, {}, QPoint(400, 240));
    QVERIFY2(m_view->property("azimuth").toDouble() < -30, "a drag to the right turns the patient to the right");
    const QVector3D turned = camera->property("position").value<QVector3D>();
    QVERIFY(turned.x() < -10); // the camera went round towards the patient's right
    QCOMPARE(label("right"), QStringLiteral("A")); // a quarter turn or more: anterior on the right

    const double distance = m_view->property("distance").toDouble();
    QWheelEvent wheel(QPointF(320, 240), m_window->mapToGlobal(QPointF(320, 240)), QPoint(), QPoint(0, 240),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QGuiApplication::sendEvent(m_window, &wheel);
    QVERIFY(m_view->property("distance").toDouble() < distance);

    QTest::mouseDClick(m_window, Qt::LeftButton, {}, QPoint(320, 240));
    QTRY_COMPARE(m_view->property("azimuth").toDouble(), 0.0);
    QCOMPARE(m_view->property("distance").toDouble(), distance);
}

void TestView3D::isoSurfaceTaskAddsBoneMesh()
{
    auto *iso = m_view->property("isoSurface").value<IsoSurfaceBuilder *>();
    QVERIFY(iso);
    QCOMPARE(iso->defaultIsoValue(), 300.0); // CT: bone
    QCOMPARE(iso->isoValue(), 300.0);
    QSignalSpy finished(iso, &IsoSurfaceBuilder::finished);
    iso->setIsoValue(500);
    iso->start();
    QVERIFY2(iso->isRunning() || finished.count() == 1, qPrintable(iso->status()));
    QVERIFY(finished.count() == 1 || finished.wait(20000));
    QCOMPARE(finished.last().at(0).toBool(), true);
    const int index = m_document->findMesh(QStringLiteral("iso-surface"));
    QVERIFY(index >= 0);
    const auto mesh = m_document->mesh(index);
    QVERIFY(mesh->triangleCount() > 1000);
    QVERIFY(iso->hasSurface());
    // The ball's surface reaches x = -40 mm (the rod is at x > 30 mm), within a step of 4 mm.
    float minX = 1e9f;
    for (std::size_t i = 0; i < mesh->vertices.size(); i += 3)
        minX = std::min(minX, mesh->vertices[i]);
    QVERIFY2(std::abs(minX + float(SphereRadius)) < 4.0f, qPrintable(QString::number(minX)));

    waitForMeshesReady();
    const QImage image = stableGrab();
    save(image, "isosurface");
    const QRgb c = pixelAt(image, project(QVector3D(0, 0, 0)));
    QVERIFY2(qRed(c) > 170 && qRed(c) >= qBlue(c), qPrintable(describe(c))); // bone white

    // The panel, opened by touch on its tool button (for the screenshot and the wiring).
    auto *button = findItem(m_view, QStringLiteral("surfaceButton"));
    QVERIFY(button);
    const QPointF tap = button->mapToScene(QPointF(button->width() / 2, button->height() / 2));
    QTest::touchEvent(m_window, m_touch).press(0, tap.toPoint(), m_window);
    QTest::touchEvent(m_window, m_touch).release(0, tap.toPoint(), m_window);
    QTRY_VERIFY(button->property("checked").toBool());
    save(stableGrab(), "isosurface-panel");
    QTest::touchEvent(m_window, m_touch).press(0, tap.toPoint(), m_window);
    QTest::touchEvent(m_window, m_touch).release(0, tap.toPoint(), m_window);
    QTRY_VERIFY(!button->property("checked").toBool());

    iso->setOpacity(0.4);
    QCOMPARE(m_document->mesh(index)->opacity, 0.4f);
    const QRgb faded = pixelAt(stableGrab(), project(QVector3D(0, 0, 0)));
    QVERIFY2(qGray(faded) < qGray(c) - 30, qPrintable(describe(faded)));

    // Cancel leaves the document as it was; a new image cancels too.
    iso->setStep(1);
    iso->start();
    iso->cancel();
    QVERIFY(!iso->isRunning());
    QCOMPARE(m_document->findMesh(QStringLiteral("iso-surface")), index);
}

void TestView3D::millionTriangleMeshUploadsWithoutFreezingTheUi()
{
    auto mesh = bigSphere(1000000, 45);
    QVERIFY(mesh->triangleCount() > 950000);
    QElapsedTimer packTimer;
    packTimer.start();
    const MeshGeometry::Packed packed = MeshGeometry::pack(*mesh);
    qInfo("packing %zu triangles: %lld ms (worker thread)", mesh->triangleCount(), packTimer.elapsed());
    QCOMPARE(std::size_t(packed.triangleCount), mesh->triangleCount());

    // The longest gap between 5 ms ticks of the UI thread while the mesh uploads and draws,
    // starting from a settled view (the previous test's entities are gone).
    stableGrab();
    qint64 longest = 0;
    QElapsedTimer tick;
    QTimer ticker;
    ticker.setInterval(5);
    connect(&ticker, &QTimer::timeout, this, [&] {
        longest = std::max(longest, tick.restart());
    });
    QElapsedTimer total;
    total.start();
    tick.start();
    ticker.start();
    QSignalSpy frames(m_window, &QQuickWindow::frameSwapped);
    m_document->setMesh(mesh);
    waitForMeshesReady();
    // The frames that upload and draw the mesh, without grabWindow() (which itself waits for a frame).
    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 3, 10000);
    QTest::qWait(300);
    ticker.stop();
    const QImage image = stableGrab(0);
    save(image, "million");
    qInfo("1M triangles on screen after %lld ms, longest UI stall %lld ms", total.elapsed(), longest);
    const QRgb c = pixelAt(image, project(QVector3D(0, 0, 0)));
    QVERIFY2(colourDistance(c, image.pixel(2, 2)) > 100, qPrintable(describe(c)));
    QVERIFY2(longest < 2000, qPrintable(QStringLiteral("UI thread blocked %1 ms").arg(longest)));
}

void TestView3D::ctPhantomLungsAndBoneLookRight()
{
    // The anchor CT phantom with its lung labels: see-through lungs inside bone, slices on.
    const QString dir = QStringLiteral("/tmp/carina-anchor-data");
    const std::string ctPath = (dir + QStringLiteral("/ct_phantom.nii.gz")).toStdString();
    const std::string lungPath = (dir + QStringLiteral("/ct_lung_mask_gt.nii.gz")).toStdString();
    if (!QFile::exists(QString::fromStdString(ctPath)) || !QFile::exists(QString::fromStdString(lungPath)))
        QSKIP("anchor CT phantom not generated (run /work/shared/anchors/gen_data.py)");
    Volume ct = io::readNifti(ctPath).volume;
    ct.info().modality = "CT";
    ct.info().units = "HU";
    const Volume lungs = io::readNifti(lungPath).volume;
    QVERIFY(ct.geometry().sameGrid(lungs.geometry()));
    m_document->setImage(ct);

    algo::MarchingCubesOptions options;
    options.step = 2;
    for (int label : {1, 2}) {
        Volume mask(VoxelType::UInt8, lungs.geometry());
        auto *out = mask.data<std::uint8_t>();
        dispatchVoxelType(lungs.type(), [&](auto t) {
            using T = decltype(t);
            const T *in = static_cast<const T *>(lungs.rawData());
            for (std::size_t i = 0; i < lungs.voxelCount(); ++i)
                out[i] = std::uint8_t(int(in[i]) == label);
        });
        options.isoValue = 0.5;
        auto mesh = std::make_shared<Mesh>(algo::marchingCubes(mask, options));
        mesh->name = label == 1 ? "right lung" : "left lung";
        mesh->colour = label == 1 ? std::array<float, 3>{0.95f, 0.62f, 0.55f} : std::array<float, 3>{0.55f, 0.72f, 0.95f};
        mesh->opacity = 0.45f;
        m_document->setMesh(mesh);
    }
    options.isoValue = 300;
    auto bone = std::make_shared<Mesh>(algo::marchingCubes(ct, options));
    bone->name = "bone";
    bone->colour = {0.89f, 0.85f, 0.76f};
    m_document->setMesh(bone);
    waitForMeshesReady();

    save(stableGrab(), "ct-phantom-front");
    m_view->setProperty("slicesVisible", true);
    m_view->setProperty("azimuth", -35.0);
    m_view->setProperty("elevation", 20.0);
    const QImage turned = stableGrab();
    save(turned, "ct-phantom-turned-slices");
    // Something is drawn over most of the view's middle (no blank or black scene).
    int lit = 0;
    for (int y = 140; y < 340; y += 10)
        for (int x = 200; x < 440; x += 10)
            lit += qGray(turned.pixel(x, y)) > 60 ? 1 : 0;
    QVERIFY2(lit > 200, qPrintable(QString::number(lit)));

    for (int i = 0; i < m_document->meshCount(); ++i)
        m_document->setMeshVisible(i, false);
    save(stableGrab(), "ct-phantom-slices-only");
    m_view->setProperty("azimuth", 0.0);
    m_view->setProperty("elevation", 89.0);
    save(stableGrab(), "ct-phantom-slices-top");
}

QTEST_MAIN(TestView3D)
#include "tst_view3d.moc"
