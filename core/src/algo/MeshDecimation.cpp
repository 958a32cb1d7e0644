// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/algo/MeshDecimation.h>

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <queue>
#include <vector>

namespace carina::algo {

namespace {

using Vec = Eigen::Vector3d;

// Symmetric 4x4 quadric stored as its 10 upper entries: a00 a01 a02 a03 a11 a12 a13 a22 a23 a33.
struct Quadric
{
    std::array<double, 10> q{};

    void addPlane(const Vec &n, double d, double weight)
    {
        const double p[4] = {n.x(), n.y(), n.z(), d};
        int k = 0;
        for (int i = 0; i < 4; ++i)
            for (int j = i; j < 4; ++j)
                q[std::size_t(k++)] += weight * p[i] * p[j];
    }
    Quadric &operator+=(const Quadric &o)
    {
        for (std::size_t i = 0; i < 10; ++i)
            q[i] += o.q[i];
        return *this;
    }
    double error(const Vec &v) const
    {
        const double x = v.x(), y = v.y(), z = v.z();
        return q[0] * x * x + 2 * q[1] * x * y + 2 * q[2] * x * z + 2 * q[3] * x + q[4] * y * y + 2 * q[5] * y * z
               + 2 * q[6] * y + q[7] * z * z + 2 * q[8] * z + q[9];
    }
};

struct Candidate
{
    double cost;
    std::uint32_t u, v;
    std::uint32_t stampU, stampV;
    bool operator>(const Candidate &o) const { return cost > o.cost; }
};

class Decimator
{
public:
    Decimator(const Mesh &mesh, const DecimationOptions &options)
        : m_cosLimit(std::cos(options.maxNormalTurnDegrees * M_PI / 180.0))
    {
        const std::size_t nv = mesh.vertexCount();
        m_pos.resize(nv);
        for (std::size_t i = 0; i < nv; ++i)
            m_pos[i] = Vec(mesh.vertices[3 * i], mesh.vertices[3 * i + 1], mesh.vertices[3 * i + 2]);
        const std::size_t nt = mesh.triangleCount();
        m_tris.resize(nt);
        m_triAlive.assign(nt, 1);
        m_vtris.resize(nv);
        m_quadric.resize(nv);
        m_stamp.assign(nv, 0);
        m_locked.assign(nv, 0);
        m_alive = nt;
        for (std::size_t t = 0; t < nt; ++t) {
            auto &tri = m_tris[t];
            for (int k = 0; k < 3; ++k) {
                tri[std::size_t(k)] = mesh.triangles[3 * t + std::size_t(k)];
                m_vtris[tri[std::size_t(k)]].push_back(std::uint32_t(t));
            }
            const Vec n = (m_pos[tri[1]] - m_pos[tri[0]]).cross(m_pos[tri[2]] - m_pos[tri[0]]);
            const double len = n.norm();
            if (len <= 0)
                continue;
            const Vec unit = n / len;
            // Area weighting keeps big faces where they are rather than slivers.
            Quadric k;
            k.addPlane(unit, -unit.dot(m_pos[tri[0]]), 0.5 * len);
            for (std::uint32_t v : tri)
                m_quadric[v] += k;
        }
        // Edges used by other than two triangles are open or non-manifold: their ends stay put.
        std::vector<std::array<std::uint32_t, 2>> edges;
        edges.reserve(nt * 3);
        for (const auto &tri : m_tris)
            for (int k = 0; k < 3; ++k) {
                const std::uint32_t a = tri[std::size_t(k)], b = tri[std::size_t((k + 1) % 3)];
                edges.push_back({std::min(a, b), std::max(a, b)});
            }
        std::sort(edges.begin(), edges.end());
        for (std::size_t i = 0; i < edges.size();) {
            std::size_t j = i;
            while (j < edges.size() && edges[j] == edges[i])
                ++j;
            if (j - i != 2) {
                m_locked[edges[i][0]] = 1;
                m_locked[edges[i][1]] = 1;
            }
            i = j;
        }
        edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
        std::vector<Candidate> initial;
        initial.reserve(edges.size());
        for (const auto &e : edges)
            if (!m_locked[e[0]] && !m_locked[e[1]])
                initial.push_back(candidate(e[0], e[1]));
        m_heap = std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>>(std::greater<>(), std::move(initial));
    }

