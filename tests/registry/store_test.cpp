#include "storage/store.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <set>

#include "qreg/error.hpp"
#include "record_json.hpp"
#include "storage/canonical_codec.hpp"
#include "support/temp_dir.hpp"

namespace reg = qreg::registry;
using qreg::connectors::RowProblem;
using qreg::connectors::SourceRecord;

namespace {

// What a match index was made under (dedup::block_keys_print): any positive number will do here.
constexpr std::int64_t keys_print = 1 << 20;

SourceRecord make(const std::string& id, const std::string& stand, const std::string& family) {
    SourceRecord r;
    r.record.source = "ba";
    r.record.record_id = id;
    r.record.stand = stand;
    r.record.family_name = family;
    r.record.given_names = "Test";
    r.raw = id + ";" + family + ";" + stand;
    r.line = 2;
    return r;
}

void set_user_version(const std::string& path, int version) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    const std::string sql = "PRAGMA user_version = " + std::to_string(version);
    CHECK(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
}

reg::UpsertOutcome store_one(reg::Store& store, const SourceRecord& r) {
    reg::Store::Transaction tx(store);
    const auto import = store.start_import("ba-csv-v1", "test", "2026-01-01T00:00:00Z");
    const auto upserted = store.upsert(import, r, "export.csv");
    tx.commit();
    return upserted.outcome;
}

}  // namespace

