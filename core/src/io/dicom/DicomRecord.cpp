// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Carina contributors
#include "io/dicom/DicomRecord.h"

#include <cstdio>
#include <cstdlib>

namespace carina::io::detail {

std::string escapeField(std::string_view value)
{
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out += c;
        }
    }
    return out;
}

std::string unescapeField(std::string_view value)
{
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '\\' || i + 1 == value.size()) {
            out += value[i];
            continue;
        }
        const char c = value[++i];
        out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
    }
    return out;
}

void RecordWriter::add(std::string_view key, std::string_view value)
{
    if (!m_line.empty())
        m_line += '\t';
    m_line += key;
    m_line += '=';
    m_line += escapeField(value);
}

void RecordWriter::add(std::string_view key, double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    add(key, std::string_view(buffer));
}

void RecordWriter::add(std::string_view key, long long value)
{
    add(key, std::string_view(std::to_string(value)));
}

void RecordWriter::add(std::string_view key, const std::vector<double> &values)
{
    std::string joined;
    char buffer[32];
    for (double v : values) {
        std::snprintf(buffer, sizeof buffer, "%.17g", v);
        if (!joined.empty())
            joined += ',';
        joined += buffer;
    }
    add(key, std::string_view(joined));
}

RecordReader::RecordReader(std::string_view line)
{
    while (!line.empty()) {
        const std::size_t tab = line.find('\t');
        const std::string_view field = line.substr(0, tab);
        const std::size_t eq = field.find('=');
        if (eq != std::string_view::npos)
            m_fields.emplace(std::string(field.substr(0, eq)), unescapeField(field.substr(eq + 1)));
        if (tab == std::string_view::npos)
            break;
        line.remove_prefix(tab + 1);
    }
}

std::string RecordReader::text(const std::string &key) const
{
    const auto it = m_fields.find(key);
    return it == m_fields.end() ? std::string() : it->second;
}

double RecordReader::number(const std::string &key, double fallback) const
{
    const auto it = m_fields.find(key);
    if (it == m_fields.end() || it->second.empty())
        return fallback;
    char *end = nullptr;
    const double v = std::strtod(it->second.c_str(), &end);
    return end == it->second.c_str() ? fallback : v;
}

long long RecordReader::integer(const std::string &key, long long fallback) const
{
    const auto it = m_fields.find(key);
    if (it == m_fields.end() || it->second.empty())
        return fallback;
    char *end = nullptr;
    const long long v = std::strtoll(it->second.c_str(), &end, 10);
    return end == it->second.c_str() ? fallback : v;
}

std::vector<double> RecordReader::numbers(const std::string &key) const
{
    std::vector<double> values;
    const auto it = m_fields.find(key);
    if (it == m_fields.end())
        return values;
    const char *p = it->second.c_str();
    while (*p) {
        char *end = nullptr;
        const double v = std::strtod(p, &end);
        if (end == p)
            break;
        values.push_back(v);
        p = *end == ',' ? end + 1 : end;
    }
    return values;
}

} // namespace carina::io::detail
