// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// Closing a scan gives its memory back (issue 8.7). The pattern that used to keep it: worker
// threads allocating slice-sized temporaries, which glibc serves from per-thread arenas whose
// top malloc_trim() never shrinks. Without applyProcessMemoryPolicy() this test fails: the
// process keeps several MiB after each cycle.
#include <carina/ProcessMemory.h>

#include <QTest>

#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

// One "processing" cycle: two threads each build and drop temporaries from 1 to 6 MiB, the way
// the parallel algorithms' per-slab buffers grow.
void processingCycle()
{
    auto work = [] {
        std::vector<std::unique_ptr<char[]>> held;
        for (std::size_t mib = 1; mib <= 6; ++mib) {
            const std::size_t bytes = mib << 20;
            held.emplace_back(new char[bytes]);
            std::memset(held.back().get(), int(mib), bytes);
        }
        held.clear();
        // Smaller ones after the big ones were freed: these now come from the arena.
        for (std::size_t kib = 512; kib <= 4096; kib += 512) {
            std::unique_ptr<char[]> temporary(new char[kib << 10]);
            std::memset(temporary.get(), 1, kib << 10);
        }
    };
    std::thread a(work), b(work);
    a.join();
    b.join();
}

} // namespace

class TestProcessMemory : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
#if defined(__SANITIZE_ADDRESS__)
        QSKIP("AddressSanitizer replaces malloc; the policy is glibc's");
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
        QSKIP("AddressSanitizer replaces malloc; the policy is glibc's");
#  endif
#endif
    }

    void memory_returns_after_each_cycle()
    {
        const double before = carina::residentMemoryMiB();
        for (int cycle = 1; cycle <= 10; ++cycle) {
            processingCycle();
            carina::releaseFreedMemory();
            const double after = carina::residentMemoryMiB();
            // Each cycle drops everything it made: what stays is page-granular noise, not the
            // 4-6 MiB per thread a kept arena top holds.
            QVERIFY2(after - before < 1.5,
                     qPrintable(QStringLiteral("cycle %1: RSS %2 MiB before, %3 MiB after").arg(cycle).arg(before).arg(after)));
        }
    }
};

int main(int argc, char **argv)
{
    // First, as in app/main.cpp: Qt Test's watchdog thread would otherwise get an arena of its
    // own, which the worker threads then share.
    carina::applyProcessMemoryPolicy();
    QCoreApplication app(argc, argv);
    TestProcessMemory test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_process_memory.moc"
