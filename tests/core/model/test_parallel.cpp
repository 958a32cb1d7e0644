// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// The SDK's parallel loop (issue 22.1): every index once, cancel honoured between ranges,
// a body's exception rethrown, progress growing to the end of its range.
#include <carina/Parallel.h>

#include <QtTest>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace carina;

class TestParallel : public QObject
{
    Q_OBJECT
private slots:
    void every_index_is_visited_once()
    {
        for (std::size_t count : {std::size_t(1), std::size_t(7), std::size_t(1000), std::size_t(100003)}) {
            std::vector<std::atomic<int>> visits(count);
            std::atomic<bool> badRange{false}; // QVERIFY is for the test's own thread
            parallelFor(count, [&](std::size_t first, std::size_t last) {
                if (!(first < last && last <= count))
                    badRange = true;
                for (std::size_t i = first; i < last; ++i)
                    visits[i].fetch_add(1);
            }, TaskContext::none(), {}, 16);
            QVERIFY(!badRange);
            for (std::size_t i = 0; i < count; ++i)
                QCOMPARE(visits[i].load(), 1);
        }
        bool called = false;
        parallelFor(0, [&](std::size_t, std::size_t) { called = true; });
        QVERIFY(!called);
    }

    void ranges_respect_the_grain()
    {
        std::mutex m;
        std::vector<std::size_t> sizes;
        parallelFor(1000, [&](std::size_t first, std::size_t last) {
            const std::lock_guard lock(m);
            sizes.push_back(last - first);
        }, TaskContext::none(), {}, 100);
        std::size_t total = 0;
        for (std::size_t s : sizes)
            total += s;
        QCOMPARE(total, std::size_t(1000));
        QVERIFY(sizes.size() <= 16); // TBB splits down to between grain/2 and grain
    }

    void cancel_stops_new_ranges_and_throws()
    {
        TaskContext context;
        std::atomic<std::size_t> ran{0};
        bool threw = false;
        try {
            parallelFor(100000, [&](std::size_t first, std::size_t last) {
                ran += last - first;
                if (ran > 1000)
                    context.cancel();
                std::this_thread::sleep_for(std::chrono::microseconds(50));
            }, context, {}, 10);
        } catch (const TaskCanceled &) {
            threw = true;
        }
        QVERIFY(threw);
        QVERIFY2(ran < 50000, qPrintable(QString::number(ran)));

        TaskContext already;
        already.cancel();
        bool calledAfterCancel = false;
        QVERIFY_THROWS_EXCEPTION(TaskCanceled, parallelFor(10, [&](std::size_t, std::size_t) { calledAfterCancel = true; }, already));
        QVERIFY(!calledAfterCancel);
    }

    void a_body_exception_is_rethrown()
    {
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, parallelFor(1000, [](std::size_t first, std::size_t last) {
            if (first <= 500 && 500 < last)
                throw std::runtime_error("bad slice");
        }));
    }

    void progress_grows_within_its_range()
    {
        std::mutex m;
        std::vector<double> fractions;
        std::vector<std::string> messages;
        TaskContext context([&](double f, const std::string &message) {
            const std::lock_guard lock(m);
            fractions.push_back(f);
            messages.push_back(message);
        });
        parallelFor(5000, [](std::size_t, std::size_t) {}, context, {0.25, 0.75, "Smoothing"}, 10);
        QVERIFY(!fractions.empty());
        for (std::size_t i = 1; i < fractions.size(); ++i)
            QVERIFY(fractions[i] > fractions[i - 1]);
        QVERIFY(fractions.front() >= 0.25);
        QCOMPARE(fractions.back(), 0.75);
        QVERIFY(fractions.size() <= 101);
        for (const std::string &message : messages)
            QCOMPARE(message, std::string("Smoothing"));
    }
};

QTEST_GUILESS_MAIN(TestParallel)
#include "test_parallel.moc"
