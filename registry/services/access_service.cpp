#include "access_service.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <array>
#include <fstream>
#include <sstream>

#include "../config.hpp"
#include "crypto.hpp"
#include "qreg/error.hpp"

namespace qreg::registry {

namespace json = boost::json;

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> role_names = {{
    {Role::caseworker, "caseworker"},
    {Role::data_officer, "data-officer"},
    {Role::admin, "admin"},
    {Role::agency, "agency"},
}};

std::string string_field(const json::object& o, std::string_view key, const std::string& where,
                         bool required) {
    const auto* v = o.if_contains(key);
    if (!v) {
        if (required) throw Error(ErrorCode::invalid_input, fmt::format("{}: missing \"{}\"", where, key));
        return {};
    }
    if (!v->is_string()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: \"{}\" must be a string", where, key));
    }
    return std::string(v->as_string());
}

}  // namespace

std::string_view role_name(Role role) {
    for (const auto& [r, name] : role_names) {
        if (r == role) return name;
    }
    return "unknown";
}

Role parse_role(std::string_view name) {
    for (const auto& [r, n] : role_names) {
        if (n == name) return r;
    }
    throw Error(ErrorCode::invalid_input,
                fmt::format("unknown role '{}'; roles are caseworker, data-officer, admin, agency", name));
}

std::string Principal::actor() const { return fmt::format("{} ({})", name, role_name(role)); }

std::string token_hash(std::string_view token) { return sha256_hex(token); }

NewToken create_token(Store& store, Role role, std::string_view name, std::string_view agency,
                      std::string_view now) {
    if (name.empty()) throw Error(ErrorCode::invalid_input, "a token needs a --name saying whose it is");
    if (role == Role::agency) {
        if (agency.empty()) {
            throw Error(ErrorCode::invalid_input, "an agency token needs --agency ID (see `qreg agency list`)");
        }
        if (!store.agency(agency)) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("unknown agency '{}'; configure it in config/agencies.json", agency));
        }
    } else if (!agency.empty()) {
        throw Error(ErrorCode::invalid_input, "--agency is only for --role agency");
    }
    NewToken out;
    out.token = "qreg_" + random_base64url(32);
    TokenRow row;
    row.name = std::string(name);
    row.role = std::string(role_name(role));
    row.agency = std::string(agency);
    row.created_at = std::string(now);
    out.id = store.add_token(token_hash(out.token), row);
    return out;
}

std::optional<Principal> authenticate(const Store& store, std::string_view token) {
    if (token.empty() || token.size() > 200) return std::nullopt;
    const auto row = store.active_token(token_hash(token));
    if (!row) return std::nullopt;
    return Principal{row->id, row->name, parse_role(row->role), row->agency};
}

std::vector<AgencyRow> load_agencies(const std::filesystem::path& config_dir) {
    const auto file = config_dir / "agencies.json";
    json::error_code ec;
    const auto doc = json::parse(read_config_file(file), ec);
    if (ec || !doc.is_object() || !doc.as_object().if_contains("agencies") ||
        !doc.as_object().at("agencies").is_array()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: expected {{\"agencies\": [...]}}", file.string()));
    }
    std::vector<AgencyRow> out;
    std::size_t index = 0;
    for (const auto& entry : doc.as_object().at("agencies").as_array()) {
        const auto where = fmt::format("{}: agencies[{}]", file.string(), index++);
        if (!entry.is_object()) throw Error(ErrorCode::invalid_input, where + ": not an object");
        const auto& o = entry.as_object();
        AgencyRow a;
        a.id = string_field(o, "id", where, true);
        a.name = string_field(o, "name", where, true);
        a.kind = string_field(o, "kind", where, false);
        if (const auto* formats = o.if_contains("formats")) {
            if (!formats->is_array()) throw Error(ErrorCode::invalid_input, where + ": \"formats\" must be a list");
            for (const auto& f : formats->as_array()) {
                if (!f.is_string()) throw Error(ErrorCode::invalid_input, where + ": formats must be strings");
                a.formats.emplace_back(f.as_string());
            }
        }
        out.push_back(std::move(a));
    }
    return out;
}

void sync_agencies(Store& store, const std::vector<AgencyRow>& agencies) {
    for (const auto& a : agencies) store.put_agency(a);
}

}  // namespace qreg::registry
