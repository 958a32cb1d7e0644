// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
// SharedMemory in parts: each worker writes its slices into its own block, and map() must show
// every slice from the part that holds it, in slice order, as one range.
#include "io/dicom/SharedMemory.h"

#include <carina/io/IoError.h>

#include <QTest>

#include <cstring>
#include <unistd.h>
#include <vector>

using carina::io::detail::SharedMemory;

class TestSharedMemory : public QObject
{
    Q_OBJECT
private slots:
    void slices_from_several_parts_map_in_order()
    {
        const std::size_t sliceBytes = std::size_t(::sysconf(_SC_PAGESIZE)) * 3;
        const std::size_t slices = 7;
        QVERIFY(SharedMemory::canSplit(sliceBytes));
        SharedMemory memory(sliceBytes * slices, 3);
        QCOMPARE(memory.parts(), 3);
        // Runs of one part and single slices, as dynamic dealing gives them.
        const std::vector<int> partOfSlice{2, 2, 0, 1, 1, 1, 0};
        for (std::size_t k = 0; k < slices; ++k) {
            const std::vector<char> slice(sliceBytes, char('a' + k));
            QCOMPARE(::pwrite(memory.fd(partOfSlice[k]), slice.data(), sliceBytes, off_t(k * sliceBytes)), ssize_t(sliceBytes));
        }
        const std::shared_ptr<void> mapping = memory.map(partOfSlice, sliceBytes);
        const char *bytes = static_cast<const char *>(mapping.get());
        for (std::size_t k = 0; k < slices; ++k)
            for (std::size_t at : {std::size_t(0), sliceBytes / 2, sliceBytes - 1})
                QCOMPARE(bytes[k * sliceBytes + at], char('a' + k));
        // The volume stays writable, as one part's mapping was.
        static_cast<char *>(mapping.get())[0] = 'z';
        QCOMPARE(bytes[0], 'z');
    }

    void slices_that_are_not_whole_pages_stay_in_one_part()
    {
        QVERIFY(!SharedMemory::canSplit(512 * 511 * 2));
        SharedMemory memory(100, 2);
        QVERIFY_THROWS_EXCEPTION(carina::io::IoError, memory.map({0, 1}, 50));
        SharedMemory single(100);
        QVERIFY(single.map({0, 0}, 50) != nullptr);
    }
};

QTEST_GUILESS_MAIN(TestSharedMemory)
#include "test_shared_memory.moc"
