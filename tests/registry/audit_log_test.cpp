#include "services/audit_service.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "audit/log_format.hpp"
#include "audit/merkle.hpp"
#include "audit_json.hpp"
#include "qreg/error.hpp"
#include "services/audit_writer.hpp"
#include "services/erase_service.hpp"
#include "storage/audit_store.hpp"
#include "support/naive_merkle.hpp"
#include "support/temp_dir.hpp"

namespace audit = qreg::audit;
namespace reg = qreg::registry;
using qreg::AuditEntry;

namespace {

// A log of `count` entries in a fresh database; entry i concerns persons 100 + i and 7.
struct TestLog {
    qreg::test::TempDir dir;
    std::string db = (dir / "r.db").string();
    reg::AuditSettings settings{dir / "key.pem", dir / "pseudonym.key"};
    reg::Store store{db};
    reg::AuditLog log{store, reg::open_audit_keys(store, settings)};

    explicit TestLog(int count = 5) {
        for (int i = 1; i <= count; ++i) append(entry(i));
    }

    static AuditEntry entry(int i) {
        AuditEntry e;
        e.time = "2026-11-25T10:00:0" + std::to_string(i % 10) + "Z";
        e.actor = {"caseworker-" + std::to_string(i), i % 2 ? "caseworker" : "supervisor",
                   i % 2 ? "ba" : "jobcenter"};
        e.action = i % 3 ? "profile.read" : "search";
        e.persons = {100 + i, 7};
        e.categories = {"identity", "qualifications"};
        e.legal_basis = "consent:" + std::to_string(i);
        e.request_id = "req-" + std::to_string(i);
        e.details_json = R"({"query": "name ~ x", "n": )" + std::to_string(i) + "}";
        return e;
    }

    std::int64_t append(const AuditEntry& e) {
        reg::Store::Transaction tx(store);
        const auto seq = log.append(e);
        tx.commit();
        return seq;
    }

    // Many entries in one transaction, under one head signature.
    void append(const std::vector<AuditEntry>& batch) {
        reg::Store::Transaction tx(store);
        (void)log.append(batch);
        tx.commit();
    }

    reg::AuditVerification verify() const { return log.verify(); }

