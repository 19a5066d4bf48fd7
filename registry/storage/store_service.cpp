// Store methods for the service: principals, agencies, persons, review decisions.
#include <fmt/format.h>

#include "../record_json.hpp"
#include "canonical_codec.hpp"
#include "qreg/error.hpp"
#include "sqlite.hpp"
#include "store.hpp"

namespace qreg::registry {

namespace {

TokenRow read_token(sqlite3_stmt* s) {
    return {sqlite::integer(s, 0), sqlite::text(s, 1), sqlite::text(s, 2),
            sqlite::text(s, 3),    sqlite::text(s, 4), sqlite::text(s, 5)};
}

constexpr const char* token_columns = "id, name, role, agency, created_at, revoked_at";

AgencyRow read_agency(sqlite3_stmt* s) {
    return {sqlite::text(s, 0), sqlite::text(s, 1), sqlite::text(s, 2),
            sqlite::split_list(sqlite::text(s, 3))};
}

}  // namespace

std::int64_t Store::add_token(std::string_view token_hash, const TokenRow& token) {
    const auto stmt = sqlite::prepare(handle(), R"sql(
        INSERT INTO access_token (token_hash, name, role, agency, created_at)
        VALUES (?1, ?2, ?3, ?4, ?5))sql");
    sqlite::bind_text(stmt.get(), 1, token_hash);
    sqlite::bind_text(stmt.get(), 2, token.name);
    sqlite::bind_text(stmt.get(), 3, token.role);
    sqlite::bind_text(stmt.get(), 4, token.agency);
    sqlite::bind_text(stmt.get(), 5, token.created_at);
    sqlite::run(stmt.get());
    return sqlite3_last_insert_rowid(handle());
}

std::optional<TokenRow> Store::active_token(std::string_view token_hash) const {
    const sqlite::ResetOnExit stmt(cached(
        "SELECT id, name, role, agency, created_at, revoked_at FROM access_token "
        "WHERE token_hash = ?1 AND revoked_at = ''"));
    sqlite::bind_text(stmt.get(), 1, token_hash);
    if (!sqlite::step(stmt.get())) return std::nullopt;
    return read_token(stmt.get());
}

std::pair<std::int64_t, std::int64_t> Store::content_version() const {
    const sqlite::ResetOnExit stmt(cached("PRAGMA data_version"));
    const auto version = sqlite::step(stmt.get()) ? sqlite::integer(stmt.get(), 0) : 0;
    return {version, sqlite3_total_changes64(handle())};
}

bool Store::revoke_token(std::int64_t id, std::string_view at) {
    const auto stmt = sqlite::prepare(
        handle(), "UPDATE access_token SET revoked_at = ?2 WHERE id = ?1 AND revoked_at = ''");
    sqlite::bind_int(stmt.get(), 1, id);
    sqlite::bind_text(stmt.get(), 2, at);
    sqlite::run(stmt.get());
    return sqlite3_changes(handle()) > 0;
}

std::vector<TokenRow> Store::tokens() const {
    const auto stmt =
        sqlite::prepare(handle(), fmt::format("SELECT {} FROM access_token ORDER BY id", token_columns));
    std::vector<TokenRow> out;
    while (sqlite::step(stmt.get())) out.push_back(read_token(stmt.get()));
    return out;
}

void Store::put_agency(const AgencyRow& agency) {
    const auto stmt = sqlite::prepare(handle(), R"sql(
        INSERT INTO agency (id, name, kind, formats) VALUES (?1, ?2, ?3, ?4)
        ON CONFLICT (id) DO UPDATE SET name = ?2, kind = ?3, formats = ?4)sql");
    sqlite::bind_text(stmt.get(), 1, agency.id);
    sqlite::bind_text(stmt.get(), 2, agency.name);
    sqlite::bind_text(stmt.get(), 3, agency.kind);
    sqlite::bind_text_copy(stmt.get(), 4, sqlite::join_list(agency.formats));
    sqlite::run(stmt.get());
}

std::vector<AgencyRow> Store::agencies() const {
    const auto stmt =
        sqlite::prepare(handle(), "SELECT id, name, kind, formats FROM agency ORDER BY id");
    std::vector<AgencyRow> out;
    while (sqlite::step(stmt.get())) out.push_back(read_agency(stmt.get()));
    return out;
}

std::optional<AgencyRow> Store::agency(std::string_view id) const {
    const auto stmt =
        sqlite::prepare(handle(), "SELECT id, name, kind, formats FROM agency WHERE id = ?1");
    sqlite::bind_text(stmt.get(), 1, id);
    if (!sqlite::step(stmt.get())) return std::nullopt;
    return read_agency(stmt.get());
}

std::vector<Record> Store::person_records(std::int64_t person_id) const {
    const sqlite::ResetOnExit stmt(cached(R"sql(
        SELECT c.canonical FROM record r JOIN record_current c ON c.record_pk = r.id
        WHERE r.person_id = ?1 ORDER BY r.id)sql"));
    sqlite::bind_int(stmt.get(), 1, person_id);
    std::vector<Record> out;
    const auto whose = [&] { return fmt::format("a stored record of person {}", person_id); };
    while (sqlite::step(stmt.get())) {
        out.push_back(record_from_json(canonical::stored_json(stmt.get(), 0, whose)));
    }
    return out;
}

std::vector<std::int64_t> Store::person_record_pks(std::int64_t person_id) const {
    const sqlite::ResetOnExit stmt(cached("SELECT id FROM record WHERE person_id = ?1 ORDER BY id"));
    sqlite::bind_int(stmt.get(), 1, person_id);
    std::vector<std::int64_t> out;
    while (sqlite::step(stmt.get())) out.push_back(sqlite::integer(stmt.get(), 0));
    return out;
}

std::optional<std::int64_t> Store::person_of(std::int64_t record_pk) const {
    const auto stmt = sqlite::prepare(handle(), "SELECT person_id FROM record WHERE id = ?1");
    sqlite::bind_int(stmt.get(), 1, record_pk);
    if (!sqlite::step(stmt.get())) return std::nullopt;
    return sqlite::integer(stmt.get(), 0);
}

std::optional<Link> Store::record_key(std::int64_t record_pk) const {
    const auto stmt =
        sqlite::prepare(handle(), "SELECT source, record_id, person_id FROM record WHERE id = ?1");
    sqlite::bind_int(stmt.get(), 1, record_pk);
    if (!sqlite::step(stmt.get())) return std::nullopt;
    return Link{sqlite::text(stmt.get(), 0), sqlite::text(stmt.get(), 1),
                sqlite::integer(stmt.get(), 2)};
}

std::optional<ReviewPair> Store::review_pair(std::int64_t id) const {
    const auto stmt = sqlite::prepare(
        handle(), "SELECT record_a, record_b, weight, id FROM match_review WHERE id = ?1");
    sqlite::bind_int(stmt.get(), 1, id);
    if (!sqlite::step(stmt.get())) return std::nullopt;
    return ReviewPair{sqlite::integer(stmt.get(), 0), sqlite::integer(stmt.get(), 1),
                      sqlite3_column_double(stmt.get(), 2), sqlite::integer(stmt.get(), 3)};
}

void Store::remove_review_pair(std::int64_t id) {
    const auto stmt = sqlite::prepare(handle(), "DELETE FROM match_review WHERE id = ?1");
    sqlite::bind_int(stmt.get(), 1, id);
    sqlite::run(stmt.get());
}

void Store::add_decision(const MatchDecision& d) {
    const auto stmt = sqlite::prepare(handle(), R"sql(
        INSERT INTO match_decision (record_a, record_b, decision, actor, decided_at)
        VALUES (?1, ?2, ?3, ?4, ?5))sql");
    sqlite::bind_int(stmt.get(), 1, std::min(d.record_a, d.record_b));
    sqlite::bind_int(stmt.get(), 2, std::max(d.record_a, d.record_b));
    sqlite::bind_text(stmt.get(), 3, d.link ? "link" : "separate");
    sqlite::bind_text(stmt.get(), 4, d.actor);
    sqlite::bind_text(stmt.get(), 5, d.decided_at);
    sqlite::run(stmt.get());
    // A pair decided by a person leaves the review queue.
    const auto done = sqlite::prepare(
        handle(), "DELETE FROM match_review WHERE record_a = ?1 AND record_b = ?2");
    sqlite::bind_int(done.get(), 1, std::min(d.record_a, d.record_b));
    sqlite::bind_int(done.get(), 2, std::max(d.record_a, d.record_b));
    sqlite::run(done.get());
    bump_generation();
}

std::int64_t Store::generation() const {
    const sqlite::ResetOnExit stmt(cached("SELECT value FROM counter WHERE name = 'generation'"));
    return sqlite::step(stmt.get()) ? sqlite::integer(stmt.get(), 0) : 0;
}

void Store::bump_generation() {
    sqlite::exec(handle(), "UPDATE counter SET value = value + 1 WHERE name = 'generation'");
}

}  // namespace qreg::registry
