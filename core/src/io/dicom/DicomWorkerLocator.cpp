// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/dicom/DicomWorkerPool.h"

#include <carina/io/IoError.h>

#include <dlfcn.h>
#include <filesystem>
#include <unistd.h>

namespace carina::io::detail {

namespace {
bool isExecutable(const std::filesystem::path &p)
{
    std::error_code ec;
    return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}
} // namespace

std::string findDicomWorker()
{
    constexpr const char *name = "carina-dicom-worker";
    std::string looked;
    if (const char *env = std::getenv("CARINA_DICOM_WORKER"); env && *env) {
        if (isExecutable(env))
            return env;
        looked += std::string(env) + " (CARINA_DICOM_WORKER), ";
    }
    // Relative to libcarina-core.so itself, so installed trees and the build tree both work
    // wherever they are.
    Dl_info info{};
    if (::dladdr(reinterpret_cast<void *>(&findDicomWorker), &info) && info.dli_fname) {
        std::error_code ec;
        std::filesystem::path lib = std::filesystem::canonical(info.dli_fname, ec);
        if (ec)
            lib = info.dli_fname;
        const std::filesystem::path dir = lib.parent_path();
        for (const std::filesystem::path &candidate : {dir / ".." / "libexec" / "carina" / name,
                                                      dir / ".." / ".." / "libexec" / "carina" / name, dir / ".." / "bin" / name}) {
            const std::filesystem::path normal = candidate.lexically_normal();
            if (isExecutable(normal))
                return normal.string();
            looked += normal.string() + ", ";
        }
    }
    const std::filesystem::path installed = CARINA_DICOM_WORKER_INSTALL_PATH;
    if (isExecutable(installed))
        return installed.string();
    looked += installed.string();
    throw IoError(std::string("cannot read DICOM: the helper program ") + name + " is missing (looked at " + looked + ")");
}

} // namespace carina::io::detail
