// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/TaskContext.h>
#include <carina/Volume.h>
#include <carina/algo/MarchingCubes.h>

#include <carina/io/Npy.h>

#include <Eigen/Geometry>
#include <QTest>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <unordered_map>

using namespace carina;

namespace {

// The anisotropic test ball: 60 x 50 x 40 voxels of 0.8 x 1.0 x 1.5 mm, radius 15 mm around the
// grid centre. The mask is built with the same double arithmetic as the Python reference below,
// so both hold exactly the same 11824 voxels.
constexpr int kNx = 60, kNy = 50, kNz = 40;
constexpr double kSx = 0.8, kSy = 1.0, kSz = 1.5, kRadius = 15.0;

// Reference from scikit-image 0.19.3 (Debian 12, /usr/bin/python3), computed once with:
//   import numpy as np; from skimage import measure
//   k, j, i = np.meshgrid(np.arange(40), np.arange(50), np.arange(60), indexing='ij')
//   dx = (i - 29.5) * 0.8; dy = (j - 24.5) * 1.0; dz = (k - 19.5) * 1.5
//   vol = ((dx * dx + dy * dy + dz * dz) <= 15.0 * 15.0).astype(np.uint8)       # 11824 voxels
//   v, f, n, _ = measure.marching_cubes(vol, level=0.5, spacing=(1.5, 1.0, 0.8))
//   len(v), len(f), measure.mesh_surface_area(v, f)   # -> 3896, 7788, 3148.7197756517853
// (method='lorensen' gives the same counts and area on this ball.)
constexpr std::size_t kRefVoxels = 11824, kRefVertices = 3896, kRefTriangles = 7788;
constexpr double kRefArea = 3148.7197756517853;

ImageGeometry ballGeometry()
{
    ImageGeometry g;
    g.dims = {kNx, kNy, kNz};
    g.spacing = {kSx, kSy, kSz};
    return g;
}

bool inBall(int i, int j, int k)
{
    const double dx = (i - 29.5) * kSx, dy = (j - 24.5) * kSy, dz = (k - 19.5) * kSz;
    return dx * dx + dy * dy + dz * dz <= kRadius * kRadius;
}

Volume ballVolume()
{
    Volume v(VoxelType::UInt8, ballGeometry());
    std::uint8_t *p = v.data<std::uint8_t>();
    for (int k = 0; k < kNz; ++k)
        for (int j = 0; j < kNy; ++j)
            for (int i = 0; i < kNx; ++i)
                *p++ = inBall(i, j, k) ? 1 : 0;
    return v;
}

Eigen::Vector3d vertex(const Mesh &m, std::uint32_t i)
{
    return {m.vertices[3 * i], m.vertices[3 * i + 1], m.vertices[3 * i + 2]};
}

/// Closed and consistently wound: every directed edge once, its reverse exactly once.
bool isClosedAndOriented(const Mesh &m, QString *why = nullptr)
{
    std::unordered_map<std::uint64_t, int> directed;
    directed.reserve(m.triangles.size());
    for (std::size_t t = 0; t < m.triangles.size(); t += 3)
        for (int e = 0; e < 3; ++e) {
            const std::uint64_t a = m.triangles[t + e], b = m.triangles[t + (e + 1) % 3];
            if (a == b) {
                if (why)
                    *why = QStringLiteral("degenerate triangle %1").arg(t / 3);
                return false;
            }
            if (++directed[a << 32 | b] != 1) {
                if (why)
                    *why = QStringLiteral("directed edge %1->%2 used twice").arg(a).arg(b);
                return false;
            }
        }
    for (const auto &[key, count] : directed)
        if (!directed.count((key & 0xffffffffu) << 32 | key >> 32)) {
            if (why)
                *why = QStringLiteral("edge %1-%2 has one triangle").arg(key >> 32).arg(key & 0xffffffffu);
            return false;
        }
    return true;
}

long eulerCharacteristic(const Mesh &m)
{
    // On a closed mesh every undirected edge has two triangles: E = 3F / 2.
    return long(m.vertexCount()) - long(3 * m.triangleCount() / 2) + long(m.triangleCount());
}

double signedVolume(const Mesh &m)
{
    double v = 0.0;
    for (std::size_t t = 0; t < m.triangles.size(); t += 3)
        v += vertex(m, m.triangles[t]).dot(vertex(m, m.triangles[t + 1]).cross(vertex(m, m.triangles[t + 2]))) / 6.0;
    return v;
}

} // namespace

