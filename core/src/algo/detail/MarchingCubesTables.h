// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace carina::algo::detail {

/// Marching-cubes case tables, generated once from the cube's geometry instead of being typed in.
///
/// Corners: 0 (0,0,0), 1 (1,0,0), 2 (1,1,0), 3 (0,1,0), 4 (0,0,1), 5 (1,0,1), 6 (1,1,1), 7 (0,1,1)
/// as (x,y,z). Edges: 0 x(y0,z0), 1 y(x1,z0), 2 x(y1,z0), 3 y(x0,z0), 4..7 the same at z1,
/// 8 z(x0,y0), 9 z(x1,y0), 10 z(x1,y1), 11 z(x0,y1). Case bit n is set when corner n is inside.
///
/// On each cube face the iso-line segments run from the crossed edge where a counter-clockwise walk
/// (seen from outside the cube) enters an inside corner to the edge where it leaves one. On a face
/// with two diagonal inside corners the inside corners are cut off separately. That rule depends on
/// the face alone, so the two cubes sharing a face draw the same segments and the surface is closed;
/// it is the choice of the classic Lorensen/VTK tables (same vertex and triangle counts as
/// scikit-image's `method='lorensen'` and vtkMarchingCubes / vtkFlyingEdges3D). The segments chain
/// into loops around the cube, each fanned into triangles (see bestFanApex) that are
/// counter-clockwise seen from the outside (from the inside corners towards the outside ones).
struct MarchingCubesTables
{
    static constexpr int kMaxTriangles = 5;
    static constexpr std::array<std::array<int, 3>, 8> cornerOffset{
        {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}}};
    static constexpr std::array<std::array<int, 2>, 12> edgeCorners{
        {{0, 1}, {1, 2}, {3, 2}, {0, 3}, {4, 5}, {5, 6}, {7, 6}, {4, 7}, {0, 4}, {1, 5}, {2, 6}, {3, 7}}};

    std::array<std::uint8_t, 256> triangleCount{};
    std::array<std::array<std::uint8_t, 3 * kMaxTriangles>, 256> triangleEdges{};
    /// Cube case from the 4-bit "face codes" of the cube's x = i and x = i + 1 faces
    /// (index = left | right << 4; face bit 0 row (j,k), 1 row (j+1,k), 2 row (j,k+1), 3 row (j+1,k+1)).
    std::array<std::uint8_t, 256> caseFromFaces{};

    using MidEdge = std::array<double, 3>;
    static MidEdge midEdge(int edge);
    /// The fan apex for a loop: no triangle may lie in a cube face (the neighbouring cube could
    /// draw the same one, reversed), and of the rest the fan with the largest area when the
    /// vertices sit mid-edge, as they do on binary masks. That choice reproduces the area of the
    /// classic tables' triangulations (scikit-image, VTK) on binary masks.
    static int bestFanApex(const int *loop, int length, const int (&faces)[6][4]);

    MarchingCubesTables()
    {
        // Faces, corners counter-clockwise seen from outside the cube (-z, +z, -y, +y, -x, +x).
        constexpr int faces[6][4] = {{0, 3, 2, 1}, {4, 5, 6, 7}, {0, 1, 5, 4}, {3, 7, 6, 2}, {0, 4, 7, 3}, {1, 2, 6, 5}};
        auto edgeOf = [](int a, int b) {
            for (int e = 0; e < 12; ++e)
                if ((edgeCorners[e][0] == a && edgeCorners[e][1] == b) || (edgeCorners[e][0] == b && edgeCorners[e][1] == a))
                    return e;
            throw std::logic_error("marching cubes: corners without an edge");
        };
        for (int c = 0; c < 256; ++c) {
            std::array<int, 12> next;
            next.fill(-1);
            for (const auto &f : faces) {
                bool in[4];
                int edge[4];
                for (int n = 0; n < 4; ++n) {
                    in[n] = (c >> f[n]) & 1;
                    edge[n] = edgeOf(f[n], f[(n + 1) % 4]); // edge n runs from corner n to corner n+1
                }
                int crossings = 0;
                for (int n = 0; n < 4; ++n)
                    crossings += in[n] != in[(n + 1) % 4];
                if (crossings == 2) {
                    int enter = -1, leave = -1;
                    for (int n = 0; n < 4; ++n) {
                        if (!in[n] && in[(n + 1) % 4])
                            enter = edge[n];
                        if (in[n] && !in[(n + 1) % 4])
                            leave = edge[n];
                    }
                    next[enter] = leave;
                } else if (crossings == 4) {
                    const int n0 = in[0] ? 0 : 1; // an inside corner; n0 + 2 is the other one
                    next[edge[(n0 + 3) % 4]] = edge[n0];
                    next[edge[(n0 + 1) % 4]] = edge[(n0 + 2) % 4];
                }
            }
            int count = 0;
            std::array<bool, 12> done{};
            for (int start = 0; start < 12; ++start) {
                if (next[start] < 0 || done[start])
                    continue;
                int loop[12];
                int length = 0;
                for (int e = start; !done[e]; e = next[e]) {
                    done[e] = true;
                    loop[length++] = e;
                }
                const int apex = bestFanApex(loop, length, faces);
                for (int m = 1; m + 1 < length; ++m) {
                    if (count == kMaxTriangles)
                        throw std::logic_error("marching cubes: too many triangles in a case");
                    triangleEdges[c][3 * count] = std::uint8_t(loop[apex]);
                    triangleEdges[c][3 * count + 1] = std::uint8_t(loop[(apex + m) % length]);
                    triangleEdges[c][3 * count + 2] = std::uint8_t(loop[(apex + m + 1) % length]);
                    ++count;
                }
            }
            triangleCount[c] = std::uint8_t(count);
        }
        for (int left = 0; left < 16; ++left)
            for (int right = 0; right < 16; ++right) {
                auto b = [](int code, int n) { return (code >> n) & 1; };
                caseFromFaces[left | right << 4] = std::uint8_t(b(left, 0) << 0 | b(right, 0) << 1 | b(right, 1) << 2
                                                                | b(left, 1) << 3 | b(left, 2) << 4 | b(right, 2) << 5
                                                                | b(right, 3) << 6 | b(left, 3) << 7);
            }
    }
};

