// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/MeshSmoothing.h>

#include <tbb/parallel_for.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

namespace carina::algo {

namespace {

// Vertex neighbours in compressed rows: neighbours of v are adj[start[v] .. start[v + 1]).
struct Adjacency
{
    std::vector<std::uint32_t> start;
    std::vector<std::uint32_t> adj;
    std::vector<std::uint8_t> boundary;
};

Adjacency buildAdjacency(const Mesh &mesh)
{
    const std::size_t n = mesh.vertexCount();
    // Every directed half-edge (a, b); an undirected edge seen once is on a boundary.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    edges.reserve(mesh.triangles.size() * 2);
    for (std::size_t t = 0; t + 2 < mesh.triangles.size(); t += 3)
        for (int k = 0; k < 3; ++k) {
            const std::uint32_t a = mesh.triangles[t + std::size_t(k)];
            const std::uint32_t b = mesh.triangles[t + std::size_t((k + 1) % 3)];
            edges.emplace_back(a, b);
            edges.emplace_back(b, a);
        }
    std::sort(edges.begin(), edges.end());
    Adjacency a;
    a.start.assign(n + 1, 0);
    a.boundary.assign(n, 0);
    a.adj.reserve(edges.size() / 2);
    std::size_t i = 0;
    for (std::uint32_t v = 0; v < n; ++v) {
        a.start[v] = std::uint32_t(a.adj.size());
        while (i < edges.size() && edges[i].first == v) {
            std::size_t j = i;
            while (j < edges.size() && edges[j] == edges[i])
                ++j;
            // A closed manifold edge appears twice in each direction (once per adjacent triangle).
            if (j - i < 2)
                a.boundary[v] = 1;
            a.adj.push_back(edges[i].second);
            i = j;
        }
    }
    a.start[n] = std::uint32_t(a.adj.size());
    return a;
}

void umbrellaStep(const Adjacency &a, const std::vector<float> &src, std::vector<float> &dst, double factor)
{
    const std::size_t n = a.boundary.size();
    tbb::parallel_for(std::size_t(0), n, [&](std::size_t v) {
        const std::uint32_t b = a.start[v], e = a.start[v + 1];
        if (a.boundary[v] || b == e) {
            for (int k = 0; k < 3; ++k)
                dst[3 * v + std::size_t(k)] = src[3 * v + std::size_t(k)];
            return;
        }
        double mean[3] = {0, 0, 0};
        for (std::uint32_t i = b; i < e; ++i)
            for (int k = 0; k < 3; ++k)
                mean[k] += src[3 * std::size_t(a.adj[i]) + std::size_t(k)];
        const double inv = 1.0 / double(e - b);
        for (int k = 0; k < 3; ++k) {
            const double p = src[3 * v + std::size_t(k)];
            dst[3 * v + std::size_t(k)] = float(p + factor * (mean[k] * inv - p));
        }
    });
}

} // namespace

void taubinSmooth(Mesh &mesh, const TaubinOptions &options, const TaskContext &context)
{
    if (options.iterations <= 0 || mesh.triangles.empty())
        return;
    const Adjacency adjacency = buildAdjacency(mesh);
    std::vector<float> other(mesh.vertices.size());
    for (int it = 0; it < options.iterations; ++it) {
        context.throwIfCanceled();
        umbrellaStep(adjacency, mesh.vertices, other, options.lambda);
        umbrellaStep(adjacency, other, mesh.vertices, options.mu);
        context.progress(double(it + 1) / double(options.iterations));
    }
    mesh.computeNormals();
}

} // namespace carina::algo
