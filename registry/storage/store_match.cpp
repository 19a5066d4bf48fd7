// Incremental matching's index: the block keys and name keys of every matched record.
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <unordered_map>

#include "sqlite.hpp"
#include "store.hpp"

namespace qreg::registry {

namespace {

// SQLite integers are signed: keys keep their 64 bits.
std::int64_t as_column(std::uint64_t key) { return std::bit_cast<std::int64_t>(key); }
std::uint64_t from_column(std::int64_t value) { return std::bit_cast<std::uint64_t>(value); }

// Each matched record has one marker row (key 0, never a block or name key), so that the
// number of matched records and whether a record was matched are known without the record table.
constexpr std::int64_t marker_key = 0;

std::int64_t counter(sqlite3* db, const char* name) {
    const auto stmt = sqlite::prepare(db, "SELECT value FROM counter WHERE name = ?1");
    sqlite::bind_text(stmt.get(), 1, name);
    return sqlite::step(stmt.get()) ? sqlite::integer(stmt.get(), 0) : 0;
}

void set_counter(sqlite3* db, const char* name, std::int64_t value) {
    const auto stmt = sqlite::prepare(db, "UPDATE counter SET value = ?2 WHERE name = ?1");
    sqlite::bind_text(stmt.get(), 1, name);
    sqlite::bind_int(stmt.get(), 2, value);
    sqlite::run(stmt.get());
}

// Inserts a record's rows with `insert` (key, refine, record).
void insert_rows(sqlite3_stmt* insert, const RecordMatchKeys& r) {
    const auto row = [&](std::int64_t key, std::int64_t refine) {
        sqlite::bind_int(insert, 1, key);
        sqlite::bind_int(insert, 2, refine);
        sqlite::bind_int(insert, 3, r.record_pk);
        sqlite::run(insert);
    };
    row(marker_key, 0);
    for (const auto& [key, refine] : r.blocks) row(as_column(key), as_column(refine));
}

constexpr const char* insert_sql =
    "INSERT OR IGNORE INTO match_key (key, refine, record) VALUES (?1, ?2, ?3)";

}  // namespace

bool Store::match_keys_valid() const { return counter(handle(), "match_keys_valid") == 1; }

void Store::invalidate_match_keys() { set_counter(handle(), "match_keys_valid", 0); }

void Store::replace_match_keys(std::span<const RecordMatchKeys> records) {
    auto* db = handle();
    // One sort for the record index instead of a random insert per row.
    sqlite::exec(db, "DROP INDEX IF EXISTS match_key_record");
    sqlite::exec(db, "DELETE FROM match_key");
    struct Row {
        std::int64_t key, refine, record;
    };
    std::vector<Row> rows;
    for (const auto& r : records) {
        rows.push_back({marker_key, 0, r.record_pk});
        for (const auto& [key, refine] : r.blocks) rows.push_back({as_column(key), as_column(refine), r.record_pk});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return std::tie(a.key, a.refine, a.record) < std::tie(b.key, b.refine, b.record);
    });
    rows.erase(std::unique(rows.begin(), rows.end(),
                           [](const Row& a, const Row& b) {
                               return a.key == b.key && a.refine == b.refine && a.record == b.record;
                           }),
               rows.end());
    const auto insert = sqlite::prepare(db, "INSERT INTO match_key (key, refine, record) VALUES (?1, ?2, ?3)");
    for (const auto& row : rows) {
        sqlite::bind_int(insert.get(), 1, row.key);
        sqlite::bind_int(insert.get(), 2, row.refine);
        sqlite::bind_int(insert.get(), 3, row.record);
        sqlite::run(insert.get());
    }
    // Millions of rows to sort: SQLite's sorter may use a second thread for it.
    sqlite::exec(db, "PRAGMA threads = 2");
    sqlite::exec(db, "CREATE INDEX match_key_record ON match_key (record)");
    sqlite::exec(db, "PRAGMA threads = 0");
    set_counter(db, "matched_records", static_cast<std::int64_t>(records.size()));
    set_counter(db, "match_keys_valid", 1);
}