class TestMarchingCubes : public QObject
{
    Q_OBJECT
private slots:
    void anisotropic_ball_matches_scikit_image_and_is_closed()
    {
        const Volume ball = ballVolume();
        QCOMPARE(std::size_t(ball.valueRange().second), std::size_t(1));
        std::size_t voxels = 0;
        for (std::size_t n = 0; n < ball.voxelCount(); ++n)
            voxels += ball.data<std::uint8_t>()[n];
        QCOMPARE(voxels, kRefVoxels);

        const Mesh mesh = algo::marchingCubes(ball);
        QCOMPARE(mesh.vertexCount(), kRefVertices);
        QCOMPARE(mesh.triangleCount(), kRefTriangles);
        QVERIFY2(std::abs(mesh.surfaceArea() / kRefArea - 1.0) < 0.01, qPrintable(QString::number(mesh.surfaceArea())));
        const double analytic = 4.0 / 3.0 * M_PI * kRadius * kRadius * kRadius;
        QVERIFY2(std::abs(mesh.enclosedVolume() / analytic - 1.0) < 0.01, qPrintable(QString::number(mesh.enclosedVolume())));
        QString why;
        QVERIFY2(isClosedAndOriented(mesh, &why), qPrintable(why));
        QCOMPARE(eulerCharacteristic(mesh), 2L);
        // Counter-clockwise seen from outside: the signed volume is positive.
        QVERIFY(signedVolume(mesh) > 0.0);
    }

    void normals_point_outward_and_agree_with_the_winding()
    {
        const Mesh mesh = algo::marchingCubes(ballVolume());
        QCOMPARE(mesh.normals.size(), mesh.vertices.size());
        const Eigen::Vector3d centre(29.5 * kSx, 24.5 * kSy, 19.5 * kSz);
        for (std::uint32_t v = 0; v < mesh.vertexCount(); ++v) {
            const Eigen::Vector3d n(mesh.normals[3 * v], mesh.normals[3 * v + 1], mesh.normals[3 * v + 2]);
            QVERIFY(std::abs(n.norm() - 1.0) < 1e-4);
            QVERIFY2(n.dot((vertex(mesh, v) - centre).normalized()) > 0.5, qPrintable(QString::number(v)));
        }
        for (std::size_t t = 0; t < mesh.triangles.size(); t += 3) {
            const Eigen::Vector3d a = vertex(mesh, mesh.triangles[t]), b = vertex(mesh, mesh.triangles[t + 1]),
                                  c = vertex(mesh, mesh.triangles[t + 2]);
            Eigen::Vector3d sum = Eigen::Vector3d::Zero();
            for (int k = 0; k < 3; ++k)
                for (int axis = 0; axis < 3; ++axis)
                    sum[axis] += mesh.normals[3 * mesh.triangles[t + k] + axis];
            QVERIFY((b - a).cross(c - a).dot(sum) > 0.0);
        }
        algo::MarchingCubesOptions noNormals;
        noNormals.computeNormals = false;
        QVERIFY(algo::marchingCubes(ballVolume(), noNormals).normals.empty());
    }