TEST_SUITE("registry.store") {

TEST_CASE("a new database gets the latest schema and opens again") {
    qreg::test::TempDir dir;
    const auto path = dir / "r.db";
    { reg::Store store(path); CHECK(store.schema_version() == reg::Store::latest_schema_version); }
    reg::Store again(path);
    CHECK(again.schema_version() == reg::Store::latest_schema_version);
    CHECK(again.record_count() == 0);
}

TEST_CASE("a file that is not a database is an error naming it, and is left as it was") {
    qreg::test::TempDir dir;
    const auto path = dir / "export.csv";
    const std::string text(5000, 'x');
    { std::ofstream(path) << text; }
    try {
        reg::Store store(path);
        FAIL("opened a file that is not a database");
    } catch (const qreg::Error& e) {
        CHECK(std::string(e.what()).find("is not a qreg database") != std::string::npos);
        CHECK(std::string(e.what()).find(path.string()) != std::string::npos);
    }
    std::ifstream in(path);
    const std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(after == text);
}

TEST_CASE("schemas 8 and 10 replace the audit person indexes: by plain id gone, by pseudonym in buckets") {
    qreg::test::TempDir dir;
    const auto path = dir / "seven.db";
    const auto has_index = [&](const char* name) {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(raw,
                                   "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                                   -1, &stmt, nullptr) == SQLITE_OK);
        sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
        REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
        const bool found = sqlite3_column_int(stmt, 0) == 1;
        sqlite3_finalize(stmt);
        sqlite3_close(raw);
        return found;
    };
    { reg::Store old(path, 7); }
    CHECK(has_index("audit_entry_person_id"));
    CHECK(has_index("audit_entry_person_pseudonym"));
    CHECK_FALSE(has_index("audit_entry_person_bucket"));
    { reg::Store store(path); CHECK(store.schema_version() == reg::Store::latest_schema_version); }
    CHECK_FALSE(has_index("audit_entry_person_id"));
    CHECK_FALSE(has_index("audit_entry_person_pseudonym"));
    CHECK(has_index("audit_entry_person_bucket"));
}

TEST_CASE("canonical records are stored packed: smaller, the same each time, read back exactly") {
    auto r = make("111A111111", "2026-01-01T00:00:00Z", "Al-Hassan");
    r.record.birthplace = "Aleppo";
    r.record.nationalities = {"SYR"};
    r.record.postcode = "30449";
    r.record.town = "Hannover";
    const auto json = reg::to_json(r.record);
    const auto packed = reg::canonical::pack(json);
    CHECK(packed.size() * 2 < json.size());
    CHECK(reg::canonical::pack(json) == packed);
    CHECK(reg::canonical::unpack(packed) == json);
    CHECK_THROWS_WITH_AS((void)reg::canonical::unpack(json), doctest::Contains("not a zstd frame"),
                         qreg::Error);
    auto torn = packed.substr(0, packed.size() - 3);
    CHECK_THROWS_AS((void)reg::canonical::unpack(torn), qreg::Error);
}

TEST_CASE("stored canonical JSON of schema 12 and older (TEXT) still reads and compares") {
    qreg::test::TempDir dir;
    const auto path = (dir / "r.db").string();
    const auto current = make("111A111111", "2026-02-01T00:00:00Z", "Alpha");
    const auto older = make("111A111111", "2026-01-01T00:00:00Z", "Alpha");
    {
        reg::Store store(path);
        CHECK(store_one(store, current) == reg::UpsertOutcome::created);
        CHECK(store_one(store, older) == reg::UpsertOutcome::stale);
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    const auto query_text = [&](const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
        std::string out;
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            out += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
            out += ';';
        }
        sqlite3_finalize(stmt);
        return out;
    };
    // As written now: packed, and the dictionary beside them.
    CHECK(query_text("SELECT typeof(canonical) FROM record_current") == "blob;");
    CHECK(query_text("SELECT typeof(canonical) FROM record_version") == "blob;");
    CHECK(query_text("SELECT id FROM canonical_dictionary") == "1;");
    // As an older qreg wrote them: the JSON itself.
    const auto set_text = [&](const char* sql, const std::string& json) {
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
        sqlite3_bind_text(stmt, 1, json.c_str(), -1, SQLITE_TRANSIENT);
        CHECK(sqlite3_step(stmt) == SQLITE_DONE);
        sqlite3_finalize(stmt);
    };
    set_text("UPDATE record_current SET canonical = ?1", reg::to_json(current.record));
    set_text("UPDATE record_version SET canonical = ?1", reg::to_json(older.record));
    CHECK(query_text("SELECT typeof(canonical) FROM record_current UNION ALL "
                     "SELECT typeof(canonical) FROM record_version") == "text;text;");
    sqlite3_close(db);

    reg::Store store(path);
    const auto stored = store.record("ba", "111A111111");
    REQUIRE(stored);
    REQUIRE(stored->versions.size() == 2);
    CHECK(stored->versions[0].canonical_json == reg::to_json(older.record));
    CHECK(stored->versions[1].canonical_json == reg::to_json(current.record));
    CHECK(stored->current.family_name == "Alpha");
    const auto records = store.person_records(stored->person_id);
    REQUIRE(records.size() == 1);
    CHECK(records[0].stand == "2026-02-01T00:00:00Z");
    // The same versions again are known, whichever form they were stored in.
    CHECK(store_one(store, current) == reg::UpsertOutcome::unchanged);
    CHECK(store_one(store, older) == reg::UpsertOutcome::unchanged);
}

TEST_CASE("a damaged stored record is an error naming it; other records still store and read") {
    qreg::test::TempDir dir;
    const auto path = (dir / "r.db").string();
    const auto damaged = make("111A111111", "2026-01-01T00:00:00Z", "Alpha");
    {
        reg::Store store(path);
        CHECK(store_one(store, damaged) == reg::UpsertOutcome::created);
        CHECK(store_one(store, make("222B222222", "2026-01-01T00:00:00Z", "Beta")) ==
              reg::UpsertOutcome::created);
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db,
                       "UPDATE record_current SET canonical = substr(canonical, 1, length(canonical) - 5) "
                       "WHERE record_pk = (SELECT id FROM record WHERE record_id = '111A111111')",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    reg::Store store(path);
    CHECK_THROWS_WITH_AS((void)store.record("ba", "111A111111"),
                         doctest::Contains("stored record ba 111A111111"), qreg::Error);
    CHECK_THROWS_WITH_AS((void)store_one(store, make("111A111111", "2026-02-01T00:00:00Z", "Alpha")),
                         doctest::Contains("database file is damaged"), qreg::Error);
    CHECK(store_one(store, make("222B222222", "2026-02-01T00:00:00Z", "Beta")) ==
          reg::UpsertOutcome::updated);
    CHECK(store.record("ba", "222B222222")->current.stand == "2026-02-01T00:00:00Z");
}

TEST_CASE("an upsert names the record it stored or found") {
    qreg::test::TempDir dir;
    reg::Store store(dir / "r.db");
    reg::Store::Transaction tx(store);
    const auto import = store.start_import("ba-csv-v1", "test", "2026-01-01T00:00:00Z");
    const auto a = store.upsert(import, make("111A111111", "2026-01-01T00:00:00Z", "Alpha"), "f.csv");
    const auto b = store.upsert(import, make("222B222222", "2026-01-01T00:00:00Z", "Beta"), "f.csv");
    const auto again = store.upsert(import, make("111A111111", "2026-01-01T00:00:00Z", "Alpha"), "f.csv");
    const auto newer = store.upsert(import, make("111A111111", "2026-02-01T00:00:00Z", "Alpha"), "f.csv");
    const auto older = store.upsert(import, make("111A111111", "2025-01-01T00:00:00Z", "Alpha"), "f.csv");
    tx.commit();
    CHECK(a.outcome == reg::UpsertOutcome::created);
    CHECK(b.outcome == reg::UpsertOutcome::created);
    CHECK(a.record != b.record);
    CHECK(again.outcome == reg::UpsertOutcome::unchanged);
    CHECK(newer.outcome == reg::UpsertOutcome::updated);
    CHECK(older.outcome == reg::UpsertOutcome::stale);
    CHECK(again.record == a.record);
    CHECK(newer.record == a.record);
    CHECK(older.record == a.record);
}

TEST_CASE("a database of an older schema is upgraded on open and keeps its data") {
    qreg::test::TempDir dir;
    const auto path = dir / "old.db";
    { reg::Store old(path, 1); CHECK(old.schema_version() == 1); }
    reg::Store store(path);
    CHECK(store.schema_version() == reg::Store::latest_schema_version);
    // the upgrade added the rejected-row table: it must be usable now
    reg::Store::Transaction tx(store);
    const auto import = store.start_import("ba-csv-v1", "test", "2026-01-01T00:00:00Z");
    store.reject(import, "ba-csv-v1", RowProblem{"f.csv", 3, "record id is missing", "x;y", ""});
    tx.commit();
    REQUIRE(store.rejects().size() == 1);
    CHECK(store.rejects()[0].raw == "x;y");
}

TEST_CASE("the upgrade to the matching schema fills the new columns from stored versions") {
    qreg::test::TempDir dir;
    const auto path = (dir / "v2.db").string();
    { reg::Store old(path, 2); }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    const char* sql = R"sql(
        INSERT INTO import_run (id, format, actor, started_at) VALUES (1, 'f', 'a', 't');
        INSERT INTO record VALUES (1, 'febrl', 'r1', 1, 's', 0, 'Fam', 'Giv', '', 1990, 0, 0,
            'year', 0, '', '', 'unknown', '', '', '', '', '', '', '', '');
        INSERT INTO record_version VALUES (1, 1, 's', 0, 1,
            '{"identity":{"aliases":[{"family_name":"AF","given_names":"AG"}]},
              "address":{"street":"wallaby place","house_number":"7","address_extra":"",
                         "region":"sa"}}', x'00', 'f', 2, 1, '[]');
    )sql";
    REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);

    reg::Store store(path);
    const auto inputs = store.match_inputs();
    REQUIRE(inputs.size() == 1);
    CHECK(inputs[0].record.street == "wallaby place");
    CHECK(inputs[0].record.house_number == "7");
    CHECK(inputs[0].record.region == "sa");
    REQUIRE(inputs[0].record.aliases.size() == 1);
    CHECK(inputs[0].record.aliases[0].family_name == "AF");
    CHECK(inputs[0].record.aliases[0].given_names == "AG");
}

TEST_CASE("the upgrade to schema 4 moves each current version beside its record and keeps all") {
    qreg::test::TempDir dir;
    const auto path = (dir / "v3.db").string();
    { reg::Store old(path, 3); }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    const char* sql = R"sql(
        INSERT INTO import_run (id, format, actor, started_at) VALUES (1, 'f', 'a', 't');
        INSERT INTO record (id, source, record_id, person_id, stand, is_retracted, family_name,
            given_names, birth_name, birth_year, birth_month, birth_day, birth_precision,
            birth_placeholder, birthplace, birth_country, sex, nationalities, ba_customer_number,
            bg_number, bamf_file_number, azr_number, other_id, postcode, town)
        VALUES (1, 'ba', 'r1', 1, '2026-02-01', 0, 'Beta', 'Giv', '', 0, 0, 0, 'none', 0, '', '',
            'unknown', '', '', '', '', '', '', '', '');
        INSERT INTO record_version VALUES (5, 1, '2026-01-01', 0, 0,
            '{"source":"ba","record_id":"r1","stand":"2026-01-01","identity":{"family_name":"Alpha"}}',
            x'616c706861', 'old.csv', 2, 1, '[]');
        INSERT INTO record_version VALUES (7, 1, '2026-02-01', 0, 1,
            '{"source":"ba","record_id":"r1","stand":"2026-02-01","identity":{"family_name":"Beta"}}',
            x'62657461', 'new.csv', 3, 1, '["a warning"]');
        UPDATE counter SET value = 1 WHERE name = 'last_person_id';
    )sql";
    REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);

    reg::Store store(path);
    CHECK(store.schema_version() == reg::Store::latest_schema_version);
    const auto before = store.record("ba", "r1");
    REQUIRE(before);
    CHECK(before->current.family_name == "Beta");
    REQUIRE(before->versions.size() == 2);
    CHECK(before->versions[0].id == 5);
    CHECK(before->versions[0].raw == "alpha");
    CHECK_FALSE(before->versions[0].is_current);
    CHECK(before->versions[1].id == 7);
    CHECK(before->versions[1].is_current);
    CHECK(before->versions[1].raw == "beta");
    CHECK(before->versions[1].file == "new.csv");
    CHECK(before->versions[1].line == 3);
    CHECK(before->versions[1].warnings_json == R"(["a warning"])");

    // A newer stand after the upgrade: the former current version keeps its id in the history,
    // and the new one gets an id that was never used.
    CHECK(store_one(store, make("r1", "2026-03-01", "Gamma")) == reg::UpsertOutcome::updated);
    const auto after = store.record("ba", "r1");
    REQUIRE(after->versions.size() == 3);
    CHECK(after->versions[1].id == 7);
    CHECK_FALSE(after->versions[1].is_current);
    CHECK(after->versions[1].raw == "beta");
    CHECK(after->versions[2].id == 8);
    CHECK(after->versions[2].is_current);
    CHECK(after->current.family_name == "Gamma");
}

