#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The audit log's entries: who did what to whose data, under which consent or statute.
// See README "Audit log" for the tamper evidence and the pseudonymisation of persons.
namespace qreg {

// Who acts: set at the edge, from the access token (HTTP) or the OS user (CLI).
struct AuditActor {
    std::string principal;  // e.g. a caseworker's account, or the OS user for the CLI
    std::string role;       // e.g. "caseworker", "operator", "importer"
    std::string agency;     // "ba", "jobcenter", "bamf", ...; empty for the registry's operators
};

// Common actions; any other lowercase dotted name may be logged.
namespace audit_action {
inline constexpr const char* import = "import";                // per file: counts in details
inline constexpr const char* dedup = "dedup";                  // a recomputation of all persons
inline constexpr const char* match = "match";                  // an import's records matched
inline constexpr const char* profile_read = "profile.read";
inline constexpr const char* search = "search";                // details: the query
inline constexpr const char* disclosures_read = "disclosures.read";  // Art. 15 report, data officer
inline constexpr const char* share_pull = "share.pull";        // categories: what was disclosed
inline constexpr const char* share_push = "share.push";
inline constexpr const char* consent_grant = "consent.grant";
inline constexpr const char* consent_revoke = "consent.revoke";
inline constexpr const char* subscription_create = "subscription.create";  // push connector
inline constexpr const char* subscription_cancel = "subscription.cancel";
inline constexpr const char* merge = "merge";
inline constexpr const char* split = "split";
inline constexpr const char* review_decision = "review.decision";
inline constexpr const char* token_create = "token.create";
inline constexpr const char* token_revoke = "token.revoke";
inline constexpr const char* erase = "erase";  // Art. 17 erasure; written by AuditLog only
}  // namespace audit_action

// One entry as a service logs it. Person ids are given plainly; the log stores their keyed
// pseudonyms in the hashed entry and the plain ids only in a separate, erasable index.
struct AuditEntry {
    std::string time;  // UTC `YYYY-MM-DDTHH:MM:SSZ`; empty: now
    AuditActor actor;
    std::string action;
    std::vector<std::int64_t> persons;    // person ids concerned
    std::vector<std::string> categories;  // data categories read or disclosed
    std::string legal_basis;              // consent id, or the statute, e.g. "§ 50 SGB II"
    std::string request_id;
    std::string outcome = "ok";         // "ok", "denied", "failed", ...
    std::string details_json = "{}";    // a JSON object: search query, file, counts, ...
};

struct AuditPerson {
    std::string pseudonym;                  // HMAC-SHA256(pseudonym key, decimal id), hex
    std::optional<std::int64_t> person_id;  // empty once the person was erased
};

// An entry as stored: the text columns exactly as the leaf hash covers them.
struct StoredAuditEntry {
    std::int64_t seq = 0;  // 1, 2, 3, ...: leaf index + 1
    std::string time;
    std::string actor;  // principal
    std::string role;
    std::string agency;
    std::string action;
    std::string persons_json;  // JSON array of pseudonyms, sorted, no duplicates
    std::string categories_json;
    std::string legal_basis;
    std::string request_id;
    std::string outcome;
    std::string details_json;
    std::string leaf_hash;              // 32 bytes as stored
    std::vector<AuditPerson> persons;   // from the person index, by pseudonym
};

// Which entries to list; empty fields do not filter. Times compare as text (same format).
struct AuditFilter {
    std::optional<std::int64_t> person_id;
    std::string actor;
    std::string agency;
    std::string action;
    std::string from;  // time >= from
    std::string to;    // time < to
};

struct AuditPageRequest {
    std::int64_t after_seq = 0;  // the page starts after this entry
    std::int64_t limit = 100;
};

struct AuditPage {
    std::vector<StoredAuditEntry> entries;
    std::int64_t next_after_seq = 0;  // 0 when there is no next page
};

// SHA-256 digest; the same type as qreg::audit::Hash.
using AuditHash = std::array<std::uint8_t, 32>;

// A signed statement that the log's first `tree_size` entries have Merkle root `root_hash`,
// kept for publication (e.g. to a supervisory authority). Numbered 1, 2, 3, ...
struct AuditCheckpoint {
    std::int64_t number = 0;
    std::int64_t tree_size = 0;
    AuditHash root_hash{};
    std::string time;
    std::string key_id;     // 16 hex digits: the start of SHA-256 of the raw public key
    std::string signature;  // Ed25519, 64 bytes
    std::string public_key;  // raw Ed25519, 32 bytes: not stored (key_id is), filled in on reading
};

// The log's signed head, replaced by every append: it covers every entry, so an entry added
// without the signing key is caught. `frontier` lets the next append extend the tree without
// reading the entries (one hash per perfect subtree, largest first).
struct AuditHead {
    std::int64_t tree_size = 0;
    AuditHash root_hash{};
    std::vector<AuditHash> frontier;
    std::int64_t checkpoints = 0;  // how many checkpoints exist: none can vanish unnoticed
    std::string time;
    std::string key_id;
    std::string signature;
};

}  // namespace qreg