    void smooth_distance_field_gives_the_analytic_sphere()
    {
        // A float signed distance (inside positive) at iso 0: interpolated vertices, no staircase.
        Volume field(VoxelType::Float32, ballGeometry());
        float *p = field.data<float>();
        for (int k = 0; k < kNz; ++k)
            for (int j = 0; j < kNy; ++j)
                for (int i = 0; i < kNx; ++i) {
                    const double dx = (i - 29.5) * kSx, dy = (j - 24.5) * kSy, dz = (k - 19.5) * kSz;
                    *p++ = float(kRadius - std::sqrt(dx * dx + dy * dy + dz * dz));
                }
        algo::MarchingCubesOptions options;
        options.isoValue = 0.0;
        const Mesh mesh = algo::marchingCubes(field, options);
        QVERIFY(std::abs(mesh.surfaceArea() / (4.0 * M_PI * kRadius * kRadius) - 1.0) < 0.01);
        QVERIFY(std::abs(mesh.enclosedVolume() / (4.0 / 3.0 * M_PI * std::pow(kRadius, 3)) - 1.0) < 0.01);
        const Eigen::Vector3d centre(29.5 * kSx, 24.5 * kSy, 19.5 * kSz);
        for (std::uint32_t v = 0; v < mesh.vertexCount(); ++v)
            QVERIFY(std::abs((vertex(mesh, v) - centre).norm() - kRadius) < 0.1);
        QVERIFY(isClosedAndOriented(mesh));
    }

    void label_surface_equals_the_binary_volume_surface()
    {
        LabelVolume labels(ballGeometry());
        for (int k = 0; k < kNz; ++k)
            for (int j = 0; j < kNy; ++j)
                for (int i = 0; i < kNx; ++i)
                    labels.set(i, j, k, inBall(i, j, k) ? 3 : 0);
        labels.table().set({3, "tumour", {0, 255, 0}, true});
        const Mesh fromLabels = algo::marchingCubesLabel(labels, 3);
        const Mesh fromVolume = algo::marchingCubes(ballVolume());
        QCOMPARE(fromLabels.vertices, fromVolume.vertices);
        QCOMPARE(fromLabels.triangles, fromVolume.triangles);
        QCOMPARE(fromLabels.name, std::string("tumour"));
        QCOMPARE(fromLabels.colour[1], 1.0f);
        QCOMPARE(algo::marchingCubesLabel(labels, 2).triangleCount(), std::size_t(0));
    }

    void two_labels_give_two_separate_closed_surfaces()
    {
        ImageGeometry g;
        g.dims = {40, 20, 20};
        LabelVolume labels(g);
        for (int k = 0; k < 20; ++k)
            for (int j = 0; j < 20; ++j)
                for (int i = 0; i < 40; ++i) {
                    const double dy = j - 9.5, dz = k - 9.5;
                    if ((i - 9.5) * (i - 9.5) + dy * dy + dz * dz < 36)
                        labels.set(i, j, k, 1);
                    else if ((i - 29.5) * (i - 29.5) + dy * dy + dz * dz < 49)
                        labels.set(i, j, k, 2);
                }
        const Mesh one = algo::marchingCubesLabel(labels, 1);
        const Mesh two = algo::marchingCubesLabel(labels, 2);
        const Mesh all = algo::marchingCubesLabel(labels, 0);
        for (const Mesh *m : {&one, &two, &all})
            QVERIFY(isClosedAndOriented(*m));
        QCOMPARE(eulerCharacteristic(one), 2L);
        QCOMPARE(eulerCharacteristic(two), 2L);
        QCOMPARE(eulerCharacteristic(all), 4L); // two spheres
        QCOMPARE(all.triangleCount(), one.triangleCount() + two.triangleCount());
        double maxX1 = -1e9, minX2 = 1e9;
        for (std::uint32_t v = 0; v < one.vertexCount(); ++v)
            maxX1 = std::max(maxX1, double(one.vertices[3 * v]));
        for (std::uint32_t v = 0; v < two.vertexCount(); ++v)
            minX2 = std::min(minX2, double(two.vertices[3 * v]));
        QVERIFY(maxX1 < 17 && minX2 > 22);
        QVERIFY(two.enclosedVolume() > one.enclosedVolume());
    }

