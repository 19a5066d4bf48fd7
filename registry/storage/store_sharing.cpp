// Store methods for sharing: consents, subscriptions, the push outbox, disclosures.
#include "sqlite.hpp"
#include "store.hpp"

#include "qreg/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace qreg::registry {

namespace {

constexpr const char* consent_columns =
    "id, person_id, recipient, categories, purpose, legal_basis, statute, valid_from, "
    "valid_until, evidence, created_by, created_at, revoked_at, revoked_by";

ConsentRow read_consent(sqlite3_stmt* s) {
    return {sqlite::integer(s, 0), sqlite::integer(s, 1),
            sqlite::text(s, 2),    sqlite::split_list(sqlite::text(s, 3)),
            sqlite::text(s, 4),    sqlite::text(s, 5),
            sqlite::text(s, 6),    sqlite::text(s, 7),
            sqlite::text(s, 8),    sqlite::text(s, 9),
            sqlite::text(s, 10),   sqlite::text(s, 11),
            sqlite::text(s, 12),   sqlite::text(s, 13)};
}

constexpr const char* subscription_columns =
    "id, agency, callback_url, categories, format, secret, created_by, created_at, cancelled_at";

SubscriptionRow read_subscription(sqlite3_stmt* s) {
    return {sqlite::integer(s, 0), sqlite::text(s, 1),
            sqlite::text(s, 2),    sqlite::split_list(sqlite::text(s, 3)),
            sqlite::text(s, 4),    sqlite::text(s, 5),
            sqlite::text(s, 6),    sqlite::text(s, 7),
            sqlite::text(s, 8)};
}

constexpr const char* delivery_columns =
    "id, delivery_id, subscription_id, person_id, reason, created_at, status, attempts, "
    "next_attempt_at, last_attempt_at, last_error, payload, view_hash, consent_ids, finished_at";

DeliveryRow read_delivery(sqlite3_stmt* s) {
    return {sqlite::integer(s, 0), sqlite::text(s, 1),    sqlite::integer(s, 2),
            sqlite::integer(s, 3), sqlite::text(s, 4),    sqlite::text(s, 5),
            sqlite::text(s, 6),    sqlite::integer(s, 7), sqlite::text(s, 8),
            sqlite::text(s, 9),    sqlite::text(s, 10),   sqlite::text(s, 11),
            sqlite::text(s, 12),   sqlite::text(s, 13),   sqlite::text(s, 14)};
}

// Every row of a statement, read by `read`.
template <class Read>
auto read_all(sqlite3_stmt* s, Read read) {
    std::vector<decltype(read(s))> out;
    while (sqlite::step(s)) out.push_back(read(s));
    return out;
}

// The row of `table` with this id, read by `read` from `columns`.
template <class Read>
auto by_id(sqlite3* db, const char* table, const char* columns, std::int64_t id, Read read)
    -> std::optional<decltype(read(nullptr))> {
    const auto stmt =
        sqlite::prepare(db, fmt::format("SELECT {} FROM {} WHERE id = ?1", columns, table));
    sqlite::bind_int(stmt.get(), 1, id);
    if (!sqlite::step(stmt.get())) return std::nullopt;
    return read(stmt.get());
}

std::string join_ids(const std::vector<std::int64_t>& ids) {
    std::vector<std::string> items;
    for (const auto id : ids) items.push_back(std::to_string(id));
    return sqlite::join_list(items);
}

std::vector<std::int64_t> split_ids(std::string_view text) {
    std::vector<std::int64_t> out;
    for (const auto& item : sqlite::split_list(text)) {
        std::int64_t id = 0;
        std::from_chars(item.data(), item.data() + item.size(), id);
        out.push_back(id);
    }
    return out;
}

std::vector<std::int64_t> read_ints(sqlite3_stmt* s) {
    return read_all(s, [](sqlite3_stmt* row) { return sqlite::integer(row, 0); });
}

}  // namespace

