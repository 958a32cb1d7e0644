// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "FuzzInput.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace carina::fuzz {

namespace {

const std::filesystem::path &scratchFolder()
{
    static const std::filesystem::path folder = [] {
        namespace fs = std::filesystem;
        const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
        fs::path dir = base / ("carina-fuzz-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        // Leave no scratch files behind when the fuzzer exits normally.
        std::atexit([] {
            std::error_code ignored;
            std::filesystem::remove_all(scratchFolder(), ignored);
        });
        return dir;
    }();
    return folder;
}

} // namespace

std::string writeInput(const std::string &name, const std::uint8_t *data, std::size_t size)
{
    const std::string path = (scratchFolder() / name).string();
    std::FILE *file = std::fopen(path.c_str(), "wb");
    if (!file)
        std::abort();
    if (size > 0 && std::fwrite(data, 1, size, file) != size)
        std::abort();
    std::fclose(file);
    return path;
}

void abortOnSanitizerReport(const std::string &message)
{
    if (message.find("Sanitizer") != std::string::npos || message.find("==ABORTING") != std::string::npos
        || message.find("runtime error:") != std::string::npos) {
        std::fprintf(stderr, "sanitizer report from a DICOM worker: %s\n", message.c_str());
        std::abort();
    }
}

} // namespace carina::fuzz