    void vertices_are_placed_in_lps_through_an_oblique_left_handed_geometry()
    {
        const Volume ball = ballVolume();
        ImageGeometry indexGrid = ballGeometry();
        indexGrid.spacing = {1, 1, 1};
        Volume inIndexSpace = ball.clone();
        inIndexSpace.setGeometry(indexGrid);

        ImageGeometry oblique = ballGeometry();
        oblique.origin = {-120.5, 33.0, 250.25};
        const double c = std::cos(0.4), s = std::sin(0.4);
        oblique.direction << c, -s, 0, s, c, 0, 0, 0, -1; // rotated about z, k flipped: det = -1
        Volume placed = ball.clone();
        placed.setGeometry(oblique);

        const Mesh a = algo::marchingCubes(inIndexSpace);
        const Mesh b = algo::marchingCubes(placed);
        QCOMPARE(b.vertexCount(), a.vertexCount());
        for (std::uint32_t v = 0; v < a.vertexCount(); ++v)
            QVERIFY((oblique.indexToPhysical(vertex(a, v)) - vertex(b, v)).norm() < 1e-3);
        QVERIFY(std::abs(b.surfaceArea() / kRefArea - 1.0) < 0.01);
        QVERIFY(isClosedAndOriented(b));
        QVERIFY2(signedVolume(b) > 0.0, "winding must stay outward on a left-handed grid");
        const Eigen::Vector3d centre = oblique.indexToPhysical({29.5, 24.5, 19.5});
        for (std::uint32_t v = 0; v < b.vertexCount(); ++v) {
            const Eigen::Vector3d n(b.normals[3 * v], b.normals[3 * v + 1], b.normals[3 * v + 2]);
            QVERIFY(n.dot(vertex(b, v) - centre) > 0.0);
        }
    }