TEST_CASE("a version keeps its id when a newer one supersedes it") {
    qreg::test::TempDir dir;
    reg::Store store(dir / "r.db");
    (void)store_one(store, make("666F666666", "2026-01-01T10:00:00Z", "Alpha"));
    const auto first = store.record("ba", "666F666666")->versions.at(0).id;
    (void)store_one(store, make("666F666666", "2026-02-01T10:00:00Z", "Beta"));
    (void)store_one(store, make("666F666666", "2025-01-01T10:00:00Z", "Gamma"));
    const auto stored = store.record("ba", "666F666666");
    REQUIRE(stored->versions.size() == 3);
    CHECK(stored->versions[1].id == first);
    CHECK(stored->versions[1].canonical_json.find("Alpha") != std::string::npos);
    std::set<std::int64_t> ids;
    for (const auto& v : stored->versions) ids.insert(v.id);
    CHECK(ids.size() == 3);
}

TEST_CASE("a database from a newer qreg is refused with a clear message") {
    qreg::test::TempDir dir;
    const auto path = (dir / "new.db").string();
    { reg::Store store(path); }
    set_user_version(path, reg::Store::latest_schema_version + 5);
    CHECK_THROWS_WITH_AS(reg::Store{path}, doctest::Contains("newer than this qreg knows"),
                         qreg::Error);
}