    std::size_t aliveTriangles() const { return m_alive; }

    // One collapse; false when no collapsible edge is left.
    bool step()
    {
        while (!m_heap.empty()) {
            const Candidate c = m_heap.top();
            m_heap.pop();
            if (m_stamp[c.u] != c.stampU || m_stamp[c.v] != c.stampV || m_vtris[c.u].empty() || m_vtris[c.v].empty())
                continue;
            const Vec target = bestPoint(c.u, c.v);
            if (!collapsible(c.u, c.v, target))
                continue;
            collapse(c.u, c.v, target);
            return true;
        }
        return false;
    }

    Mesh result(const Mesh &original) const
    {
        Mesh out;
        out.name = original.name;
        out.colour = original.colour;
        out.opacity = original.opacity;
        out.visible = original.visible;
        std::vector<std::uint32_t> remap(m_pos.size(), UINT32_MAX);
        out.triangles.reserve(m_alive * 3);
        for (std::size_t t = 0; t < m_tris.size(); ++t) {
            if (!m_triAlive[t])
                continue;
            for (std::uint32_t v : m_tris[t]) {
                if (remap[v] == UINT32_MAX) {
                    remap[v] = std::uint32_t(out.vertices.size() / 3);
                    for (int k = 0; k < 3; ++k)
                        out.vertices.push_back(float(m_pos[v][k]));
                }
                out.triangles.push_back(remap[v]);
            }
        }
        out.computeNormals();
        return out;
    }

private:
    Vec bestPoint(std::uint32_t u, std::uint32_t v) const
    {
        Quadric q = m_quadric[u];
        q += m_quadric[v];
        const auto &a = q.q;
        Eigen::Matrix3d m;
        m << a[0], a[1], a[2], a[1], a[4], a[5], a[2], a[5], a[7];
        const Vec b(a[3], a[6], a[8]);
        const Vec mid = 0.5 * (m_pos[u] + m_pos[v]);
        const double edge = (m_pos[u] - m_pos[v]).norm();
        const double scale = m.norm();
        if (scale > 0 && std::abs(m.determinant()) > 1e-9 * scale * scale * scale) {
            const Vec x = m.ldlt().solve(-b);
            // A nearly singular system (a flat or creased patch) can put the optimum far away.
            if (x.allFinite() && (x - mid).norm() <= 2.0 * edge)
                return x;
        }
        Vec best = mid;
        double bestError = q.error(mid);
        for (const Vec &p : {m_pos[u], m_pos[v]}) {
            const double e = q.error(p);
            if (e < bestError) {
                bestError = e;
                best = p;
            }
        }
        return best;
    }

    Candidate candidate(std::uint32_t u, std::uint32_t v) const
    {
        Quadric q = m_quadric[u];
        q += m_quadric[v];
        return {std::max(q.error(bestPoint(u, v)), 0.0), u, v, m_stamp[u], m_stamp[v]};
    }

    void neighbours(std::uint32_t v, std::vector<std::uint32_t> &out) const
    {
        out.clear();
        for (std::uint32_t t : m_vtris[v])
            for (std::uint32_t w : m_tris[t])
                if (w != v)
                    out.push_back(w);
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }

