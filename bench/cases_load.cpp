// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Workflow load: the phantom as a DICOM series and as .nii.gz, path to volume.
#include "BenchSupport.h"

#include <carina/LabelVolume.h>
#include <carina/Mesh.h>
#include <carina/Volume.h>
#include <carina/io/VolumeReader.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

using namespace carina;
using namespace carina::bench;

namespace {

template<typename T>
bool sameValues(const Volume &v, const io::NpyArray &ref)
{
    const T *p = v.data<T>();
    const std::int16_t *r = ref.as<std::int16_t>();
    for (std::size_t n = 0, count = ref.elementCount(); n < count; ++n)
        if (double(p[n]) != double(r[n]))
            return false;
    return true;
}

void benchLoad(const Options &o, const std::string &caseName)
{
    const std::string path = caseName == "dicom_series" ? o.dataDir + "/dicom_series" : o.dataDir + "/ct_phantom.nii.gz";
    // Warm-up run: fills the page cache and checks the volume against the .npy.
    Figures figures;
    {
        const io::LoadResult first = io::readVolume(path);
        const Volume &v = first.volume;
        const io::NpyArray ref = io::readNpy(o.dataDir + "/ct_phantom.npy");
        const Dims d = v.dims();
        const bool sameShape = ref.shape.size() == 3 && d[0] == ref.shape[2] && d[1] == ref.shape[1] && d[2] == ref.shape[0]
                               && v.channels() == 1;
        const bool equal = sameShape && dispatchVoxelType(v.type(), [&](auto tag) {
                               return sameValues<decltype(tag)>(v, ref);
                           });
        figures = {{"shape_zyx", "[" + std::to_string(d[2]) + ", " + std::to_string(d[1]) + ", " + std::to_string(d[0]) + "]"},
                   {"dtype", quoted(voxelTypeName(v.type()))},
                   {"equal_to_npy", equal ? "true" : "false"},
                   {"orientation", quoted(std::string(v.geometry().orientationCode().data(), 3))},
                   {"warnings", std::to_string(first.warnings.size())}};
    }
    // Each result is released outside the clock, as each anchor run frees its array when its
    // process exits, untimed, before the next run starts.
    io::LoadResult result;
    const Timing t = timeRuns(
        o.repeat ? o.repeat : 5, 0,
        [&] {
            result = io::readVolume(path);
            if (result.volume.isNull())
                throw std::runtime_error(path + ": empty volume");
        },
        [&] { result = {}; });
    emitRow("load", caseName, t, figures);
}

} // namespace

CARINA_BENCH_CASE("load", "dicom_series", benchLoad);
CARINA_BENCH_CASE("load", "nifti", benchLoad);