TEST_CASE("an SQLite file that is not a qreg database is refused") {
    qreg::test::TempDir dir;
    const auto path = (dir / "other.db").string();
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    CHECK_THROWS_WITH_AS(reg::Store{path}, doctest::Contains("not a qreg database"), qreg::Error);
}

TEST_CASE("versions: new, unchanged, updated by a newer stand, stale for an older one") {
    qreg::test::TempDir dir;
    reg::Store store(dir / "r.db");
    const auto v1 = make("111A111111", "2026-01-01T10:00:00Z", "Alpha");
    const auto v2 = make("111A111111", "2026-02-01T10:00:00Z", "Beta");
    const auto v0 = make("111A111111", "2025-12-01T10:00:00Z", "Gamma");

    CHECK(store_one(store, v1) == reg::UpsertOutcome::created);
    CHECK(store_one(store, v1) == reg::UpsertOutcome::unchanged);
    CHECK(store_one(store, v2) == reg::UpsertOutcome::updated);
    CHECK(store_one(store, v0) == reg::UpsertOutcome::stale);
    CHECK(store_one(store, v0) == reg::UpsertOutcome::unchanged);  // already in the history
    CHECK(store_one(store, v1) == reg::UpsertOutcome::unchanged);

    const auto stored = store.record("ba", "111A111111");
    REQUIRE(stored);
    CHECK(stored->current.family_name == "Beta");
    REQUIRE(stored->versions.size() == 3);
    CHECK(stored->versions[0].stand == "2025-12-01T10:00:00Z");
    CHECK(stored->versions[0].raw == v0.raw);
    CHECK_FALSE(stored->versions[0].is_current);
    CHECK(stored->versions[2].is_current);
    CHECK(store.record_count() == 1);
}

