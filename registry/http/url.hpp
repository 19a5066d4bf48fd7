#pragma once

#include <map>
#include <string>
#include <string_view>

// Decoding of request targets (RFC 3986 percent-encoding; `+` as space in query strings).
namespace qreg::registry::http {

// Malformed escapes are kept as written.
[[nodiscard]] std::string percent_decode(std::string_view text, bool plus_is_space);
// `a=1&b=x%20y` -> {a: 1, b: x y}; a key without `=` maps to "".
[[nodiscard]] std::map<std::string, std::string> parse_query(std::string_view query);

}  // namespace qreg::registry::http
