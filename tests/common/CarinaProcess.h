// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace carina::test {

/// What one run of a program (usually the `carina` executable) printed and returned.
struct CarinaRun
{
    int exitCode = -1; ///< -1 when it crashed or did not finish
    QString out;
    QString err;
};

/// Runs `executable` with `arguments`; kills it after `timeoutMs` and says so in `err`.
inline CarinaRun runProcess(const QString &executable, const QStringList &arguments, int timeoutMs,
                            const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(executable, arguments);
    CarinaRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        run.err = QFileInfo(executable).fileName() + QStringLiteral(" did not finish: ") + process.errorString();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace carina::test