TEST_CASE("two versions with the same stand settle the same way in either order") {
    const auto a = make("222B222222", "2026-01-01T10:00:00Z", "Alpha");
    const auto b = make("222B222222", "2026-01-01T10:00:00Z", "Beta");
    qreg::test::TempDir dir;
    reg::Store first(dir / "ab.db");
    (void)store_one(first, a);
    (void)store_one(first, b);
    reg::Store second(dir / "ba.db");
    (void)store_one(second, b);
    (void)store_one(second, a);
    CHECK(first.record("ba", "222B222222")->current == second.record("ba", "222B222222")->current);
}

TEST_CASE("nothing of a transaction stays without commit") {
    qreg::test::TempDir dir;
    reg::Store store(dir / "r.db");
    {
        reg::Store::Transaction tx(store);
        const auto import = store.start_import("ba-csv-v1", "test", "2026-01-01T00:00:00Z");
        (void)store.upsert(import, make("333C333333", "2026-01-01T00:00:00Z", "Alpha"), "f.csv");
    }
    CHECK(store.record_count() == 0);
    CHECK_FALSE(store.record("ba", "333C333333"));
}

TEST_CASE("a damaged key list in the match index is an error that says how to rebuild it") {
    qreg::test::TempDir dir;
    const auto path = (dir / "r.db").string();
    {
        reg::Store store(path);
        reg::MatchKeys index;
        const std::vector<reg::MatchKeys::Key> keys = {{10, 1}};
        index.add(1, keys);
        store.replace_match_keys(index, keys_print);
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE match_record_group SET records = x'0102030405' WHERE grp = 0", nullptr,
                       nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    reg::Store store(path);
    const std::vector<std::int64_t> changed = {1};
    CHECK_THROWS_WITH_AS(store.update_match_keys(changed, {}), doctest::Contains("run 'qreg dedup'"),
                         qreg::Error);
    CHECK(store.block_members(10, 5).size() == 1);
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE match_key_bucket SET entries = x'0102030405'", nullptr, nullptr,
                       nullptr) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_THROWS_WITH_AS((void)store.block_members(10, 5), doctest::Contains("run 'qreg dedup'"),
                         qreg::Error);
}

