// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/PluginHost.h>

#include <QException>
#include <QObject>
#include <QtCore/private/qobject_p.h>

#include <exception>
#include <new>

namespace carina {

namespace {

// Qt's hook for objects whose meta-object is built at run time (QML uses it for its own
// types): QMetaObject::metacall() hands every call to metaCall() instead of the object's
// qt_metacall(). This one keeps the object's static meta-object and only adds the catch.
struct GuardedMetaObject final : QDynamicMetaObjectData
{
    const QMetaObject *staticMeta = nullptr;
    std::function<void(const QString &)> onError;

    QMetaObject *toDynamicMetaObject(QObject *) override { return const_cast<QMetaObject *>(staticMeta); }

    int metaCall(QObject *object, QMetaObject::Call call, int id, void **arguments) override
    {
        try {
            return object->qt_metacall(call, id, arguments);
        } catch (...) {
            const QString message = currentExceptionMessage();
            if (onError)
                onError(message);
            return -1; // handled: the caller sees a call that produced nothing
        }
    }
};

} // namespace

QString currentExceptionMessage()
{
    try {
        throw;
    } catch (const QUnhandledException &e) {
        // QtConcurrent wraps what a task threw; QFuture::result() rethrows the wrapper.
        if (e.exception()) {
            try {
                std::rethrow_exception(e.exception());
            } catch (...) {
                return currentExceptionMessage();
            }
        }
        return QStringLiteral("an exception in a background task");
    } catch (const std::bad_alloc &) {
        return QStringLiteral("not enough memory");
    } catch (const std::exception &e) {
        const QString what = QString::fromUtf8(e.what());
        return what.isEmpty() ? QStringLiteral("an exception without a message") : what;
    } catch (...) {
        return QStringLiteral("an exception that is not a std::exception");
    }
}

bool guardPluginObject(QObject *object, std::function<void(const QString &message)> onError)
{
    if (!object)
        return false;
    QObjectPrivate *d = QObjectPrivate::get(object);
    if (d->metaObject)
        return false;
    auto *guard = new GuardedMetaObject;
    guard->staticMeta = object->metaObject();
    guard->onError = std::move(onError);
    d->metaObject = guard; // owned by the object from now on: deleted with it (objectDestroyed)
    return true;
}

} // namespace carina
