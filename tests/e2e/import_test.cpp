// End-to-end: the real `qreg` binary on real files and real SQLite databases.
#include <doctest/doctest.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace json = boost::json;
using qreg::test::read_file;
using qreg::test::run_process;
using qreg::test::TempDir;
using qreg::test::write_file;

namespace {

const std::string qreg_bin = QREG_BINARY;
const std::string shared = QREG_SHARED_DIR;
const std::string ba_sample = shared + "/formats/ba_export_sample.csv";
const std::string xml_sample = shared + "/formats/jobcenter_export_sample.xml";
const std::string json_sample = shared + "/formats/bamf_export_sample.jsonl";

const std::string ba_header =
    "KDNR;NACHNAME;VORNAME;GEBURTSNAME;GEBDAT;GEBORT;GESCHLECHT;STAATSANG;AZR_NR;BAMF_AZ;PLZ;"
    "WOHNORT;SCHULABSCHLUSS;SCHULJAHRE;AUSBILDUNG_KLDB;AUSBILDUNG_TXT;AUSBILDUNG_STATUS;STUDIUM;"
    "STUDIENFACH;ERFAHRUNG_KLDB;ERFAHRUNG_JAHRE;ZIELBERUF_KLDB;DEUTSCH;SPRACHEN;ANERKENNUNG;STAND;"
    "LOESCHUNG\r\n";

std::string ba_row(const std::string& kdnr, const std::string& family, const std::string& date,
                   const std::string& stand, const std::string& deleted = "") {
    return kdnr + ";" + family + ";Amina;;" + date + ";Aleppo;W;SYR;;;47798;Krefeld;AH;12;;;;;;;;;B1;" +
           "ar:M;;" + stand + ";" + deleted + "\r\n";
}

json::object import_json(const std::string& db, const std::string& format,
                         const std::vector<std::string>& files, bool match = true) {
    std::vector<std::string> argv{qreg_bin, "import", "--db", db, "--format", format, "--json"};
    if (!match) argv.emplace_back("--no-match");
    argv.insert(argv.end(), files.begin(), files.end());
    const auto r = run_process(argv);
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());  // no progress output when stderr is not a terminal
    boost::system::error_code ec;
    auto v = json::parse(r.out, ec);
    REQUIRE_FALSE(ec);
    return v.as_object();
}

// `qreg records` as parsed JSON, and as printed when `text` is given.
json::object record_json(const std::string& db, const std::string& source, const std::string& id,
                         std::string* text = nullptr) {
    const auto r = run_process({qreg_bin, "records", "--db", db, "--source", source, "--id", id});
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    if (text) *text = r.out;
    return json::parse(r.out).as_object();
}

std::int64_t num(const json::object& o, const char* key) { return o.at(key).to_number<std::int64_t>(); }

std::int64_t count_rows(const std::string& db, const char* table) {
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = std::string("SELECT count(*) FROM ") + table;
    REQUIRE(sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    const auto n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return n;
}

bool has_table(const std::string& db, const char* table) {
    if (!std::filesystem::exists(db)) return false;
    sqlite3* handle = nullptr;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(handle);
        return false;
    }
    sqlite3_stmt* stmt = nullptr;
    bool found = false;
    if (sqlite3_prepare_v2(handle, "SELECT 1 FROM sqlite_schema WHERE name = ?1", -1, &stmt,
                           nullptr) == SQLITE_OK) {
        sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
        found = sqlite3_step(stmt) == SQLITE_ROW;
    }
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return found;
}

std::string integrity(const std::string& db) {
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(handle, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    std::string out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return out;
}

}  // namespace

TEST_SUITE("e2e.import") {

TEST_CASE("the three sample exports land in full, are matched, and qreg links lists every record") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    const auto ba = import_json(db, "ba-csv-v1", {ba_sample});
    CHECK(num(ba, "received") == 30);
    CHECK(num(ba, "new") == 30);
    CHECK(num(ba, "rejected") == 0);
    const auto xml = import_json(db, "jobcenter-xml-v1", {xml_sample});
    CHECK(num(xml, "received") == 25);
    CHECK(num(xml, "new") == 25);
    const auto bamf = import_json(db, "bamf-jsonl-v1", {json_sample});
    CHECK(num(bamf, "received") == 25);
    CHECK(num(bamf, "new") == 25);
    for (const char* key : {"received", "new", "updated", "unchanged", "stale", "retracted",
                            "rejected", "rejects"}) {
        CHECK(bamf.contains(key));
    }
    // Small imports into a small registry: all persons recomputed each time.
    CHECK(bamf.at("matching").at("mode").as_string() == "full");
    CHECK(num(bamf.at("matching").as_object(), "records") == 80);

    const auto links = run_process({qreg_bin, "links", "--db", db});
    REQUIRE(links.exit_code == 0);
    CHECK(links.out.rfind("source,record_id,person_id\n", 0) == 0);
    CHECK(std::count(links.out.begin(), links.out.end(), '\n') == 81);
    CHECK(links.out.find("\nba,909E281041,") != std::string::npos);
    CHECK(links.out.find("\njobcenter,41201BG8588401-01,") != std::string::npos);
    CHECK(links.out.find("\nbamf,9824307-475,") != std::string::npos);
}