TEST_CASE("block members come in the order of their finer key (as a signed number), then record") {
    qreg::test::TempDir dir;
    reg::Store store(dir / "r.db");
    reg::MatchKeys index;
    const std::uint64_t key = 0xF000000000000001ull;  // top bit set: a bucket of the upper half
    const std::vector<reg::MatchKeys::Key> a = {{key, 7}, {key + 1, 7}}, b = {{key, ~std::uint64_t{0}}},
                                           c = {{key, 7}};
    index.add(9, a);
    index.add(3, b);
    index.add(5, c);
    store.replace_match_keys(index, keys_print);
    const auto members = store.block_members(key, 10);
    REQUIRE(members.size() == 3);
    CHECK(members[0].record_pk == 3);  // refine -1 first
    CHECK(members[1].record_pk == 5);
    CHECK(members[2].record_pk == 9);
    CHECK(store.block_members(key, 2).size() == 2);
    CHECK(store.block_members(key, 7, 10) == std::vector<std::int64_t>{5, 9});
    CHECK(store.block_members(key + 1, 7, 10) == std::vector<std::int64_t>{9});
    CHECK(store.block_members(key + 2, 10).empty());
}

TEST_CASE("schema 16 empties the match index: the next full matching builds it in groups") {
    qreg::test::TempDir dir;
    const auto path = (dir / "r.db").string();
    {
        reg::Store store(path);
        (void)store_one(store, make("111A111111", "2026-01-01T00:00:00Z", "Alpha"));
        reg::MatchKeys index;
        const std::vector<reg::MatchKeys::Key> keys = {{10, 1}};
        index.add(1, keys);
        store.replace_match_keys(index, keys_print);
        REQUIRE(store.match_keys_valid(keys_print));
    }
    set_user_version(path, 15);
    reg::Store store(path);
    CHECK(store.schema_version() == reg::Store::latest_schema_version);
    CHECK_FALSE(store.match_keys_valid(keys_print));
    CHECK(store.matched_records() == 0);
    CHECK(store.block_members(10, 5).empty());
}

TEST_CASE("schema 17 empties the match index: the next full matching keeps summaries with the keys") {
    qreg::test::TempDir dir;
    const auto path = (dir / "r.db").string();
    {
        reg::Store store(path);
        reg::MatchKeys index;
        const std::vector<reg::MatchKeys::Key> keys = {{10, 1}};
        index.add(1, keys, "s");
        store.replace_match_keys(index, keys_print);
    }
    set_user_version(path, 16);
    reg::Store store(path);
    CHECK(store.schema_version() == reg::Store::latest_schema_version);
    CHECK_FALSE(store.match_keys_valid(keys_print));
    CHECK(store.block_members(10, 5).empty());
}

TEST_CASE("entries an import adds are found beside the buckets' in order, forgotten, and folded in") {
    qreg::test::TempDir dir;
    reg::Store store(dir / "r.db");
    const std::uint64_t key = 0xF000000000000001ull;
    const auto pks = [](const std::vector<reg::BlockMember>& members) {
        std::vector<std::int64_t> out;
        for (const auto& m : members) out.push_back(m.record_pk);
        return out;
    };
    using Ids = std::vector<std::int64_t>;
    reg::MatchKeys index;
    const std::vector<reg::MatchKeys::Key> at7 = {{key, 7}}, at_minus = {{key, ~std::uint64_t{0}}},
                                           at9 = {{key, 9}}, other = {{key + 1, 7}};
    index.add(10, at7);
    index.add(20, at9);
    store.replace_match_keys(index, keys_print);

    reg::MatchKeys added;  // recent: 5 at 7, 30 at -1, 15 at 9 and under another key
    added.add(5, at7);
    added.add(30, at_minus);
    added.add(15, std::vector<reg::MatchKeys::Key>{{key, 9}, {key + 1, 7}});
    store.update_match_keys(std::vector<std::int64_t>{5, 15, 30}, added);
    CHECK(pks(store.block_members(key, 10)) == Ids{30, 5, 10, 15, 20});
    CHECK(pks(store.block_members(key, 3)) == Ids{30, 5, 10});
    CHECK(store.block_members(key, 10)[0].refine == ~std::uint64_t{0});
    CHECK(store.block_members(key, 7, 10) == Ids{5, 10});
    CHECK(store.block_members(key, 9, 1) == Ids{15});
    CHECK(store.block_members(key + 1, 7, 10) == Ids{15});
    CHECK(store.matched_records() == 5);

    // A record changed: its recent entries and its bucket entries go, its new ones come.
    reg::MatchKeys again;
    again.add(10, other);
    store.update_match_keys(std::vector<std::int64_t>{10, 15}, again);
    CHECK(pks(store.block_members(key, 10)) == Ids{30, 5, 20});
    CHECK(store.block_members(key + 1, 7, 10) == Ids{10});
    CHECK(store.matched_records() == 4);

    store.fold_match_keys();  // the same answers from the buckets alone
    CHECK(pks(store.block_members(key, 10)) == Ids{30, 5, 20});
    CHECK(store.block_members(key, 7, 10) == Ids{5});
    CHECK(store.block_members(key + 1, 7, 10) == Ids{10});
    store.update_match_keys(std::vector<std::int64_t>{30}, {});
    CHECK(pks(store.block_members(key, 10)) == Ids{5, 20});

    store.replace_match_keys(index, keys_print);  // a full matching starts afresh
    CHECK(pks(store.block_members(key, 10)) == Ids{10, 20});
}