void Store::update_match_keys(std::span<const std::int64_t> records,
                              std::span<const RecordMatchKeys> added) {
    auto* db = handle();
    std::int64_t matched = counter(db, "matched_records");
    auto* was_matched = cached("SELECT 1 FROM match_key WHERE key = 0 AND refine = 0 AND record = ?1");
    auto* forget = cached("DELETE FROM match_key WHERE record = ?1");
    for (const auto pk : records) {
        sqlite::bind_int(was_matched, 1, pk);
        const bool matched_before = sqlite::step(was_matched);
        sqlite::reset(was_matched);
        if (!matched_before) continue;
        --matched;
        sqlite::bind_int(forget, 1, pk);
        sqlite::run(forget);
    }
    auto* insert = cached(insert_sql);
    for (const auto& r : added) {
        ++matched;
        insert_rows(insert, r);
    }
    set_counter(db, "matched_records", matched);
}

void Store::save_name_counts(std::span<const std::pair<std::uint64_t, std::int64_t>> counts,
                             std::int64_t records) {
    auto* db = handle();
    sqlite::exec(db, "DELETE FROM name_count");
    std::vector<std::pair<std::int64_t, std::int64_t>> rows;
    rows.reserve(counts.size());
    for (const auto& [key, n] : counts) rows.emplace_back(as_column(key), n);
    std::sort(rows.begin(), rows.end());
    const auto insert = sqlite::prepare(db, "INSERT OR REPLACE INTO name_count (key, n) VALUES (?1, ?2)");
    for (const auto& [key, n] : rows) {
        sqlite::bind_int(insert.get(), 1, key);
        sqlite::bind_int(insert.get(), 2, n);
        sqlite::run(insert.get());
    }
    set_counter(db, "name_count_records", records);
}

std::vector<std::pair<std::uint64_t, std::int64_t>> Store::name_counts() const {
    const auto stmt = sqlite::prepare(handle(), "SELECT key, n FROM name_count");
    std::vector<std::pair<std::uint64_t, std::int64_t>> out;
    while (sqlite::step(stmt.get())) {
        out.emplace_back(from_column(sqlite::integer(stmt.get(), 0)), sqlite::integer(stmt.get(), 1));
    }
    return out;
}

std::int64_t Store::name_count_records() const { return counter(handle(), "name_count_records"); }

std::vector<BlockMember> Store::block_members(std::uint64_t key, std::size_t limit) const {
    auto* stmt = cached(
        "SELECT record, refine FROM match_key WHERE key = ?1 ORDER BY refine, record LIMIT ?2");
    sqlite::bind_int(stmt, 1, as_column(key));
    sqlite::bind_int(stmt, 2, static_cast<std::int64_t>(limit));
    std::vector<BlockMember> out;
    while (sqlite::step(stmt)) {
        out.push_back({sqlite::integer(stmt, 0), from_column(sqlite::integer(stmt, 1))});
    }
    return out;
}

std::vector<std::int64_t> Store::block_members(std::uint64_t key, std::uint64_t refine,
                                               std::size_t limit) const {
    auto* stmt = cached(
        "SELECT record FROM match_key WHERE key = ?1 AND refine = ?2 ORDER BY record LIMIT ?3");
    sqlite::bind_int(stmt, 1, as_column(key));
    sqlite::bind_int(stmt, 2, as_column(refine));
    sqlite::bind_int(stmt, 3, static_cast<std::int64_t>(limit));
    std::vector<std::int64_t> out;
    while (sqlite::step(stmt)) out.push_back(sqlite::integer(stmt, 0));
    return out;
}

std::int64_t Store::name_count(std::uint64_t name_key) const {
    auto* stmt = cached("SELECT n FROM name_count WHERE key = ?1");
    sqlite::bind_int(stmt, 1, as_column(name_key));
    const auto n = sqlite::step(stmt) ? sqlite::integer(stmt, 0) : 0;
    sqlite::reset(stmt);
    return n;
}

std::int64_t Store::matched_records() const { return counter(handle(), "matched_records"); }

std::pair<double, double> Store::name_count_moments() const {
    const auto stmt = sqlite::prepare(
        handle(), "SELECT coalesce(sum(n), 0), coalesce(sum(CAST(n AS REAL) * n), 0) FROM name_count");
    if (!sqlite::step(stmt.get())) return {0.0, 0.0};
    return {sqlite3_column_double(stmt.get(), 0), sqlite3_column_double(stmt.get(), 1)};
}

}  // namespace qreg::registry