std::int64_t Store::add_consent(const ConsentRow& c) {
    const auto stmt = sqlite::prepare(handle(), R"sql(
        INSERT INTO consent (person_id, recipient, categories, purpose, legal_basis, statute,
            valid_from, valid_until, evidence, created_by, created_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11))sql");
    auto* s = stmt.get();
    sqlite::bind_int(s, 1, c.person_id);
    sqlite::bind_text(s, 2, c.recipient);
    sqlite::bind_text_copy(s, 3, sqlite::join_list(c.categories));
    sqlite::bind_text(s, 4, c.purpose);
    sqlite::bind_text(s, 5, c.legal_basis);
    sqlite::bind_text(s, 6, c.statute);
    sqlite::bind_text(s, 7, c.valid_from);
    sqlite::bind_text(s, 8, c.valid_until);
    sqlite::bind_text(s, 9, c.evidence);
    sqlite::bind_text(s, 10, c.created_by);
    sqlite::bind_text(s, 11, c.created_at);
    sqlite::run(s);
    return sqlite3_last_insert_rowid(handle());
}

std::optional<ConsentRow> Store::consent(std::int64_t id) const {
    return by_id(handle(), "consent", consent_columns, id, read_consent);
}

std::vector<ConsentRow> Store::consents_of(std::int64_t person_id) const {
    const auto stmt = sqlite::prepare(
        handle(),
        fmt::format("SELECT {} FROM consent WHERE person_id = ?1 ORDER BY id", consent_columns));
    sqlite::bind_int(stmt.get(), 1, person_id);
    return read_all(stmt.get(), read_consent);
}

bool Store::revoke_consent(std::int64_t id, std::string_view at, std::string_view by) {
    const auto stmt = sqlite::prepare(handle(), R"sql(
        UPDATE consent SET revoked_at = ?2, revoked_by = ?3 WHERE id = ?1 AND revoked_at = '')sql");
    sqlite::bind_int(stmt.get(), 1, id);
    sqlite::bind_text(stmt.get(), 2, at);
    sqlite::bind_text(stmt.get(), 3, by);
    sqlite::run(stmt.get());
    return sqlite3_changes(handle()) > 0;
}

