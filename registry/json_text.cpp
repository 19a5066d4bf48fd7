#include "json_text.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <utility>

namespace qreg::registry {

namespace json = boost::json;

void append_json_string(std::string& out, std::string_view v) {
    out += '"';
    std::size_t run = 0;  // start of the run of characters that need no escape
    for (std::size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
        out.append(v.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default: out += fmt::format("\\u{:04x}", static_cast<int>(c));
        }
    }
    out.append(v.data() + run, v.size() - run);
    out += '"';
}

namespace {

template <class Int>
void append_integer(std::string& out, Int v) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
    out.append(digits, end);
}

// Every key and scalar is written straight into `out` (json::serialize would make a string of
// each: most of the cost of a profile's text).
void write(std::string& out, const json::value& v) {
    switch (v.kind()) {
        case json::kind::object: {
            out += '{';
            bool first = true;
            for (const auto& [k, x] : v.get_object()) {
                if (!std::exchange(first, false)) out += ',';
                append_json_string(out, k);
                out += ':';
                write(out, x);
            }
            out += '}';
            break;
        }
        case json::kind::array: {
            out += '[';
            bool first = true;
            for (const auto& x : v.get_array()) {
                if (!std::exchange(first, false)) out += ',';
                write(out, x);
            }
            out += ']';
            break;
        }
        case json::kind::string: append_json_string(out, v.get_string()); break;
        case json::kind::int64: append_integer(out, v.get_int64()); break;
        case json::kind::uint64: append_integer(out, v.get_uint64()); break;
        case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
        case json::kind::null: out += "null"; break;
        case json::kind::double_:
            out += std::isfinite(v.get_double()) ? fmt::format("{}", v.get_double()) : "null";
            break;
    }
}

}  // namespace

std::string compact_json(const json::value& value) {
    std::string out;
    out.reserve(1024);
    write(out, value);
    return out;
}

}  // namespace qreg::registry