TEST_CASE("a BA record keeps its Windows-1252 raw row, its mapped fields and its UTC stand") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    (void)import_json(db, "ba-csv-v1", {ba_sample});
    std::string printed;
    const auto rec = record_json(db, "ba", "909E281041", &printed);
    CHECK(printed.find(R"("work_experience":[{"kldb":"81302","years":15.1}])") != std::string::npos);
    const auto& canonical = rec.at("canonical").as_object();
    const auto& identity = canonical.at("identity").as_object();
    CHECK(identity.at("family_name").as_string() == "Öztürk");
    CHECK(identity.at("birth_date").at("precision").as_string() == "day");
    CHECK(canonical.at("stand").as_string() == "2026-03-01T13:37:44Z");  // CET, one hour ahead
    CHECK(rec.at("raw_encoding").as_string() == "windows-1252");
    CHECK(std::string(rec.at("raw").as_string()).rfind("909E281041;Öztürk;Huseyin;", 0) == 0);
    CHECK(rec.at("history").as_array().size() == 1);
}

TEST_CASE("the same file again changes nothing") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    (void)import_json(db, "jobcenter-xml-v1", {xml_sample});
    const auto versions_before = count_rows(db, "record_version");
    const auto again = import_json(db, "jobcenter-xml-v1", {xml_sample});
    CHECK(num(again, "received") == 25);
    CHECK(num(again, "new") == 0);
    CHECK(num(again, "unchanged") == 25);
    CHECK(count_rows(db, "record_version") == versions_before);
}

TEST_CASE("a newer stand updates, an older one is kept as stale history, a retraction counts") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    const auto v1 = (dir / "v1.csv").string();
    const auto v2 = (dir / "v2.csv").string();
    const auto v0 = (dir / "v0.csv").string();
    write_file(v1, ba_header + ba_row("111A111111", "Haddad", "15.03.1990", "01.02.2026 10:00:00") +
                       ba_row("222B222222", "Nasser", "00.00.1985", "01.02.2026 10:00:00"));
    write_file(v2, ba_header + ba_row("111A111111", "Hadad", "15.03.1990", "01.03.2026 10:00:00") +
                       ba_row("222B222222", "Nasser", "00.00.1985", "01.03.2026 10:00:00", "J"));
    write_file(v0, ba_header + ba_row("111A111111", "Haddat", "15.03.1990", "01.01.2026 10:00:00"));

    CHECK(num(import_json(db, "ba-csv-v1", {v1}), "new") == 2);
    const auto second = import_json(db, "ba-csv-v1", {v2});
    CHECK(num(second, "updated") == 2);
    CHECK(num(second, "retracted") == 1);
    const auto third = import_json(db, "ba-csv-v1", {v0});
    CHECK(num(third, "stale") == 1);
    CHECK(num(third, "updated") == 0);

    const auto rec = record_json(db, "ba", "111A111111");
    CHECK(rec.at("canonical").at("identity").at("family_name").as_string() == "Hadad");
    const auto& history = rec.at("history").as_array();
    REQUIRE(history.size() == 3);
    CHECK(history[0].at("canonical").at("identity").at("family_name").as_string() == "Haddat");
    CHECK(history[0].at("current").as_bool() == false);
    CHECK(history[1].at("canonical").at("identity").at("family_name").as_string() == "Haddad");
    CHECK(history[2].at("current").as_bool() == true);

    const auto retracted = record_json(db, "ba", "222B222222");
    CHECK(retracted.at("canonical").at("retracted").as_bool());
    CHECK(retracted.at("canonical").at("identity").at("birth_date").at("precision").as_string() == "year");
}

TEST_CASE("a record seen first as retracted counts as new and as retracted") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    const auto file = (dir / "x.csv").string();
    write_file(file, ba_header + ba_row("333C333333", "Haddad", "01.01.1990", "01.02.2026 10:00:00", "J"));
    const auto s = import_json(db, "ba-csv-v1", {file});
    CHECK(num(s, "new") == 1);
    CHECK(num(s, "retracted") == 1);
}