    // Runs SQL on the file directly, as someone with write access to it would, after dropping
    // the triggers that keep honest code append-only.
    void tamper(const std::string& sql) const {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
        std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
        for (const char* trigger : {"audit_entry_no_update", "audit_entry_no_delete",
                                    "audit_checkpoint_no_update", "audit_checkpoint_no_delete",
                                    "audit_head_no_delete", "audit_entry_person_no_delete",
                                    "audit_entry_person_only_forget", "audit_bucket_no_delete"}) {
            const auto drop = std::string("DROP TRIGGER IF EXISTS ") + trigger;
            REQUIRE(sqlite3_exec(raw, drop.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        }
        char* message = nullptr;
        const int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &message);
        INFO("tamper SQL: " << sql << " -> " << (message ? message : ""));
        sqlite3_free(message);
        REQUIRE(rc == SQLITE_OK);
    }

    // What the file holds now, as an attacker who knows the documented format would compute it.
    std::string leaf_hash_hex_of(const qreg::StoredAuditEntry& e) const {
        return audit::to_hex(audit::leaf_hash(audit::entry_leaf(e)));
    }
};

void check_fails_at_entry(const reg::AuditVerification& v, std::int64_t entry,
                          const std::string& words) {
    CHECK_FALSE(v.ok);
    CHECK(v.first_bad_entry == entry);
    CHECK_MESSAGE(v.problem.find(words) != std::string::npos, v.problem);
}

void check_fails_at_checkpoint(const reg::AuditVerification& v, std::int64_t checkpoint,
                               const std::string& words) {
    CHECK_FALSE(v.ok);
    CHECK(v.bad_checkpoint == checkpoint);
    CHECK_MESSAGE(v.problem.find(words) != std::string::npos, v.problem);
}

std::vector<std::string> stored_leaves(const reg::AuditLog& log, std::int64_t count) {
    std::vector<std::string> out;
    for (std::int64_t seq = 1; seq <= count; ++seq) out.push_back(audit::entry_leaf(*log.entry(seq)));
    return out;
}

}  // namespace

TEST_SUITE("registry.audit_log") {

TEST_CASE("an untouched log verifies with its entry count and the RFC 6962 root") {
    TestLog t(7);
    const auto v = t.verify();
    REQUIRE(v.ok);
    CHECK(v.entries == 7);
    const qreg::test::NaiveMerkle naive{stored_leaves(t.log, 7)};
    CHECK(v.root_hash == naive.mth(0, 7));
    CHECK(t.log.checkpoint("2026-11-25T11:00:00Z").root_hash == naive.mth(0, 7));
    CHECK(t.verify().checkpoints == 1);
}

TEST_CASE("an empty log verifies, and its first checkpoint has the empty tree") {
    TestLog t(0);
    CHECK(t.verify().ok);
    const auto c = t.log.checkpoint("2026-11-25T11:00:00Z");
    CHECK(c.tree_size == 0);
    CHECK(c.root_hash == audit::empty_tree_hash());
    CHECK(t.verify().ok);
}

TEST_CASE("changing any column of an entry is caught, naming the entry") {
    TestLog t;
    t.log.checkpoint("2026-11-25T11:00:00Z");
    for (const std::string column :
         {"time", "actor", "role", "agency", "action", "persons", "categories", "legal_basis",
          "request_id", "outcome", "details"}) {
        SUBCASE(column.c_str()) {
            t.tamper("UPDATE audit_entry SET " + column + " = " + column + " || ' ' WHERE seq = 3");
            check_fails_at_entry(t.verify(), 3, "do not match its leaf hash");
        }
    }
    SUBCASE("leaf_hash") {
        t.tamper("UPDATE audit_entry SET leaf_hash = zeroblob(32) WHERE seq = 3");
        check_fails_at_entry(t.verify(), 3, "do not match its leaf hash");
    }
    SUBCASE("seq") {
        t.tamper("UPDATE audit_entry SET seq = 30 WHERE seq = 3");
        check_fails_at_entry(t.verify(), 3, "entry 3 is missing");
    }
}

TEST_CASE("a changed entry with a recomputed leaf hash is caught by the signed roots") {
    TestLog t;
    t.log.checkpoint("2026-11-25T11:00:00Z");  // covers 1..5
    t.append(TestLog::entry(6));
    auto e = *t.log.entry(4);
    e.outcome = "denied";
    t.tamper("UPDATE audit_entry SET outcome = 'denied', leaf_hash = X'" + t.leaf_hash_hex_of(e) +
             "' WHERE seq = 4");
    const auto v = t.verify();
    check_fails_at_checkpoint(v, 1, "one of entries 1..5");
    CHECK(v.first_bad_entry == 1);

    // After the last checkpoint only the head can tell, and it names the entries since then.
    TestLog u;
    u.log.checkpoint("2026-11-25T11:00:00Z");
    u.append(TestLog::entry(6));
    u.append(TestLog::entry(7));
    auto f = *u.log.entry(7);
    f.actor = "someone-else";
    u.tamper("UPDATE audit_entry SET actor = 'someone-else', leaf_hash = X'" + u.leaf_hash_hex_of(f) +
             "' WHERE seq = 7");
    check_fails_at_entry(u.verify(), 6, "signed head does not match the entries: one of entries 6..7");
}

TEST_CASE("a deleted entry is caught, naming it") {
    TestLog t;
    SUBCASE("in the middle") {
        t.tamper("DELETE FROM audit_entry_person WHERE seq = 2; DELETE FROM audit_entry WHERE seq = 2");
        check_fails_at_entry(t.verify(), 2, "entry 2 is missing (the next stored entry is 3)");
    }
    SUBCASE("the last") {
        t.tamper("DELETE FROM audit_entry_person WHERE seq = 5; DELETE FROM audit_entry WHERE seq = 5");
        check_fails_at_entry(t.verify(), 5, "entry 5 is missing: the signed head covers 5 entries");
    }
    SUBCASE("the entry only, leaving its person rows") {
        t.tamper("DELETE FROM audit_entry WHERE seq = 5");
        check_fails_at_entry(t.verify(), 5, "entry 5 is missing");
    }
}

TEST_CASE("two swapped entries are caught, naming the first") {
    TestLog t;
    t.tamper(R"sql(
        UPDATE audit_entry SET seq = -2 WHERE seq = 2;
        UPDATE audit_entry SET seq = 2 WHERE seq = 4;
        UPDATE audit_entry SET seq = 4 WHERE seq = -2;
        UPDATE audit_entry_person SET seq = -2 WHERE seq = 2;
        UPDATE audit_entry_person SET seq = 2 WHERE seq = 4;
        UPDATE audit_entry_person SET seq = 4 WHERE seq = -2;)sql");
    check_fails_at_entry(t.verify(), 2, "moved from another position");
}

TEST_CASE("an entry appended without the tree is caught, naming it") {
    TestLog t;
    qreg::StoredAuditEntry forged = *t.log.entry(5);
    forged.seq = 6;
    forged.persons_json = "[]";
    forged.outcome = "ok";
    t.tamper("INSERT INTO audit_entry SELECT 6, time, actor, role, agency, action, '[]', categories,"
             " legal_basis, request_id, outcome, details, X'" + t.leaf_hash_hex_of(forged) +
             "' FROM audit_entry WHERE seq = 5");
    check_fails_at_entry(t.verify(), 6, "not covered by the signed head");
    // and the log refuses to grow past it
    CHECK_THROWS_WITH_AS(t.append(TestLog::entry(6)), doctest::Contains("audit entry 6 exists already"),
                         qreg::Error);
}

TEST_CASE("an entry inserted in the middle, with every leaf hash recomputed, is caught") {
    TestLog t(4);
    t.log.checkpoint("2026-11-25T11:00:00Z");  // covers 1..4
    t.append(TestLog::entry(5));
    t.append(TestLog::entry(6));
    // Move 5..6 up one and put a forged entry at 5, all with correct leaf hashes; the head's
    // signature cannot be redone without the key.
    std::string sql;
    for (int seq = 6; seq >= 5; --seq) {
        auto e = *t.log.entry(seq);
        e.seq = seq + 1;
        sql += "UPDATE audit_entry SET seq = " + std::to_string(seq + 1) + ", leaf_hash = X'" +
               t.leaf_hash_hex_of(e) + "' WHERE seq = " + std::to_string(seq) + ";" +
               "UPDATE audit_entry_person SET seq = " + std::to_string(seq + 1) +
               " WHERE seq = " + std::to_string(seq) + ";";
    }
    auto forged = *t.log.entry(4);
    forged.seq = 5;
    forged.persons_json = "[]";
    sql += "INSERT INTO audit_entry SELECT 5, time, actor, role, agency, action, '[]', categories, "
           "legal_basis, request_id, outcome, details, X'" + t.leaf_hash_hex_of(forged) +
           "' FROM audit_entry WHERE seq = 4;";
    t.tamper(sql);
    const auto v = t.verify();
    CHECK_FALSE(v.ok);
    CHECK(v.first_bad_entry == 5);
}

TEST_CASE("changing any column of a checkpoint is caught, naming the checkpoint") {
    TestLog t;
    t.log.checkpoint("2026-11-25T11:00:00Z");
    t.append(TestLog::entry(6));
    t.log.checkpoint("2026-11-25T12:00:00Z");
    for (const auto& [column, value, words] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"tree_size", "4", "signature does not verify"},
             {"root_hash", "zeroblob(32)", "signature does not verify"},
             {"root_hash", "CAST(root_hash || X'00' AS BLOB)", "signature does not verify"},
             {"time", "'2026-11-25T11:30:00Z'", "signature does not verify"},
             {"key_id", "'0000000000000000'", "not the configured key"},
             {"signature", "zeroblob(64)", "signature does not verify"},
             {"number", "7", "checkpoint 1 is missing"}}) {
        SUBCASE((column + " = " + value).c_str()) {
            t.tamper("UPDATE audit_checkpoint SET " + column + " = " + value + " WHERE number = 1");
            check_fails_at_checkpoint(t.verify(), 1, words);
        }
    }
    SUBCASE("the latest checkpoint removed") {
        t.tamper("DELETE FROM audit_checkpoint WHERE number = 2");
        check_fails_at_checkpoint(t.verify(), 2, "a checkpoint was removed");
    }
    SUBCASE("a checkpoint copied in twice") {
        t.tamper("INSERT INTO audit_checkpoint SELECT 3, tree_size, root_hash, time, key_id, "
                 "signature FROM audit_checkpoint WHERE number = 2");
        check_fails_at_checkpoint(t.verify(), 3, "signature does not verify");
    }
}