inline MarchingCubesTables::MidEdge MarchingCubesTables::midEdge(int edge)
{
    MidEdge p{};
    for (int d = 0; d < 3; ++d)
        p[std::size_t(d)] = 0.5 * (cornerOffset[std::size_t(edgeCorners[std::size_t(edge)][0])][std::size_t(d)]
                                   + cornerOffset[std::size_t(edgeCorners[std::size_t(edge)][1])][std::size_t(d)]);
    return p;
}

inline int MarchingCubesTables::bestFanApex(const int *loop, int length, const int (&faces)[6][4])
{
    auto onFace = [&](int edge, const int *face) {
        for (int n = 0; n < 4; ++n) {
            const int a = face[n], b = face[(n + 1) % 4];
            if ((edgeCorners[std::size_t(edge)][0] == a && edgeCorners[std::size_t(edge)][1] == b)
                || (edgeCorners[std::size_t(edge)][0] == b && edgeCorners[std::size_t(edge)][1] == a))
                return true;
        }
        return false;
    };
    int best = -1;
    double bestArea = -1.0;
    for (int apex = 0; apex < length; ++apex) {
        bool flat = false;
        double area = 0.0;
        for (int m = 1; m + 1 < length; ++m) {
            const int t[3] = {loop[apex], loop[(apex + m) % length], loop[(apex + m + 1) % length]};
            for (const auto &face : faces)
                flat |= onFace(t[0], face) && onFace(t[1], face) && onFace(t[2], face);
            const MidEdge a = midEdge(t[0]), b = midEdge(t[1]), c = midEdge(t[2]);
            const double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]}, v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
            const double x = u[1] * v[2] - u[2] * v[1], y = u[2] * v[0] - u[0] * v[2], z = u[0] * v[1] - u[1] * v[0];
            area += std::sqrt(x * x + y * y + z * z);
        }
        if (!flat && area > bestArea + 1e-9) {
            best = apex;
            bestArea = area;
        }
    }
    if (best < 0)
        throw std::logic_error("marching cubes: no fan without a triangle in a cube face");
    return best;
}

/// The tables, built on first use (thread-safe static initialisation).
inline const MarchingCubesTables &marchingCubesTables()
{
    static const MarchingCubesTables tables;
    return tables;
}

} // namespace carina::algo::detail
