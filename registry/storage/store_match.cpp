// Incremental matching's index: the block keys of every matched record (match_key, and each
// record's own keys in match_record), and the model's name counts.
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <future>
#include <numeric>
#include <unordered_map>

#include "qreg/error.hpp"
#include "sqlite.hpp"
#include "store.hpp"

namespace qreg::registry {

namespace {

// SQLite integers are signed: keys keep their 64 bits.
std::int64_t as_column(std::uint64_t key) { return std::bit_cast<std::int64_t>(key); }
std::uint64_t from_column(std::int64_t value) { return std::bit_cast<std::uint64_t>(value); }

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

// A matched record's keys, deduplicated, as one blob of little-endian (key, refine) pairs in
// match_record: what its rows in match_key are, so that forgetting the record deletes them by
// primary key. (An index of match_key by record cost a 13 M-row sort per full matching.)
void distinct_keys(std::span<const MatchKeys::Key> keys, std::vector<MatchKeys::Key>& out) {
    out.assign(keys.begin(), keys.end());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

void pack_keys(std::span<const MatchKeys::Key> keys, std::string& blob) {
    blob.clear();
    const auto put = [&](std::uint64_t v) {
        for (int i = 0; i < 8; ++i) blob.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    };
    for (const auto& [key, refine] : keys) {
        put(key);
        put(refine);
    }
}

std::vector<MatchKeys::Key> unpack_keys(std::string_view blob) {
    if (blob.size() % 16 != 0) {
        throw Error(ErrorCode::storage,
                    fmt::format("match_record holds a key list of {} bytes, not a whole number "
                                "of (key, refine) pairs; run 'qreg dedup' to rebuild the match "
                                "index",
                                blob.size()));
    }
    const auto get = [&](std::size_t at) {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= std::uint64_t{static_cast<unsigned char>(blob[at + i])} << (8 * i);
        return v;
    };
    std::vector<MatchKeys::Key> keys;
    for (std::size_t at = 0; at < blob.size(); at += 16) keys.emplace_back(get(at), get(at + 8));
    return keys;
}

}  // namespace

bool Store::match_keys_valid(std::int64_t keys_print) const {
    return counter(handle(), "match_keys_valid") == keys_print;
}

void Store::invalidate_match_keys() { set_counter(handle(), "match_keys_valid", 0); }

void Store::replace_match_keys(const MatchKeys& records, std::int64_t keys_print) {
    auto* db = handle();
    sqlite::exec(db, "DELETE FROM match_key");
    sqlite::exec(db, "DELETE FROM match_record");
    // Both tables filled in their key order: appends, no sort in SQLite. The rows of match_key
    // are sorted on the other core while match_record is written.
    struct Row {
        std::int64_t key, refine, record;  // as the columns hold them
    };
    auto sorted_rows = std::async(std::launch::async, [&records] {
        std::vector<Row> rows;
        rows.reserve(records.keys.size());
        for (std::size_t i = 0; i < records.size(); ++i) {
            for (const auto& [key, refine] : records.keys_of(i)) {
                rows.push_back({as_column(key), as_column(refine), records.record_pks[i]});
            }
        }
        std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
            return std::tie(a.key, a.refine, a.record) < std::tie(b.key, b.refine, b.record);
        });
        rows.erase(std::unique(rows.begin(), rows.end(),
                               [](const Row& a, const Row& b) {
                                   return a.key == b.key && a.refine == b.refine && a.record == b.record;
                               }),
                   rows.end());
        return rows;
    });
    std::vector<std::uint32_t> by_record(records.size());
    std::iota(by_record.begin(), by_record.end(), 0u);
    std::sort(by_record.begin(), by_record.end(), [&](std::uint32_t a, std::uint32_t b) {
        return records.record_pks[a] < records.record_pks[b];
    });
    {
        const auto insert = sqlite::prepare(db, "INSERT INTO match_record (record, keys) VALUES (?1, ?2)");
        std::vector<MatchKeys::Key> keys;
        std::string blob;
        for (const auto i : by_record) {
            distinct_keys(records.keys_of(i), keys);
            pack_keys(keys, blob);
            sqlite::bind_int(insert.get(), 1, records.record_pks[i]);
            sqlite::bind_blob(insert.get(), 2, blob);
            sqlite::run(insert.get());
        }
    }
    const auto rows = sorted_rows.get();
    const auto insert =
        sqlite::prepare(db, "INSERT INTO match_key (key, refine, record) VALUES (?1, ?2, ?3)");
    for (const auto& row : rows) {
        sqlite::bind_int(insert.get(), 1, row.key);
        sqlite::bind_int(insert.get(), 2, row.refine);
        sqlite::bind_int(insert.get(), 3, row.record);
        sqlite::run(insert.get());
    }
    set_counter(db, "matched_records", static_cast<std::int64_t>(records.size()));
    set_counter(db, "match_keys_valid", keys_print);
}