TEST_CASE("changing any column of the signed head is caught") {
    TestLog t;
    t.log.checkpoint("2026-11-25T11:00:00Z");
    for (const auto& [column, value] : std::vector<std::pair<std::string, std::string>>{
             {"tree_size", "4"},
             {"root_hash", "zeroblob(32)"},
             {"frontier", "CAST(frontier || X'00' AS BLOB)"},
             {"frontier", "zeroblob(64)"},
             {"checkpoints", "0"},
             {"time", "'2000-01-01T00:00:00Z'"},
             {"key_id", "'0000000000000000'"},
             {"signature", "zeroblob(64)"}}) {
        SUBCASE((column + " = " + value).c_str()) {
            t.tamper("UPDATE audit_head SET " + column + " = " + value);
            const auto v = t.verify();
            CHECK_FALSE(v.ok);
            CHECK_MESSAGE((v.problem.find("head") != std::string::npos), v.problem);
            CHECK_THROWS_AS(t.append(TestLog::entry(6)), qreg::Error);
        }
    }
    SUBCASE("the head removed") {
        t.tamper("DELETE FROM audit_head");
        CHECK_FALSE(t.verify().ok);
    }
}

TEST_CASE("the person index is covered: its rows match the entry's pseudonyms and the HMAC") {
    TestLog t;
    const auto pseudonym = t.log.pseudonym(103);
    SUBCASE("a plain id changed") {
        t.tamper("UPDATE audit_entry_person SET person_id = 999 WHERE seq = 3 AND person_id = 103");
        check_fails_at_entry(t.verify(), 3, "does not match its pseudonym");
    }
    SUBCASE("a plain id removed without an erasure") {
        t.tamper("UPDATE audit_entry_person SET person_id = NULL WHERE seq = 3 AND person_id = 103");
        check_fails_at_entry(t.verify(), 3, "removed without an erasure entry");
    }
    SUBCASE("a pseudonym changed") {
        t.tamper("UPDATE audit_entry_person SET pseudonym = 'ab' WHERE seq = 3 AND person_id = 103");
        check_fails_at_entry(t.verify(), 3, "person index does not match");
    }
    SUBCASE("a row deleted") {
        t.tamper("DELETE FROM audit_entry_person WHERE seq = 3 AND person_id = 103");
        check_fails_at_entry(t.verify(), 3, "person index does not match");
    }
    SUBCASE("a row added to an entry") {
        t.tamper("INSERT INTO audit_entry_person VALUES (3, '" + t.log.pseudonym(42) + "', 42)");
        check_fails_at_entry(t.verify(), 3, "person index does not match");
    }
    SUBCASE("a row naming no entry") {
        t.tamper("INSERT INTO audit_entry_person VALUES (99, '" + pseudonym + "', 103)");
        check_fails_at_entry(t.verify(), 99, "names entry 99, which does not exist");
    }
}

TEST_CASE("the bucket summaries are covered: each must be the one its entries make") {
    // Two buckets: entries 1..4095 and 4096..4100.
    TestLog t(0);
    std::vector<AuditEntry> batch;
    for (int i = 1; i <= 4100; ++i) batch.push_back(TestLog::entry(i % 9 + 1));
    t.append(batch);
    REQUIRE(t.verify().ok);
    SUBCASE("an actor taken out: the entries of that actor would not be found") {
        t.tamper(R"(UPDATE audit_bucket SET actors = '["caseworker-1"]' WHERE bucket = 1)");
        check_fails_at_entry(t.verify(), 4096, "audit bucket 1");
    }
    SUBCASE("an action added") {
        t.tamper(R"(UPDATE audit_bucket SET actions = json_insert(actions, '$[#]', 'erase') WHERE bucket = 0)");
        check_fails_at_entry(t.verify(), 1, "audit bucket 0");
    }
    SUBCASE("the time span narrowed") {
        t.tamper("UPDATE audit_bucket SET last_time = '2026-11-25T10:00:01Z' WHERE bucket = 0");
        check_fails_at_entry(t.verify(), 1, "does not match its entries");
    }
    SUBCASE("not JSON") {
        t.tamper("UPDATE audit_bucket SET agencies = 'ba' WHERE bucket = 1");
        check_fails_at_entry(t.verify(), 4096, "does not match its entries");
    }
    SUBCASE("a bucket removed") {
        t.tamper("DELETE FROM audit_bucket WHERE bucket = 1");
        check_fails_at_entry(t.verify(), 4096, "was removed");
    }
    SUBCASE("a bucket without entries added") {
        t.tamper(R"(INSERT INTO audit_bucket VALUES (7, 't', 't', '["x"]', '["x"]', '["x"]'))");
        check_fails_at_entry(t.verify(), 7 * 4096, "which do not exist");
    }
}

TEST_CASE("schemas 11 and 12 build the bucket summaries of an older log and drop its field indexes") {
    TestLog t(0);
    std::vector<AuditEntry> batch;
    for (int i = 1; i <= 5000; ++i) batch.push_back(TestLog::entry(i % 9 + 1));
    t.append(batch);
    const auto buckets = [](reg::Store& store) {
        const reg::AuditStore tables(store);
        return std::vector{tables.bucket(0), tables.bucket(1), tables.bucket(2)};
    };
    const auto before = buckets(t.store);
    REQUIRE(before[1].has_value());
    REQUIRE_FALSE(before[2].has_value());
    // The log as schema 10 kept it.
    t.tamper(R"sql(
        DROP TABLE audit_bucket;
        DROP INDEX audit_entry_erase;
        CREATE INDEX audit_entry_time ON audit_entry (time);
        CREATE INDEX audit_entry_actor ON audit_entry (actor);
        CREATE INDEX audit_entry_agency ON audit_entry (agency);
        CREATE INDEX audit_entry_action ON audit_entry (action);
        CREATE TABLE match_key (key INTEGER, refine INTEGER, record INTEGER,
                                PRIMARY KEY (key, refine, record)) WITHOUT ROWID;
        PRAGMA user_version = 10;)sql");
    reg::Store upgraded(t.db);
    CHECK(upgraded.schema_version() == reg::Store::latest_schema_version);
    CHECK(buckets(upgraded) == before);
    reg::AuditLog log(upgraded, reg::open_audit_keys(upgraded, t.settings));
    CHECK(log.verify().ok);
    qreg::AuditFilter f;
    f.actor = "caseworker-3";
    CHECK(log.entries(f, {0, 10000}).entries.size() == 556);  // i % 9 == 2, i = 2 .. 4997
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(t.db.c_str(), &raw) == SQLITE_OK);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN "
                                    "('audit_entry_time', 'audit_entry_actor', 'audit_entry_agency', "
                                    "'audit_entry_action')",
                               -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    CHECK(sqlite3_column_int(stmt, 0) == 0);
    sqlite3_finalize(stmt);
}

