#include "json_text.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>
#include <utility>

namespace qreg::registry {

namespace json = boost::json;

namespace {

void write(std::string& out, const json::value& v) {
    switch (v.kind()) {
        case json::kind::object: {
            out += '{';
            bool first = true;
            for (const auto& [k, x] : v.get_object()) {
                if (!std::exchange(first, false)) out += ',';
                out += json::serialize(json::string_view(k));
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
        case json::kind::double_:
            out += std::isfinite(v.get_double()) ? fmt::format("{}", v.get_double()) : "null";
            break;
        default: out += json::serialize(v);
    }
}

}  // namespace

std::string compact_json(const json::value& value) {
    std::string out;
    write(out, value);
    return out;
}

}  // namespace qreg::registry