TEST_CASE("each record's summary is kept with its keys, and goes when they go") {
    qreg::test::TempDir dir;
    const auto path = (dir / "r.db").string();
    reg::Store store(path);
    const auto summaries_of = [&](std::vector<std::int64_t> records) {
        std::vector<std::pair<std::int64_t, std::string>> out;
        store.match_summaries(records, [&](std::size_t i, std::string_view summary) {
            out.emplace_back(records[i], summary);
        });
        return out;
    };
    using Kept = std::vector<std::pair<std::int64_t, std::string>>;
    reg::MatchKeys index;
    const std::vector<reg::MatchKeys::Key> keys = {{10, 1}};
    index.add(40, keys, "forty");
    index.add(3, keys, "three");
    index.add(33, keys, "");  // none kept
    index.add(5, keys, std::string(70000, 'x'));  // too long: kept as none
    store.replace_match_keys(index, keys_print);
    CHECK(summaries_of({3, 4, 5, 33, 40, 41, 1000}) ==
          Kept{{3, "three"}, {5, ""}, {33, ""}, {40, "forty"}});
    CHECK(summaries_of({40}) == Kept{{40, "forty"}});

    reg::MatchKeys added;
    added.add(4, keys, "four");
    added.add(40, keys, "forty again");
    const std::vector<std::int64_t> changed = {3, 4, 40};
    store.update_match_keys(changed, added);
    CHECK(summaries_of({3, 4, 5, 33, 40}) == Kept{{4, "four"}, {5, ""}, {33, ""}, {40, "forty again"}});
    CHECK(store.matched_records() == 4);

    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE match_summary_group SET summaries = x'0109' WHERE grp = 1", nullptr,
                       nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    CHECK(summaries_of({4}) == Kept{{4, "four"}});  // group 0 untouched
    CHECK_THROWS_WITH_AS(summaries_of({40}), doctest::Contains("run 'qreg dedup'"), qreg::Error);
}

TEST_CASE("references go unchecked only while UncheckedReferences lives, made outside a transaction") {
    qreg::test::TempDir dir;
    reg::Store store(dir / "r.db");
    (void)store_one(store, make("111A111111", "2026-01-01T00:00:00Z", "Alpha"));
    const auto pk = store.record("ba", "111A111111").value().id;
    const std::vector<reg::ReviewPair> dangling = {{pk, pk + 1000, 5.0, 0}};
    const auto queue = [&] {
        reg::Store::Transaction tx(store);
        store.replace_review_queue(dangling, "2026-01-02T00:00:00Z");  // not committed
    };
    CHECK_THROWS(queue());  // record pk + 1000 does not exist
    {
        const reg::Store::UncheckedReferences unchecked(store);
        CHECK_NOTHROW(queue());
    }
    CHECK_THROWS(queue());
    reg::Store::Transaction tx(store);
    CHECK_THROWS_AS(reg::Store::UncheckedReferences{store}, std::logic_error);
}

TEST_CASE("every record is its own person until matching links them") {
    qreg::test::TempDir dir;
    reg::Store store(dir / "r.db");
    (void)store_one(store, make("444D444444", "2026-01-01T00:00:00Z", "Alpha"));
    (void)store_one(store, make("555E555555", "2026-01-01T00:00:00Z", "Beta"));
    std::vector<reg::Link> links;
    store.for_each_link([&](const reg::Link& l) { links.push_back(l); });
    REQUIRE(links.size() == 2);
    CHECK(links[0].person_id != links[1].person_id);
}