void Store::update_match_keys(std::span<const std::int64_t> records, const MatchKeys& added) {
    auto* db = handle();
    std::int64_t matched = counter(db, "matched_records");
    auto* keys_of = cached("SELECT keys FROM match_record WHERE record = ?1");
    auto* forget_record = cached("DELETE FROM match_record WHERE record = ?1");
    auto* forget_key = cached("DELETE FROM match_key WHERE key = ?1 AND refine = ?2 AND record = ?3");
    for (const auto pk : records) {
        sqlite::bind_int(keys_of, 1, pk);
        const bool matched_before = sqlite::step(keys_of);
        const auto keys =
            matched_before ? unpack_keys(sqlite::text_view(keys_of, 0)) : std::vector<MatchKeys::Key>{};
        sqlite::reset(keys_of);
        if (!matched_before) continue;
        --matched;
        for (const auto& [key, refine] : keys) {
            sqlite::bind_int(forget_key, 1, as_column(key));
            sqlite::bind_int(forget_key, 2, as_column(refine));
            sqlite::bind_int(forget_key, 3, pk);
            sqlite::run(forget_key);
        }
        sqlite::bind_int(forget_record, 1, pk);
        sqlite::run(forget_record);
    }
    auto* insert_record = cached("INSERT OR REPLACE INTO match_record (record, keys) VALUES (?1, ?2)");
    auto* insert_key = cached("INSERT OR IGNORE INTO match_key (key, refine, record) VALUES (?1, ?2, ?3)");
    std::vector<MatchKeys::Key> keys;
    std::string blob;
    for (std::size_t i = 0; i < added.size(); ++i) {
        const auto pk = added.record_pks[i];
        distinct_keys(added.keys_of(i), keys);
        pack_keys(keys, blob);
        sqlite::bind_int(insert_record, 1, pk);
        sqlite::bind_blob(insert_record, 2, blob);
        sqlite::run(insert_record);
        ++matched;
        for (const auto& [key, refine] : keys) {
            sqlite::bind_int(insert_key, 1, as_column(key));
            sqlite::bind_int(insert_key, 2, as_column(refine));
            sqlite::bind_int(insert_key, 3, pk);
            sqlite::run(insert_key);
        }
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
        "SELECT record, refine FROM match_key WHERE key = ?1 "
        "ORDER BY refine, record LIMIT ?2");
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
        "SELECT record FROM match_key WHERE key = ?1 AND refine "
        "= ?2 ORDER BY record LIMIT ?3");
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
    const auto stmt = sqlite::prepare(handle(),
                                      "SELECT coalesce(sum(n), 0), coalesce(sum(CAST(n AS REAL) * "
                                      "n), 0) FROM name_count");
    if (!sqlite::step(stmt.get())) return {0.0, 0.0};
    return {sqlite3_column_double(stmt.get(), 0), sqlite3_column_double(stmt.get(), 1)};
}

}  // namespace qreg::registry
