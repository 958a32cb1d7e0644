// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/Volume.h>

#include <QTest>

#include <algorithm>
#include <cstdint>

using namespace carina;

class TestVolume : public QObject
{
    Q_OBJECT
private slots:
    void index_to_physical_round_trips_with_oblique_direction()
    {
        ImageGeometry g;
        g.dims = {10, 20, 30};
        g.spacing = {0.7, 0.8, 2.5};
        g.origin = {-100, 50, 12};
        // 30 degrees about z, then k flipped: a realistic oblique, left-handed grid.
        const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
        g.direction << c, -s, 0, s, c, 0, 0, 0, -1;
        const Eigen::Vector3d index(3.5, 7, 29);
        const Eigen::Vector3d p = g.indexToPhysical(index);
        QVERIFY((g.physicalToIndex(p) - index).norm() < 1e-9);
        const Eigen::Vector4d h = g.indexToPhysicalMatrix() * Eigen::Vector4d(3.5, 7, 29, 1);
        QVERIFY((h.head<3>() - p).norm() < 1e-9);
        // Voxel (0,0,0) sits at the origin.
        QVERIFY((g.indexToPhysical({0, 0, 0}) - g.origin).norm() < 1e-12);
    }

    void orientation_code_names_lps_axes()
    {
        ImageGeometry g;
        QCOMPARE(QByteArray(g.orientationCode().data(), 3), QByteArray("LPS"));
        g.direction = Eigen::Vector3d(-1, -1, 1).asDiagonal();
        QCOMPARE(QByteArray(g.orientationCode().data(), 3), QByteArray("RAS"));
    }

    void volume_copies_share_the_buffer_and_clone_does_not()
    {
        ImageGeometry g;
        g.dims = {4, 3, 2};
        Volume a(VoxelType::Int16, g);
        a.data<std::int16_t>()[5] = -1000;
        Volume b = a;
        QCOMPARE(b.rawData(), a.rawData());
        Volume c = a.clone();
        QVERIFY(c.rawData() != a.rawData());
        QCOMPARE(c.valueAt(1, 1, 0), -1000.0);
        QCOMPARE(a.valueRange(), std::make_pair(-1000.0, 0.0));
        QVERIFY(std::isnan(a.valueAt(4, 0, 0)));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, a.data<float>());
    }

    void new_volumes_are_zero_and_large_ones_start_on_a_huge_page()
    {
        // Large volumes come from mmap, aligned so the kernel can back them with 2 MiB pages
        // (model/VoxelMemory); small ones from calloc. Both must read as zero and be writable,
        // to the last byte, and a copy must keep the memory alive after the original is gone.
        for (const Dims dims : {Dims{5, 7, 3}, Dims{512, 512, 20}}) {
            ImageGeometry g;
            g.dims = dims;
            Volume copy;
            {
                Volume v(VoxelType::Int16, g);
                const auto *bytes = static_cast<const unsigned char *>(v.rawData());
                QVERIFY(std::all_of(bytes, bytes + v.byteSize(), [](unsigned char b) { return b == 0; }));
                if (v.byteSize() >= (std::size_t(4) << 20))
                    QCOMPARE(reinterpret_cast<std::uintptr_t>(v.rawData()) % (std::uintptr_t(2) << 20), std::uintptr_t(0));
                v.data<std::int16_t>()[v.voxelCount() - 1] = 1234;
                copy = v;
            }
            QCOMPARE(copy.data<std::int16_t>()[copy.voxelCount() - 1], std::int16_t(1234));
        }
    }

    void volume_rejects_bad_shapes()
    {
        ImageGeometry g;
        g.dims = {4, 0, 2};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Volume(VoxelType::UInt8, g));
        g.dims = {4, 4, 2};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Volume(VoxelType::UInt8, g, 5));
        Volume rgb(VoxelType::UInt8, g, 3);
        QCOMPARE(rgb.byteSize(), std::size_t(4 * 4 * 2 * 3));
    }

    void label_table_is_sorted_and_defaults_are_distinct()
    {
        LabelTable table;
        table.set({5, "five", {1, 2, 3}, true});
        table.set({2, "two", {4, 5, 6}, true});
        QCOMPARE(table.entries().size(), std::size_t(2));
        QCOMPARE(table.entries().front().id, std::uint16_t(2));
        QVERIFY(!table.find(3));
        QCOMPARE(table.infoOrDefault(3).name, std::string("Label 3"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, table.set({0, "bg", {}, true}));
        for (std::uint16_t id = 1; id < 40; ++id)
            QVERIFY(LabelTable::defaultColour(id) != LabelTable::defaultColour(std::uint16_t(id + 1)));
    }

    void label_histogram_counts_voxels()
    {
        ImageGeometry g;
        g.dims = {8, 8, 8};
        LabelVolume labels(g);
        labels.set(1, 1, 1, 3);
        labels.set(2, 1, 1, 3);
        labels.set(7, 7, 7, 1);
        const auto h = labels.histogram();
        QCOMPARE(h.size(), std::size_t(4));
        QCOMPARE(h[0], std::size_t(512 - 3));
        QCOMPARE(h[3], std::size_t(2));
        QCOMPARE(h[1], std::size_t(1));
    }

    void mesh_area_and_volume_of_a_unit_cube()
    {
        Mesh cube;
        cube.vertices = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1};
        cube.triangles = {0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4,
                          2, 3, 7, 2, 7, 6, 1, 2, 6, 1, 6, 5, 0, 4, 7, 0, 7, 3};
        QCOMPARE(cube.surfaceArea(), 6.0);
        QVERIFY(std::abs(cube.enclosedVolume() - 1.0) < 1e-12);
        cube.computeNormals();
        QCOMPARE(cube.normals.size(), cube.vertices.size());
    }
};

QTEST_APPLESS_MAIN(TestVolume)
#include "test_volume.moc"
