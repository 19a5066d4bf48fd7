#include "api_support.hpp"

#include "../services/crypto.hpp"
#include "../services/disclosure_report.hpp"
#include "../json_text.hpp"

#include "qreg/error.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <charconv>

namespace qreg::registry::http {

namespace json = boost::json;

Response json_response(int status, const json::value& body) {
    return Response{status, "application/json", compact_json(body), {}};
}

json::object parse_body(const Request& r) {
    json::error_code ec;
    auto value = json::parse(r.body, ec);
    if (ec) throw Error(ErrorCode::invalid_input, "request body is not JSON: " + ec.message());
    if (!value.is_object())
        throw Error(ErrorCode::invalid_input, "request body must be a JSON object");
    return std::move(value.as_object());
}

std::string string_member(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_string()) {
        throw Error(ErrorCode::invalid_input, fmt::format("\"{}\" (a string) is required", key));
    }
    return std::string(v->as_string());
}

const std::string& report_style_source() {
    static const std::string source =
        fmt::format("'sha256-{}'", sha256_base64(disclosure_report_css()));
    return source;
}

std::int64_t parse_id(std::string_view text, std::string_view what) {
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || p != end || value <= 0) {
        throw Error(ErrorCode::invalid_input, fmt::format("{} must be a positive number", what));
    }
    return value;
}

bool matches(const Request& r, std::span<const std::string_view> path, std::string_view method,
             std::initializer_list<std::string_view> pattern) {
    if (r.method != method || path.size() != pattern.size()) return false;
    std::size_t i = 0;
    for (const auto p : pattern) {
        if (p != "*" && p != path[i]) return false;
        ++i;
    }
    return true;
}

void require(const Principal& p, std::initializer_list<Role> roles) {
    for (const auto role : roles) {
        if (p.role == role) return;
    }
    throw Error(ErrorCode::forbidden,
                fmt::format("the role {} may not do this", role_name(p.role)));
}

AuditContext audit_context(const Principal& who, const Request& r) {
    return {{who.name, std::string(role_name(who.role)), who.agency}, r.request_id};
}

}  // namespace qreg::registry::http
