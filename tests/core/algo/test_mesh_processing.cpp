// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Taubin smoothing, quadric decimation and the STL/OBJ/PLY writers on marching-cubes spheres and
// tori, whose exact volume, area and topology are known.
#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/TaskContext.h>
#include <carina/algo/MarchingCubes.h>
#include <carina/algo/MeshDecimation.h>
#include <carina/algo/MeshSmoothing.h>
#include <carina/io/IoError.h>
#include <carina/io/MeshWriter.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

using namespace carina;

namespace {

// A ball of radius `r` mm (or a torus with tube radius r around a ring of radius R) on a
// 1 x 1 x 1.5 mm grid.
LabelVolume solid(double r, double ringRadius = 0.0)
{
    ImageGeometry g;
    g.dims = {64, 64, 44};
    g.spacing = {1.0, 1.0, 1.5};
    g.origin = {-31.5, -31.5, -32.25};
    LabelVolume labels(g);
    for (int k = 0; k < g.dims[2]; ++k)
        for (int j = 0; j < g.dims[1]; ++j)
            for (int i = 0; i < g.dims[0]; ++i) {
                const Eigen::Vector3d p = g.indexToPhysical(Eigen::Vector3d(i, j, k));
                bool inside;
                if (ringRadius > 0) {
                    const double q = std::hypot(p.x(), p.y()) - ringRadius;
                    inside = q * q + p.z() * p.z() <= r * r;
                } else {
                    inside = p.squaredNorm() <= r * r;
                }
                if (inside)
                    labels.set(i, j, k, 1);
            }
    return labels;
}

// Closed, consistently oriented 2-manifold: every undirected edge in exactly two triangles, once
// in each direction, and every vertex's faces form one fan. Returns the Euler characteristic.
int checkClosedManifold(const Mesh &mesh)
{
    std::map<std::pair<std::uint32_t, std::uint32_t>, int> directed;
    std::vector<std::vector<std::uint32_t>> faces(mesh.vertexCount());
    for (std::size_t t = 0; t < mesh.triangleCount(); ++t) {
        const std::uint32_t *tri = &mesh.triangles[3 * t];
        if (tri[0] == tri[1] || tri[1] == tri[2] || tri[0] == tri[2])
            return INT_MIN;
        for (int k = 0; k < 3; ++k) {
            ++directed[{tri[k], tri[(k + 1) % 3]}];
            faces[tri[k]].push_back(std::uint32_t(t));
        }
    }
    for (const auto &[edge, count] : directed) {
        if (count != 1)
            return INT_MIN;
        const auto reverse = directed.find({edge.second, edge.first});
        if (reverse == directed.end() || reverse->second != 1)
            return INT_MIN;
    }
    // Vertex manifold: walking around v from one face through shared edges reaches all its faces.
    std::size_t used = 0;
    for (std::uint32_t v = 0; v < faces.size(); ++v) {
        if (faces[v].empty())
            continue;
        ++used;
        std::map<std::uint32_t, std::uint32_t> next; // outgoing neighbour -> following neighbour
        for (std::uint32_t t : faces[v]) {
            const std::uint32_t *tri = &mesh.triangles[3 * t];
            const int at = tri[0] == v ? 0 : tri[1] == v ? 1 : 2;
            next[tri[(at + 1) % 3]] = tri[(at + 2) % 3];
        }
        std::uint32_t w = next.begin()->first;
        std::size_t steps = 0;
        do {
            w = next.at(w);
            ++steps;
        } while (w != next.begin()->first && steps <= next.size());
        if (steps != next.size())
            return INT_MIN;
    }
    return int(used) - int(directed.size() / 2) + int(mesh.triangleCount());
}

std::string readAll(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

} // namespace

class TestMeshProcessing : public QObject
{
    Q_OBJECT

private slots:
    void taubinKeepsVolumeAndRemovesTheStaircase()
    {
        Mesh mesh = algo::marchingCubesLabel(solid(20.0), 1);
        const double exactVolume = 4.0 / 3.0 * M_PI * 8000.0, exactArea = 4.0 * M_PI * 400.0;
        const double volumeBefore = mesh.enclosedVolume(), areaBefore = mesh.surfaceArea();
        const std::size_t triangles = mesh.triangleCount();
        algo::taubinSmooth(mesh, {.iterations = 20});
        QCOMPARE(mesh.triangleCount(), triangles);
        const double volumeAfter = mesh.enclosedVolume(), areaAfter = mesh.surfaceArea();
        qInfo("sphere r=20: volume %.0f -> %.0f (exact %.0f), area %.0f -> %.0f (exact %.0f)", volumeBefore,
              volumeAfter, exactVolume, areaBefore, areaAfter, exactArea);
        // Taubin's point: no shrinkage (plain Laplacian smoothing loses several percent here).
        QVERIFY(std::abs(volumeAfter - volumeBefore) < 0.01 * volumeBefore);
        QVERIFY(std::abs(volumeAfter - exactVolume) < 0.02 * exactVolume);
        // The staircase made the area too large; smoothing brings it closer to the sphere's.
        QVERIFY(std::abs(areaAfter - exactArea) < std::abs(areaBefore - exactArea));
        QVERIFY(checkClosedManifold(mesh) == 2);
        QCOMPARE(mesh.normals.size(), mesh.vertices.size());
    }

