// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// A 2D image (a PNG) in the shell: one view without patient directions, slice numbers or patient
// coordinates; a pixel size set in the status line; the 3D view facing the image; magnified
// pixels drawn as blocks with a readable zoom label; label properties in the pixel size's unit.
#include "AppController.h"
#include "GuiMain.h"
#include "QuickItemSearch.h"
#include "ShellHarness.h"

#include <carina/Document.h>
#include <carina/TaskRunner.h>
#include <carina/io/Npy.h>

#include <QAbstractItemModel>
#include <QColor>
#include <QFileInfo>
#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace carina;
using carina::test::findItem;

namespace {

const QString kAnchorData = qEnvironmentVariable("CARINA_ANCHOR_DATA", QStringLiteral("/tmp/carina-anchor-data"));

// Visible texts under `item` (what a user can read there).
void collectTexts(QQuickItem *item, QStringList &out)
{
    if (!item->isVisible() || item->opacity() == 0.0)
        return;
    if (item->inherits("QQuickText"))
        out << item->property("text").toString();
    for (QQuickItem *child : item->childItems())
        collectTexts(child, out);
}

QRectF sceneRect(const QQuickItem *item)
{
    return item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
}

} // namespace

class TestFlatImages : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;
    QString m_png;

    // The cells micrograph of the anchors as a PNG (a synthetic one without the anchor data):
    // what a microscopist opens.
    QString cellsPng()
    {
        const QString path = m_home.filePath(QStringLiteral("cells.png"));
        if (QFileInfo::exists(path))
            return path;
        QImage image;
        const QString npy = kAnchorData + QStringLiteral("/cells_512.npy");
        if (QFileInfo::exists(npy)) {
            const Volume v = io::readNpyVolume(npy.toStdString());
            if (v.type() == VoxelType::UInt8 && v.dims()[2] == 1) {
                image = QImage(v.dims()[0], v.dims()[1], QImage::Format_Grayscale8);
                for (int y = 0; y < v.dims()[1]; ++y)
                    std::memcpy(image.scanLine(y), v.data<std::uint8_t>() + std::size_t(y) * std::size_t(v.dims()[0]), std::size_t(v.dims()[0]));
            }
        }
        if (image.isNull()) {
            image = QImage(300, 200, QImage::Format_Grayscale8);
            for (int y = 0; y < 200; ++y)
                for (int x = 0; x < 300; ++x)
                    image.setPixel(x, y, (std::hypot(x % 50 - 25, y % 50 - 25) < 12 ? 200 : 20) * 0x010101 | 0xff000000);
        }
        image.save(path);
        return path;
    }

    bool startOn(test::ShellHarness &shell, QSize size)
    {
        test::useTestFolders(m_home, QString::fromLatin1(QTest::currentTestFunction()));
        return shell.start(size) && shell.open(cellsPng());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("CarinaTests"));
        configureShellStyle();
    }

    void a_png_opens_in_one_view_without_patient_directions()
    {
        test::ShellHarness shell;
        QVERIFY2(startOn(shell, QSize(1280, 800)), qPrintable(shell.error()));
        QQuickWindow *window = shell.window();
        Document *document = shell.controller().document();
        QVERIFY(document->is2d());
        QQuickItem *area = findItem(window->contentItem(), QStringLiteral("viewArea"));
        QQuickItem *image = findItem(window->contentItem(), QStringLiteral("axialPane"));
        QVERIFY(area && image);
        QTRY_VERIFY(std::abs(image->width() - area->width()) < 1.0 && std::abs(image->height() - area->height()) < 1.0);
        for (const char *other : {"coronalPane", "sagittalPane", "view3dPane"})
            QVERIFY2(!findItem(window->contentItem(), QString::fromLatin1(other))->isVisible(), other);

        QStringList texts;
        collectTexts(image, texts);
        for (const QString &letter : {"R", "L", "A", "P", "S", "I"})
            QVERIFY2(!texts.contains(letter), qPrintable(texts.join(" | ")));
        QVERIFY2(!texts.join(' ').contains(QStringLiteral("1 / 1")) && !texts.join(' ').contains(QStringLiteral("mm")),
                 qPrintable(texts.join(" | ")));
        QVERIFY(texts.contains(QStringLiteral("Image")));

        // The status line: pixels, no patient coordinates; then the pixel size in µm.
        QQuickItem *footer = findItem(window->contentItem(), QStringLiteral("statusValue"))->parentItem();
        QStringList status;
        collectTexts(footer, status);
        QVERIFY2(!status.join(' ').contains(QStringLiteral(" mm")) && status.join(' ').contains(QStringLiteral("] px")),
                 qPrintable(status.join(" | ")));
        QVERIFY2(status.join(' ').contains(QStringLiteral("Level")) && status.join(' ').contains(QStringLiteral("Width")),
                 qPrintable(status.join(" | ")));
        QQuickItem *pixelButton = findItem(window->contentItem(), QStringLiteral("pixelSizeButton"));
        QVERIFY(pixelButton && pixelButton->isVisible());
        QMetaObject::invokeMethod(pixelButton, "clicked");
        QQuickItem *field = nullptr;
        QTRY_VERIFY((field = findItem(window->contentItem(), QStringLiteral("pixelSizeField"))) && field->isVisible());
        field->setProperty("text", QStringLiteral("0.65 furlongs"));
        QMetaObject::invokeMethod(field, "accepted");
        QTRY_VERIFY(findItem(window->contentItem(), QStringLiteral("pixelSizeError"))->property("text").toString().contains(QStringLiteral("furlongs")));
        QCOMPARE(document->lengthUnit(), QStringLiteral("px"));
        field->setProperty("text", QStringLiteral("0.65um"));
        QMetaObject::invokeMethod(field, "accepted");
        QTRY_COMPARE(document->lengthUnit(), QStringLiteral("um"));
        status.clear();
        QTest::qWait(100);
        collectTexts(footer, status);
        QVERIFY2(status.join(' ').contains(QString::fromUtf8("\xc2\xb5m")), qPrintable(status.join(" | ")));

        // Presets: no HU windows on a micrograph.
        QStringList presets;
        for (const QVariant &p : document->windowPresets())
            presets << p.toMap().value(QStringLiteral("id")).toString();
        QCOMPARE(presets, (QStringList{QStringLiteral("percentile"), QStringLiteral("full")}));

        // The grid layout adds the 3D view, which faces the image (seen along its normal).
        area->setProperty("layoutMode", 1); // ViewArea.Layout.Grid
        QQuickItem *view3dPane = findItem(window->contentItem(), QStringLiteral("view3dPane"));
        QTRY_VERIFY(view3dPane->isVisible() && view3dPane->width() > 100);
        QQuickItem *view3d = findItem(window->contentItem(), QStringLiteral("view3d"));
        QVERIFY(view3d);
        QMetaObject::invokeMethod(view3d, "resetView");
        QVERIFY2(std::abs(std::abs(view3d->property("elevation").toDouble()) - 90.0) < 2.0,
                 qPrintable(QString::number(view3d->property("elevation").toDouble())));
        QVERIFY(!findItem(view3d, QStringLiteral("orientation-left")));
    }

    void zoomed_in_pixels_are_blocks_unless_smoothed()
    {
        test::ShellHarness shell;
        QVERIFY2(startOn(shell, QSize(1280, 800)), qPrintable(shell.error()));
        QQuickWindow *window = shell.window();
        QQuickItem *pane = findItem(window->contentItem(), QStringLiteral("axialPane"));
        QQuickItem *view = findItem(pane, QStringLiteral("sliceView"));
        QVERIFY(view);
        QTRY_VERIFY(view->property("renderCount").toInt() > 0);
        // Near fit one pixel covers about one screen pixel: bilinear.
        QVERIFY(!view->property("nearestFiltering").toBool());
        QMetaObject::invokeMethod(view, "zoomAbout", Q_ARG(double, 12.0), Q_ARG(QPointF, QPointF(view->width() / 2, view->height() / 2)));
        QTRY_VERIFY(view->property("pixelsMagnified").toBool());
        QVERIFY(view->property("nearestFiltering").toBool());

        // The zoom label: light text on a dark plate, readable on a grey image.
        QQuickItem *label = findItem(pane, QStringLiteral("zoomLabel"));
        QVERIFY(label && label->isVisible());
        QVERIFY(label->property("text").toString().endsWith(QStringLiteral("%")));
        QVERIFY(label->property("color").value<QColor>().lightnessF() > 0.8);
        QVERIFY(label->parentItem()->property("color").value<QColor>().lightnessF() < 0.2);

        QTest::qWait(300);
        QImage shot = window->grabWindow();
        const QString docsShot = qEnvironmentVariable("CARINA_TWOD_SCREENSHOTS");
        if (!docsShot.isEmpty())
            shot.save(docsShot + QStringLiteral("/screenshot-2d-pixels.png"));
        // Blocks: along a row inside the image, neighbouring screen pixels repeat in runs of
        // about the zoom factor instead of changing at every pixel.
        const QRectF r = sceneRect(view).intersected(view->mapRectToScene(view->property("imageRect").toRectF()));
        const qreal dpr = shot.devicePixelRatio();
        const int y = int((r.center().y() + 7) * dpr);
        int changes = 0, count = 0;
        for (int x = int(r.left() * dpr) + 2; x < int(r.right() * dpr) - 2; ++x, ++count)
            changes += shot.pixel(x, y) != shot.pixel(x + 1, y);
        QVERIFY2(count > 100 && changes < count / 4, qPrintable(QStringLiteral("%1 changes in %2 px").arg(changes).arg(count)));

        QQuickItem *smooth = findItem(pane, QStringLiteral("smoothButton"));
        QVERIFY(smooth && smooth->isVisible());
        QMetaObject::invokeMethod(smooth, "clicked");
        QTRY_VERIFY(!view->property("nearestFiltering").toBool());
        QVERIFY(findItem(window->contentItem(), QStringLiteral("viewArea"))->property("smoothPixels").toBool());
    }

    void label_properties_in_the_pixel_size_unit()
    {
        test::ShellHarness shell;
        QVERIFY2(startOn(shell, QSize(1280, 800)), qPrintable(shell.error()));
        QQuickWindow *window = shell.window();
        Document *document = shell.controller().document();
        QCOMPARE(document->setPixelSize(QStringLiteral("0.5um")), QString());
        QVERIFY(QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, QStringLiteral("labelprops")),
                                          Q_ARG(QVariant, QStringLiteral("Label properties"))));
        QObject *plugin = shell.controller().controllerFor(QStringLiteral("labelprops"));
        QVERIFY(plugin);
        bool started = false;
        QMetaObject::invokeMethod(plugin, "run", Q_RETURN_ARG(bool, started));
        QVERIFY(started);
        auto *task = plugin->property("task").value<TaskRunner *>();
        QTRY_VERIFY_WITH_TIMEOUT(!task->busy(), 60000);
        QVERIFY2(task->error().isEmpty(), qPrintable(task->error()));
        auto *model = qobject_cast<QAbstractItemModel *>(plugin->property("table").value<QObject *>());
        QVERIFY(model);
        const QStringList columns = model->property("allColumns").toStringList();
        QVERIFY2(columns.contains(QStringLiteral("area")) && columns.contains(QStringLiteral("area_um2"))
                     && !columns.contains(QStringLiteral("area_mm2")),
                 qPrintable(columns.join(',')));
        QTest::qWait(500);
        const QString docsShot = qEnvironmentVariable("CARINA_TWOD_SCREENSHOTS");
        if (!docsShot.isEmpty())
            window->grabWindow().save(docsShot + QStringLiteral("/screenshot-2d-labelprops.png"));

        // The panel's last actions are below the drawer's edge at 1280x800: scrolled to, they
        // are whole and inside the drawer.
        QQuickItem *scroll = findItem(window->contentItem(), QStringLiteral("pluginPanelScroll"));
        QVERIFY(scroll);
        const qreal overflow = scroll->property("contentHeight").toReal() - scroll->height();
        QVERIFY2(overflow > 0, "with a table shown the panel is taller than the drawer at 1280x800");
        scroll->setProperty("contentY", overflow);
        QTest::qWait(200);
        for (const char *name : {"deleteButton", "exportCsvButton", "exportLabelsButton"}) {
            QQuickItem *button = findItem(window->contentItem(), QString::fromLatin1(name));
            QVERIFY2(button && button->isVisible(), name);
            QVERIFY2(sceneRect(scroll).contains(sceneRect(button).adjusted(1, 1, -1, -1)), name);
        }
        if (!docsShot.isEmpty())
            window->grabWindow().save(docsShot + QStringLiteral("/screenshot-2d-labelprops-scrolled.png"));
    }
};

QTEST_MAIN(TestFlatImages)
#include "test_flat_images.moc"
