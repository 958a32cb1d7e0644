// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Every plugin's panel lays out inside the shell's drawer, at 1280x800 (side drawer) and at
// 800x1280 (bottom sheet), with its result shown: no control or text reaches past the drawer's
// edge, where it would be cut off. A list or table that scrolls sideways by design is exempt.
#include "AppController.h"
#include "GuiMain.h"
#include "QuickItemSearch.h"
#include "ShellHarness.h"

#include <carina/Document.h>
#include <carina/PluginHost.h>
#include <carina/TaskRunner.h>

#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace carina;
using carina::test::findItem;

namespace {

// Visible items whose right edge passes `limit` (scene x), as "objectName/class at x..y".
void collectOverflow(QQuickItem *item, qreal limit, QStringList &out)
{
    if (!item->isVisible() || item->opacity() == 0.0)
        return;
    // Material's shadows and ripples reach past a control on purpose: decoration, not content.
    const QString type = QString::fromLatin1(item->metaObject()->className());
    if (type.startsWith(QLatin1String("ElevationEffect")) || type.startsWith(QLatin1String("Ripple")))
        return;
    const QRectF r = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
    if (r.width() > 0 && r.right() > limit + 1.0) {
        QString chain;
        for (QQuickItem *p = item->parentItem(); p && chain.size() < 300; p = p->parentItem())
            chain += QStringLiteral(" < %1 %2").arg(QString::fromLatin1(p->metaObject()->className()), p->objectName());
        out << QStringLiteral("%1 (%2) ends at %3 > %4%5")
                   .arg(item->objectName().isEmpty() ? QStringLiteral("-") : item->objectName(),
                        QString::fromLatin1(item->metaObject()->className()))
                   .arg(r.right())
                   .arg(limit)
                   .arg(chain);
    }
    // A Flickable wider inside than out scrolls sideways: its content may be wider on purpose.
    const bool scrollsSideways = item->inherits("QQuickFlickable")
                                 && item->property("contentWidth").toReal() > item->width() + 1.0;
    if (scrollsSideways)
        return;
    if (item->clip()) // what a clipping item hides of its children is its own business
        limit = std::min(limit, r.right());
    for (QQuickItem *child : item->childItems())
        collectOverflow(child, limit, out);
}

// Whether `item` lies inside a control that shows part of its content by design: a table or
// list that scrolls (its cells elide), or a text field (its text scrolls).
bool insideScrollingContent(const QQuickItem *item, const QQuickItem *stop)
{
    for (const QQuickItem *p = item->parentItem(); p && p != stop; p = p->parentItem())
        if (p->inherits("QQuickTableView") || p->inherits("QQuickListView") || p->inherits("QQuickTextInput")
            || p->inherits("QQuickTextField"))
            return true;
    return false;
}

// Button, switch and label texts a panel shows cut short ("Dark obje…"), as "text (class)".
void collectTruncated(QQuickItem *item, const QQuickItem *panel, QStringList &out)
{
    if (!item->isVisible() || item->opacity() == 0.0)
        return;
    if (item->inherits("QQuickText") && item->property("truncated").toBool() && !insideScrollingContent(item, panel)
        && !item->objectName().endsWith(QLatin1String("Elided")))
        out << QStringLiteral("\"%1\" (%2 %3)").arg(item->property("text").toString(),
                                                   QString::fromLatin1(item->parentItem()->metaObject()->className()),
                                                   item->parentItem()->objectName());
    for (QQuickItem *child : item->childItems())
        collectTruncated(child, panel, out);
}

// Every visible button of the panel (not those inside tables or lists), in tree order.
void collectButtons(QQuickItem *item, const QQuickItem *panel, QList<QQuickItem *> &out)
{
    if (!item->isVisible() || item->opacity() == 0.0)
        return;
    if (item->inherits("QQuickAbstractButton") && !insideScrollingContent(item, panel)) {
        out << item;
        return; // a button's own children (its indicator) are not buttons to reach
    }
    for (QQuickItem *child : item->childItems())
        collectButtons(child, panel, out);
}

} // namespace

class TestPanelsFit : public QObject
{
    Q_OBJECT
    QTemporaryDir m_home;

    // The shell on the bundled sample, with folders of this run's own: one run's region must not
    // greet the next as a crash.
    bool startOnSample(test::ShellHarness &shell, QSize size)
    {
        test::useTestFolders(m_home, QString::fromLatin1(QTest::currentTestFunction()) + QLatin1Char('-')
                                         + QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_'));
        return shell.start(size) && shell.open(findBundledSample());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("CarinaTests"));
        configureShellStyle();
    }