TEST_CASE("the match index forgets changed records; the model's name counts stay as saved") {
    qreg::test::TempDir dir;
    reg::Store store(dir / "r.db");
    CHECK_FALSE(store.match_keys_valid(keys_print));  // until a full recomputation builds it
    reg::Store::Transaction tx(store);
    const auto index = [](std::vector<std::pair<std::int64_t, std::vector<reg::MatchKeys::Key>>> records) {
        reg::MatchKeys out;
        for (const auto& [pk, keys] : records) out.add(pk, keys);
        return out;
    };
    // Record 2 comes first: the index is written in record order whatever order it is given in.
    store.replace_match_keys(index({
        {2, {{10, 1}, {10, 3}}},
        {1, {{10, 1}, {11, 2}, {10, 1}}},  // a key twice: one row, forgotten whole
    }), keys_print);
    CHECK(store.match_keys_valid(keys_print));
    CHECK_FALSE(store.match_keys_valid(keys_print + 1));  // made under other blocking rules
    CHECK(store.matched_records() == 2);
    CHECK(store.block_members(10, 10).size() == 3);  // record 2 under two finer keys
    CHECK(store.block_members(10, 3, 10) == std::vector<std::int64_t>{2});

    // Record 1 changed: its old keys go, its new ones come; record 3 is new.
    const std::vector<std::int64_t> records = {1, 3};
    store.update_match_keys(records, index({{1, {{12, 4}}}, {3, {{12, 4}}}}));
    CHECK(store.matched_records() == 3);
    CHECK(store.block_members(11, 10).empty());
    CHECK(store.block_members(10, 1, 10) == std::vector<std::int64_t>{2});
    CHECK(store.block_members(12, 4, 10) == std::vector<std::int64_t>{1, 3});

    // Record 2 retracted or erased: it leaves without replacement.
    const std::vector<std::int64_t> gone = {2};
    store.update_match_keys(gone, {});
    CHECK(store.matched_records() == 2);
    CHECK(store.block_members(10, 10).empty());

    // Records of other groups (32 record ids each): a group emptied goes, and comes back.
    store.update_match_keys({}, index({{100, {{13, 5}}}, {40, {{13, 5}}}}));
    CHECK(store.matched_records() == 4);
    CHECK(store.block_members(13, 5, 10) == std::vector<std::int64_t>{40, 100});
    const std::vector<std::int64_t> forty = {40};
    store.update_match_keys(forty, {});
    CHECK(store.matched_records() == 3);
    CHECK(store.block_members(13, 5, 10) == std::vector<std::int64_t>{100});
    const std::vector<std::int64_t> forty_and_one = {40, 1};
    store.update_match_keys(forty_and_one, index({{40, {{14, 6}}}}));
    CHECK(store.matched_records() == 3);  // 1 gone, 40 back
    CHECK(store.block_members(12, 4, 10) == std::vector<std::int64_t>{3});
    CHECK(store.block_members(14, 6, 10) == std::vector<std::int64_t>{40});
    store.invalidate_match_keys();
    CHECK_FALSE(store.match_keys_valid(keys_print));

    // Name counts: replaced as a whole when a model is trained, with their sums.
    CHECK(store.name_count_records() == 0);
    const std::vector<std::pair<std::uint64_t, std::int64_t>> counts = {{100, 3}, {~std::uint64_t{0}, 1}};
    store.save_name_counts(counts, 5);
    CHECK(store.name_count_records() == 5);
    CHECK(store.name_count(100) == 3);
    CHECK(store.name_count(~std::uint64_t{0}) == 1);  // all 64 bits survive the signed column
    CHECK(store.name_count(7) == 0);
    CHECK(store.name_count_moments() == std::pair<double, double>{4.0, 10.0});
    store.save_name_counts(std::vector<std::pair<std::uint64_t, std::int64_t>>{{7, 2}}, 2);
    CHECK(store.name_count(100) == 0);
    CHECK(store.name_counts().size() == 1);
}

}  // TEST_SUITE("registry.store")
