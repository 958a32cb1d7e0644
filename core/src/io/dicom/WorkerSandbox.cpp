// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/dicom/WorkerSandbox.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace carina::io::detail {

namespace {

void note(std::string &warning, const std::string &text)
{
    warning += warning.empty() ? text : "; " + text;
}

/// The allowlist: reading and writing descriptors it already holds, memory, time, signals for
/// abort(), and leaving. Everything else (open, socket, connect, exec, fork, ptrace, ...) fails
/// with EPERM. Returns an empty string on success, else why not.
std::string installFilter()
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    if (!ctx)
        return "seccomp_init failed";
    int rc = 0;
    auto allow = [&](int call) {
        if (rc == 0 && call >= 0) // (a call this architecture lacks has a negative number)
            rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, call, 0);
    };
    for (int call : {SCMP_SYS(read), SCMP_SYS(readv), SCMP_SYS(pread64), SCMP_SYS(preadv), SCMP_SYS(write), SCMP_SYS(writev),
                     SCMP_SYS(pwrite64), SCMP_SYS(pwritev), SCMP_SYS(lseek), SCMP_SYS(close), SCMP_SYS(fstat),
                     SCMP_SYS(recvmsg), SCMP_SYS(recvfrom), SCMP_SYS(sendmsg), SCMP_SYS(sendto), SCMP_SYS(poll),
                     SCMP_SYS(ppoll), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(brk), SCMP_SYS(madvise),
                     SCMP_SYS(futex), SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday),
                     SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep), SCMP_SYS(sched_yield), SCMP_SYS(sched_getaffinity),
                     SCMP_SYS(getrandom), SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getppid), SCMP_SYS(rt_sigreturn),
                     SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigaction), SCMP_SYS(sigaltstack), SCMP_SYS(restart_syscall),
                     SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(getrlimit), SCMP_SYS(setrlimit), SCMP_SYS(fcntl),
                     SCMP_SYS(dup), SCMP_SYS(uname), SCMP_SYS(sysinfo), SCMP_SYS(membarrier)})
        allow(call);
    // Memory, but never executable: injected code would need PROT_EXEC pages.
    for (int call : {SCMP_SYS(mmap), SCMP_SYS(mprotect)})
        if (rc == 0)
            rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, call, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    // fstat() is newfstatat(fd, "", AT_EMPTY_PATH) in glibc 2.33+. A path given along with the
    // flag would still be looked up, but stat reveals metadata only, never contents.
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), 1,
                              SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH));
    // Limits and signals for this process only (abort() is raise(): tgkill on itself).
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1, SCMP_A0(SCMP_CMP_EQ, 0));
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, SCMP_A0(SCMP_CMP_EQ, unsigned(::getpid())));
    // std::filebuf asks how much is buffered (FIONREAD); nothing else of ioctl is needed.
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_EQ, FIONREAD));
    // Opening a path reads as "Permission denied", the message a decoder's error path expects.
    for (int call : {SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(openat2), SCMP_SYS(creat)})
        if (rc == 0 && call >= 0)
            rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), call, 0);
    if (rc == 0)
        rc = seccomp_load(ctx);
    seccomp_release(ctx);
    return rc == 0 ? std::string() : std::string("seccomp: ") + std::strerror(-rc);
}

} // namespace

SandboxReport applySandbox()
{
    SandboxReport report;
    // A crash must not leave a core file full of patient data, and no process of the user may
    // attach to the decoder to borrow its descriptors.
    rlimit noCore{0, 0};
    ::setrlimit(RLIMIT_CORE, &noCore);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    // No network: an empty network namespace needs a user namespace for an unprivileged process
    // (Debian allows them by default; some hardened kernels and containers do not).
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0)
        report.networkNamespace = true;
    else
        note(report.warning, std::string("no network namespace (") + std::strerror(errno) + "); seccomp denies sockets instead");
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0)
        report.noNewPrivs = true;
    else
        note(report.warning, std::string("PR_SET_NO_NEW_PRIVS failed: ") + std::strerror(errno));
    const std::string failed = installFilter();
    if (failed.empty())
        report.seccomp = true;
    else
        note(report.warning, "no system-call filter (" + failed + "): the decoder runs unconfined");
    return report;
}

} // namespace carina::io::detail
