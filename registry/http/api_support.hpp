#pragma once

#include "../services/access_service.hpp"
#include "../services/audit_service.hpp"
#include "server.hpp"

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

// Private to registry/http: what the route handlers share. Failures are thrown as qreg::Error;
// Api::handle turns them into JSON error responses.
namespace qreg::registry::http {

[[nodiscard]] Response json_response(int status, const boost::json::value& body);
// The request body as a JSON object; throws Error{invalid_input}.
[[nodiscard]] boost::json::object parse_body(const Request& r);
// Throws Error{invalid_input} when `key` is missing or not a string.
[[nodiscard]] std::string string_member(const boost::json::object& o, std::string_view key);
// Throws Error{invalid_input} unless `text` is a positive number; `what` names it.
[[nodiscard]] std::int64_t parse_id(std::string_view text, std::string_view what);
// Whether the request is `method` on `pattern` (`*` matches any one path segment).
[[nodiscard]] bool matches(const Request& r, std::span<const std::string_view> path,
                           std::string_view method,
                           std::initializer_list<std::string_view> pattern);
// Throws Error{forbidden} unless the principal has one of `roles`.
void require(const Principal& p, std::initializer_list<Role> roles);
// The hash source ('sha256-...') of the disclosure report's inline style: its own
// Content-Security-Policy and the web page's (a report the page opens as a blob: URL inherits
// the page's policy) allow that one style and no other inline style.
[[nodiscard]] const std::string& report_style_source();
// Who acts in the request, for its audit entries: the token's principal, role and agency.
[[nodiscard]] AuditContext audit_context(const Principal& who, const Request& r);

}  // namespace qreg::registry::http
