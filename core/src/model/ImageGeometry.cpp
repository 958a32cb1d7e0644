// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include <carina/ImageGeometry.h>

#include <Eigen/LU>

#include <cmath>

namespace carina {

Eigen::Matrix4d ImageGeometry::indexToPhysicalMatrix() const
{
    Eigen::Matrix4d m = Eigen::Matrix4d::Identity();
    m.topLeftCorner<3, 3>() = direction * spacing.asDiagonal();
    m.topRightCorner<3, 1>() = origin;
    return m;
}

Eigen::Vector3d ImageGeometry::indexToPhysical(const Eigen::Vector3d &index) const
{
    return origin + direction * spacing.cwiseProduct(index);
}

Eigen::Vector3d ImageGeometry::physicalToIndex(const Eigen::Vector3d &point) const
{
    // The direction is orthonormal in every reader's output, but a NIfTI sform may shear:
    // invert the general matrix so the round trip stays exact either way.
    const Eigen::Matrix3d m = direction * spacing.asDiagonal();
    return m.inverse() * (point - origin);
}

bool ImageGeometry::sameGrid(const ImageGeometry &other, double toleranceMm) const
{
    return dims == other.dims && (spacing - other.spacing).cwiseAbs().maxCoeff() <= toleranceMm
        && (origin - other.origin).cwiseAbs().maxCoeff() <= toleranceMm
        && (direction - other.direction).cwiseAbs().maxCoeff() <= 1e-4;
}

std::array<char, 3> ImageGeometry::orientationCode() const
{
    // LPS: +x = Left, +y = Posterior, +z = Superior.
    static constexpr char positive[3] = {'L', 'P', 'S'};
    static constexpr char negative[3] = {'R', 'A', 'I'};
    std::array<char, 3> code{'?', '?', '?'};
    for (int axis = 0; axis < 3; ++axis) {
        const Eigen::Vector3d column = direction.col(axis);
        Eigen::Index largest = 0;
        column.cwiseAbs().maxCoeff(&largest);
        code[std::size_t(axis)] = column[largest] >= 0 ? positive[largest] : negative[largest];
    }
    return code;
}

} // namespace carina
