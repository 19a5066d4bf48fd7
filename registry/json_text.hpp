#pragma once

#include <string>

namespace boost::json {
class value;
}

// JSON text as qreg writes it for people and agencies to read.
namespace qreg::registry {

// Compact JSON like boost::json::serialize, but numbers with a fraction as `4.5`, not `4.5E0`.
[[nodiscard]] std::string compact_json(const boost::json::value& value);

}  // namespace qreg::registry
