// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Rasterisation of drawn shapes: known pixel counts, scikit-image's polygon, Boost.Geometry's buffer.
#include <carina/LabelVolume.h>
#include <carina/edit/DrawnShape.h>
#include <carina/edit/LabelPatch.h>
#include <carina/edit/Rasterize.h>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>

#include <QTest>

#include <random>

using namespace carina;
using namespace carina::edit;
using algo::SlicePlane;

namespace {

// 64 x 64 x 16 voxels, 1 mm, identity direction, origin 0: LPS (x, y, z) is voxel (x, y, z).
ImageGeometry unitGrid(Eigen::Vector3d spacing = {1, 1, 1})
{
    ImageGeometry g;
    g.dims = {64, 64, 16};
    g.spacing = spacing;
    return g;
}

// LPS of continuous voxel index (u, v) on axial slice k.
Eigen::Vector3d at(const ImageGeometry &g, double u, double v, double k)
{
    return g.indexToPhysical({u, v, k});
}

bool allOnSlice(const ImageGeometry &g, const VoxelList &voxels, int axis, int slice)
{
    const std::size_t nx = std::size_t(g.dims[0]), ny = std::size_t(g.dims[1]);
    for (std::size_t n : voxels) {
        const int ijk[3] = {int(n % nx), int((n / nx) % ny), int(n / (nx * ny))};
        if (ijk[axis] != slice)
            return false;
    }
    return true;
}

} // namespace

class TestRasterize : public QObject
{
    Q_OBJECT
private slots:
    void polygon_matches_scikit_image()
    {
        // Random star-shaped polygons on a 64x64 image; counts from
        // skimage.draw.polygon(v, u, (64, 64)) in scikit-image 0.19.3.
        struct Case
        {
            std::vector<std::pair<double, double>> uv;
            int count;
        };
        const std::vector<Case> cases = {
            {{{45.39, 32.133}, {34.922, 48.397}, {29.086, 49.503}, {26.388, 49.83}, {23.171, 58.075}, {8.929, 36.473},
              {35.585, 11.522}, {40.396, 5.127}, {37.626, 20.606}, {40.15, 23.706}, {48.472, 19.512}}, 888},
            {{{40.33, 33.531}, {43.699, 34.93}, {32.641, 53.538}, {20.558, 34.231}, {16.912, 32.002}, {24.257, 30.985},
              {7.807, 29.402}, {24.67, 23.653}, {43.884, 25.06}}, 480},
            {{{46.974, 37.43}, {44.436, 39.563}, {25.219, 40.123}, {8.002, 30.512}, {16.741, 30.742}, {5.641, 24.651},
              {16.15, 20.245}, {19.46, 16.235}, {31.227, 10.968}, {44.641, 14.059}, {39.908, 23.734}}, 762},
            {{{52.744, 45.916}, {50.514, 51.494}, {37.988, 57.15}, {33.571, 51.053}, {28.901, 42.066}, {22.606, 38.513},
              {7.588, 41.428}, {22.319, 15.478}, {26.82, 21.464}, {50.354, 13.436}, {52.707, 27.518}}, 1132},
        };
        const ImageGeometry g = unitGrid();
        for (const Case &c : cases) {
            std::vector<Eigen::Vector3d> points;
            for (auto [u, v] : c.uv)
                points.push_back(at(g, u, v, 5));
            const VoxelList voxels = rasterizePolygon(g, SlicePlane::Axial, 5, points);
            QCOMPARE(int(voxels.size()), c.count);
            QVERIFY(std::is_sorted(voxels.begin(), voxels.end()));
            QVERIFY(allOnSlice(g, voxels, 2, 5));
            // Reversed vertex order (clockwise) fills the same pixels.
            std::reverse(points.begin(), points.end());
            QCOMPARE(rasterizePolygon(g, SlicePlane::Axial, 5, points), voxels);
        }
    }

    void lasso_looped_twice_still_fills()
    {
        const ImageGeometry g = unitGrid();
        std::vector<Eigen::Vector3d> once = {at(g, 10.5, 10.5, 0), at(g, 30.5, 10.5, 0), at(g, 30.5, 30.5, 0),
                                             at(g, 10.5, 30.5, 0)};
        std::vector<Eigen::Vector3d> twice = once;
        twice.insert(twice.end(), once.begin(), once.end());
        QCOMPARE(rasterizePolygon(g, SlicePlane::Axial, 0, once).size(), std::size_t(20 * 20));
        QCOMPARE(rasterizePolygon(g, SlicePlane::Axial, 0, twice).size(), std::size_t(20 * 20));
        // Two points are no area.
        QVERIFY(rasterizePolygon(g, SlicePlane::Axial, 0, {once[0], once[1]}).empty());
    }

