// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>
#include <carina/Version.h>

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <vector>

namespace carina {

class Document;

/// A command a plugin offers to `carina --headless NAME ARGS...`.
///
/// `run` gets the arguments after NAME, prints machine-readable output on stdout, messages on
/// stderr, and returns the process exit code (0 = the case succeeded). It runs on the main
/// thread of a QCoreApplication (no GUI) and may block.
struct CARINA_CORE_EXPORT HeadlessCommand
{
    QString name;    ///< stable id, e.g. "lungmesh"; unique across plugins
    QString summary; ///< one line for `carina --help`
    QString usage;   ///< argument synopsis, e.g. "INPUT --output FILE.stl"
    std::function<int(const QStringList &arguments)> run;
};

/// The interface every Carina processing plugin implements (the SDK contract).
///
/// A plugin is a Qt plugin whose class derives from QObject and this interface, declared with
/// `Q_PLUGIN_METADATA(IID CARINA_PLUGIN_IID FILE "<id>.json")` and `Q_INTERFACES(carina::ProcessingPlugin)`.
/// The JSON (read by the host without loading the library) holds id, name, description,
/// version, sdkVersion, icon and inputs. Keep the plugin class small: it hands out a panel, a
/// controller and headless commands; the feature lives in the controller and in core algorithms.
class CARINA_CORE_EXPORT ProcessingPlugin
{
public:
    virtual ~ProcessingPlugin();

    /// URL of the plugin's QML panel (from its own QML module, e.g.
    /// "qrc:/qt/qml/Carina/Plugins/Intensity/IntensityPanel.qml"). The panel gets a
    /// `controller` property (the object createController() returned) and a `document` property.
    virtual QUrl panelUrl() const = 0;

    /// A new controller bound to `document`, owned by `parent`. Called on the UI thread; the
    /// controller exposes parameters as Q_PROPERTYs and actions as Q_INVOKABLEs for the panel.
    virtual QObject *createController(Document *document, QObject *parent) = 0;

    /// Commands for the command line; none by default.
    virtual std::vector<HeadlessCommand> headlessCommands() const;
};

} // namespace carina

#define CARINA_PLUGIN_IID "org.carina.ProcessingPlugin/1"
Q_DECLARE_INTERFACE(carina::ProcessingPlugin, CARINA_PLUGIN_IID)
