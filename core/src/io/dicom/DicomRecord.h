// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#pragma once

// The line format the DICOM worker and the library talk in: one record per line, fields
// "key=value" separated by tabs, with \t, \n, \r and \\ escaped in values. Text keeps the
// worker free of Qt (it must start in a few milliseconds) and is easy to read when debugging.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace carina::io::detail {

/// Builds one record line (without the trailing newline).
class RecordWriter
{
public:
    void add(std::string_view key, std::string_view value);
    void add(std::string_view key, const char *value) { add(key, std::string_view(value)); }
    void add(std::string_view key, const std::string &value) { add(key, std::string_view(value)); }
    void add(std::string_view key, double value);
    void add(std::string_view key, long long value);
    void add(std::string_view key, int value) { add(key, static_cast<long long>(value)); }
    void add(std::string_view key, const std::vector<double> &values);
    const std::string &line() const { return m_line; }

private:
    std::string m_line;
};

/// Reads the fields of one record line; missing keys give the fallback.
class RecordReader
{
public:
    explicit RecordReader(std::string_view line);
    bool has(const std::string &key) const { return m_fields.count(key) != 0; }
    std::string text(const std::string &key) const;
    double number(const std::string &key, double fallback = 0.0) const;
    long long integer(const std::string &key, long long fallback = 0) const;
    std::vector<double> numbers(const std::string &key) const;

private:
    std::unordered_map<std::string, std::string> m_fields;
};

/// Escapes a value so it holds no tab or newline.
std::string escapeField(std::string_view value);
std::string unescapeField(std::string_view value);

} // namespace carina::io::detail
