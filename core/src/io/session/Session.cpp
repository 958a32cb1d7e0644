// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/io/AtomicFile.h>
#include <carina/io/IoError.h>
#include <carina/io/Session.h>

#include "io/MemoryBudget.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <libdeflate.h>
#include <zlib.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace carina::io {

namespace {

static_assert(std::endian::native == std::endian::little, "the session format stores little-endian data");

constexpr const char *kFormat = "carina-session";
constexpr const char *kRunsEncoding = "runs-u16-u32-zlib";
constexpr int kLevel = 6;

// ---------- writing ----------

QByteArray compress(const void *data, std::size_t size)
{
    libdeflate_compressor *c = libdeflate_alloc_compressor(kLevel);
    if (!c)
        throw std::bad_alloc();
    QByteArray out(qsizetype(libdeflate_zlib_compress_bound(c, size)), Qt::Uninitialized);
    const std::size_t n = libdeflate_zlib_compress(c, data, size, out.data(), std::size_t(out.size()));
    libdeflate_free_compressor(c);
    if (n == 0)
        throw std::logic_error("zlib bound too small");
    out.resize(qsizetype(n));
    return out;
}

QJsonArray toArray(const double *v, int n)
{
    QJsonArray a;
    for (int i = 0; i < n; ++i)
        a.append(v[i]);
    return a;
}

QJsonObject blob(const void *data, std::size_t size)
{
    return {{"bytes", double(size)}, {"zlib", QString::fromLatin1(compress(data, size).toBase64())}};
}

QJsonObject geometryJson(const ImageGeometry &g)
{
    double dims[3] = {double(g.dims[0]), double(g.dims[1]), double(g.dims[2])};
    double direction[9];
    for (int c = 0; c < 3; ++c)
        for (int r = 0; r < 3; ++r)
            direction[c * 3 + r] = g.direction(r, c);
    return {{"dims", toArray(dims, 3)},
            {"spacing", toArray(g.spacing.data(), 3)},
            {"origin", toArray(g.origin.data(), 3)},
            {"direction", toArray(direction, 9)}};
}

// ---------- reading ----------

class Reader
{
public:
    Reader(std::string name, const SessionLimits &limits, const TaskContext &context)
        : m_name(std::move(name)), m_limits(limits), m_context(context)
    {
    }

    [[noreturn]] void fail(const std::string &what) const { throw IoError(m_name + ": " + what); }