    void coarse_step_gives_a_smaller_mesh_of_the_same_ball()
    {
        algo::MarchingCubesOptions coarse;
        coarse.step = 2;
        const Mesh fine = algo::marchingCubes(ballVolume());
        const Mesh rough = algo::marchingCubes(ballVolume(), coarse);
        QVERIFY(rough.triangleCount() * 3 < fine.triangleCount());
        QVERIFY(std::abs(rough.enclosedVolume() / fine.enclosedVolume() - 1.0) < 0.05);
        QVERIFY(isClosedAndOriented(rough));
        coarse.step = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, algo::marchingCubes(ballVolume(), coarse));
    }

    void empty_and_full_volumes_give_empty_meshes()
    {
        ImageGeometry g;
        g.dims = {30, 20, 10};
        Volume zeros(VoxelType::Int16, g);
        QCOMPARE(algo::marchingCubes(zeros).triangleCount(), std::size_t(0));
        algo::MarchingCubesOptions below;
        below.isoValue = -5;
        QCOMPARE(algo::marchingCubes(zeros, below).vertexCount(), std::size_t(0));
        QCOMPARE(algo::marchingCubes(Volume()).vertexCount(), std::size_t(0));
        QCOMPARE(algo::marchingCubesLabel(LabelVolume(g), 0).triangleCount(), std::size_t(0));
    }

    void surface_touching_the_border_stays_open_there()
    {
        // The half-space x >= 10 of a 20^3 grid: a single flat sheet, no triangles on the border.
        ImageGeometry g;
        g.dims = {20, 20, 20};
        Volume half(VoxelType::UInt16, g);
        for (int k = 0; k < 20; ++k)
            for (int j = 0; j < 20; ++j)
                for (int i = 10; i < 20; ++i)
                    half.data<std::uint16_t>()[g.linearIndex(i, j, k)] = 1000;
        algo::MarchingCubesOptions options;
        options.isoValue = 500;
        const Mesh sheet = algo::marchingCubes(half, options);
        QCOMPARE(sheet.vertexCount(), std::size_t(400));
        QCOMPARE(sheet.triangleCount(), std::size_t(2 * 19 * 19));
        QVERIFY(std::abs(sheet.surfaceArea() - 19.0 * 19.0) < 1e-3);
        for (std::uint32_t v = 0; v < sheet.vertexCount(); ++v) {
            QCOMPARE(sheet.vertices[3 * v], 9.5f);
            QCOMPARE(sheet.normals[3 * v], -1.0f); // outward = towards the low values
        }
    }

    void cancel_throws_task_canceled()
    {
        TaskContext canceled;
        canceled.cancel();
        QVERIFY_THROWS_EXCEPTION(TaskCanceled, algo::marchingCubes(ballVolume(), {}, canceled));

        // Canceled from the first progress report, while the slabs run.
        TaskContext *self = nullptr;
        int reports = 0;
        TaskContext midway([&](double, const std::string &) {
            ++reports;
            self->cancel();
        });
        self = &midway;
        QVERIFY_THROWS_EXCEPTION(TaskCanceled, algo::marchingCubes(ballVolume(), {}, midway));
        QVERIFY(reports >= 1);
    }

    void progress_reaches_the_end()
    {
        double last = 0.0;
        TaskContext context([&](double fraction, const std::string &) { last = std::max(last, fraction); });
        algo::marchingCubes(ballVolume(), {}, context);
        QCOMPARE(last, 1.0);
    }

    void anchor_lung_mask_matches_the_reference_workflow()
    {
        const char *env = std::getenv("CARINA_ANCHOR_DATA");
        const std::string dir = env && *env ? env : "/tmp/carina-anchor-data";
        const std::string path = dir + "/ct_lung_mask_gt.npy";
        if (!std::filesystem::exists(path))
            QSKIP("anchor data not generated (run ../shared/anchors/gen_data.py /tmp/carina-anchor-data "
                  "or set CARINA_ANCHOR_DATA)");
        const carina::io::NpyArray npy = carina::io::readNpy(path);
        const std::vector<int> &shape = npy.shape;
        const auto *bytes = npy.as<std::uint8_t>();
        QCOMPARE(npy.descr, std::string("|u1"));
        QCOMPARE(shape.size(), std::size_t(3));
        // The anchor README's geometry: (z,y,x) = (300,512,512), spacing z 1.0 / y,x 0.7 mm.
        ImageGeometry g;
        g.dims = {shape[2], shape[1], shape[0]};
        g.spacing = {0.7, 0.7, 1.0};
        Volume mask(VoxelType::UInt8, g);
        std::uint8_t *p = mask.data<std::uint8_t>();
        QCOMPARE(npy.bytes.size(), mask.byteSize());
        for (std::size_t n = 0; n < npy.bytes.size(); ++n)
            p[n] = bytes[n] > 0 ? 1 : 0;
        const Mesh mesh = algo::marchingCubes(mask);
        // scikit-image 0.19.3 marching_cubes(level=0.5) (Lewiner): 473,463 verts, 947,018 faces,
        // 236,093 mm^2; vtkFlyingEdges3D / method='lorensen': 473,438, 946,876, 236,068 mm^2
        // (anchors/README.md and anchors/peers/README.md). This is the classic topology.
        QCOMPARE(mesh.vertexCount(), std::size_t(473438));
        QCOMPARE(mesh.triangleCount(), std::size_t(946876));
        QVERIFY2(std::abs(mesh.surfaceArea() / 236093.0 - 1.0) < 0.005, qPrintable(QString::number(mesh.surfaceArea())));
        QString why;
        QVERIFY2(isClosedAndOriented(mesh, &why), qPrintable(why));
        QVERIFY(signedVolume(mesh) > 0.0);
    }
};

QTEST_GUILESS_MAIN(TestMarchingCubes)
#include "test_marching_cubes.moc"
