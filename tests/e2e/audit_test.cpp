// End-to-end audit log: the real `qreg` binary, a real database file tampered with directly,
// and proofs checked by qreg and by the independent Python checker.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "support/naive_merkle.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace json = boost::json;
using qreg::test::run_process;
using qreg::test::TempDir;
using qreg::test::write_file;

namespace {

const std::string qreg_bin = QREG_BINARY;
const std::string python_checker = QREG_SOURCE_DIR "/scripts/check_audit_proof.py";
const std::string ba_sample = QREG_SHARED_DIR "/formats/ba_export_sample.csv";
const std::string xml_sample = QREG_SHARED_DIR "/formats/jobcenter_export_sample.xml";

qreg::test::ProcessResult run_qreg(std::vector<std::string> args) {
    args.insert(args.begin(), qreg_bin);
    return run_process(args);
}

std::string ok(std::vector<std::string> args) {
    const auto r = run_qreg(std::move(args));
    INFO("stderr: " << r.err << " stdout: " << r.out);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

using Db = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

Db open_db(const std::string& path) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    return Db(raw, &sqlite3_close);
}

std::int64_t count_of(const std::string& db, const char* sql) {
    const auto conn = open_db(db);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(conn.get(), sql, -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    const auto n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
}

void exec(const std::string& db, const std::string& sql) {
    const auto conn = open_db(db);
    REQUIRE(sqlite3_exec(conn.get(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
}

std::string netstring(const std::string& s) { return std::to_string(s.size()) + ":" + s + ","; }

// The leaves as README "Audit log" defines them, read from the file with no qreg code.
std::vector<std::string> leaves_in(const std::string& db) {
    const auto conn = open_db(db);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(conn.get(),
                               "SELECT seq, time, actor, role, agency, action, persons, categories, "
                               "legal_basis, request_id, outcome, details FROM audit_entry ORDER BY seq",
                               -1, &stmt, nullptr) == SQLITE_OK);
    std::vector<std::string> out;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        std::string leaf = netstring("qreg audit entry v1");
        leaf += netstring(std::to_string(sqlite3_column_int64(stmt, 0)));
        for (int c = 1; c <= 11; ++c) {
            leaf += netstring(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)));
        }
        out.push_back(leaf);
    }
    sqlite3_finalize(stmt);
    return out;
}

std::string hex(const qreg::test::NaiveHash& h) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const auto b : h) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::vector<json::object> log_lines(const std::string& out) {
    std::vector<json::object> lines;
    std::size_t at = 0;
    while (at < out.size()) {
        const auto end = out.find('\n', at);
        lines.push_back(json::parse(out.substr(at, end - at)).as_object());
        at = end + 1;
    }
    return lines;
}

bool python_checker_runs() {
    return run_process({"/usr/bin/env", "python3", "-c", "import cryptography"}).exit_code == 0;
}

}  // namespace

TEST_SUITE("e2e.audit") {

TEST_CASE("import and dedup are logged, and verify prints the count and the RFC 6962 root") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    ok({"import", "--no-match", "--db", db, "--format", "ba-csv-v1", "--actor", "clerk-1", ba_sample});
    ok({"import", "--no-match", "--db", db, "--format", "jobcenter-xml-v1", xml_sample});
    ok({"dedup", "--db", db, "--actor", "clerk-2"});
    const auto out = ok({"audit", "verify", "--db", db});
    const qreg::test::NaiveMerkle naive{leaves_in(db)};
    REQUIRE(naive.data.size() == 3);
    CHECK(out.find("3 entries, root " + hex(naive.mth(0, 3))) == 0);

    const auto lines = log_lines(ok({"audit", "log", "--db", db}));
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].at("action") == "import");
    CHECK(lines[0].at("actor") == "clerk-1");
    CHECK(lines[0].at("details").at("file") == json::value(ba_sample));
    CHECK(lines[0].at("details").at("new") == 30);
    CHECK(lines[1].at("details").at("received") == 25);
    CHECK(lines[1].at("actor") != "");  // the OS user
    CHECK(lines[2].at("action") == "dedup");
    CHECK(lines[2].at("actor") == "clerk-2");
    CHECK(lines[2].at("details").at("records") == 55);
    CHECK(log_lines(ok({"audit", "log", "--db", db, "--action", "dedup"})).size() == 1);
    CHECK(log_lines(ok({"audit", "log", "--db", db, "--limit", "2"})).size() == 2);
}