TEST_CASE("malformed rows are rejected with file, line and reason, kept raw, and valid rows land") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    const auto file = (dir / "bad.csv").string();
    write_file(file, ba_header +                                                    // line 1
                         ba_row("111A111111", "Haddad", "15.03.1990", "01.02.2026 10:00:00") +  // 2
                         "222B222222;Nasser;Omar\r\n" +                             // 3: field count
                         ba_row("", "Nasser", "15.03.1990", "01.02.2026 10:00:00") +  // 4: no id
                         ba_row("444D444444", "Nasser", "32.13.1990", "01.02.2026 10:00:00") +  // 5
                         "\"555E555555;Salah;Omar\r\n");  // 6: quote never closed
    const auto s = import_json(db, "ba-csv-v1", {file});
    CHECK(num(s, "received") == 5);
    CHECK(num(s, "new") == 1);
    CHECK(num(s, "rejected") == 4);
    const auto& rejects = s.at("rejects").as_array();
    REQUIRE(rejects.size() == 4);
    std::vector<std::int64_t> lines;
    for (const auto& r : rejects) {
        CHECK(r.at("file").as_string() == file);
        CHECK_FALSE(r.at("reason").as_string().empty());
        lines.push_back(r.at("line").to_number<std::int64_t>());
    }
    std::sort(lines.begin(), lines.end());
    CHECK(lines == std::vector<std::int64_t>{3, 4, 5, 6});
    CHECK(count_rows(db, "rejected_row") == 4);

    const auto listed = run_process({qreg_bin, "rejects", "--db", db});
    REQUIRE(listed.exit_code == 0);
    CHECK(listed.out.find("222B222222;Nasser;Omar") != std::string::npos);  // raw kept for correction
}

TEST_CASE("an unknown format or an unreadable file fails with a message and imports nothing") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    const auto unknown = run_process({qreg_bin, "import", "--db", db, "--format", "nope-v9", ba_sample});
    CHECK(unknown.exit_code != 0);
    CHECK(unknown.err.find("unknown format") != std::string::npos);
    CHECK(unknown.err.find("ba-csv-v1") != std::string::npos);  // says what would work

    const auto missing = run_process({qreg_bin, "import", "--db", db, "--format", "ba-csv-v1",
                                      ba_sample, (dir / "absent.csv").string()});
    CHECK(missing.exit_code != 0);
    CHECK(missing.err.find("cannot read") != std::string::npos);
    if (std::filesystem::exists(db)) CHECK(count_rows(db, "record") == 0);
}

TEST_CASE("the human summary names the counts") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    const auto r = run_process({qreg_bin, "import", "--db", db, "--format", "bamf-jsonl-v1", json_sample});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("25 records received") != std::string::npos);
    CHECK(r.out.find("new 25") != std::string::npos);
}

TEST_CASE("an import killed midway leaves all or nothing, and running it again completes it") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    const auto file = (dir / "big.csv").string();
    std::string bytes = ba_header;
    constexpr int rows = 400000;
    bytes.reserve(static_cast<std::size_t>(rows) * 120);
    for (int i = 0; i < rows; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "%03dK%06d", i / 1000000, i % 1000000);
        bytes += ba_row(id, "Haddad", "15.03.1990", "01.02.2026 10:00:00");
    }
    write_file(file, bytes);

    // Matching stays out of this one: 400,000 copies of one record make one enormous block.
    const pid_t pid = qreg::test::start_process(
        {qreg_bin, "import", "--no-match", "--db", db, "--format", "ba-csv-v1", file});
    // wait until the import is under way (its schema is in place), let it store for a while,
    // then kill it hard
    for (int i = 0; i < 500 && !has_table(db, "rejected_row"); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    kill(pid, SIGKILL);
    const int status = qreg::test::wait_process(pid);
    CHECK(status == 128 + SIGKILL);  // the import takes seconds: it was still running

    CHECK(integrity(db) == "ok");
    const auto landed = count_rows(db, "record");
    CHECK((landed == 0 || landed == rows));
    CHECK(count_rows(db, "import_run") == (landed == 0 ? 0 : 1));

    const auto again = import_json(db, "ba-csv-v1", {file}, false);
    CHECK(num(again, "received") == rows);
    CHECK(again.at("matching").at("mode").as_string() == "deferred");
    CHECK(count_rows(db, "record") == rows);
}

TEST_CASE("the FEBRL mapping imports the benchmark data under source febrl") {
    TempDir dir;
    const auto db = (dir / "r.db").string();
    const auto s = import_json(db, "febrl", {shared + "/data/febrl/dataset4a.csv"});
    CHECK(num(s, "received") == 5000);
    CHECK(num(s, "new") + num(s, "rejected") == 5000);
    CHECK(num(s, "new") > 4900);
    const auto rec = record_json(db, "febrl", "rec-1070-org");
    CHECK(rec.at("canonical").at("identity").at("family_name").as_string() == "neumann");
    CHECK(rec.at("canonical").at("identity").at("birth_date").at("year").to_number<int>() == 1915);
    CHECK(rec.at("canonical").at("address").at("postcode").as_string() == "4223");
}

}  // TEST_SUITE("e2e.import")