std::vector<std::int64_t> Store::persons_with_identifier(
    std::string_view identifier, std::span<const std::string> record_id_sources) const {
    std::vector<std::int64_t> out;
    if (identifier.empty()) return out;
    const auto collect = [&](sqlite3_stmt* s) {
        for (const auto id : read_ints(s)) {
            if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
        }
        sqlite::reset(s);
    };
    // Each arm uses an index: those of migration 2, and UNIQUE (source, record_id). The BG
    // number is a household's, not a person's, and is left out.
    const auto numbers = sqlite::prepare(handle(), R"sql(
        SELECT person_id FROM record WHERE ba_customer_number = ?1
        UNION SELECT person_id FROM record WHERE bamf_file_number = ?1
        UNION SELECT person_id FROM record WHERE azr_number = ?1)sql");
    sqlite::bind_text(numbers.get(), 1, identifier);
    collect(numbers.get());
    const auto record_ids = sqlite::prepare(
        handle(), "SELECT person_id FROM record WHERE source = ?1 AND record_id = ?2");
    for (const auto& source : record_id_sources) {
        sqlite::bind_text(record_ids.get(), 1, source);
        sqlite::bind_text(record_ids.get(), 2, identifier);
        collect(record_ids.get());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::int64_t> Store::consented_persons_of_import(ImportId import) const {
    const auto stmt = sqlite::prepare(handle(), R"sql(
        SELECT DISTINCT r.person_id
        FROM (SELECT DISTINCT person_id FROM consent WHERE revoked_at = '') c
        JOIN record r ON r.person_id = c.person_id
        JOIN record_current v ON v.record_pk = r.id AND v.import_id = ?1
        ORDER BY r.person_id)sql");
    sqlite::bind_int(stmt.get(), 1, import.value);
    return read_ints(stmt.get());
}

std::vector<std::int64_t> Store::consented_persons() const {
    const auto stmt = sqlite::prepare(
        handle(),
        "SELECT DISTINCT person_id FROM consent WHERE revoked_at = '' ORDER BY person_id");
    return read_ints(stmt.get());
}

std::int64_t Store::add_subscription(const SubscriptionRow& sub) {
    const auto stmt = sqlite::prepare(handle(), R"sql(
        INSERT INTO subscription (agency, callback_url, categories, format, secret, created_by,
            created_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7))sql");
    auto* s = stmt.get();
    sqlite::bind_text(s, 1, sub.agency);
    sqlite::bind_text(s, 2, sub.callback_url);
    sqlite::bind_text_copy(s, 3, sqlite::join_list(sub.categories));
    sqlite::bind_text(s, 4, sub.format);
    sqlite::bind_text(s, 5, sub.secret);
    sqlite::bind_text(s, 6, sub.created_by);
    sqlite::bind_text(s, 7, sub.created_at);
    sqlite::run(s);
    return sqlite3_last_insert_rowid(handle());
}

std::optional<SubscriptionRow> Store::subscription(std::int64_t id) const {
    return by_id(handle(), "subscription", subscription_columns, id, read_subscription);
}

std::vector<SubscriptionRow> Store::subscriptions(std::string_view agency,
                                                  bool with_cancelled) const {
    const auto stmt = sqlite::prepare(
        handle(), fmt::format("SELECT {} FROM subscription WHERE (?1 = '' OR agency = ?1) "
                              "AND (?2 OR cancelled_at = '') ORDER BY id",
                              subscription_columns));
    sqlite::bind_text(stmt.get(), 1, agency);
    sqlite::bind_int(stmt.get(), 2, with_cancelled ? 1 : 0);
    return read_all(stmt.get(), read_subscription);
}

bool Store::cancel_subscription(std::int64_t id, std::string_view at) {
    const auto stmt = sqlite::prepare(
        handle(), "UPDATE subscription SET cancelled_at = ?2 WHERE id = ?1 AND cancelled_at = ''");
    sqlite::bind_int(stmt.get(), 1, id);
    sqlite::bind_text(stmt.get(), 2, at);
    sqlite::run(stmt.get());
    return sqlite3_changes(handle()) > 0;
}

bool Store::enqueue_delivery(const DeliveryRow& d) {
    const auto stmt = sqlite::prepare(handle(), R"sql(
        INSERT INTO outbox (delivery_id, subscription_id, person_id, reason, created_at, status,
            next_attempt_at)
        SELECT ?1, ?2, ?3, ?4, ?5, 'pending', ?6
        WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE subscription_id = ?2 AND person_id = ?3
                          AND status = 'pending' AND attempts = 0))sql");
    auto* s = stmt.get();
    sqlite::bind_text(s, 1, d.delivery_id);
    sqlite::bind_int(s, 2, d.subscription_id);
    sqlite::bind_int(s, 3, d.person_id);
    sqlite::bind_text(s, 4, d.reason);
    sqlite::bind_text(s, 5, d.created_at);
    sqlite::bind_text(s, 6, d.next_attempt_at);
    sqlite::run(s);
    return sqlite3_changes(handle()) > 0;
}

std::optional<DeliveryRow> Store::delivery(std::int64_t id) const {
    return by_id(handle(), "outbox", delivery_columns, id, read_delivery);
}

std::vector<DeliveryRow> Store::due_deliveries(std::string_view now, std::size_t limit) const {
    const auto stmt = sqlite::prepare(
        handle(), fmt::format("SELECT {} FROM outbox WHERE status = 'pending' AND "
                              "next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2",
                              delivery_columns));
    sqlite::bind_text(stmt.get(), 1, now);
    sqlite::bind_int(stmt.get(), 2, static_cast<std::int64_t>(limit));
    return read_all(stmt.get(), read_delivery);
}

std::vector<DeliveryRow> Store::pending_deliveries_of(std::int64_t person_id) const {
    const auto stmt = sqlite::prepare(
        handle(), fmt::format("SELECT {} FROM outbox WHERE status = 'pending' AND person_id = ?1 "
                              "ORDER BY id",
                              delivery_columns));
    sqlite::bind_int(stmt.get(), 1, person_id);
    return read_all(stmt.get(), read_delivery);
}

std::vector<DeliveryRow> Store::deliveries_of(std::int64_t subscription_id) const {
    const auto stmt = sqlite::prepare(
        handle(), fmt::format("SELECT {} FROM outbox WHERE subscription_id = ?1 ORDER BY id",
                              delivery_columns));
    sqlite::bind_int(stmt.get(), 1, subscription_id);
    return read_all(stmt.get(), read_delivery);
}

void Store::update_delivery(const DeliveryRow& d) {
    const auto stmt = sqlite::prepare(handle(), R"sql(
        UPDATE outbox SET status = ?2, attempts = ?3, next_attempt_at = ?4, last_attempt_at = ?5,
            last_error = ?6, payload = ?7, view_hash = ?8, consent_ids = ?9, finished_at = ?10
        WHERE id = ?1)sql");
    auto* s = stmt.get();
    sqlite::bind_int(s, 1, d.id);
    sqlite::bind_text(s, 2, d.status);
    sqlite::bind_int(s, 3, d.attempts);
    sqlite::bind_text(s, 4, d.next_attempt_at);
    sqlite::bind_text(s, 5, d.last_attempt_at);
    sqlite::bind_text(s, 6, d.last_error);
    sqlite::bind_text(s, 7, d.payload);
    sqlite::bind_text(s, 8, d.view_hash);
    sqlite::bind_text(s, 9, d.consent_ids);
    sqlite::bind_text(s, 10, d.finished_at);
    sqlite::run(s);
    if (sqlite3_changes(handle()) == 0) {
        throw Error(ErrorCode::storage, fmt::format("no delivery {} in the outbox", d.id));
    }
}

std::optional<std::string> Store::delivered_view_hash(std::int64_t subscription_id,
                                                      std::int64_t person_id) const {
    const auto stmt = sqlite::prepare(handle(), R"sql(
        SELECT view_hash FROM outbox WHERE subscription_id = ?1 AND person_id = ?2
            AND status = 'delivered'
        ORDER BY finished_at DESC, id DESC LIMIT 1)sql");
    sqlite::bind_int(stmt.get(), 1, subscription_id);
    sqlite::bind_int(stmt.get(), 2, person_id);
    if (!sqlite::step(stmt.get())) return std::nullopt;
    return sqlite::text(stmt.get(), 0);
}

std::int64_t Store::add_disclosure(const DisclosureRow& d) {
    const auto stmt = sqlite::prepare(handle(), R"sql(
        INSERT INTO disclosure (person_id, recipient, disclosed_at, categories, consent_ids,
            grounds, channel, kind, format, reference)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10))sql");
    auto* s = stmt.get();
    sqlite::bind_int(s, 1, d.person_id);
    sqlite::bind_text(s, 2, d.recipient);
    sqlite::bind_text(s, 3, d.disclosed_at);
    sqlite::bind_text_copy(s, 4, sqlite::join_list(d.categories));
    sqlite::bind_text_copy(s, 5, join_ids(d.consent_ids));
    sqlite::bind_text(s, 6, d.grounds);
    sqlite::bind_text(s, 7, d.channel);
    sqlite::bind_text(s, 8, d.kind);
    sqlite::bind_text(s, 9, d.format);
    sqlite::bind_text(s, 10, d.reference);
    sqlite::run(s);
    return sqlite3_last_insert_rowid(handle());
}

std::vector<DisclosureRow> Store::disclosures_of(std::int64_t person_id) const {
    const auto stmt = sqlite::prepare(handle(), R"sql(
        SELECT id, person_id, recipient, disclosed_at, categories, consent_ids, grounds, channel,
            kind, format, reference
        FROM disclosure WHERE person_id = ?1 ORDER BY id)sql");
    sqlite::bind_int(stmt.get(), 1, person_id);
    return read_all(stmt.get(), [](sqlite3_stmt* s) {
        return DisclosureRow{sqlite::integer(s, 0),
                             sqlite::integer(s, 1),
                             sqlite::text(s, 2),
                             sqlite::text(s, 3),
                             sqlite::split_list(sqlite::text(s, 4)),
                             split_ids(sqlite::text(s, 5)),
                             sqlite::text(s, 6),
                             sqlite::text(s, 7),
                             sqlite::text(s, 8),
                             sqlite::text(s, 9),
                             sqlite::text(s, 10)};
    });
}

}  // namespace qreg::registry