    void taubinHonoursCancel()
    {
        Mesh mesh = algo::marchingCubesLabel(solid(10.0), 1);
        TaskContext context;
        context.cancel();
        QVERIFY_THROWS_EXCEPTION(TaskCanceled, algo::taubinSmooth(mesh, {}, context));
    }

    void decimationKeepsASphereClosedAndRound()
    {
        Mesh mesh = algo::marchingCubesLabel(solid(20.0), 1);
        algo::taubinSmooth(mesh, {.iterations = 10});
        mesh.name = "ball";
        mesh.colour = {0.1f, 0.2f, 0.3f};
        QCOMPARE(checkClosedManifold(mesh), 2);
        const double volume = mesh.enclosedVolume(), area = mesh.surfaceArea();
        const algo::DecimationResult r = algo::decimateMesh(mesh, {.targetTriangles = 2000});
        qInfo("sphere: %zu -> %zu triangles, volume %.0f -> %.0f, area %.0f -> %.0f", r.trianglesBefore,
              r.trianglesAfter, volume, mesh.enclosedVolume(), area, mesh.surfaceArea());
        QVERIFY(r.reachedTarget);
        QVERIFY(mesh.triangleCount() <= 2000 && mesh.triangleCount() >= 1900);
        QCOMPARE(checkClosedManifold(mesh), 2);
        QVERIFY(std::abs(mesh.enclosedVolume() - volume) < 0.02 * volume);
        QVERIFY(std::abs(mesh.surfaceArea() - area) < 0.03 * area);
        QCOMPARE(mesh.name, std::string("ball"));
        QCOMPARE(mesh.colour[2], 0.3f);
        QCOMPARE(mesh.normals.size(), mesh.vertices.size());
    }

    void decimationKeepsTheGenusOfATorus()
    {
        Mesh mesh = algo::marchingCubesLabel(solid(7.0, 18.0), 1);
        QCOMPARE(checkClosedManifold(mesh), 0);
        const double volume = mesh.enclosedVolume();
        // Far below what the shape needs: the link condition must stop before the hole closes.
        const algo::DecimationResult r = algo::decimateMesh(mesh, {.targetTriangles = 200});
        qInfo("torus: %zu -> %zu triangles", r.trianglesBefore, r.trianglesAfter);
        QCOMPARE(checkClosedManifold(mesh), 0);
        QVERIFY(mesh.triangleCount() < r.trianglesBefore / 10);
        algo::decimateMesh(mesh, {.targetTriangles = 100000}); // already below: unchanged
        QCOMPARE(checkClosedManifold(mesh), 0);
        QVERIFY(mesh.enclosedVolume() > 0.5 * volume);
    }

    void decimationKeepsOpenBordersInPlace()
    {
        // The ball cut by the grid's top face: an open surface whose rim must not move.
        LabelVolume labels = solid(20.0);
        const Dims d = labels.dims();
        for (int k = 30; k < d[2]; ++k)
            for (int j = 0; j < d[1]; ++j)
                for (int i = 0; i < d[0]; ++i)
                    if (std::hypot(i - 31.5, j - 31.5) < 12.0)
                        labels.set(i, j, k, 1);
        Mesh mesh = algo::marchingCubesLabel(labels, 1);
        auto rim = [](const Mesh &m) {
            std::map<std::pair<std::uint32_t, std::uint32_t>, int> count;
            for (std::size_t t = 0; t < m.triangleCount(); ++t)
                for (int k = 0; k < 3; ++k) {
                    std::uint32_t a = m.triangles[3 * t + k], b = m.triangles[3 * t + (k + 1) % 3];
                    ++count[{std::min(a, b), std::max(a, b)}];
                }
            std::set<std::tuple<float, float, float>> points;
            for (const auto &[e, c] : count)
                if (c == 1)
                    for (std::uint32_t v : {e.first, e.second})
                        points.insert({m.vertices[3 * v], m.vertices[3 * v + 1], m.vertices[3 * v + 2]});
            return points;
        };
        const auto before = rim(mesh);
        QVERIFY(!before.empty());
        algo::decimateMesh(mesh, {.targetTriangles = 1500});
        QCOMPARE(rim(mesh), before);
    }

    void decimationHonoursCancel()
    {
        Mesh mesh = algo::marchingCubesLabel(solid(20.0), 1);
        TaskContext context;
        context.cancel();
        QVERIFY_THROWS_EXCEPTION(TaskCanceled, algo::decimateMesh(mesh, {.targetTriangles = 10}, context));
    }