    void every_panel_fits_its_drawer_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("landscape 1280x800") << QSize(1280, 800);
        QTest::newRow("portrait 800x1280") << QSize(800, 1280);
    }

    void every_panel_fits_its_drawer()
    {
        QFETCH(QSize, size);
        if (findBundledSample().isEmpty())
            QSKIP("the bundled sample (data/sample/lungpetctdx-a0002) is missing");
        test::ShellHarness shell;
        QVERIFY2(startOnSample(shell, size), qPrintable(shell.error()));
        AppController &controller = shell.controller();
        QQuickWindow *window = shell.window();
        QTRY_COMPARE(window->property("portrait").toBool(), size.height() > size.width());

        int checked = 0;
        const PluginListModel *plugins = controller.plugins();
        for (int row = 0; row < plugins->rowCount(); ++row) {
            const QModelIndex index = plugins->index(row);
            if (!plugins->data(index, PluginListModel::LoadedRole).toBool())
                continue;
            const QString id = plugins->data(index, PluginListModel::IdRole).toString();
            QVERIFY(QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, id),
                                              Q_ARG(QVariant, plugins->data(index, PluginListModel::NameRole))));
            QQuickItem *loader = nullptr;
            QTRY_VERIFY((loader = findItem(window->contentItem(), QStringLiteral("pluginPanelLoader"))) != nullptr);
            QTRY_VERIFY(loader->property("source").toUrl() == controller.panelUrlFor(id)
                        && loader->property("item").value<QQuickItem *>() != nullptr);
            QQuickItem *panel = loader->property("item").value<QQuickItem *>();

            // A result on show, as a user sees the panel after running it.
            QObject *plugin = controller.controllerFor(id);
            QVERIFY(plugin);
            if (id == QLatin1String("ggo"))
                QMetaObject::invokeMethod(plugin, "regionAroundCursor", Q_ARG(double, 50.0));
            // run() for most plugins, compute() for the superpixels.
            for (const char *action : {"run", "compute"}) {
                if (plugin->metaObject()->indexOfMethod(QByteArray(action) + "()") < 0)
                    continue;
                auto *task = plugin->property("task").value<TaskRunner *>();
                bool started = false;
                QMetaObject::invokeMethod(plugin, action, Q_RETURN_ARG(bool, started));
                if (started && task)
                    QTRY_VERIFY_WITH_TIMEOUT(!task->busy(), 120000);
            }
            QTest::qWait(300); // the panel lays out what the result shows

            // The drawer's content: the loader's parent column spans the drawer.
            QQuickItem *drawerContent = loader->parentItem();
            QVERIFY(drawerContent);
            const qreal limit = drawerContent->mapRectToScene(QRectF(0, 0, drawerContent->width(), 1)).right();
            // Screenshots only on request: grabWindow() waits for the render thread, which can
            // stall behind Scene3D's renderer under a loaded llvmpipe (seen with ctest -j2).
            if (qEnvironmentVariableIsSet("CARINA_PANEL_SCREENSHOTS"))
                window->grabWindow().save(QStringLiteral(CARINA_BINARY_DIR "/panel-%1-%2x%3.png").arg(id).arg(size.width()).arg(size.height()));
            QStringList overflow;
            collectOverflow(panel, limit, overflow);
            QVERIFY2(overflow.isEmpty(), qPrintable(id + QStringLiteral(": ") + overflow.join(QStringLiteral("; "))));
            QStringList truncated;
            collectTruncated(panel, panel, truncated);
            QVERIFY2(truncated.isEmpty(), qPrintable(id + QStringLiteral(" cuts short: ") + truncated.join(QStringLiteral("; "))));

            // Every button can be scrolled into the drawer's view, whole: a panel taller than
            // the drawer scrolls instead of leaving its last actions below the screen's edge.
            auto *scroll = qobject_cast<QQuickItem *>(findItem(window->contentItem(), QStringLiteral("pluginPanelScroll")));
            QVERIFY(scroll);
            const QRectF viewport = scroll->mapRectToScene(QRectF(0, 0, scroll->width(), scroll->height()));
            QList<QQuickItem *> buttons;
            collectButtons(panel, panel, buttons);
            QVERIFY2(!buttons.isEmpty(), qPrintable(id));
            const qreal maxY = std::max(0.0, scroll->property("contentHeight").toReal() - scroll->height());
            for (QQuickItem *button : buttons) {
                const QRectF inContent = button->mapRectToItem(panel, QRectF(0, 0, button->width(), button->height()));
                scroll->setProperty("contentY", std::clamp(inContent.center().y() - scroll->height() / 2, 0.0, maxY));
                const QRectF r = button->mapRectToScene(QRectF(0, 0, button->width(), button->height()));
                const QString name = button->objectName().isEmpty() ? button->property("text").toString() : button->objectName();
                QVERIFY2(r.top() >= viewport.top() - 1.0 && r.bottom() <= viewport.bottom() + 1.0
                             && r.left() >= viewport.left() - 1.0 && r.right() <= viewport.right() + 1.0,
                         qPrintable(QStringLiteral("%1: button \"%2\" at %3,%4 %5x%6 cannot be brought inside the panel's view %7,%8 %9x%10")
                                        .arg(id, name).arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height())
                                        .arg(viewport.x()).arg(viewport.y()).arg(viewport.width()).arg(viewport.height())));
            }
            scroll->setProperty("contentY", 0.0);
            qInfo("%s at %dx%d: fits in %.0f px, %lld buttons reachable (content %.0f px in a %.0f px view)", qPrintable(id),
                  size.width(), size.height(), drawerContent->width(), qlonglong(buttons.size()),
                  scroll->property("contentHeight").toReal(), scroll->height());
            ++checked;
        }
        QVERIFY(checked >= 4);
    }

    // The views make room for an open panel instead of lying under it; in portrait the sheet
    // folds down to its title bar and the views get at least half the height.
    void views_make_room_for_the_panel_data() { every_panel_fits_its_drawer_data(); }
    void views_make_room_for_the_panel()
    {
        QFETCH(QSize, size);
        if (findBundledSample().isEmpty())
            QSKIP("the bundled sample (data/sample/lungpetctdx-a0002) is missing");
        test::ShellHarness shell;
        QVERIFY2(startOnSample(shell, size), qPrintable(shell.error()));
        AppController &controller = shell.controller();
        QQuickWindow *window = shell.window();
        const bool portrait = size.height() > size.width();
        QTRY_COMPARE(window->property("portrait").toBool(), portrait);
        QVERIFY(QMetaObject::invokeMethod(window, "openPlugin", Q_ARG(QVariant, QStringLiteral("lungmesh")),
                                          Q_ARG(QVariant, QStringLiteral("Lung mesh"))));
        QQuickItem *loader = nullptr;
        QTRY_VERIFY((loader = findItem(window->contentItem(), QStringLiteral("pluginPanelLoader"))) != nullptr);
        QQuickItem *views = findItem(window->contentItem(), QStringLiteral("viewArea"));
        QVERIFY(views);
        QQuickItem *drawer = loader->parentItem();
        const auto sceneRect = [](QQuickItem *item) { return item->mapRectToScene(QRectF(0, 0, item->width(), item->height())); };
        // Once the drawer has slid in, the views end where it begins.
        QTRY_VERIFY2(portrait ? sceneRect(views).bottom() <= sceneRect(drawer).top() + 1.0
                              : sceneRect(views).right() <= sceneRect(drawer).left() + 1.0,
                     qPrintable(QStringLiteral("views %1, drawer %2").arg(sceneRect(views).bottom()).arg(sceneRect(drawer).top())));
        if (!portrait)
            return;
        QQuickItem *handle = findItem(window->contentItem(), QStringLiteral("sheetHandle"));
        QVERIFY(handle && handle->isVisible());
        QMetaObject::invokeMethod(handle, "clicked");
        QTRY_VERIFY(window->property("sheetCollapsed").toBool());
        QTRY_VERIFY2(views->height() >= window->height() / 2.0, qPrintable(QString::number(views->height())));
        QTest::qWait(500);
        QQuickItem *header = handle->parentItem();
        qInfo("folded: views %.0f px high, the sheet's title bar at y %.0f..%.0f", views->height(), sceneRect(header).top(), sceneRect(header).bottom());
        QVERIFY2(header->isVisible() && sceneRect(header).bottom() <= window->height() && sceneRect(header).top() >= sceneRect(views).bottom() - 1.0,
                 "the folded sheet's title bar is on screen below the views");
        QVERIFY(window->grabWindow().save(QStringLiteral(CARINA_BINARY_DIR "/panel-folded-800x1280.png")));
    }

    // Closing the drawing tools gives one finger back to paging; opening them again brings back
    // the tool the user had picked instead of Pan/zoom.
    void the_draw_panel_remembers_its_tool()
    {
        if (findBundledSample().isEmpty())
            QSKIP("the bundled sample (data/sample/lungpetctdx-a0002) is missing");
        test::ShellHarness shell;
        QVERIFY2(startOnSample(shell, QSize(1280, 800)), qPrintable(shell.error()));
        QQuickItem *draw = findItem(shell.window()->contentItem(), QStringLiteral("drawButton"));
        QObject *tools = shell.window()->findChild<QObject *>(QStringLiteral("annotationController"));
        QVERIFY(draw && tools);
        const int navigate = 0, lasso = 1; // AnnotationController::Tool
        QVERIFY(draw->setProperty("checked", true));
        QVERIFY(tools->setProperty("tool", lasso));
        QVERIFY(draw->setProperty("checked", false));
        QCOMPARE(tools->property("tool").toInt(), navigate);
        QVERIFY(draw->setProperty("checked", true));
        QCOMPARE(tools->property("tool").toInt(), lasso);
    }
};

QTEST_MAIN(TestPanelsFit)
#include "test_panels_fit.moc"
