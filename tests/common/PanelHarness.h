// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/Document.h>
#include <carina/PluginHost.h>
#include <carina/Volume.h>

#include <QPointingDevice>
#include <QQmlComponent>
#include <QQmlEngineExtensionPlugin>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>

#include <memory>

// Panels import Carina.Controls, which the app links in statically: so does every panel test.
Q_IMPORT_QML_PLUGIN(Carina_ControlsPlugin)

#ifndef CARINA_PLUGIN_OUTPUT_DIR
#error "PanelHarness.h needs CARINA_PLUGIN_OUTPUT_DIR, the folder the build puts the plugins in"
#endif

namespace carina::test {

/// A plugin's panel as the shell gets it: the library loaded by the host, the controller bound to
/// a Document, the panel created from panelUrl() out of the library's resources and shown in a
/// window, driven by touch.
///
/// load() and show() return false and set error() instead of failing the test themselves: QVERIFY
/// only returns from the function it is written in, so the test checks them with QVERIFY2. They
/// are two steps so that a test can set the controller up before the panel binds to it.
class PanelHarness
{
public:
    /// Loads plugin `pluginId` from the build tree and makes its controller for `image`.
    [[nodiscard]] bool load(const QString &pluginId, const Volume &image)
    {
        m_host.discover({QStringLiteral(CARINA_PLUGIN_OUTPUT_DIR)});
        const PluginRecord *record = m_host.find(pluginId);
        if (!record || !record->plugin)
            return fail(pluginId + QStringLiteral(" plugin not loaded"));
        m_plugin = record->plugin;
        m_document.setImage(image);
        m_controller = m_plugin->createController(&m_document, &m_document);
        if (!m_controller)
            return fail(pluginId + QStringLiteral(": createController() returned null"));
        return true;
    }

    /// Creates the panel, gives it and the window `size`, and shows the window.
    [[nodiscard]] bool show(QSize size)
    {
        m_engine.addImportPath(QStringLiteral("qrc:/qt/qml")); // Qt 6.4 does not look there itself
        QQmlComponent component(&m_engine, m_plugin->panelUrl());
        if (!component.isReady())
            return fail(component.errorString());
        m_panelObject.reset(component.createWithInitialProperties(
            {{QStringLiteral("controller"), QVariant::fromValue(m_controller)},
             {QStringLiteral("document"), QVariant::fromValue(static_cast<QObject *>(&m_document))}}));
        if (!m_panelObject)
            return fail(component.errorString());
        m_panel = qobject_cast<QQuickItem *>(m_panelObject.get());
        if (!m_panel)
            return fail(QStringLiteral("the panel is not a QQuickItem"));

        m_window.resize(size);
        m_panel->setParentItem(m_window.contentItem());
        m_panel->setSize(size);
        m_window.show();
        if (!QTest::qWaitForWindowExposed(&m_window))
            return fail(QStringLiteral("the panel's window was never exposed"));
        m_touch.reset(QTest::createTouchDevice());
        return true;
    }

    /// One finger pressed and lifted at `local` in `item`'s coordinates.
    void tap(QQuickItem *item, QPointF local)
    {
        const QPoint p = item->mapToScene(local).toPoint();
        QTest::touchEvent(&m_window, m_touch.get()).press(0, p, &m_window);
        QTest::touchEvent(&m_window, m_touch.get()).release(0, p, &m_window);
    }

    /// One finger pressed and lifted at `item`'s centre.
    void tap(QQuickItem *item) { tap(item, QPointF(item->width() / 2, item->height() / 2)); }

    /// One finger pressed at `from` and dragged to `to` in a few steps (`item`'s coordinates).
    void drag(QQuickItem *item, QPointF from, QPointF to)
    {
        const QPoint a = item->mapToScene(from).toPoint();
        QTest::touchEvent(&m_window, m_touch.get()).press(0, a, &m_window);
        for (int step = 1; step <= 5; ++step) {
            const QPointF p = from + (to - from) * (step / 5.0);
            QTest::touchEvent(&m_window, m_touch.get()).move(0, item->mapToScene(p).toPoint(), &m_window);
        }
        QTest::touchEvent(&m_window, m_touch.get()).release(0, item->mapToScene(to).toPoint(), &m_window);
    }

    Document &document() { return m_document; }
    QObject *controller() const { return m_controller; }
    QQuickItem *panel() const { return m_panel; }
    QQuickWindow &window() { return m_window; }
    const QString &error() const { return m_error; }

private:
    bool fail(const QString &error)
    {
        m_error = error;
        return false;
    }

    // Destroyed bottom-up, so the panel goes before the engine that made it, the controller (a
    // child of the document) before the plugin library that holds its code is unloaded.
    PluginHost m_host;
    ProcessingPlugin *m_plugin = nullptr;
    Document m_document;
    QObject *m_controller = nullptr;
    QQmlEngine m_engine;
    std::unique_ptr<QObject> m_panelObject;
    QQuickItem *m_panel = nullptr;
    QQuickWindow m_window;
    std::unique_ptr<QPointingDevice> m_touch;
    QString m_error;
};

} // namespace carina::test
