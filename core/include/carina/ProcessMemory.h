// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <carina/CoreExport.h>

namespace carina {

/// Sets how this process's heap gives memory back, so that closing a scan returns its memory to
/// the system. Call once at the start of main(), before any thread exists.
///
/// glibc gives each thread that allocates a heap arena of its own, and never shrinks the top of
/// those arenas on malloc_trim(); temporaries of the parallel algorithms stayed there, and the
/// process grew by about 8 MiB over 50 open-process-close cycles. With one arena, trimming after
/// a close reaches everything; Carina's parallel loops allocate up front, so no speed was lost
/// (bench/run, lungmesh and labelprops rows).
CARINA_CORE_EXPORT void applyProcessMemoryPolicy();

/// Hands freed heap pages back to the system. Cheap (a few ms); call after a document's image is
/// replaced or closed, not inside loops.
CARINA_CORE_EXPORT void releaseFreedMemory();

/// This process's resident memory in MiB, as the kernel counts it (VmRSS, what `top` shows);
/// 0 when /proc cannot tell.
CARINA_CORE_EXPORT double residentMemoryMiB();

} // namespace carina