    QJsonObject object(const QJsonObject &o, const char *key, bool required = true) const
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isObject())
            return v.toObject();
        if (required || !v.isUndefined())
            fail(std::string("damaged session: \"") + key + "\" is missing or not an object");
        return {};
    }
    QJsonArray array(const QJsonObject &o, const char *key, bool required = true) const
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isArray())
            return v.toArray();
        if (required || !v.isUndefined())
            fail(std::string("damaged session: \"") + key + "\" is missing or not a list");
        return {};
    }
    double number(const QJsonObject &o, const char *key, double fallback, bool required = false) const
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() && !required)
            return fallback;
        if (!v.isDouble() || !std::isfinite(v.toDouble()))
            fail(std::string("damaged session: \"") + key + "\" is not a number");
        return v.toDouble();
    }
    std::string string(const QJsonObject &o, const char *key) const
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return {};
        if (!v.isString())
            fail(std::string("damaged session: \"") + key + "\" is not text");
        return v.toString().toStdString();
    }
    bool boolean(const QJsonObject &o, const char *key, bool fallback) const
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return fallback;
        if (!v.isBool())
            fail(std::string("damaged session: \"") + key + "\" is not true/false");
        return v.toBool();
    }
    void numbers(const QJsonObject &o, const char *key, double *out, int n) const
    {
        const QJsonArray a = array(o, key);
        if (a.size() != n)
            fail(std::string("damaged session: \"") + key + "\" needs " + std::to_string(n) + " numbers");
        for (int i = 0; i < n; ++i) {
            if (!a[i].isDouble() || !std::isfinite(a[i].toDouble()))
                fail(std::string("damaged session: \"") + key + "\" holds something other than a number");
            out[i] = a[i].toDouble();
        }
    }

    ImageGeometry geometry(const QJsonObject &o) const
    {
        ImageGeometry g;
        double dims[3];
        numbers(o, "dims", dims, 3);
        double product = 1.0;
        for (int i = 0; i < 3; ++i) {
            if (dims[i] < 1 || dims[i] > 1e6 || std::floor(dims[i]) != dims[i])
                fail("damaged session: image dimensions are not positive whole numbers");
            g.dims[std::size_t(i)] = int(dims[i]);
            product *= dims[i];
        }
        if (product > double(m_limits.maxVoxels))
            fail("the image grid of " + std::to_string(std::uint64_t(product)) + " voxels is larger than "
                 + std::to_string(m_limits.maxVoxels) + ", which this reader accepts");
        numbers(o, "spacing", g.spacing.data(), 3);
        numbers(o, "origin", g.origin.data(), 3);
        double direction[9];
        numbers(o, "direction", direction, 9);
        for (int c = 0; c < 3; ++c)
            for (int r = 0; r < 3; ++r)
                g.direction(r, c) = direction[c * 3 + r];
        if (g.spacing.minCoeff() <= 0.0)
            fail("damaged session: voxel spacing is not positive");
        if ((g.direction.transpose() * g.direction - Eigen::Matrix3d::Identity()).cwiseAbs().maxCoeff() > 1e-3)
            fail("damaged session: the image axes are not orthonormal");
        return g;
    }

    // Inflates a blob of exactly `expected` bytes. Streams into a buffer that grows with what the
    // data really holds, so a lying size cannot make the reader allocate it up front.
    QByteArray inflate(const QJsonObject &o, std::size_t expected, const std::string &what) const
    {
        const double declared = number(o, "bytes", -1.0, true);
        if (declared != double(expected))
            fail("damaged session: " + what + " should hold " + std::to_string(expected) + " bytes");
        const QJsonValue z = o.value(QLatin1String("zlib"));
        if (!z.isString())
            fail("damaged session: " + what + " has no data");
        const QByteArray packed = QByteArray::fromBase64(z.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (packed.isEmpty() && !z.toString().isEmpty())
            fail("damaged session: " + what + " is not base64");

        z_stream stream{};
        if (inflateInit(&stream) != Z_OK)
            throw std::bad_alloc();
        QByteArray out;
        out.reserve(qsizetype(std::min<std::size_t>(expected, std::size_t(packed.size()) * 8 + 4096)));
        stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(packed.constData()));
        stream.avail_in = uInt(packed.size());
        char chunk[1 << 16];
        int rc = Z_OK;
        while (rc != Z_STREAM_END) {
            m_context.throwIfCanceled();
            stream.next_out = reinterpret_cast<Bytef *>(chunk);
            stream.avail_out = sizeof chunk;
            rc = ::inflate(&stream, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END) {
                inflateEnd(&stream);
                fail("damaged session: " + what + " is corrupt (" + std::string(rc == Z_BUF_ERROR ? "truncated" : "bad data") + ")");
            }
            const std::size_t got = sizeof chunk - stream.avail_out;
            if (std::size_t(out.size()) + got > expected) {
                inflateEnd(&stream);
                fail("damaged session: " + what + " holds more data than declared");
            }
            out.append(chunk, qsizetype(got));
        }
        inflateEnd(&stream);
        if (std::size_t(out.size()) != expected)
            fail("damaged session: " + what + " is truncated");
        return out;
    }

    std::shared_ptr<LabelVolume> labels(const QJsonObject &layer, const ImageGeometry &grid, const std::string &what) const
    {
        const QJsonObject voxels = object(layer, "voxels");
        if (string(voxels, "encoding") != kRunsEncoding)
            fail("damaged session: " + what + " has an unknown voxel encoding");
        const double runs = number(voxels, "runs", -1.0, true);
        if (runs < 1 || runs > double(grid.voxelCount()) || std::floor(runs) != runs)
            fail("damaged session: " + what + " has an impossible number of runs");
        const QByteArray data = inflate(voxels, std::size_t(runs) * 6, what);
        auto out = std::make_shared<LabelVolume>(grid);
        std::uint16_t *v = out->data();
        const std::size_t n = out->voxelCount();
        std::size_t at = 0;
        for (std::size_t r = 0; r < std::size_t(runs); ++r) {
            std::uint16_t value;
            std::uint32_t length;
            std::memcpy(&value, data.constData() + r * 6, 2);
            std::memcpy(&length, data.constData() + r * 6 + 2, 4);
            if (length == 0 || length > n - at)
                fail("damaged session: the runs of " + what + " do not cover the grid exactly");
            std::fill(v + at, v + at + length, value);
            at += length;
        }
        if (at != n)
            fail("damaged session: the runs of " + what + " do not cover the grid exactly");

        for (const QJsonValue &entry : array(layer, "labels", false)) {
            if (!entry.isObject())
                fail("damaged session: a label entry of " + what + " is not an object");
            const QJsonObject e = entry.toObject();
            const double id = number(e, "id", -1.0, true);
            if (id < 1 || id > 65535 || std::floor(id) != id)
                fail("damaged session: a label id of " + what + " is not 1..65535");
            double rgb[3];
            numbers(e, "rgb", rgb, 3);
            LabelInfo info;
            info.id = std::uint16_t(id);
            info.name = string(e, "name");
            for (int c = 0; c < 3; ++c) {
                if (rgb[c] < 0 || rgb[c] > 255)
                    fail("damaged session: a label colour of " + what + " is not 0..255");
                info.rgb[std::size_t(c)] = std::uint8_t(rgb[c]);
            }
            info.visible = boolean(e, "visible", true);
            out->table().set(info);
        }
        return out;
    }

    template<typename T> std::vector<T> values(const QJsonObject &mesh, const char *key, std::size_t count, const std::string &what) const
    {
        const QByteArray bytes = inflate(object(mesh, key), count * sizeof(T), what + " " + key);
        std::vector<T> out(count);
        if (count)
            std::memcpy(out.data(), bytes.constData(), count * sizeof(T));
        return out;
    }

    std::shared_ptr<Mesh> mesh(const QJsonObject &o, const std::string &what) const
    {
        auto mesh = std::make_shared<Mesh>();
        mesh->name = string(o, "name");
        const double vertices = number(o, "vertexCount", -1.0, true);
        const double triangles = number(o, "triangleCount", -1.0, true);
        if (vertices < 0 || triangles < 0 || std::floor(vertices) != vertices || std::floor(triangles) != triangles
            || vertices > double(m_limits.maxMeshVertices) || triangles > 2.0 * double(m_limits.maxMeshVertices) + 8)
            fail("damaged session: " + what + " has impossible vertex or triangle counts");
        const auto nv = std::size_t(vertices);
        const auto nt = std::size_t(triangles);
        mesh->vertices = values<float>(o, "vertices", nv * 3, what);
        if (o.contains(QLatin1String("normals")))
            mesh->normals = values<float>(o, "normals", nv * 3, what);
        mesh->triangles = values<std::uint32_t>(o, "triangles", nt * 3, what);
        for (std::uint32_t index : mesh->triangles)
            if (index >= nv)
                fail("damaged session: " + what + " has a triangle with a vertex that does not exist");
        for (float f : mesh->vertices)
            if (!std::isfinite(f))
                fail("damaged session: " + what + " has a vertex that is not a number");
        double colour[3];
        numbers(o, "colour", colour, 3);
        for (int c = 0; c < 3; ++c)
            mesh->colour[std::size_t(c)] = float(std::clamp(colour[c], 0.0, 1.0));
        mesh->opacity = float(std::clamp(number(o, "opacity", 1.0), 0.0, 1.0));
        mesh->visible = boolean(o, "visible", true);
        return mesh;
    }