TEST_CASE("entries are found by actor, agency, action and time in every bucket, a page at a time") {
    // 10,000 entries in three buckets; the rare actor's entries sit at bucket edges.
    TestLog t(0);
    std::vector<AuditEntry> batch;
    const std::vector<std::int64_t> rare = {1, 4095, 4096, 8191, 8192, 10000};
    for (std::int64_t seq = 1; seq <= 10000; ++seq) {
        auto e = TestLog::entry(2);  // caseworker-2, jobcenter, profile.read
        e.time = seq < 5000 ? "2026-11-25T10:00:00Z" : "2026-11-25T11:00:00Z";
        if (std::find(rare.begin(), rare.end(), seq) != rare.end()) {
            e.actor = {"rare", "caseworker", "bamf"};
            e.action = "share.push";
        }
        if (seq == 6000) e.time = "2026-11-25T10:30:00Z";
        batch.push_back(std::move(e));
    }
    t.append(batch);
    const auto all = [&](const qreg::AuditFilter& f, std::int64_t limit) {
        std::vector<std::int64_t> found;
        std::int64_t after = 0;
        do {
            const auto page = t.log.entries(f, {after, limit});
            for (const auto& e : page.entries) found.push_back(e.seq);
            after = page.next_after_seq;
        } while (after != 0);
        return found;
    };
    qreg::AuditFilter f;
    f.actor = "rare";
    CHECK(all(f, 2) == rare);
    f = {};
    f.agency = "bamf";
    CHECK(all(f, 4) == rare);
    f.action = "share.push";
    f.from = "2026-11-25T11:00:00Z";
    CHECK(all(f, 1) == std::vector<std::int64_t>{8191, 8192, 10000});
    f = {};
    f.from = "2026-11-25T10:15:00Z";
    f.to = "2026-11-25T10:45:00Z";
    CHECK(all(f, 3) == std::vector<std::int64_t>{6000});
    f = {};
    f.actor = "nobody";
    CHECK(all(f, 5).empty());
    CHECK(all({}, 1000).size() == 10000);
    CHECK(t.verify().ok);
}

TEST_CASE("the triggers keep audit rows append-only for code that goes through SQLite") {
    TestLog t;
    t.log.checkpoint("2026-11-25T11:00:00Z");
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(t.db.c_str(), &raw) == SQLITE_OK);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
    for (const char* sql : {"UPDATE audit_entry SET outcome = 'x'", "DELETE FROM audit_entry",
                            "DELETE FROM audit_checkpoint", "DELETE FROM audit_head",
                            "DELETE FROM audit_entry_person",
                            "UPDATE audit_entry_person SET person_id = 5"}) {
        CHECK_MESSAGE(sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) == SQLITE_CONSTRAINT, sql);
    }
    CHECK(t.verify().ok);
}

TEST_CASE("appending needs the caller's transaction, and rolls back with it") {
    TestLog t(2);
    CHECK_THROWS_WITH_AS(t.log.append(TestLog::entry(3)), doctest::Contains("inside the transaction"),
                         qreg::Error);
    {
        reg::Store::Transaction tx(t.store);
        CHECK(t.log.append(TestLog::entry(3)) == 3);
    }  // no commit
    CHECK(t.verify().entries == 2);
    CHECK(t.append(TestLog::entry(3)) == 3);
    auto bad = TestLog::entry(4);
    bad.details_json = "[1]";
    CHECK_THROWS_WITH_AS(t.append(bad), doctest::Contains("details must be a JSON object"), qreg::Error);
    bad = TestLog::entry(4);
    bad.action.clear();
    CHECK_THROWS_AS(t.append(bad), qreg::Error);
    CHECK(t.verify().ok);
}

TEST_CASE("reads in a snapshot do not see what another connection appends meanwhile") {
    TestLog t(3);
    const reg::AuditStore tables(t.store);
    {
        const reg::AuditStore::ReadSnapshot snapshot(tables);
        REQUIRE(tables.head().has_value());
        reg::Store other(t.db);
        reg::AuditLog other_log(other, reg::load_audit_keys(t.settings));
        reg::Store::Transaction tx(other);
        CHECK(other_log.append(TestLog::entry(4)) == 4);
        tx.commit();
        CHECK(tables.entry_count() == 3);
        CHECK(tables.head()->tree_size == 3);
    }
    CHECK(tables.entry_count() == 4);
    CHECK(t.verify().entries == 4);
}

TEST_CASE("a bulk load without the lookup indexes finds the same entries once they are rebuilt") {
    TestLog t(0);
    reg::AuditStore tables(t.store);
    tables.drop_secondary_indexes();
    for (int i = 1; i <= 6; ++i) t.append(TestLog::entry(i));
    {
        reg::Store::Transaction tx(t.store);
        tables.create_secondary_indexes();
        tx.commit();
    }
    qreg::AuditFilter f;
    f.person_id = 104;
    CHECK(t.log.entries(f, {}).entries.at(0).seq == 4);
    CHECK(t.verify().ok);
}

TEST_CASE("many entries under one head signature verify like single appends") {
    TestLog t(0);
    std::vector<AuditEntry> batch;
    for (int i = 1; i <= 300; ++i) batch.push_back(TestLog::entry(i));
    {
        reg::Store::Transaction tx(t.store);
        CHECK(t.log.append(batch) == 300);
        tx.commit();
    }
    const auto v = t.verify();
    REQUIRE(v.ok);
    CHECK(v.root_hash == qreg::test::NaiveMerkle{stored_leaves(t.log, 300)}.mth(0, 300));
}

