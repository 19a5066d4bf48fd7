#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../storage/store.hpp"

// Who may do what: bearer tokens bound to a role (and, for agencies, to one agency), and the
// agencies the registry knows.
namespace qreg::registry {

enum class Role { caseworker, data_officer, admin, agency };

[[nodiscard]] std::string_view role_name(Role role);  // caseworker, data-officer, admin, agency
// Throws Error{invalid_input} listing the roles.
[[nodiscard]] Role parse_role(std::string_view name);

struct Principal {
    std::int64_t token_id = 0;
    std::string name;
    Role role = Role::caseworker;
    std::string agency;  // for Role::agency

    // `name (role)`, as audit entries and decisions record the actor.
    [[nodiscard]] std::string actor() const;
};

struct NewToken {
    std::int64_t id = 0;
    std::string token;  // shown once; only its hash is stored
};

// A random 256-bit token `qreg_<base64url>`. An agency principal needs a known `agency`.
// Throws Error{invalid_input} for a missing or unknown agency.
[[nodiscard]] NewToken create_token(Store& store, Role role, std::string_view name,
                                    std::string_view agency, std::string_view now);
// The principal of a valid, unrevoked token.
[[nodiscard]] std::optional<Principal> authenticate(const Store& store, std::string_view token);
[[nodiscard]] std::string token_hash(std::string_view token);  // SHA-256, hex

// <config>/agencies.json: {"agencies": [{"id", "name", "kind", "formats": [...]}]}.
// Throws Error{invalid_input} naming the file and the entry.
[[nodiscard]] std::vector<AgencyRow> load_agencies(const std::filesystem::path& config_dir);
// Writes the configured agencies into the database (added or updated; never removed, since
// consents and tokens may name them).
void sync_agencies(Store& store, const std::vector<AgencyRow>& agencies);

}  // namespace qreg::registry