private:
    std::string m_name;
    SessionLimits m_limits;
    const TaskContext &m_context;
};

} // namespace

EncodedLabels encodeLabels(const LabelVolume &labels, const TaskContext &context)
{
    // (value, run length) pairs: a painted layer is a few thousand runs, not 78 M voxels.
    EncodedLabels out;
    out.dims = labels.dims();
    out.table = labels.table();
    const std::uint16_t *v = labels.data();
    const std::size_t n = labels.voxelCount();
    std::size_t i = 0;
    while (i < n) {
        if ((out.runCount & 0xffff) == 0)
            context.throwIfCanceled();
        const std::uint16_t value = v[i];
        const std::size_t stop = std::min(n, i + std::size_t(std::numeric_limits<std::uint32_t>::max()));
        std::size_t j = i + 1;
        // Four voxels per step through the long runs (mostly background).
        const std::uint64_t four = std::uint64_t(value) * 0x0001000100010001ull;
        while (j + 4 <= stop) {
            std::uint64_t word;
            std::memcpy(&word, v + j, 8);
            if (word != four)
                break;
            j += 4;
        }
        while (j < stop && v[j] == value)
            ++j;
        const auto length = std::uint32_t(j - i);
        char record[6];
        std::memcpy(record, &value, 2);
        std::memcpy(record + 2, &length, 4);
        out.runs.append(record, 6);
        ++out.runCount;
        i = j;
    }
    return out;
}