    void rectangle_counts_and_clipping()
    {
        const ImageGeometry g = unitGrid();
        QCOMPARE(rasterizeRectangle(g, SlicePlane::Axial, 3, at(g, 10, 20, 3), at(g, 19, 29, 3)).size(),
                 std::size_t(100)); // corners on pixel centres: edges included
        QCOMPARE(rasterizeRectangle(g, SlicePlane::Axial, 3, at(g, 19.8, 29.9, 3), at(g, 10.2, 20.2, 3)).size(),
                 std::size_t(81));
        QCOMPARE(rasterizeRectangle(g, SlicePlane::Axial, 3, at(g, -5, -5, 3), at(g, 3, 3, 3)).size(), std::size_t(16));
        QVERIFY(rasterizeRectangle(g, SlicePlane::Axial, 3, at(g, -9, -9, 3), at(g, -2, -2, 3)).empty());
    }

    void shapes_land_on_the_plane_they_were_drawn_on()
    {
        const ImageGeometry g = unitGrid();
        // Coronal holds voxel axis j, sagittal axis i (identity direction).
        const VoxelList coronal = rasterizeRectangle(g, SlicePlane::Coronal, 7, {10, 7, 2}, {19, 7, 11});
        QCOMPARE(coronal.size(), std::size_t(100));
        QVERIFY(allOnSlice(g, coronal, 1, 7));
        const VoxelList sagittal = rasterizeDisc(g, SlicePlane::Sagittal, 40, {40, 30, 8}, 3.0);
        QVERIFY(allOnSlice(g, sagittal, 0, 40));
        QCOMPARE(sagittal.size(), std::size_t(29)); // x^2 + y^2 <= 9 on the integer lattice
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rasterizeDisc(g, SlicePlane::Axial, 16, {0, 0, 0}, 3.0));
    }

    void flipped_grid_gives_the_same_shape()
    {
        // An LAI grid (i toward L, j toward A, k toward I): the same LPS lasso covers as many
        // voxels, and they are the voxels under the LPS points.
        ImageGeometry g = unitGrid({0.8, 0.8, 2});
        g.direction = Eigen::Vector3d(1, -1, -1).asDiagonal();
        g.origin = {-20, 25, 30};
        const ImageGeometry plain = unitGrid({0.8, 0.8, 2});
        std::vector<Eigen::Vector3d> inFlipped, inPlain;
        for (auto [u, v] : std::vector<std::pair<double, double>>{{10.3, 12.1}, {40.7, 15.2}, {35.2, 44.9}, {12.6, 38.4}}) {
            inFlipped.push_back(g.indexToPhysical({u, v, 4}));
            inPlain.push_back(plain.indexToPhysical({u, v, 4}));
        }
        const VoxelList a = rasterizePolygon(g, SlicePlane::Axial, 4, inFlipped);
        const VoxelList b = rasterizePolygon(plain, SlicePlane::Axial, 4, inPlain);
        QCOMPARE(a, b);
        QVERIFY(a.size() > 500);
    }

    void disc_counts_are_lattice_points_in_mm()
    {
        QCOMPARE(rasterizeDisc(unitGrid(), SlicePlane::Axial, 2, {20, 20, 2}, 5.0).size(), std::size_t(81));
        // skimage.draw.disk((20, 20), 5) counts centres strictly inside: 69.
        QCOMPARE(rasterizeDisc(unitGrid(), SlicePlane::Axial, 2, {20, 20, 2}, 5.0 - 1e-6).size(), std::size_t(69));
        // 0.5 mm columns: (0.5 a)^2 + b^2 <= 25.
        const ImageGeometry g = unitGrid({0.5, 1.0, 1.0});
        QCOMPARE(rasterizeDisc(g, SlicePlane::Axial, 2, g.indexToPhysical({30, 30, 2}), 5.0).size(), std::size_t(159));
    }

    void sphere_and_capsule_counts()
    {
        const ImageGeometry g = unitGrid();
        QCOMPARE(rasterizeSphere(g, {30, 30, 8}, 5.0).size(), std::size_t(515));
        const ImageGeometry thick = unitGrid({1, 1, 2.5});
        QCOMPARE(rasterizeSphere(thick, thick.indexToPhysical({30, 30, 8}), 5.0).size(), std::size_t(205));
        // A capsule covers both end spheres and the tube between them.
        const VoxelList capsule = rasterizeCapsule(g, {20, 30, 8}, {40, 30, 8}, 3.0);
        for (const VoxelList &end : {rasterizeSphere(g, {20, 30, 8}, 3.0), rasterizeSphere(g, {40, 30, 8}, 3.0)})
            QVERIFY(std::includes(capsule.begin(), capsule.end(), end.begin(), end.end()));
        // The tube alone: 21 columns of the 29 lattice points with y^2 + z^2 <= 9; the caps add more.
        QVERIFY(capsule.size() > 21 * 29);
        QVERIFY(std::is_sorted(capsule.begin(), capsule.end()));
    }

    void straight_squiggle_known_count()
    {
        // 5 mm wide from (10, 32) to (50, 32): 41 columns x 5 rows, round caps add 5 + 3 pixels
        // at each end.
        const ImageGeometry g = unitGrid();
        QCOMPARE(rasterizePolyline(g, SlicePlane::Axial, 0, {{10, 32, 0}, {50, 32, 0}}, 5.0).size(), std::size_t(221));
    }

    void squiggle_matches_boost_geometry_buffer()
    {
        namespace bg = boost::geometry;
        using Point = bg::model::d2::point_xy<double>;
        using Line = bg::model::linestring<Point>;
        using Polygon = bg::model::polygon<Point>;
        using Shape = bg::model::multi_polygon<Polygon>;
        // Anisotropic pixels, a random walk that crosses itself.
        const ImageGeometry g = unitGrid({0.7, 1.3, 1.0});
        std::mt19937 rng(11);
        std::uniform_real_distribution<double> step(-6.0, 6.0);
        std::vector<Eigen::Vector3d> path;
        Line line;
        Eigen::Vector2d mm(22.0, 40.0);
        for (int n = 0; n < 14; ++n) {
            path.push_back(g.indexToPhysical({mm.x() / 0.7, mm.y() / 1.3, 3}));
            bg::append(line, Point(mm.x(), mm.y()));
            mm += Eigen::Vector2d(step(rng), step(rng));
        }
        const double width = 4.5;
        Shape buffered;
        const int arc = 1440; // points per circle: the polygon is within 0.01 um of the true arcs
        bg::buffer(line, buffered, bg::strategy::buffer::distance_symmetric<double>(width / 2),
                   bg::strategy::buffer::side_straight(), bg::strategy::buffer::join_round(arc),
                   bg::strategy::buffer::end_round(arc), bg::strategy::buffer::point_circle(arc));
        VoxelList reference;
        for (int b = 0; b < g.dims[1]; ++b)
            for (int a = 0; a < g.dims[0]; ++a)
                if (bg::covered_by(Point(a * 0.7, b * 1.3), buffered))
                    reference.push_back(g.linearIndex(a, b, 3));
        const VoxelList mine = rasterizePolyline(g, SlicePlane::Axial, 3, path, width);
        QVERIFY(reference.size() > 300);
        // The buffer polygon is inscribed in the exact shape: it may miss centres on the very edge.
        QVERIFY(std::includes(mine.begin(), mine.end(), reference.begin(), reference.end()));
        QVERIFY2(mine.size() - reference.size() <= 1,
                 qPrintable(QStringLiteral("exact %1, buffer %2").arg(mine.size()).arg(reference.size())));
    }

    void paint_through_a_patch_and_shapes_dispatch()
    {
        const ImageGeometry g = unitGrid();
        LabelVolume labels(g);
        LabelPatch patch;
        DrawnShape shape;
        shape.kind = DrawnShape::Kind::Rectangle;
        shape.slice = 4;
        shape.points = {{10, 10, 4}, {19, 19, 4}};
        QCOMPARE(paintVoxels(labels, patch, rasterizeShape(g, shape), 3), std::size_t(100));
        shape.kind = DrawnShape::Kind::Eraser;
        shape.points = {{15, 15, 4}};
        shape.widthMm = 2.0; // r = 1: the centre and its 4 neighbours
        QCOMPARE(paintVoxels(labels, patch, rasterizeShape(g, shape), 0), std::size_t(5));
        shape.sphere = true;
        shape.points = {{12, 12, 4}, {12, 12, 4}};
        QCOMPARE(rasterizeShape(g, shape).size(), std::size_t(7)); // r = 1 ball
        patch.finish(g.dims);
        QCOMPARE(patch.changedVoxels(), std::size_t(95));
        const std::vector<std::size_t> histogram = labels.histogram();
        QCOMPARE(histogram.at(3), std::size_t(95));
        const VoxelBox box = voxelBounds(g, rasterizeRectangle(g, SlicePlane::Axial, 4, {10, 10, 4}, {19, 19, 4}));
        QCOMPARE(box.begin, (Dims{10, 10, 4}));
        QCOMPARE(box.end, (Dims{20, 20, 5}));
        QCOMPARE(mergeVoxels({1, 4, 9}, {2, 4, 10}), (VoxelList{1, 2, 4, 9, 10}));
    }
};

QTEST_APPLESS_MAIN(TestRasterize)
#include "test_rasterize.moc"