    bool collapsible(std::uint32_t u, std::uint32_t v, const Vec &target)
    {
        if (m_locked[u] || m_locked[v])
            return false;
        neighbours(u, m_nu);
        neighbours(v, m_nv);
        // Link condition: the vertices next to both ends are exactly the tips of the two faces
        // on the edge; anything more would pinch the surface into a non-manifold one.
        m_common.clear();
        std::set_intersection(m_nu.begin(), m_nu.end(), m_nv.begin(), m_nv.end(), std::back_inserter(m_common));
        std::uint32_t shared = 0;
        std::array<std::uint32_t, 2> tips{};
        for (std::uint32_t t : m_vtris[u]) {
            const auto &tri = m_tris[t];
            if (tri[0] != v && tri[1] != v && tri[2] != v)
                continue;
            if (shared == 2)
                return false;
            for (std::uint32_t w : tri)
                if (w != u && w != v)
                    tips[shared] = w;
            ++shared;
        }
        if (shared != 2 || m_common.size() != 2)
            return false;
        std::sort(tips.begin(), tips.end());
        if (tips[0] != m_common[0] || tips[1] != m_common[1])
            return false;
        // u ends with |N(u)| + |N(v)| - 4 neighbours, each tip loses one: keep all at three or more.
        if (m_nu.size() + m_nv.size() < 7)
            return false;
        for (std::uint32_t w : tips) {
            std::size_t valence = 0;
            for (std::uint32_t t : m_vtris[w])
                valence += m_triAlive[t];
            if (valence <= 3)
                return false;
        }
        // No remaining face may fold over or collapse to a sliver.
        for (std::uint32_t end : {u, v})
            for (std::uint32_t t : m_vtris[end]) {
                const auto &tri = m_tris[t];
                const bool hasU = tri[0] == u || tri[1] == u || tri[2] == u;
                const bool hasV = tri[0] == v || tri[1] == v || tri[2] == v;
                if (hasU && hasV)
                    continue;
                std::array<Vec, 3> p = {m_pos[tri[0]], m_pos[tri[1]], m_pos[tri[2]]};
                const Vec before = (p[1] - p[0]).cross(p[2] - p[0]);
                for (int k = 0; k < 3; ++k)
                    if (tri[std::size_t(k)] == end)
                        p[std::size_t(k)] = target;
                const Vec after = (p[1] - p[0]).cross(p[2] - p[0]);
                const double lb = before.norm(), la = after.norm();
                if (la <= 1e-12 * std::max(lb, 1e-300) || lb <= 0)
                    return false;
                if (before.dot(after) < m_cosLimit * lb * la)
                    return false;
            }
        return true;
    }

    void collapse(std::uint32_t u, std::uint32_t v, const Vec &target)
    {
        for (std::uint32_t t : m_vtris[v]) {
            auto &tri = m_tris[t];
            const bool hasU = tri[0] == u || tri[1] == u || tri[2] == u;
            if (hasU) {
                m_triAlive[t] = 0;
                --m_alive;
                for (std::uint32_t w : tri)
                    if (w != v) {
                        auto &list = m_vtris[w];
                        list.erase(std::find(list.begin(), list.end(), t));
                    }
            } else {
                for (auto &w : tri)
                    if (w == v)
                        w = u;
                m_vtris[u].push_back(t);
            }
        }
        m_vtris[v].clear();
        m_vtris[v].shrink_to_fit();
        m_pos[u] = target;
        m_quadric[u] += m_quadric[v];
        ++m_stamp[u];
        ++m_stamp[v];
        neighbours(u, m_nu);
        for (std::uint32_t w : m_nu)
            if (!m_locked[w])
                m_heap.push(candidate(u, w));
    }

    double m_cosLimit;
    std::vector<Vec> m_pos;
    std::vector<std::array<std::uint32_t, 3>> m_tris;
    std::vector<std::uint8_t> m_triAlive;
    std::vector<std::vector<std::uint32_t>> m_vtris;
    std::vector<Quadric> m_quadric;
    std::vector<std::uint32_t> m_stamp;
    std::vector<std::uint8_t> m_locked;
    std::size_t m_alive = 0;
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> m_heap;
    std::vector<std::uint32_t> m_nu, m_nv, m_common;
};

} // namespace

DecimationResult decimateMesh(Mesh &mesh, const DecimationOptions &options, const TaskContext &context)
{
    DecimationResult result;
    result.trianglesBefore = mesh.triangleCount();
    result.trianglesAfter = result.trianglesBefore;
    if (result.trianglesBefore <= options.targetTriangles) {
        result.reachedTarget = true;
        return result;
    }
    Decimator decimator(mesh, options);
    const std::size_t toRemove = result.trianglesBefore - options.targetTriangles;
    std::size_t steps = 0;
    while (decimator.aliveTriangles() > options.targetTriangles) {
        if (!decimator.step())
            break;
        if (++steps % 4096 == 0) {
            context.throwIfCanceled();
            context.progress(double(result.trianglesBefore - decimator.aliveTriangles()) / double(toRemove));
        }
    }
    context.throwIfCanceled();
    mesh = decimator.result(mesh);
    result.trianglesAfter = mesh.triangleCount();
    result.reachedTarget = result.trianglesAfter <= options.targetTriangles;
    context.progress(1.0);
    return result;
}

} // namespace carina::algo