    void writersRoundTrip()
    {
        Mesh a = algo::marchingCubesLabel(solid(10.0), 1);
        a.name = "Right lung";
        a.colour = {1.0f, 0.0f, 0.5f};
        Mesh b = algo::marchingCubesLabel(solid(6.0), 1);
        b.name = "Left lung";
        const std::size_t triangles = a.triangleCount() + b.triangleCount();
        const std::size_t vertices = a.vertexCount() + b.vertexCount();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());

        // STL: 80-byte header that is not "solid...", count, 50 bytes per triangle.
        const std::string stl = dir.filePath("lungs.STL").toStdString();
        io::writeMeshes({&a, &b}, stl);
        const std::string s = readAll(stl);
        QCOMPARE(s.size(), 84 + 50 * triangles);
        QVERIFY(s.compare(0, 5, "solid") != 0);
        QVERIFY(s.find("Right lung, Left lung") < 80);
        std::uint32_t count = 0;
        std::memcpy(&count, s.data() + 80, 4);
        QCOMPARE(std::size_t(count), triangles);
        float first[12];
        std::memcpy(first, s.data() + 84, sizeof first);
        for (int k = 0; k < 3; ++k)
            QCOMPARE(first[3 + k], a.vertices[3 * a.triangles[0] + std::size_t(k)]);
        // The stored normal is the unit face normal, pointing out (counter-clockwise corners).
        QVERIFY(std::abs(std::sqrt(first[0] * first[0] + first[1] * first[1] + first[2] * first[2]) - 1.0f) < 1e-4f);

        // OBJ: one object per mesh, 1-based indices over both.
        const std::string obj = dir.filePath("lungs.obj").toStdString();
        io::writeMeshes({&a, &b}, obj);
        std::istringstream lines(readAll(obj));
        std::size_t v = 0, vn = 0, f = 0, objects = 0, maxIndex = 0;
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("v ", 0) == 0)
                ++v;
            else if (line.rfind("vn ", 0) == 0)
                ++vn;
            else if (line.rfind("o ", 0) == 0)
                ++objects;
            else if (line.rfind("f ", 0) == 0) {
                ++f;
                std::size_t i1, i2, i3, n1, n2, n3;
                QCOMPARE(std::sscanf(line.c_str(), "f %zu//%zu %zu//%zu %zu//%zu", &i1, &n1, &i2, &n2, &i3, &n3), 6);
                maxIndex = std::max({maxIndex, i1, i2, i3});
            }
        }
        QCOMPARE(v, vertices);
        QCOMPARE(vn, vertices);
        QCOMPARE(f, triangles);
        QCOMPARE(objects, std::size_t(2));
        QCOMPARE(maxIndex, vertices);

        // PLY: the header's counts, 27 bytes per vertex, 13 per face, the mesh colour per vertex.
        const std::string ply = dir.filePath("lungs.ply").toStdString();
        io::writeMeshes({&a, &b}, ply);
        const std::string p = readAll(ply);
        const std::size_t end = p.find("end_header\n");
        QVERIFY(end != std::string::npos);
        const std::string header = p.substr(0, end);
        QVERIFY(header.find("format binary_little_endian 1.0") != std::string::npos);
        QVERIFY(header.find("element vertex " + std::to_string(vertices) + "\n") != std::string::npos);
        QVERIFY(header.find("element face " + std::to_string(triangles) + "\n") != std::string::npos);
        const std::size_t body = end + 11;
        QCOMPARE(p.size(), body + 27 * vertices + 13 * triangles);
        QCOMPARE(std::uint8_t(p[body + 24]), std::uint8_t(255));
        QCOMPARE(std::uint8_t(p[body + 26]), std::uint8_t(128));
        std::int32_t last[3];
        std::memcpy(last, p.data() + p.size() - 12, 12);
        QCOMPARE(std::size_t(last[0]), a.vertexCount() + b.triangles[3 * (b.triangleCount() - 1)]);
        QCOMPARE(std::uint8_t(p[p.size() - 13]), std::uint8_t(3));
    }

    void writersRefuseBadPathsAndLeaveNothingBehind()
    {
        const Mesh mesh = algo::marchingCubesLabel(solid(5.0), 1);
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(io::IoError, io::writeMeshes({&mesh}, dir.filePath("lungs.vtk").toStdString()));
        QVERIFY_THROWS_EXCEPTION(io::IoError, io::writeMeshes({&mesh}, dir.filePath("missing/lungs.stl").toStdString()));
        Mesh broken = mesh;
        broken.triangles.push_back(std::uint32_t(broken.vertexCount() + 5));
        broken.triangles.push_back(0);
        broken.triangles.push_back(1);
        const std::string path = dir.filePath("broken.ply").toStdString();
        QVERIFY_THROWS_EXCEPTION(io::IoError, io::writeMeshes({&broken}, path));
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMeshProcessing)
#include "test_mesh_processing.moc"