TEST_CASE("keys are made on first use with mode 0600, and never replaced under a live log") {
    TestLog t(1);
    struct stat st {};
    REQUIRE(::stat(t.settings.signing_key_file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat(t.settings.pseudonym_key_file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    std::filesystem::remove(t.settings.signing_key_file);
    CHECK_THROWS_WITH_AS((void)reg::open_audit_keys(t.store, t.settings),
                         doctest::Contains("key.pem is missing but the audit log has entries"),
                         qreg::Error);
}

TEST_CASE("a log under another signing key neither verifies nor grows") {
    TestLog t(3);
    t.log.checkpoint("2026-11-25T11:00:00Z");
    auto keys = reg::load_audit_keys(t.settings);
    keys.signing = audit::SigningKey::generate();
    reg::AuditLog other(t.store, keys);
    const auto v = other.verify();
    check_fails_at_checkpoint(v, 1, "not the configured key");
    reg::Store::Transaction tx(t.store);
    CHECK_THROWS_WITH_AS(other.append(TestLog::entry(4)), doctest::Contains("does not verify under"),
                         qreg::Error);
}

TEST_CASE("inclusion proofs equal an independent computation and check against checkpoints") {
    TestLog t(13);
    const auto c13 = t.log.checkpoint("2026-11-25T11:00:00Z");
    const qreg::test::NaiveMerkle naive{stored_leaves(t.log, 13)};
    for (std::int64_t size = 1; size <= 13; ++size) {
        for (std::int64_t entry = 1; entry <= size; ++entry) {
            INFO("entry " << entry << " of " << size);
            const auto p = t.log.inclusion_proof(entry, size);
            CHECK(p.leaf == naive.data[static_cast<std::size_t>(entry - 1)]);
            CHECK(p.leaf_hash == naive.leaf(static_cast<std::size_t>(entry - 1)));
            CHECK(p.path == naive.path(static_cast<std::size_t>(entry - 1), 0, static_cast<std::size_t>(size)));
            CHECK(audit::verify_inclusion(static_cast<std::uint64_t>(entry - 1),
                                          static_cast<std::uint64_t>(size), p.leaf_hash, p.path,
                                          naive.mth(0, static_cast<std::size_t>(size))));
            CHECK(p.checkpoint.has_value() == (size == 13));
        }
    }
    const auto proof = t.log.inclusion_proof(5);  // the latest checkpoint's size by default
    CHECK(proof.tree_size == 13);
    const auto kept = reg::to_json(c13);
    const auto json = reg::to_json(proof);
    const auto ok = reg::check_proof(json, kept);
    CHECK_MESSAGE(ok.ok, ok.message);
    CHECK(reg::check_proof(json, kept, t.log.public_key()).ok);
    CHECK_FALSE(reg::check_proof(json, kept, audit::SigningKey::generate().public_key()).ok);

    SUBCASE("a proof for another tree size is refused with a hint") {
        const auto r = reg::check_proof(reg::to_json(t.log.inclusion_proof(5, 12)), kept);
        CHECK_FALSE(r.ok);
        CHECK(r.message.find("--size 13") != std::string::npos);
    }
    SUBCASE("an altered proof does not hold") {
        auto bad = proof;
        bad.path[1][0] ^= 1;
        CHECK_FALSE(reg::check_proof(reg::to_json(bad), kept).ok);
        bad = proof;
        bad.fields.outcome = "denied";  // the readable fields must make the leaf
        CHECK_FALSE(reg::check_proof(reg::to_json(bad), kept).ok);
        bad = proof;
        bad.entry = 6;
        bad.fields.seq = 6;
        bad.leaf = audit::entry_leaf(bad.fields);
        bad.leaf_hash = audit::leaf_hash(bad.leaf);
        CHECK_FALSE(reg::check_proof(reg::to_json(bad), kept).ok);
    }
    SUBCASE("an altered checkpoint does not hold") {
        auto forged = c13;
        forged.root_hash[0] ^= 1;
        const auto r = reg::check_proof(json, reg::to_json(forged));
        CHECK_FALSE(r.ok);
        CHECK(r.message.find("signature does not verify") != std::string::npos);
    }
    SUBCASE("malformed JSON is a failed check") {
        CHECK_FALSE(reg::check_proof("{", kept).ok);
        CHECK_FALSE(reg::check_proof(json, "[]").ok);
        CHECK(reg::check_proof(R"({"type":"x"})", kept).message.find("type") != std::string::npos);
    }
    CHECK_THROWS_AS((void)t.log.inclusion_proof(14, 13), qreg::Error);
    CHECK_THROWS_AS((void)t.log.inclusion_proof(1, 14), qreg::Error);
    CHECK_THROWS_AS((void)t.log.inclusion_proof(0, 13), qreg::Error);
}

TEST_CASE("consistency proofs equal an independent computation and a kept checkpoint proves history") {
    TestLog t(6);
    const auto kept = t.log.checkpoint("2026-11-25T11:00:00Z");
    for (int i = 7; i <= 17; ++i) t.append(TestLog::entry(i));
    const auto newer = t.log.checkpoint("2026-11-25T12:00:00Z");
    const qreg::test::NaiveMerkle naive{stored_leaves(t.log, 17)};
    for (std::int64_t m = 1; m <= 17; ++m) {
        for (std::int64_t n = m; n <= 17; ++n) {
            INFO(m << " -> " << n);
            const auto p = t.log.consistency_proof(m, n);
            CHECK(p.path == naive.subproof(static_cast<std::size_t>(m), 0, static_cast<std::size_t>(n), true));
        }
    }
    const auto proof = t.log.consistency_proof(6);
    CHECK(proof.second == 17);
    REQUIRE(proof.second_checkpoint.has_value());
    CHECK(proof.second_checkpoint->number == newer.number);
    const auto r = reg::check_proof(reg::to_json(proof), reg::to_json(kept));
    CHECK_MESSAGE(r.ok, r.message);

    SUBCASE("a rewritten history does not extend the kept checkpoint") {
        auto forged = proof;
        forged.path[0][3] ^= 1;
        CHECK_FALSE(reg::check_proof(reg::to_json(forged), reg::to_json(kept)).ok);
    }
    SUBCASE("the newer tree must come with its signed checkpoint") {
        const auto unsigned_proof = t.log.consistency_proof(6, 16);
        const auto u = reg::check_proof(reg::to_json(unsigned_proof), reg::to_json(kept));
        CHECK_FALSE(u.ok);
        CHECK(u.message.find("no signed checkpoint of 16 entries") != std::string::npos);
    }
    SUBCASE("the proof must start at the kept checkpoint's size") {
        const auto other = reg::check_proof(reg::to_json(t.log.consistency_proof(5)), reg::to_json(kept));
        CHECK_FALSE(other.ok);
        CHECK(other.message.find("--from 6") != std::string::npos);
    }
    CHECK_THROWS_AS((void)t.log.consistency_proof(0, 5), qreg::Error);
    CHECK_THROWS_AS((void)t.log.consistency_proof(6, 18), qreg::Error);
}

TEST_CASE("proofs and checkpoints go through JSON unchanged") {
    TestLog t(5);
    const auto c = t.log.checkpoint("2026-11-25T11:00:00Z");
    const auto back = reg::checkpoint_from_json(reg::to_json(c));
    CHECK(back.number == c.number);
    CHECK(back.tree_size == c.tree_size);
    CHECK(back.root_hash == c.root_hash);
    CHECK(back.signature == c.signature);
    CHECK(back.public_key == t.log.public_key());
    const auto p = t.log.inclusion_proof(2);
    const auto parsed = std::get<reg::InclusionProof>(reg::proof_from_json(reg::to_json(p)));
    CHECK(parsed.leaf == p.leaf);
    CHECK(audit::entry_leaf(parsed.fields) == p.leaf);
    CHECK(parsed.path == p.path);
    CHECK_THROWS_WITH_AS((void)reg::checkpoint_from_json(R"({"number":1})"),
                         doctest::Contains("checkpoint: tree_size is missing"), qreg::Error);
}

TEST_CASE("entries are found by person, actor, agency, action and time, a page at a time") {
    TestLog t(9);
    const auto by = [&](const qreg::AuditFilter& f, std::int64_t limit = 100, std::int64_t after = 0) {
        std::vector<std::int64_t> seqs;
        for (const auto& e : t.log.entries(f, {after, limit}).entries) seqs.push_back(e.seq);
        return seqs;
    };
    qreg::AuditFilter f;
    f.person_id = 104;
    CHECK(by(f) == std::vector<std::int64_t>{4});
    f.person_id = 7;
    CHECK(by(f).size() == 9);
    CHECK(by(f, 4) == std::vector<std::int64_t>{1, 2, 3, 4});
    CHECK(by(f, 4, 4) == std::vector<std::int64_t>{5, 6, 7, 8});
    CHECK(t.log.entries(f, {8, 4}).next_after_seq == 0);
    CHECK(t.log.entries(f, {0, 4}).next_after_seq == 4);
    f = {};
    f.actor = "caseworker-2";
    CHECK(by(f) == std::vector<std::int64_t>{2});
    f = {};
    f.agency = "jobcenter";
    CHECK(by(f) == std::vector<std::int64_t>{2, 4, 6, 8});
    f.action = "search";
    CHECK(by(f) == std::vector<std::int64_t>{6});
    f = {};
    f.from = "2026-11-25T10:00:03Z";
    f.to = "2026-11-25T10:00:05Z";
    CHECK(by(f) == std::vector<std::int64_t>{3, 4});
    const auto e = t.log.entries({}, {2, 1}).entries.at(0);
    CHECK(e.persons.size() == 2);
    for (const auto& p : e.persons) {
        REQUIRE(p.person_id.has_value());
        CHECK(p.pseudonym == t.log.pseudonym(*p.person_id));
    }
}

TEST_CASE("a person is found in every part of a long log, and erasure reaches every part") {
    // The person index is kept in buckets of 4,096 entries (schema 10): entries of person 55
    // in the first, middle and last buckets, and at bucket edges, are all found, in order.
    TestLog t(0);
    std::vector<std::int64_t> expected;
    std::vector<AuditEntry> batch;
    for (std::int64_t seq = 1; seq <= 20000; ++seq) {
        auto e = TestLog::entry(static_cast<int>(seq % 9) + 1);
        e.persons = {1000 + seq};
        if (seq % 997 == 0 || seq == 1 || seq == 4095 || seq == 4096 || seq == 4097 || seq == 20000) {
            e.persons.push_back(55);
            expected.push_back(seq);
        }
        batch.push_back(std::move(e));
    }
    t.append(batch);
    qreg::AuditFilter f;
    f.person_id = 55;
    std::vector<std::int64_t> found;
    std::int64_t after = 0;
    do {
        const auto page = t.log.entries(f, {after, 7});
        for (const auto& e : page.entries) found.push_back(e.seq);
        after = page.next_after_seq;
    } while (after != 0);
    CHECK(found == expected);

    const reg::AuditContext who{{"dpo", "data-protection-officer", ""}, "req-erase"};
    const auto report = reg::erase_person(t.store, t.log, 55, who, "GDPR Art. 17", "2026-11-25T12:00:00Z");
    CHECK(report.audit_rows_cleared == static_cast<std::int64_t>(expected.size()));
    CHECK(t.verify().ok);
}

TEST_CASE("erasure pseudonymises the person's audit rows and the log still verifies") {
    TestLog t(6);
    t.log.checkpoint("2026-11-25T11:00:00Z");
    const reg::AuditContext who{{"dpo", "data-protection-officer", ""}, "req-erase"};
    const auto report = reg::erase_person(t.store, t.log, 7, who, "GDPR Art. 17", "2026-11-25T12:00:00Z");
    CHECK(report.records == 0);  // no records in this database; the audit rows are enough
    CHECK(report.audit_rows_cleared == 6);
    CHECK(report.pseudonym == t.log.pseudonym(7));
    CHECK(report.audit_entry == 7);

    const auto v = t.verify();
    CHECK_MESSAGE(v.ok, v.problem);
    CHECK(v.entries == 7);

    qreg::AuditFilter f;
    f.person_id = 7;
    const auto found = t.log.entries(f, {});
    REQUIRE(found.entries.size() == 7);  // still found by the keyed pseudonym
    for (const auto& e : found.entries) {
        for (const auto& p : e.persons) {
            if (p.pseudonym == report.pseudonym) CHECK_FALSE(p.person_id.has_value());
        }
    }
    const auto erase = found.entries.back();
    CHECK(erase.action == "erase");
    CHECK(erase.actor == "dpo");
    CHECK(erase.legal_basis == "GDPR Art. 17");

    // the plain id is nowhere in the audit tables any more
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(t.db.c_str(), &raw) == SQLITE_OK);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "SELECT count(*) FROM audit_entry_person WHERE person_id = 7",
                               -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    CHECK(sqlite3_column_int(stmt, 0) == 0);
    sqlite3_finalize(stmt);

    // and a proof made before the erasure still checks against the checkpoint kept then
    const auto c = t.log.checkpoint("2026-11-25T13:00:00Z");
    const auto r = reg::check_proof(reg::to_json(t.log.inclusion_proof(3)), reg::to_json(c));
    CHECK_MESSAGE(r.ok, r.message);
    CHECK_THROWS_WITH_AS(
        (void)reg::erase_person(t.store, t.log, 424242, who, "GDPR Art. 17", "2026-11-25T12:00:00Z"),
        doctest::Contains("nothing was erased"), qreg::Error);
    CHECK(t.verify().entries == 7);  // the failed erasure logged nothing
}


namespace {

std::set<std::string> request_ids(const reg::AuditLog& log) {
    std::set<std::string> out;
    for (std::int64_t seq = 1; seq <= log.size(); ++seq) out.insert(log.entry(seq)->request_id);
    return out;
}

std::string file_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

// Appends `per_thread` entries from each of `threads` threads at once (request ids `wT-I`),
// each thread flushing after every `flush_every` of its entries (0: never); returns their
// request ids.
std::set<std::string> append_from_threads(reg::AuditWriter& writer, int threads, int per_thread,
                                          int flush_every = 0) {
    std::set<std::string> ids;
    std::vector<std::thread> workers;
    for (int w = 0; w < threads; ++w) {
        workers.emplace_back([&writer, w, per_thread, flush_every] {
            for (int i = 0; i < per_thread; ++i) {
                auto e = TestLog::entry(i + 1);
                e.request_id = fmt::format("w{}-{}", w, i);
                writer.append(std::move(e));
                if (flush_every > 0 && (i + 1) % flush_every == 0) writer.flush();
            }
        });
        for (int i = 0; i < per_thread; ++i) ids.insert(fmt::format("w{}-{}", w, i));
    }
    for (auto& w : workers) w.join();
    return ids;
}

}  // namespace

TEST_CASE("spooled read entries reach the log on flush, every one once, and the log verifies") {
    TestLog t(5);
    constexpr int threads = 8;
    constexpr int per_thread = 50;
    std::set<std::string> expected = request_ids(t.log);
    reg::AuditWriter writer(t.db, reg::load_audit_keys(t.settings), {std::chrono::hours(1), 100000});
    expected.merge(append_from_threads(writer, threads, per_thread));
    // Spooled, acknowledged, not yet folded (the interval is an hour): on disk beside the log.
    CHECK(t.log.size() == 5);
    const auto spool = reg::AuditWriter::spool_path(t.db);
    const auto spooled = file_text(spool);
    CHECK(std::count(spooled.begin(), spooled.end(), '\n') == threads * per_thread);
    CHECK((std::filesystem::status(spool).permissions() & std::filesystem::perms::others_read) ==
          std::filesystem::perms::none);
    writer.flush();
    CHECK(writer.folds() == 1);
    CHECK(request_ids(t.log) == expected);
    CHECK(file_text(spool).empty());
    const auto v = t.verify();
    CHECK(v.ok);
    CHECK(v.entries == 5 + threads * per_thread);
}

TEST_CASE("appends go on while the spool rotates: every entry in the log once") {
    TestLog t(1);
    constexpr int threads = 4;
    constexpr int per_thread = 300;
    std::set<std::string> expected = request_ids(t.log);
    // Folds every millisecond, every 16 entries and on each thread's flush after 50 of its
    // entries: many rotations while the other threads append.
    reg::AuditWriter writer(t.db, reg::load_audit_keys(t.settings), {std::chrono::milliseconds(1), 16});
    expected.merge(append_from_threads(writer, threads, per_thread, 50));
    writer.flush();
    CHECK(writer.folds() >= per_thread / 50);
    CHECK(t.log.size() == 1 + threads * per_thread);
    CHECK(request_ids(t.log) == expected);
    CHECK(t.verify().ok);
    const auto spool = reg::AuditWriter::spool_path(t.db);
    CHECK(file_text(spool).empty());
    CHECK_FALSE(std::filesystem::exists(spool.string() + ".next"));
    CHECK_FALSE(std::filesystem::exists(spool.string() + ".folding"));
}

TEST_CASE("entries fold by themselves after the interval, and when the writer stops") {
    TestLog t(2);
    {
        reg::AuditWriter writer(t.db, reg::load_audit_keys(t.settings), {std::chrono::milliseconds(20)});
        writer.append(TestLog::entry(3));
        for (int i = 0; i < 200 && t.log.size() < 3; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        CHECK(t.log.size() == 3);
        writer.append(TestLog::entry(4));
    }
    CHECK(t.log.size() == 4);
    CHECK(t.verify().ok);
}

TEST_CASE("a spool left by a crash is folded on start: torn last line skipped, a folded batch not twice") {
    TestLog t(2);
    const auto spool = reg::AuditWriter::spool_path(t.db);
    const auto keys = reg::load_audit_keys(t.settings);
    SUBCASE("entries not yet folded") {
        write_file(spool, reg::to_spool_line(TestLog::entry(3)) + reg::to_spool_line(TestLog::entry(4)) +
                              R"({"time":"2026-11-25T10:00:05Z","principal":"x)");
        reg::AuditWriter writer(t.db, keys);
        CHECK(writer.folds() == 1);
        CHECK(t.log.size() == 4);
        CHECK(t.log.entry(4)->request_id == "req-4");
    }
    const std::filesystem::path folding = spool.string() + ".folding";
    SUBCASE("a batch folded before the crash, its file not yet removed; the spool after it") {
        write_file(folding, reg::to_spool_line(TestLog::entry(1)) + reg::to_spool_line(TestLog::entry(2)));
        write_file(spool, reg::to_spool_line(TestLog::entry(3)));
        reg::AuditWriter writer(t.db, keys);
        CHECK(writer.folds() == 1);
        CHECK(t.log.size() == 3);
        CHECK_FALSE(std::filesystem::exists(folding));
    }
    SUBCASE("a batch being folded when the server stopped, and the spool after it") {
        write_file(folding, reg::to_spool_line(TestLog::entry(3)));
        write_file(spool, reg::to_spool_line(TestLog::entry(4)));
        reg::AuditWriter writer(t.db, keys);
        CHECK(writer.folds() == 2);
        REQUIRE(t.log.size() == 4);
        CHECK(t.log.entry(3)->request_id == "req-3");
        CHECK(t.log.entry(4)->request_id == "req-4");
    }
    const std::filesystem::path next = spool.string() + ".next";
    SUBCASE("stopped in a rotation, before the spool was renamed: the spool, then the next one") {
        write_file(spool, reg::to_spool_line(TestLog::entry(3)));
        write_file(next, reg::to_spool_line(TestLog::entry(4)));
        reg::AuditWriter writer(t.db, keys);
        CHECK(writer.folds() == 2);
        REQUIRE(t.log.size() == 4);
        CHECK(t.log.entry(3)->request_id == "req-3");
        CHECK(t.log.entry(4)->request_id == "req-4");
        CHECK_FALSE(std::filesystem::exists(next));
    }
    SUBCASE("stopped in a rotation, after the spool was renamed: the folding file, then the next one") {
        write_file(folding, reg::to_spool_line(TestLog::entry(3)));
        write_file(next, reg::to_spool_line(TestLog::entry(4)));
        CHECK(reg::AuditWriter::spooled(t.db).entries == 2);
        reg::AuditWriter writer(t.db, keys);
        REQUIRE(t.log.size() == 4);
        CHECK(t.log.entry(3)->request_id == "req-3");
        CHECK(t.log.entry(4)->request_id == "req-4");
        CHECK_FALSE(std::filesystem::exists(folding));
        CHECK_FALSE(std::filesystem::exists(next));
    }
    SUBCASE("a malformed line stops the start, naming the file and line, and keeps the spool") {
        write_file(spool, reg::to_spool_line(TestLog::entry(3)) + "{\"time\": 1}\n");
        CHECK_THROWS_WITH_AS(reg::AuditWriter(t.db, keys), doctest::Contains("-audit-spool line 2"),
                             qreg::Error);
        CHECK_FALSE(file_text(spool).empty());
        CHECK(t.log.size() == 2);
    }
    CHECK(t.verify().ok);
}

TEST_CASE("one writer per database: a second one is refused while the first holds the spool") {
    TestLog t(1);
    reg::AuditWriter first(t.db, reg::load_audit_keys(t.settings));
    CHECK_THROWS_WITH_AS(reg::AuditWriter(t.db, reg::load_audit_keys(t.settings)),
                         doctest::Contains("holds the audit spool"), qreg::Error);
}

TEST_CASE("a fold that fails keeps the entries spooled until it succeeds") {
    TestLog t(3);
    reg::AuditWriter writer(t.db, reg::load_audit_keys(t.settings), {std::chrono::hours(1)});
    writer.append(TestLog::entry(4));
    writer.flush();
    CHECK(t.log.size() == 4);
    t.tamper("UPDATE audit_head SET time = '2000-01-01T00:00:00Z'");
    writer.append(TestLog::entry(5));
    CHECK_THROWS_WITH_AS(writer.flush(), doctest::Contains("does not verify"), qreg::Error);
    CHECK(t.log.size() == 4);
    CHECK_FALSE(file_text(reg::AuditWriter::spool_path(t.db).string() + ".folding").empty());
    writer.append(TestLog::entry(6));  // appends go on meanwhile
    t.tamper("UPDATE audit_head SET time = '2026-11-25T10:00:04Z'");  // the signed value again
    writer.flush();  // the failed batch, then the later entry
    REQUIRE(t.log.size() == 6);
    CHECK(t.log.entry(5)->request_id == "req-5");
    CHECK(t.log.entry(6)->request_id == "req-6");
    CHECK(t.verify().ok);
}

TEST_CASE("a read spooled before its person was erased reaches the log without the plain id") {
    TestLog t(1);
    reg::AuditWriter writer(t.db, reg::load_audit_keys(t.settings), {std::chrono::hours(1)});
    auto read = TestLog::entry(2);
    read.persons = {42};
    writer.append(read);
    {
        reg::Store::Transaction tx(t.store);
        AuditEntry erase;
        erase.actor = {"officer", "operator", ""};
        (void)t.log.record_erasure(42, erase);
        tx.commit();
    }
    writer.flush();
    const auto folded = t.log.entry(t.log.size());
    REQUIRE(folded);
    CHECK(folded->request_id == "req-2");
    REQUIRE(folded->persons.size() == 1);
    CHECK(folded->persons[0].pseudonym == t.log.pseudonym(42));
    CHECK_FALSE(folded->persons[0].person_id);
    CHECK(t.verify().ok);
}

TEST_CASE("spool lines carry every field of an entry") {
    auto e = TestLog::entry(7);
    e.outcome = "not_shared";
    // Text that must be escaped survives, and the entry stays on one line.
    e.actor.principal = "Sachbearbeiterin \"Özdemir\" \\ Team\t1";
    e.details_json = R"({"query":{"name":"Muhammad\nAl-Hassan\u0001"}})";
    e.persons = {42, 7, 1234567890123};
    const auto line = reg::to_spool_line(e);
    CHECK(line.back() == '\n');
    CHECK(line.find('\n') == line.size() - 1);
    const auto back = reg::from_spool_line(line);
    CHECK(back.time == e.time);
    CHECK(back.actor.principal == e.actor.principal);
    CHECK(back.actor.role == e.actor.role);
    CHECK(back.actor.agency == e.actor.agency);
    CHECK(back.action == e.action);
    CHECK(back.persons == e.persons);
    CHECK(back.categories == e.categories);
    CHECK(back.legal_basis == e.legal_basis);
    CHECK(back.request_id == e.request_id);
    CHECK(back.outcome == e.outcome);
    CHECK(back.details_json == e.details_json);
    CHECK_THROWS_AS((void)reg::from_spool_line("[]"), qreg::Error);
    CHECK_THROWS_AS((void)reg::from_spool_line(R"({"time":"x"})"), qreg::Error);
}

}  // TEST_SUITE("registry.audit_log")
