#pragma once

#include <string>
#include <string_view>

namespace boost::json {
class value;
}

// JSON text as qreg writes it for people and agencies to read.
namespace qreg::registry {

// Compact JSON like boost::json::serialize, but numbers with a fraction as `4.5`, not `4.5E0`.
[[nodiscard]] std::string compact_json(const boost::json::value& value);

// Appends `text` to `out` as a JSON string (quoted, escaped), for writers that build their JSON
// text directly instead of a value tree.
void append_json_string(std::string& out, std::string_view text);

}  // namespace qreg::registry