std::string imageFingerprint(const Volume &volume, const TaskContext &context)
{
    if (volume.isNull())
        return {};
    QCryptographicHash hash(QCryptographicHash::Md5);
    const std::string shape = std::string(voxelTypeName(volume.type())) + "/" + std::to_string(volume.channels()) + "/"
        + std::to_string(volume.dims()[0]) + "x" + std::to_string(volume.dims()[1]) + "x" + std::to_string(volume.dims()[2]);
    hash.addData(QByteArrayView(shape.data(), qsizetype(shape.size())));
    const auto *bytes = static_cast<const char *>(volume.rawData());
    const std::size_t total = volume.byteSize();
    constexpr std::size_t chunk = std::size_t(64) << 20;
    for (std::size_t at = 0; at < total; at += chunk) {
        context.throwIfCanceled();
        hash.addData(QByteArrayView(bytes + at, qsizetype(std::min(chunk, total - at))));
    }
    return "md5:" + hash.result().toHex().toStdString();
}

QByteArray serialiseSession(const Session &session, const TaskContext &context)
{
    QJsonObject image{{"path", QString::fromStdString(session.image.path)},
                      {"fingerprint", QString::fromStdString(session.image.fingerprint)},
                      {"description", QString::fromStdString(session.image.description)},
                      {"modality", QString::fromStdString(session.image.modality)},
                      {"grid", geometryJson(session.image.geometry)}};
    if (!session.image.lengthUnit.empty())
        image.insert(QStringLiteral("lengthUnit"), QString::fromStdString(session.image.lengthUnit));

    QJsonArray layers;
    for (const SessionLayer &layer : session.layers) {
        const EncodedLabels encoded = layer.encoded ? *layer.encoded
            : layer.labels                          ? encodeLabels(*layer.labels, context)
                                                    : EncodedLabels{};
        if (encoded.dims != session.image.geometry.dims || encoded.runCount == 0)
            throw IoError("cannot save the session: layer \"" + layer.name + "\" is not on the image's grid");
        QJsonObject voxels = blob(encoded.runs.constData(), std::size_t(encoded.runs.size()));
        voxels.insert("encoding", QLatin1String(kRunsEncoding));
        voxels.insert("runs", double(encoded.runCount));
        QJsonArray labels;
        for (const LabelInfo &e : encoded.table.entries()) {
            const double rgb[3] = {double(e.rgb[0]), double(e.rgb[1]), double(e.rgb[2])};
            labels.append(QJsonObject{{"id", int(e.id)},
                                      {"name", QString::fromStdString(e.name)},
                                      {"rgb", toArray(rgb, 3)},
                                      {"visible", e.visible}});
        }
        layers.append(QJsonObject{{"name", QString::fromStdString(layer.name)},
                                  {"opacity", layer.opacity},
                                  {"visible", layer.visible},
                                  {"labels", labels},
                                  {"voxels", voxels}});
    }

    QJsonArray meshes;
    for (const auto &mesh : session.meshes) {
        if (!mesh)
            continue;
        context.throwIfCanceled();
        const double colour[3] = {mesh->colour[0], mesh->colour[1], mesh->colour[2]};
        QJsonObject m{{"name", QString::fromStdString(mesh->name)},
                      {"vertexCount", double(mesh->vertexCount())},
                      {"triangleCount", double(mesh->triangleCount())},
                      {"colour", toArray(colour, 3)},
                      {"opacity", double(mesh->opacity)},
                      {"visible", mesh->visible},
                      {"vertices", blob(mesh->vertices.data(), mesh->vertexCount() * 3 * sizeof(float))},
                      {"triangles", blob(mesh->triangles.data(), mesh->triangleCount() * 3 * sizeof(std::uint32_t))}};
        if (mesh->normals.size() == mesh->vertexCount() * 3 && !mesh->normals.empty())
            m.insert("normals", blob(mesh->normals.data(), mesh->normals.size() * sizeof(float)));
        meshes.append(m);
    }

    QJsonObject root{{"format", QLatin1String(kFormat)},
                     {"version", sessionFormatVersion},
                     {"saved", QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                     {"anonymised", session.anonymised},
                     {"image", image},
                     {"view", QJsonObject{{"cursor", toArray(session.cursor.data(), 3)},
                                          {"windowCenter", session.windowCenter},
                                          {"windowWidth", session.windowWidth}}},
                     {"layers", layers},
                     {"meshes", meshes},
                     {"plugins", session.plugins}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Session parseSession(const QByteArray &bytes, const std::string &name, const SessionLimits &limits,
                     const TaskContext &context)
{
    const Reader r(name, limits, context);
    if (std::size_t(bytes.size()) > limits.maxFileBytes)
        r.fail("the file is larger than a session can be (" + std::to_string(bytes.size()) + " bytes)");
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        r.fail("not a Carina session (not JSON: " + error.errorString().toStdString() + " at byte "
               + std::to_string(error.offset) + ")");
    const QJsonObject root = document.object();
    if (root.value(QLatin1String("format")).toString() != QLatin1String(kFormat))
        r.fail("not a Carina session (no \"format\": \"carina-session\")");
    const double version = r.number(root, "version", -1.0, true);
    if (version < 1 || std::floor(version) != version)
        r.fail("damaged session: invalid format version");
    if (version > sessionFormatVersion)
        r.fail("saved by a newer Carina (session format " + std::to_string(int(std::min(version, 1e6)))
               + "; this version reads up to " + std::to_string(sessionFormatVersion) + ")");

    Session s;
    s.anonymised = r.boolean(root, "anonymised", false);
    const QJsonObject image = r.object(root, "image");
    s.image.path = r.string(image, "path");
    s.image.fingerprint = r.string(image, "fingerprint");
    s.image.description = r.string(image, "description");
    s.image.modality = r.string(image, "modality");
    s.image.lengthUnit = r.string(image, "lengthUnit");
    s.image.geometry = r.geometry(r.object(image, "grid"));

    const QJsonObject view = r.object(root, "view", false);
    if (!view.isEmpty()) {
        r.numbers(view, "cursor", s.cursor.data(), 3);
        s.windowCenter = r.number(view, "windowCenter", s.windowCenter);
        s.windowWidth = r.number(view, "windowWidth", s.windowWidth);
    }

    const QJsonArray layers = r.array(root, "layers", false);
    {
        // Each layer is a full label grid, however few runs describe it: a few kilobytes of
        // one-run layers may declare more label memory than the machine has. Checked before any.
        const auto &d = s.image.geometry.dims;
        detail::checkFitsInMemory(double(layers.size()) * double(s.image.geometry.voxelCount()) * double(sizeof(std::uint16_t)),
                                  name + ": " + std::to_string(layers.size()) + " label layers of " + std::to_string(d[0]) + " x "
                                      + std::to_string(d[1]) + " x " + std::to_string(d[2]) + " voxels");
    }
    for (qsizetype i = 0; i < layers.size(); ++i) {
        if (!layers[i].isObject())
            r.fail("damaged session: layer " + std::to_string(i + 1) + " is not an object");
        const QJsonObject o = layers[i].toObject();
        SessionLayer layer;
        layer.name = r.string(o, "name");
        layer.opacity = std::clamp(r.number(o, "opacity", 0.5), 0.0, 1.0);
        layer.visible = r.boolean(o, "visible", true);
        layer.labels = r.labels(o, s.image.geometry, "layer " + std::to_string(i + 1) + " (\"" + layer.name + "\")");
        s.layers.push_back(std::move(layer));
    }
    const QJsonArray meshes = r.array(root, "meshes", false);
    for (qsizetype i = 0; i < meshes.size(); ++i) {
        if (!meshes[i].isObject())
            r.fail("damaged session: mesh " + std::to_string(i + 1) + " is not an object");
        s.meshes.push_back(r.mesh(meshes[i].toObject(), "mesh " + std::to_string(i + 1)));
    }
    s.plugins = r.object(root, "plugins", false);
    return s;
}

void writeSession(const Session &session, const std::string &path, const TaskContext &context)
{
    const QByteArray bytes = serialiseSession(session, context);
    context.throwIfCanceled();
    writeFileAtomically(path, bytes.constData(), std::size_t(bytes.size()));
}

Session readSession(const std::string &path, const SessionLimits &limits, const TaskContext &context)
{
    QFile file(QString::fromStdString(path));
    if (!file.exists())
        throw IoError(path + ": no such file");
    if (std::size_t(file.size()) > limits.maxFileBytes)
        throw IoError(path + ": the file is larger than a session can be (" + std::to_string(file.size()) + " bytes)");
    if (!file.open(QIODevice::ReadOnly))
        throw IoError(path + ": cannot read: " + file.errorString().toStdString());
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        throw IoError(path + ": cannot read: " + file.errorString().toStdString());
    return parseSession(bytes, path, limits, context);
}

std::vector<std::string> identifyingFields(const Session &session)
{
    std::vector<std::string> out;
    if (!session.image.path.empty())
        out.push_back("image location: " + session.image.path);
    if (!session.image.description.empty())
        out.push_back("series description: " + session.image.description);
    return out;
}

void anonymise(Session &session)
{
    session.image.path.clear();
    session.image.description.clear();
    session.anonymised = true;
}

} // namespace carina::io
