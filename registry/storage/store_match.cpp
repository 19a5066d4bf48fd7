// Incremental matching's index: the block keys of every matched record (match_key_bucket, and
// each record's own keys in match_record_group), their summaries (match_summary_group), and
// the model's name counts.
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <bit>
#include <future>
#include <limits>
#include <numeric>
#include <optional>
#include <unordered_map>

#include "qreg/error.hpp"
#include "qreg/little_endian.hpp"
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

// A matched record's distinct keys: the keys of its entries in match_key_bucket (and
// match_key_recent), so that forgetting the record finds them by key. (An index of the entries
// by record cost a 13 M-row sort per full matching.) Its finer keys are not kept: the entries
// of a key are few to look through for a record.
void distinct_keys(std::span<const MatchKeys::Key> keys, std::vector<std::uint64_t>& out) {
    out.clear();
    for (const auto& k : keys) out.push_back(k.first);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

// The records' keys are kept in groups of consecutive record ids (match_record_group): a row
// per 32 records instead of one per record, which took a twelfth of a full matching of
// 1,000,000 people to write. A group's blob holds, per record in id order, its slot in the
// group (1 byte: the id's low bits), its key count (2) and its keys (8 each), little-endian.
constexpr int group_shift = 5;
std::int64_t group_of(std::int64_t record) { return record >> group_shift; }

using GroupKeys = std::vector<std::pair<std::int64_t, std::vector<std::uint64_t>>>;  // by record

// Both group tables (keys and summaries) hold, per record in id order, its slot in the group
// (1 byte: the id's low bits), a count (2 bytes) and that many units of the table's size.
void pack_slot(std::int64_t record, std::size_t count, std::string& blob) {
    put_le(blob, static_cast<std::uint64_t>(record) & ((1u << group_shift) - 1), 1);
    put_le(blob, count, 2);
}

// Calls fn(record, its units) for each record of a stored group, in id order.
template <class Fn>
void for_slots(std::string_view blob, std::int64_t group, std::size_t unit, std::string_view table, Fn&& fn) {
    for (std::size_t at = 0; at < blob.size();) {
        const bool whole = blob.size() - at >= 3;
        const auto slot = static_cast<std::int64_t>(get_le(blob, at, 1));
        const auto n = whole ? get_le(blob, at + 1, 2) : 0;
        if (!whole || slot >= (1 << group_shift) || n > (blob.size() - at - 3) / unit) {
            throw Error(ErrorCode::storage,
                        fmt::format("{} {} is damaged ({} bytes); run 'qreg dedup' to rebuild the "
                                    "match index",
                                    table, group, blob.size()));
        }
        fn((group << group_shift) | slot, blob.substr(at + 3, n * unit));
        at += 3 + n * unit;
    }
}

void pack_record(std::int64_t record, std::span<const std::uint64_t> keys, std::string& blob) {
    pack_slot(record, keys.size(), blob);
    for (const auto key : keys) put_le(blob, key, 8);
}

GroupKeys unpack_group(std::string_view blob, std::int64_t group) {
    GroupKeys out;
    for_slots(blob, group, 8, "match_record_group", [&](std::int64_t record, std::string_view units) {
        std::vector<std::uint64_t> keys(units.size() / 8);
        for (std::size_t k = 0; k < keys.size(); ++k) keys[k] = get_le(units, 8 * k);
        out.emplace_back(record, std::move(keys));
    });
    return out;
}

// match_summary_group: each record's summary (MatchKeys::summaries, its bytes the units), in
// the same groups of 32 record ids as its keys but apart from them, so that an import reads the
// summaries of its ~1 M candidates without their keys. An empty summary stands for one too long
// to keep (its reader then reads the record).
using GroupSummaries = std::vector<std::pair<std::int64_t, std::string>>;  // by record

void pack_summary(std::int64_t record, std::string_view summary, std::string& blob) {
    if (summary.size() > 0xffff) summary = {};
    pack_slot(record, summary.size(), blob);
    blob.append(summary);
}

template <class Fn>
void for_summaries(std::string_view blob, std::int64_t group, Fn&& fn) {
    for_slots(blob, group, 1, "match_summary_group", fn);
}

// match_key_bucket: the (key, refine, record) entries of the match index in buckets of the
// key's top 21 bits, each bucket one blob of 24-byte entries (key, refine, record; little-
// endian) sorted by key, refine (as signed numbers) and record. A full matching of 1,000,000
// people writes some 2 M buckets instead of 13 M rows (9 s of its 55).
constexpr int bucket_shift = 43;
std::int64_t bucket_of(std::uint64_t key) { return static_cast<std::int64_t>(key >> bucket_shift); }

struct Entry {
    std::uint64_t key;
    std::int64_t refine;  // signed, the order the finer keys are taken in
    std::int64_t record;
    friend auto operator<=>(const Entry&, const Entry&) = default;
};
constexpr std::size_t entry_size = 24;
constexpr const char* read_bucket_sql = "SELECT entries FROM match_key_bucket WHERE bucket = ?1";
constexpr const char* write_bucket_sql =
    "INSERT OR REPLACE INTO match_key_bucket (bucket, entries) VALUES (?1, ?2)";
constexpr const char* drop_bucket_sql = "DELETE FROM match_key_bucket WHERE bucket = ?1";

// match_key_recent: entries added since the buckets were last written, (key, refine, record)
// rows in key order, looked up beside the buckets. Folded into the buckets once there are more
// than this many (an import of 10,000 records adds ~70,000).
constexpr std::int64_t max_recent_entries = 2'000'000;

void pack_entry(const Entry& e, std::string& blob) {
    put_le(blob, e.key, 8);
    put_le(blob, static_cast<std::uint64_t>(e.refine), 8);
    put_le(blob, static_cast<std::uint64_t>(e.record), 8);
}

// A bucket's entries as stored, read in place.
class Bucket {
public:
    Bucket(std::string_view blob, std::int64_t bucket) : blob_(blob) {
        if (blob.size() % entry_size != 0) {
            throw Error(ErrorCode::storage,
                        fmt::format("match_key_bucket {} holds {} bytes, not whole entries; run "
                                    "'qreg dedup' to rebuild the match index",
                                    bucket, blob.size()));
        }
    }
    [[nodiscard]] std::size_t size() const { return blob_.size() / entry_size; }
    [[nodiscard]] Entry operator[](std::size_t i) const {
        const auto at = i * entry_size;
        return {get_le(blob_, at), static_cast<std::int64_t>(get_le(blob_, at + 8)),
                static_cast<std::int64_t>(get_le(blob_, at + 16))};
    }
    // The first entry at or after (key, refine).
    [[nodiscard]] std::size_t lower_bound(std::uint64_t key, std::int64_t refine) const {
        std::size_t lo = 0, hi = size();
        while (lo < hi) {
            const auto mid = (lo + hi) / 2;
            const auto e = (*this)[mid];
            if (std::tie(e.key, e.refine) < std::tie(key, refine)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

private:
    std::string_view blob_;
};

// Calls fn(Bucket) with the bucket that holds `key`, if any.
template <class Fn>
void with_bucket(sqlite3_stmt* read, std::uint64_t key, Fn&& fn) {
    const sqlite::ResetOnExit done(read);
    const auto bucket = bucket_of(key);
    sqlite::bind_int(read, 1, bucket);
    if (sqlite::step(read)) fn(Bucket(sqlite::text_view(read, 0), bucket));
}

// Writes a row of a blob table (grp or bucket, blob), or drops it when the blob is empty.
void write_or_drop(sqlite3_stmt* write, sqlite3_stmt* drop, std::int64_t row, const std::string& blob) {
    if (blob.empty()) {
        sqlite::bind_int(drop, 1, row);
        sqlite::run(drop);
        return;
    }
    sqlite::bind_int(write, 1, row);
    sqlite::bind_blob(write, 2, blob);
    sqlite::run(write);
}

// A record's entries under a key, whatever their finer key.
struct KeyRecord {
    std::uint64_t key;
    std::int64_t record;
    friend auto operator<=>(const KeyRecord&, const KeyRecord&) = default;
};

// Forgets the entries of `forget` and adds `add`, each bucket concerned read and written once.
void update_buckets(std::vector<KeyRecord> forget, std::vector<Entry> add, sqlite3_stmt* read,
                    sqlite3_stmt* write, sqlite3_stmt* drop) {
    std::sort(forget.begin(), forget.end());  // by bucket, as entries sort
    std::sort(add.begin(), add.end());
    add.erase(std::unique(add.begin(), add.end()), add.end());
    std::vector<std::int64_t> buckets;
    for (const auto& f : forget) buckets.push_back(bucket_of(f.key));
    for (const auto& e : add) buckets.push_back(bucket_of(e.key));
    std::sort(buckets.begin(), buckets.end());
    buckets.erase(std::unique(buckets.begin(), buckets.end()), buckets.end());
    const auto range = [](const auto& list, std::int64_t bucket) {
        const auto before = [](const auto& e, std::int64_t b) { return bucket_of(e.key) < b; };
        const auto first = std::lower_bound(list.begin(), list.end(), bucket, before);
        auto last = first;
        while (last != list.end() && bucket_of(last->key) == bucket) ++last;
        return std::span(first, last);
    };
    std::vector<Entry> entries, kept;
    std::string blob;
    for (const auto bucket : buckets) {
        entries.clear();
        with_bucket(read, static_cast<std::uint64_t>(bucket) << bucket_shift, [&](const Bucket& stored) {
            for (std::size_t i = 0; i < stored.size(); ++i) entries.push_back(stored[i]);
        });
        const auto gone = range(forget, bucket);
        const auto come = range(add, bucket);
        kept.clear();
        for (const auto& e : entries) {
            if (!std::binary_search(gone.begin(), gone.end(), KeyRecord{e.key, e.record})) kept.push_back(e);
        }
        if (kept.size() == entries.size() && come.empty()) continue;  // unchanged: not rewritten
        entries.clear();
        std::set_union(kept.begin(), kept.end(), come.begin(), come.end(), std::back_inserter(entries));
        blob.clear();
        for (const auto& e : entries) pack_entry(e, blob);
        write_or_drop(write, drop, bucket, blob);
    }
}

}  // namespace

bool Store::match_keys_valid(std::int64_t keys_print) const {
    return counter(handle(), "match_keys_valid") == keys_print;
}

void Store::invalidate_match_keys() { set_counter(handle(), "match_keys_valid", 0); }

void Store::replace_match_keys(const MatchKeys& records, std::int64_t keys_print) {
    auto* db = handle();
    sqlite::exec(db, "DELETE FROM match_key_bucket");
    sqlite::exec(db, "DELETE FROM match_record_group");
    sqlite::exec(db, "DELETE FROM match_summary_group");
    sqlite::exec(db, "DELETE FROM match_key_recent");
    set_counter(db, "match_recent_entries", 0);
    // Both tables filled in their key order: appends, no sort in SQLite. The entries are sorted
    // on the other core while the groups are written.
    auto sorted_entries = std::async(std::launch::async, [&records] {
        std::vector<Entry> entries;
        entries.reserve(records.keys.size());
        for (std::size_t i = 0; i < records.size(); ++i) {
            for (const auto& [key, refine] : records.keys_of(i)) {
                entries.push_back({key, static_cast<std::int64_t>(refine), records.record_pks[i]});
            }
        }
        std::sort(entries.begin(), entries.end());
        entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
        return entries;
    });
    std::vector<std::uint32_t> by_record(records.size());
    std::iota(by_record.begin(), by_record.end(), 0u);
    std::sort(by_record.begin(), by_record.end(), [&](std::uint32_t a, std::uint32_t b) {
        return records.record_pks[a] < records.record_pks[b];
    });
    {
        const auto insert =
            sqlite::prepare(db, "INSERT INTO match_record_group (grp, records) VALUES (?1, ?2)");
        const auto insert_summaries =
            sqlite::prepare(db, "INSERT INTO match_summary_group (grp, summaries) VALUES (?1, ?2)");
        std::string blob, summaries;
        std::vector<std::uint64_t> keys;
        for (std::size_t at = 0; at < by_record.size();) {
            const auto group = group_of(records.record_pks[by_record[at]]);
            blob.clear();
            summaries.clear();
            for (; at < by_record.size() && group_of(records.record_pks[by_record[at]]) == group; ++at) {
                const auto i = by_record[at];
                distinct_keys(records.keys_of(i), keys);
                pack_record(records.record_pks[i], keys, blob);
                pack_summary(records.record_pks[i], records.summary_of(i), summaries);
            }
            sqlite::bind_int(insert.get(), 1, group);
            sqlite::bind_blob(insert.get(), 2, blob);
            sqlite::run(insert.get());
            sqlite::bind_int(insert_summaries.get(), 1, group);
            sqlite::bind_blob(insert_summaries.get(), 2, summaries);
            sqlite::run(insert_summaries.get());
        }
    }
    const auto entries = sorted_entries.get();
    const auto insert = sqlite::prepare(db, "INSERT INTO match_key_bucket (bucket, entries) VALUES (?1, ?2)");
    std::string blob;
    for (std::size_t at = 0; at < entries.size();) {
        const auto bucket = bucket_of(entries[at].key);
        blob.clear();
        for (; at < entries.size() && bucket_of(entries[at].key) == bucket; ++at) {
            pack_entry(entries[at], blob);
        }
        sqlite::bind_int(insert.get(), 1, bucket);
        sqlite::bind_blob(insert.get(), 2, blob);
        sqlite::run(insert.get());
    }
    set_counter(db, "matched_records", static_cast<std::int64_t>(records.size()));
    set_counter(db, "match_keys_valid", keys_print);
}

void Store::update_match_keys(std::span<const std::int64_t> records, const MatchKeys& added) {
    auto* db = handle();
    std::int64_t matched = counter(db, "matched_records");
    // The groups concerned, read once each, changed in memory and written back.
    std::vector<std::int64_t> groups;
    for (const auto pk : records) groups.push_back(group_of(pk));
    for (const auto pk : added.record_pks) groups.push_back(group_of(pk));
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    std::unordered_map<std::int64_t, GroupKeys> held;
    std::unordered_map<std::int64_t, GroupSummaries> held_summaries;
    auto* read_group = cached("SELECT records FROM match_record_group WHERE grp = ?1");
    auto* read_summaries = cached("SELECT summaries FROM match_summary_group WHERE grp = ?1");
    for (const auto g : groups) {
        const sqlite::ResetOnExit done(read_group), done_summaries(read_summaries);
        sqlite::bind_int(read_group, 1, g);
        held[g] = sqlite::step(read_group) ? unpack_group(sqlite::text_view(read_group, 0), g) : GroupKeys{};
        sqlite::bind_int(read_summaries, 1, g);
        auto& summaries = held_summaries[g];
        if (sqlite::step(read_summaries)) {
            for_summaries(sqlite::text_view(read_summaries, 0), g, [&](std::int64_t pk, std::string_view s) {
                summaries.emplace_back(pk, s);
            });
        }
    }
    // A record's summary goes with its keys.
    const auto set_summary = [&](std::int64_t pk, std::optional<std::string_view> summary) {
        auto& group = held_summaries[group_of(pk)];
        std::erase_if(group, [&](const auto& r) { return r.first == pk; });
        if (summary) group.emplace_back(pk, *summary);
    };
    const auto find = [&](std::int64_t pk) {
        auto& group = held[group_of(pk)];
        return std::make_pair(&group, std::find_if(group.begin(), group.end(),
                                                   [&](const auto& r) { return r.first == pk; }));
    };
    // The entries to forget and to add, applied bucket by bucket below.
    std::vector<KeyRecord> forget;
    std::vector<Entry> add;
    for (const auto pk : records) {
        const auto [group, it] = find(pk);
        if (it == group->end()) continue;  // not matched before
        --matched;
        for (const auto key : it->second) forget.push_back({key, pk});
        group->erase(it);
        set_summary(pk, std::nullopt);
    }
    for (std::size_t i = 0; i < added.size(); ++i) {
        const auto pk = added.record_pks[i];
        std::vector<std::uint64_t> keys;
        distinct_keys(added.keys_of(i), keys);
        for (const auto& [key, refine] : added.keys_of(i)) {
            add.push_back({key, static_cast<std::int64_t>(refine), pk});
        }
        set_summary(pk, added.summary_of(i));
        const auto [group, it] = find(pk);
        if (it == group->end()) {
            ++matched;
            group->emplace_back(pk, std::move(keys));
        } else {
            it->second = std::move(keys);  // its old keys stay in the buckets: forget first
        }
    }
    // Forgotten entries leave the buckets (a few pages: the records an import changes, not the
    // ones it adds) and the recent ones; added entries go to the recent ones, not into buckets
    // that lie scattered over the whole table (an import of 10,000 new records into 1,000,000
    // people touched nearly every page of it, some 300 MB written at commit).
    auto* drop_recent = cached("DELETE FROM match_key_recent WHERE key = ?1 AND record = ?2");
    auto* add_recent =
        cached("INSERT OR IGNORE INTO match_key_recent (key, refine, record) VALUES (?1, ?2, ?3)");
    auto recent = counter(db, "match_recent_entries");
    for (const auto& f : forget) {
        sqlite::bind_int(drop_recent, 1, as_column(f.key));
        sqlite::bind_int(drop_recent, 2, f.record);
        sqlite::run(drop_recent);
        recent -= sqlite3_changes(db);
    }
    for (const auto& e : add) {
        sqlite::bind_int(add_recent, 1, as_column(e.key));
        sqlite::bind_int(add_recent, 2, e.refine);
        sqlite::bind_int(add_recent, 3, e.record);
        sqlite::run(add_recent);
        recent += sqlite3_changes(db);
    }
    update_buckets(std::move(forget), {}, cached(read_bucket_sql), cached(write_bucket_sql),
                   cached(drop_bucket_sql));
    set_counter(db, "match_recent_entries", recent);
    if (recent > max_recent_entries) fold_match_keys();
    auto* write_group = cached("INSERT OR REPLACE INTO match_record_group (grp, records) VALUES (?1, ?2)");
    auto* drop_group = cached("DELETE FROM match_record_group WHERE grp = ?1");
    auto* write_summaries =
        cached("INSERT OR REPLACE INTO match_summary_group (grp, summaries) VALUES (?1, ?2)");
    auto* drop_summaries = cached("DELETE FROM match_summary_group WHERE grp = ?1");
    const auto by_record = [](const auto& a, const auto& b) { return a.first < b.first; };
    std::string blob;
    for (const auto g : groups) {
        auto& group = held[g];
        auto& summaries = held_summaries[g];
        std::sort(group.begin(), group.end(), by_record);
        std::sort(summaries.begin(), summaries.end(), by_record);
        blob.clear();
        for (const auto& [pk, keys] : group) pack_record(pk, keys, blob);
        write_or_drop(write_group, drop_group, g, blob);
        blob.clear();
        for (const auto& [pk, summary] : summaries) pack_summary(pk, summary, blob);
        write_or_drop(write_summaries, drop_summaries, g, blob);
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

void Store::fold_match_keys() {
    auto* db = handle();
    std::vector<Entry> recent;
    {
        const auto read = sqlite::prepare(db, "SELECT key, refine, record FROM match_key_recent");
        while (sqlite::step(read.get())) {
            recent.push_back({from_column(sqlite::integer(read.get(), 0)), sqlite::integer(read.get(), 1),
                              sqlite::integer(read.get(), 2)});
        }
    }
    update_buckets({}, std::move(recent), cached(read_bucket_sql), cached(write_bucket_sql),
                   cached(drop_bucket_sql));
    sqlite::exec(db, "DELETE FROM match_key_recent");
    set_counter(db, "match_recent_entries", 0);
}

void Store::match_summaries(std::span<const std::int64_t> records,
                            const std::function<void(std::size_t, std::string_view)>& fn) const {
    auto* read = cached("SELECT summaries FROM match_summary_group WHERE grp = ?1");
    for (std::size_t i = 0; i < records.size();) {
        const auto group = group_of(records[i]);
        const sqlite::ResetOnExit done(read);
        sqlite::bind_int(read, 1, group);
        if (sqlite::step(read)) {
            for_summaries(sqlite::text_view(read, 0), group, [&](std::int64_t pk, std::string_view summary) {
                while (i < records.size() && records[i] < pk) ++i;
                if (i < records.size() && records[i] == pk) fn(i++, summary);
            });
        }
        while (i < records.size() && group_of(records[i]) == group) ++i;
    }
}

std::vector<BlockMember> Store::block_members(std::uint64_t key, std::size_t limit) const {
    // The bucket's entries and the recent ones, each in (refine, record) order, merged.
    std::vector<std::pair<std::int64_t, std::int64_t>> found;  // (refine, record)
    with_bucket(cached(read_bucket_sql), key, [&](const Bucket& bucket) {
        for (auto i = bucket.lower_bound(key, std::numeric_limits<std::int64_t>::min());
             i < bucket.size() && found.size() < limit; ++i) {
            const auto e = bucket[i];
            if (e.key != key) break;
            found.emplace_back(e.refine, e.record);
        }
    });
    auto* recent = cached(
        "SELECT refine, record FROM match_key_recent WHERE key = ?1 ORDER BY refine, record LIMIT ?2");
    const sqlite::ResetOnExit done(recent);
    sqlite::bind_int(recent, 1, as_column(key));
    sqlite::bind_int(recent, 2, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
    const auto from_bucket = found.size();
    while (sqlite::step(recent)) found.emplace_back(sqlite::integer(recent, 0), sqlite::integer(recent, 1));
    std::inplace_merge(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(from_bucket), found.end());
    found.resize(std::min(found.size(), limit));
    std::vector<BlockMember> out;
    out.reserve(found.size());
    for (const auto& [refine, record] : found) out.push_back({record, static_cast<std::uint64_t>(refine)});
    return out;
}

std::vector<std::int64_t> Store::block_members(std::uint64_t key, std::uint64_t refine,
                                               std::size_t limit) const {
    std::vector<std::int64_t> out;
    const auto signed_refine = static_cast<std::int64_t>(refine);
    with_bucket(cached(read_bucket_sql), key, [&](const Bucket& bucket) {
        for (auto i = bucket.lower_bound(key, signed_refine); i < bucket.size() && out.size() < limit; ++i) {
            const auto e = bucket[i];
            if (e.key != key || e.refine != signed_refine) break;
            out.push_back(e.record);
        }
    });
    auto* recent = cached(
        "SELECT record FROM match_key_recent WHERE key = ?1 AND refine = ?2 ORDER BY record LIMIT ?3");
    const sqlite::ResetOnExit done(recent);
    sqlite::bind_int(recent, 1, as_column(key));
    sqlite::bind_int(recent, 2, signed_refine);
    sqlite::bind_int(recent, 3, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
    const auto from_bucket = out.size();
    while (sqlite::step(recent)) out.push_back(sqlite::integer(recent, 0));
    std::inplace_merge(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(from_bucket), out.end());
    out.resize(std::min(out.size(), limit));
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
