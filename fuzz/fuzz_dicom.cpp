// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The DICOM loader as the app uses it: scanDicom, then loadDicomSeries on each series found.
// Every input is parsed by carina-dicom-worker processes (set CARINA_DICOM_WORKER to the fuzz
// build's worker, built with the same sanitizers). A worker that GDCM aborts must come back as a
// problem or an IoError naming the file; this process must survive it. A sanitizer report from
// the worker is a bug in the project's worker code and is turned into a finding here.
#include "FuzzInput.h"

#include <carina/io/DicomSeries.h>
#include <carina/io/IoError.h>

#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string path = carina::fuzz::writeInput("input.dcm", data, size);
    try {
        const carina::io::DicomScan scan = carina::io::scanDicom(path);
        for (const std::string &problem : scan.problems) {
            carina::fuzz::abortOnSanitizerReport(problem);
            if (problem.find("input.dcm") == std::string::npos) {
                std::fprintf(stderr, "problem does not name the file: %s\n", problem.c_str());
                std::abort();
            }
        }
        for (const carina::io::DicomSeriesInfo &series : scan.series) {
            try {
                const carina::io::LoadResult result = carina::io::loadDicomSeries(series);
                for (const std::string &warning : result.warnings)
                    carina::fuzz::abortOnSanitizerReport(warning);
            } catch (const carina::io::IoError &error) {
                carina::fuzz::abortOnSanitizerReport(error.what());
            }
        }
    } catch (const carina::io::IoError &error) {
        carina::fuzz::abortOnSanitizerReport(error.what());
    }
    return 0;
}
