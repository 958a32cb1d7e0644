// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

#include <string>

// The confinement carina-dicom-worker puts itself in once it has started (docs/security.md).
// GDCM and its decoders parse untrusted files; a memory bug in them must not reach the user's
// other files, the network, or other programs.

namespace carina::io::detail {

/// Which layers applySandbox() managed to put in place.
struct SandboxReport
{
    bool noNewPrivs = false;       ///< PR_SET_NO_NEW_PRIVS: no set-uid/file-capability gains by exec
    bool seccomp = false;          ///< the system-call allowlist is installed
    bool networkNamespace = false; ///< in an empty network namespace (no interface but a down lo)
    /// Empty when every layer is in place, else what is missing and why (one line).
    std::string warning;
};

/// Confines the calling process for decoding from already-open descriptors: no core dumps, not
/// ptrace-able, a new user + network namespace where the kernel allows unprivileged ones, then
/// NO_NEW_PRIVS and a seccomp allowlist. Calls outside the allowlist fail with EPERM (opening a
/// path with EACCES) instead of killing, so a decoder's error path still reports. Must be called
/// while the process has a single thread (unshare of a user namespace requires it).
/// Never throws: a kernel without seccomp leaves the layers it has and says so in `warning`.
SandboxReport applySandbox();

} // namespace carina::io::detail