TEST_CASE("verify exits 3 naming the entry when the file was changed directly") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    ok({"import", "--no-match", "--db", db, "--format", "ba-csv-v1", ba_sample});
    ok({"import", "--no-match", "--db", db, "--format", "jobcenter-xml-v1", xml_sample});
    exec(db, "DROP TRIGGER audit_entry_no_update; "
             "UPDATE audit_entry SET details = replace(details, '\"new\":25', '\"new\":24') "
             "WHERE seq = 2");
    const auto r = run_qreg({"audit", "verify", "--db", db});
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("entry 2: its stored fields do not match its leaf hash") != std::string::npos);
    const auto j = json::parse(run_qreg({"audit", "verify", "--db", db, "--json"}).out).as_object();
    CHECK(j.at("ok") == false);
    CHECK(j.at("first_bad_entry") == 2);
}

TEST_CASE("a proof checks against a kept checkpoint, in qreg and in the Python checker") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    ok({"import", "--no-match", "--db", db, "--format", "ba-csv-v1", ba_sample});
    const auto kept = (dir / "kept.json").string();
    write_file(kept, ok({"audit", "checkpoint", "--db", db}));
    ok({"import", "--no-match", "--db", db, "--format", "jobcenter-xml-v1", xml_sample});
    ok({"dedup", "--db", db});
    const auto latest = (dir / "latest.json").string();
    write_file(latest, ok({"audit", "checkpoint", "--db", db}));
    const auto key = (dir / "key.pem").string();
    write_file(key, ok({"audit", "public-key", "--db", db}));

    const auto inclusion = (dir / "inclusion.json").string();
    write_file(inclusion, ok({"audit", "proof", "--db", db, "--entry", "2"}));
    const auto consistency = (dir / "consistency.json").string();
    write_file(consistency, ok({"audit", "consistency", "--db", db, "--from", "1"}));

    CHECK(ok({"audit", "check-proof", "--proof", inclusion, "--checkpoint", latest, "--public-key",
              key})
              .find("proof holds: entry 2 is in the log's first 3 entries") == 0);
    CHECK(ok({"audit", "check-proof", "--proof", consistency, "--checkpoint", kept})
              .find("proof holds: checkpoint 2 (3 entries") == 0);
    const auto wrong_size = run_qreg({"audit", "check-proof", "--proof", inclusion, "--checkpoint", kept});
    CHECK(wrong_size.exit_code == 3);

    const auto forged = (dir / "forged.json").string();
    auto text = qreg::test::read_file(inclusion);
    text.replace(text.find(R"("outcome":"ok")"), 14, R"("outcome":"no")");
    write_file(forged, text);
    CHECK(run_qreg({"audit", "check-proof", "--proof", forged, "--checkpoint", latest}).exit_code == 3);

    if (!python_checker_runs()) {
        MESSAGE("python3 with cryptography not found: the independent checker was not run");
        return;
    }
    for (const auto& [proof, checkpoint] : {std::pair{inclusion, latest}, std::pair{consistency, kept}}) {
        const auto py = run_process({"/usr/bin/env", "python3", python_checker, "--proof", proof,
                                     "--checkpoint", checkpoint, "--public-key", key});
        INFO(py.out << py.err);
        CHECK(py.exit_code == 0);
    }
    CHECK(run_process({"/usr/bin/env", "python3", python_checker, "--proof", forged, "--checkpoint",
                       latest})
              .exit_code == 1);
}

TEST_CASE("erase removes the person's records and the log still verifies") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    ok({"import", "--no-match", "--db", db, "--format", "ba-csv-v1", ba_sample});
    ok({"dedup", "--db", db});
    const auto links = ok({"links", "--db", db});
    const auto first = links.substr(links.find('\n') + 1);  // source,record_id,person_id
    const auto source = first.substr(0, first.find(','));
    const auto rest = first.substr(first.find(',') + 1);
    const auto record = rest.substr(0, rest.find(','));
    const auto person = rest.substr(rest.find(',') + 1, rest.find('\n') - rest.find(',') - 1);

    const auto out = ok({"erase", "--db", db, "--person", person, "--actor", "dpo"});
    CHECK(out.find("person " + person + " erased") == 0);
    CHECK(run_qreg({"records", "--db", db, "--source", source, "--id", record}).exit_code != 0);
    CHECK(ok({"audit", "verify", "--db", db}).find("3 entries") == 0);
    // Nothing of the erased records stays in the match index (built by the dedup).
    CHECK(count_of(db, "SELECT count(*) FROM match_key_bucket") > 0);
    CHECK(count_of(db, "SELECT count(*) FROM counter WHERE name = 'matched_records' AND "
                       "value = (SELECT count(*) FROM record)") == 1);
    const auto erased = log_lines(ok({"audit", "log", "--db", db, "--person", person}));
    REQUIRE(erased.size() == 1);
    CHECK(erased[0].at("action") == "erase");
    CHECK(erased[0].at("persons").at(0).at("person_id").is_null());
    CHECK(run_qreg({"erase", "--db", db, "--person", "987654"}).exit_code == 1);
}

}  // TEST_SUITE("e2e.audit")
