// End-to-end: consents, the pull connector, push deliveries to a real HTTPS receiver, and the
// record of disclosures, through the real `qreg serve` and `qreg deliver`.
#include "e2e/api_helpers.hpp"
#include "e2e/push_receiver.hpp"
#include "e2e/server_fixture.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace json = boost::json;
using qreg::connectors::HttpResult;
using qreg::test::body_of;
using qreg::test::eventually;
using qreg::test::person_of;
using qreg::test::PushReceiver;
using qreg::test::Received;
using qreg::test::RunningServer;

namespace {

// Fast retries and a short time-out, so that failures play out within a test.
constexpr const char* quick_sharing = R"({"max_attempts": 40, "first_retry_ms": 100,
    "max_retry_ms": 400, "timeout_ms": 700, "poll_interval_ms": 100, "ca_file": "{ca_file}"})";

// Olena Melnyk: one person in the samples of all three agencies.
constexpr const char* ba_id = "131R942158";
constexpr const char* azr_number = "753014903655";

// `YYYY-MM-DD`, `days` from today (UTC).
std::string utc_day(int days) {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() +
                                                        std::chrono::hours(24 * days));
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 16> out{};
    std::strftime(out.data(), out.size(), "%Y-%m-%d", &tm);
    return out.data();
}

std::string consent_body(const std::string& recipient, const std::string& categories,
                         const std::string& from = utc_day(0),
                         const std::string& until = utc_day(365)) {
    return R"({"recipient":")" + recipient + R"(","categories":)" + categories +
           R"(,"purpose":"job placement","legal_basis":"consent","valid_from":")" + from +
           R"(","valid_until":")" + until + R"(","evidence":"signed form in file 2026/17"})";
}

std::set<std::string> keys_of(const json::object& o) {
    std::set<std::string> out;
    for (const auto& [k, v] : o) out.emplace(k);
    return out;
}

// The full profile's value of a category as an agency without `identifiers` sees it: each
// source reduced to its stand.
json::value without_source_names(json::value v) {
    if (v.is_array()) {
        for (auto& x : v.as_array()) x = without_source_names(x);
    } else if (v.is_object()) {
        for (auto& [k, x] : v.as_object()) {
            if (k != "sources") {
                x = without_source_names(x);
                continue;
            }
            for (auto& source : x.as_array()) {
                source = json::object{{"stand", source.at("stand")}};
            }
        }
    }
    return v;
}

std::string hmac_hex(const std::string& key, const std::string& body) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac.data(), &size);
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        std::array<char, 3> hex{};
        std::snprintf(hex.data(), hex.size(), "%02x", mac[i]);
        out += hex.data();
    }
    return out;
}

struct OutboxRow {
    std::string key;
    std::string status;
    std::int64_t attempts = 0;
    std::string consent_ids;
    std::string reason;
};

// The outbox as stored, oldest first.
std::vector<OutboxRow> outbox(const RunningServer& s) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(s.db().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(
        sqlite3_prepare_v2(db,
                           "SELECT delivery_id, status, attempts, consent_ids, reason FROM outbox "
                           "ORDER BY id",
                           -1, &stmt, nullptr) == SQLITE_OK);
    std::vector<OutboxRow> out;
    const auto text = [&](int i) {
        const auto* t = sqlite3_column_text(stmt, i);
        return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
    };
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        out.push_back({text(0), text(1), sqlite3_column_int64(stmt, 2), text(3), text(4)});
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
}

bool all_settled(const RunningServer& s, std::size_t count) {
    const auto rows = outbox(s);
    if (rows.size() < count) return false;
    for (const auto& r : rows) {
        if (r.status == "pending") return false;
    }
    return true;
}

// A server with the samples, the Melnyk person, and helpers for the sharing API.
struct Sharing {
    RunningServer server;
    qreg::connectors::HttpClient client;
    std::int64_t person = 0;

    explicit Sharing(const std::string& sharing_json = quick_sharing)
        : server(qreg::test::ServerSetup{true, sharing_json}), client(server.client()) {
        person = person_of(server, "ba", ba_id);
        server.add_agency_token("jobcenter", "jobcenter-muenchen");
    }

    HttpResult call(const char* method, const std::string& target, const std::string& role,
                    const std::string& body = {}) {
        return client.request(method, target, server.auth(role), body);
    }

    std::int64_t give_consent(const std::string& recipient, const std::string& categories,
                              const std::string& from = utc_day(0),
                              const std::string& until = utc_day(365)) {
        const auto r = call("POST", "/v1/persons/" + std::to_string(person) + "/consents",
                            "caseworker", consent_body(recipient, categories, from, until));
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return body_of(r).at("consent_id").as_int64();
    }

    void revoke(std::int64_t consent) {
        const auto r =
            call("POST", "/v1/consents/" + std::to_string(consent) + "/revoke", "caseworker");
        REQUIRE_MESSAGE(r.status == 200, r.body);
    }

    // Subscribes ba-muenchen; returns the secret.
    std::string subscribe(const std::string& url, const std::string& categories,
                          const std::string& format = "json") {
        const auto r = call("POST", "/v1/subscriptions", "agency",
                            R"({"callback_url":")" + url + R"(","categories":)" + categories +
                                R"(,"format":")" + format + "\"}");
        REQUIRE_MESSAGE(r.status == 201, r.body);
        return std::string(body_of(r).at("secret").as_string());
    }

    json::object full_profile() {
        const auto r = call("GET", "/v1/persons/" + std::to_string(person), "caseworker");
        REQUIRE(r.status == 200);
        return body_of(r);
    }

    HttpResult view(const std::string& role = "agency", const std::string& query = "") {
        return call("GET", "/v1/shared/persons/" + std::to_string(person) + query, role);
    }

    json::array disclosures() {
        const auto r =
            call("GET", "/v1/persons/" + std::to_string(person) + "/disclosures", "data-officer");
        REQUIRE(r.status == 200);
        return body_of(r).at("disclosures").as_array();
    }

    // A changed BA export of the person: a newer stand and a better German level.
    void import_change(const std::string& stand, const std::string& german) {
        const auto file = (server.dir() / ("ba_" + german + ".csv")).string();
        qreg::test::write_file(
            file,
            "\xEF\xBB\xBFKDNR;NACHNAME;VORNAME;GEBURTSNAME;GEBDAT;GEBORT;GESCHLECHT;"
            "STAATSANG;AZR_NR;BAMF_AZ;PLZ;WOHNORT;SCHULABSCHLUSS;SCHULJAHRE;"
            "AUSBILDUNG_KLDB;AUSBILDUNG_TXT;AUSBILDUNG_STATUS;STUDIUM;STUDIENFACH;"
            "ERFAHRUNG_KLDB;ERFAHRUNG_JAHRE;ZIELBERUF_KLDB;DEUTSCH;SPRACHEN;ANERKENNUNG;"
            "STAND;LOESCHUNG\r\n131R942158;Olena;Melnik;;18.02.1977;Mariupol;W;UKR;"
            "753014903655;;96515;Sonneberg;AH;16;;;;;;;;;" +
                german + ";uk:M;;" + stand + ";\r\n");
        (void)server.cli({"import", "--format", "ba-csv-v1", file});
    }
};

// What every pushed view must satisfy: signed with the secret, sent under the consents it
// names, and holding exactly `categories` of the profile, field by field.
void check_pushed(const Received& r, const std::string& secret, json::object full,
                  const std::set<std::string>& categories) {
    CAPTURE(r.body);
    CHECK(r.header("x-qreg-signature") == "sha256=" + hmac_hex(secret, r.body));
    CHECK(!r.key.empty());
    CHECK(r.header("content-type") == "application/json");
    const auto view = json::parse(r.body).as_object();
    std::string ids;
    for (const auto& c : view.at("consents").as_array()) {
        ids += (ids.empty() ? "" : ",") + std::to_string(c.at("consent_id").as_int64());
    }
    CHECK(r.header("x-qreg-consents") == ids);
    std::set<std::string> listed;
    for (const auto& k : view.at("categories").as_array()) listed.emplace(k.as_string());
    CHECK(listed == categories);
    const auto& p = view.at("profile").as_object();
    auto expected = categories;
    expected.insert("person_id");
    CHECK(keys_of(p) == expected);
    for (const auto& k : categories) {
        CAPTURE(k);
        CHECK(json::serialize(p.at(k)) == json::serialize(without_source_names(full.at(k))));
    }
    for (const char* secret_value : {ba_id, azr_number, "Melnik", "Mariupol", "96515"}) {
        CHECK(r.body.find(secret_value) == std::string::npos);
    }
}

}  // namespace

TEST_SUITE("e2e.sharing") {

TEST_CASE("consents are recorded, listed and revoked; bad ones are refused with a clear error") {
    Sharing s;
    const auto path = "/v1/persons/" + std::to_string(s.person) + "/consents";
    const auto made = s.call("POST", path, "caseworker",
                             consent_body("ba-muenchen", R"(["identity","languages"])"));
    REQUIRE(made.status == 201);
    const auto consent = body_of(made);
    CHECK(consent.at("state") == "in_force");
    CHECK(consent.at("recipient") == "ba-muenchen");
    CHECK(consent.at("revoked_at").is_null());
    CHECK(consent.at("created_by") == "test caseworker (caseworker)");
    const auto id = consent.at("consent_id").as_int64();

    const auto refused = [&](const std::string& body, int status, const std::string& message) {
        CAPTURE(body);
        const auto r = s.call("POST", path, "caseworker", body);
        CHECK(r.status == status);
        CHECK(std::string(body_of(r).at("message").as_string()).find(message) != std::string::npos);
    };
    refused(consent_body("ba-muenchen", R"(["identity","religion"])"), 400,
            "unknown category 'religion'");
    refused(consent_body("nobody", R"(["identity"])"), 400, "unknown recipient 'nobody'");
    refused(consent_body("ba-muenchen", R"(["identity"])", utc_day(-1)), 400,
            "\"valid_from\" is in the past");
    refused(consent_body("ba-muenchen", R"(["identity"])", utc_day(0), utc_day(-1)), 400,
            "\"valid_until\" is in the past");
    refused(R"({"recipient":"ba-muenchen","categories":["school"],"purpose":"p",)"
            R"("legal_basis":"statute","valid_from":")" +
                utc_day(0) + R"(","valid_until":")" + utc_day(9) + "\"}",
            400, "\"statute\" is required");
    refused("{", 400, "not JSON");
    const auto nobody = s.call("POST", "/v1/persons/99999999/consents", "caseworker",
                               consent_body("ba-muenchen", R"(["identity"])"));
    CHECK(nobody.status == 404);

    const auto statute =
        s.call("POST", path, "caseworker",
               R"({"recipient":"jobcenter-muenchen","categories":["school"],"purpose":"benefits",)"
               R"("legal_basis":"statute","statute":"SGB II § 50","valid_from":")" +
                   utc_day(0) + R"(","valid_until":")" + utc_day(30) + "\"}");
    REQUIRE(statute.status == 201);
    CHECK(body_of(statute).at("statute") == "SGB II § 50");

    for (const std::string role : {"caseworker", "data-officer"}) {
        const auto list = s.call("GET", path, role);
        REQUIRE(list.status == 200);
        CHECK(body_of(list).at("consents").as_array().size() == 2);
    }

    const auto revoked =
        s.call("POST", "/v1/consents/" + std::to_string(id) + "/revoke", "caseworker");
    REQUIRE(revoked.status == 200);
    CHECK(body_of(revoked).at("state") == "revoked");
    CHECK(!body_of(revoked).at("revoked_at").is_null());
    CHECK(s.call("POST", "/v1/consents/" + std::to_string(id) + "/revoke", "caseworker").status ==
          409);
    CHECK(s.call("POST", "/v1/consents/99999/revoke", "caseworker").status == 404);
    // kept as history
    const auto after = body_of(s.call("GET", path, "caseworker")).at("consents").as_array();
    REQUIRE(after.size() == 2);
    CHECK(after[0].at("state") == "revoked");
}

TEST_CASE("pull: an agency finds and reads a person only under consents in force for it") {
    Sharing s;
    const auto unknown = s.call("GET", "/v1/shared/persons?identifier=000000000000", "agency");
    const auto not_shared =
        s.call("GET", std::string("/v1/shared/persons?identifier=") + azr_number, "agency");
    CHECK(unknown.status == 404);
    CHECK(not_shared.status == 404);
    CHECK(unknown.body == not_shared.body);  // the registry does not say who is in it
    const auto unknown_view = s.call("GET", "/v1/shared/persons/99999999", "agency");
    CHECK(s.view().status == 404);
    CHECK(s.view().body == unknown_view.body);
    CHECK(s.call("GET", "/v1/shared/persons", "agency").status == 400);

    SUBCASE("a consent that is not yet valid counts for nothing") {
        (void)s.give_consent("ba-muenchen", R"(["identity"])", utc_day(1), utc_day(9));
        CHECK(s.view().status == 404);
    }

    const auto languages = s.give_consent("ba-muenchen", R"(["identity","languages"])");
    for (const std::string identifier : {azr_number, ba_id}) {
        const auto found = s.call("GET", "/v1/shared/persons?identifier=" + identifier, "agency");
        REQUIRE(found.status == 200);
        CHECK(body_of(found).at("person_id").as_int64() == s.person);
    }
    CHECK(s.call("GET", std::string("/v1/shared/persons?identifier=") + azr_number, "jobcenter")
              .status == 404);
    CHECK(s.view("jobcenter").status == 404);

    const auto full = s.full_profile();
    const auto check_view = [&](const std::set<std::string>& categories, std::size_t consents) {
        const auto r = s.view();
        REQUIRE(r.status == 200);
        const auto v = body_of(r);
        CHECK(v.at("consents").as_array().size() == consents);
        const auto& p = v.at("profile").as_object();
        auto expected = categories;
        expected.insert("person_id");
        if (categories.count("identity")) expected.insert("display_name");
        CHECK(keys_of(p) == expected);
        for (const auto& k : categories) {
            CAPTURE(k);
            CHECK(json::serialize(p.at(k)) == json::serialize(without_source_names(full.at(k))));
        }
        for (const char* number : {ba_id, azr_number})
            CHECK(r.body.find(number) == std::string::npos);
        return r.header("x-request-id");
    };
    const auto first_request = check_view({"identity", "languages"}, 1);

    // Several consents add up; revoking one takes away only what it alone gave.
    const auto school = s.give_consent("ba-muenchen", R"(["school","languages"])");
    (void)check_view({"identity", "school", "languages"}, 2);
    s.revoke(languages);
    (void)check_view({"school", "languages"}, 1);

    const auto csv = s.view("agency", "?format=ba-csv-v1");
    REQUIRE(csv.status == 200);
    CHECK(csv.header("content-type") == "text/csv; charset=utf-8");
    CHECK(csv.body.find("KDNR;NACHNAME;") != std::string::npos);
    CHECK(csv.body.find("Melnik") == std::string::npos);
    CHECK(s.view("agency", "?format=xml").status == 400);

    s.revoke(school);
    CHECK(s.view().status == 404);
    CHECK(s.call("GET", std::string("/v1/shared/persons?identifier=") + azr_number, "agency")
              .status == 404);

    // Every disclosure is on record for the data officer, and only for the data officer.
    // two lookups, four views (the last as CSV); refusals disclose nothing and are not listed
    const auto list = s.disclosures();
    REQUIRE(list.size() == 6);
    const auto& lookup = list[0].as_object();
    CHECK(lookup.at("kind") == "lookup");
    CHECK(lookup.at("channel") == "pull");
    CHECK(lookup.at("recipient") == "ba-muenchen");
    CHECK(lookup.at("categories").as_array().empty());
    const auto& view = list[2].as_object();
    CHECK(view.at("kind") == "view");
    CHECK(view.at("reference").as_string() == first_request);
    CHECK(view.at("categories") == json::value(json::array{"identity", "languages"}));
    CHECK(view.at("consents") == json::value(json::array{languages}));
    CHECK(view.at("grounds").as_array()[0].at("legal_basis") == "consent");
    CHECK(list.back().as_object().at("format") == "ba-csv-v1");
    for (const auto& d : list) CHECK(d.at("recipient") == "ba-muenchen");
    CHECK(s.call("GET", "/v1/persons/" + std::to_string(s.person) + "/disclosures", "caseworker")
              .status == 403);

    // The audit log has each of them too, and the refused views of this person as not shared.
    const auto audited = s.call(
        "GET", "/v1/audit?action=share.pull&person_id=" + std::to_string(s.person), "data-officer");
    REQUIRE(audited.status == 200);
    std::vector<json::object> shared;
    std::size_t refused = 0;
    const auto audited_body = body_of(audited);
    for (const auto& e : audited_body.at("entries").as_array()) {
        if (e.at("outcome") == "ok") {
            shared.push_back(e.as_object());
        } else {
            CHECK(e.at("outcome") == "not_shared");
            CHECK(e.at("categories").as_array().empty());
            ++refused;
        }
    }
    REQUIRE(shared.size() == list.size());
    CHECK(shared[2].at("request_id").as_string() == first_request);
    CHECK(shared[2].at("categories") == json::value(json::array{"identity", "languages"}));
    CHECK(shared[2].at("legal_basis") == json::value("consent " + std::to_string(languages)));
    CHECK(shared[2].at("details").at("disclosure_id") == list[2].at("disclosure_id"));
    for (const auto& e : shared) CHECK(e.at("agency") == "ba-muenchen");
    // views refused: two before any consent, one in the subcase, the jobcenter's, and the one
    // after the last revocation (refused lookups by identifier name no person)
    CHECK(refused == 5);
    const auto grants = s.call("GET", "/v1/audit?action=consent.grant", "data-officer");
    CHECK(body_of(grants).at("entries").as_array().size() >= 2);
    const auto revocations = s.call("GET", "/v1/audit?action=consent.revoke", "data-officer");
    CHECK(body_of(revocations).at("entries").as_array().size() == 2);
}

TEST_CASE("consents expire and become valid with time") {
    Sharing s;
    (void)s.give_consent("ba-muenchen", R"(["languages"])", utc_day(0), utc_day(1));
    (void)s.give_consent("ba-muenchen", R"(["school"])", utc_day(2), utc_day(5));
    auto v = s.view();
    REQUIRE(v.status == 200);
    CHECK(body_of(v).at("categories") == json::value(json::array{"languages"}));

    // Three days on: the first has expired, the second is in force.
    CHECK(s.server.stop() == 0);
    s.server.start({"QREG_FAKE_NOW=" + utc_day(3) + "T08:00:00Z"});
    s.client = s.server.client();
    v = s.view();
    REQUIRE(v.status == 200);
    CHECK(body_of(v).at("categories") == json::value(json::array{"school"}));
    const auto consents =
        body_of(
            s.call("GET", "/v1/persons/" + std::to_string(s.person) + "/consents", "caseworker"))
            .at("consents")
            .as_array();
    CHECK(consents[0].at("state") == "expired");
    CHECK(consents[1].at("state") == "in_force");

    // A week on: nothing.
    CHECK(s.server.stop() == 0);
    s.server.start({"QREG_FAKE_NOW=" + utc_day(7) + "T08:00:00Z"});
    s.client = s.server.client();
    CHECK(s.view().status == 404);
}

TEST_CASE("the Art. 15 report is a printable German page for the data officer only") {
    Sharing s;
    const auto path = "/v1/persons/" + std::to_string(s.person) + "/disclosures";
    const auto empty = s.call("GET", path + "?format=html", "data-officer");
    REQUIRE(empty.status == 200);
    CHECK(empty.body.find("Keine Offenlegungen erfasst.") != std::string::npos);

    const auto consent = s.give_consent("ba-muenchen", R"(["identity","languages"])");
    REQUIRE(s.view().status == 200);

    const auto check_report = [&](const HttpResult& r) {
        REQUIRE_MESSAGE(r.status == 200, r.body);
        CHECK(r.header("content-type") == "text/html; charset=utf-8");
        CHECK(r.header("content-security-policy").find("default-src 'none'") != std::string::npos);
        for (const auto& part : std::vector<std::string>{
                 "<h1>Auskunft nach Art. 15 DSGVO – Offenlegungen</h1>",
                 "<th scope=\"col\">Empfänger", "<th scope=\"col\">Zweck",
                 "<th scope=\"col\">Rechtsgrundlage", "Agentur für Arbeit München",
                 "<li>job placement</li>", "<li>Identität</li>", "<li>Sprachkenntnisse</li>",
                 "Einwilligung Nr. " + std::to_string(consent), "<td>Abruf</td>"}) {
            CAPTURE(part);
            CHECK(r.body.find(part) != std::string::npos);
        }
        CHECK(r.body.find("Keine Offenlegungen erfasst.") == std::string::npos);
        for (const char* secret_value : {ba_id, azr_number, "Melnik", "Mariupol"}) {
            CHECK(r.body.find(secret_value) == std::string::npos);
        }
    };
    check_report(s.call("GET", path + "?format=html", "data-officer"));
    auto browser = s.server.auth("data-officer");
    browser.emplace_back("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
    check_report(s.client.request("GET", path, browser));
    CHECK(s.call("GET", path, "data-officer").header("content-type") == "application/json");

    const auto unknown = s.call("GET", path + "?format=pdf", "data-officer");
    CHECK(unknown.status == 400);
    CHECK(unknown.body.find("unknown format 'pdf'; give ?format=json or ?format=html") !=
          std::string::npos);
    CHECK(s.call("GET", path + "?format=html", "caseworker").status == 403);
    CHECK(s.call("GET", path + "?format=html", "agency").status == 403);

    // The data officer's own readings are in the log: four answered (empty, html twice, json),
    // the refused ones not.
    const auto reads = body_of(s.call(
        "GET", "/v1/audit?action=disclosures.read&person_id=" + std::to_string(s.person),
        "data-officer"));
    const auto& entries = reads.at("entries").as_array();
    REQUIRE(entries.size() == 4);
    CHECK(entries[0].at("role") == "data-officer");
    CHECK(entries[0].at("details").at("disclosures") == 0);
    CHECK(entries[0].at("details").at("format") == "html");
    CHECK(entries[1].at("details").at("disclosures") == 1);
    CHECK(entries[3].at("details").at("format") == "json");
}

TEST_CASE("push: deliveries survive failures and time-outs and arrive once per idempotency key") {
    Sharing s;
    // Two 503s, then an answer held back beyond the time-out, then normal service.
    PushReceiver receiver(s.server, {2, 2500, 1});
    const auto secret = s.subscribe(receiver.url(), R"(["languages","school","address"])");
    const auto consent = s.give_consent("ba-muenchen", R"(["identity","languages","school"])");
    REQUIRE(eventually([&] { return all_settled(s.server, 1); }));
    const auto before_import = s.full_profile();

    s.import_change("20.12.2030 10:00:00", "B1");  // a new import: the German level changes
    REQUIRE(eventually([&] { return all_settled(s.server, 2); }));

    const auto rows = s.server.cli({"deliver"});  // nothing is due any more
    CHECK(rows.out.find("0 sent") != std::string::npos);

    const auto stored = outbox(s.server);
    REQUIRE(stored.size() == 2);
    CHECK(stored[0].reason == "consent");
    CHECK(stored[1].reason == "import");
    const auto all = receiver.requests();
    const auto accepted = receiver.accepted();
    REQUIRE(accepted.size() == 2);
    std::set<std::string> keys;
    for (std::size_t i = 0; i < stored.size(); ++i) {
        CAPTURE(i);
        CHECK(stored[i].status == "delivered");
        CHECK(stored[i].consent_ids == std::to_string(consent));
        CHECK(accepted[i].key == stored[i].key);
        keys.insert(accepted[i].key);
    }
    CHECK(keys.size() == 2);
    CHECK(stored[0].attempts == 4);  // 503, 503, timed out, delivered

    // Every attempt is in the audit log: by the outbox, to the agency, under the consent.
    const auto audited =
        body_of(s.call("GET", "/v1/audit?action=share.push&person_id=" + std::to_string(s.person),
                       "data-officer"))
            .at("entries")
            .as_array();
    CHECK(audited.size() == static_cast<std::size_t>(stored[0].attempts + stored[1].attempts));
    for (const auto& e : audited) {
        CHECK(e.at("actor") == "outbox");
        CHECK(e.at("agency") == "ba-muenchen");
        CHECK(e.at("legal_basis").as_string() == "consent " + std::to_string(consent));
        CHECK(e.at("categories") == json::value(json::array{"school", "languages"}));
    }
    REQUIRE(all.size() >= 5);
    CHECK(all[0].outcome == "failed");
    CHECK(all[1].outcome == "failed");
    CHECK(all[2].outcome == "accepted late");
    CHECK(all[3].outcome == "duplicate");
    for (const auto& r : all) {
        CHECK(r.target == "/qreg/push");
        CHECK(r.header("x-qreg-subscription") == "1");
        CHECK(r.header("x-qreg-person") == std::to_string(s.person));
    }
    const auto after_import = s.full_profile();
    for (const auto& r : all) {
        check_pushed(r, secret, r.key == stored[0].key ? before_import : after_import,
                     {"school", "languages"});
    }
    CHECK(accepted[1].body.find(R"("level":"B1")") != std::string::npos);
    CHECK(accepted[1].header("x-qreg-event") == "import");

    std::size_t pushes = 0;
    for (const auto& d : s.disclosures()) {
        if (d.at("channel") != "push") continue;
        ++pushes;
        CHECK(d.at("categories") == json::array{"school", "languages"});
        CHECK(keys.count(std::string(d.at("reference").as_string())) == 1);
    }
    CHECK(pushes == static_cast<std::size_t>(stored[0].attempts + stored[1].attempts));
}

TEST_CASE("push: a revocation stops pending deliveries and what it covered is never sent again") {
    Sharing s;
    PushReceiver receiver(s.server, {1000, 0, 0});  // down for now
    const auto secret = s.subscribe(receiver.url(), R"(["languages","school"])");
    const auto languages = s.give_consent("ba-muenchen", R"(["languages"])");
    REQUIRE(eventually([&] { return receiver.requests().size() >= 2; }));
    CHECK(outbox(s.server).at(0).status == "pending");

    SUBCASE("revoking the only consent cancels the delivery at once") {
        s.revoke(languages);
        CHECK(outbox(s.server).at(0).status == "cancelled");
        // (an attempt decided just before the revocation may still be on its way)
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const auto seen = receiver.requests().size();
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        CHECK(receiver.requests().size() == seen);
    }
    SUBCASE("revoking one of two consents leaves only the other's categories") {
        const auto school = s.give_consent("ba-muenchen", R"(["school"])");
        const auto both = std::to_string(languages) + "," + std::to_string(school);
        REQUIRE(eventually([&] {
            const auto all = receiver.requests();
            return std::any_of(all.begin(), all.end(), [&](const Received& r) {
                return r.header("x-qreg-consents") == both;
            });
        }));
        s.revoke(school);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const auto before = receiver.requests().size();
        receiver.stop();
        receiver.start(qreg::test::ReceiverMode{});
        REQUIRE(eventually([&] { return all_settled(s.server, 1); }));
        const auto all = receiver.requests();
        const auto full = s.full_profile();
        for (std::size_t i = before; i < all.size(); ++i) {
            check_pushed(all[i], secret, full, {"languages"});
        }
        // The school consent queued a second delivery; once the first has arrived it has
        // nothing new to say.
        std::size_t delivered = 0;
        for (const auto& row : outbox(s.server)) {
            CHECK((row.status == "delivered" || row.status == "unchanged"));
            delivered += row.status == "delivered";
        }
        CHECK(delivered >= 1);
        CHECK(receiver.accepted().size() == delivered);
        for (const auto& r : receiver.accepted()) {
            CHECK(r.header("x-qreg-consents") == std::to_string(languages));
        }
    }
}

TEST_CASE("push: a ba-csv-v1 subscription gets the view in the Bundesagentur's layout") {
    Sharing s;
    PushReceiver receiver(s.server, {});
    const auto secret =
        s.subscribe(receiver.url("/ba/in"), R"(["identity","languages"])", "ba-csv-v1");
    (void)s.give_consent("ba-muenchen", R"(["languages","address"])");
    REQUIRE(eventually([&] { return all_settled(s.server, 1); }));
    const auto got = receiver.accepted();
    REQUIRE(got.size() == 1);
    const auto& r = got[0];
    CHECK(r.target == "/ba/in");
    CHECK(r.header("content-type") == "text/csv; charset=utf-8");
    CHECK(r.header("x-qreg-signature") == "sha256=" + hmac_hex(secret, r.body));
    CHECK(r.body.starts_with("\xEF\xBB\xBFKDNR;NACHNAME;VORNAME;"));
    const auto row = r.body.substr(r.body.find("\r\n") + 2);
    // Only DEUTSCH/SPRACHEN (languages) and STAND are filled: no name, no number, no address.
    CHECK(row.starts_with(std::string(22, ';')));
    CHECK(row.find("uk:M") != std::string::npos);
    CHECK(row.find("96515") == std::string::npos);
}

TEST_CASE("push: a restart in the middle of the outbox loses nothing and sends nothing twice") {
    Sharing s;
    // The first answer is held back long enough to kill the server while it waits for it.
    PushReceiver receiver(s.server, {0, 5000, 1});
    const auto secret = s.subscribe(receiver.url(), R"(["languages"])");
    (void)s.give_consent("ba-muenchen", R"(["languages"])");
    REQUIRE(eventually([&] { return !receiver.requests().empty(); }));
    s.server.crash();
    REQUIRE(outbox(s.server).at(0).status == "pending");

    s.server.start();
    s.client = s.server.client();
    REQUIRE(eventually([&] { return all_settled(s.server, 1); }));
    const auto row = outbox(s.server).at(0);
    CHECK(row.status == "delivered");
    CHECK(row.attempts >= 2);
    const auto all = receiver.requests();
    REQUIRE(all.size() >= 2);
    for (const auto& r : all) CHECK(r.key == row.key);
    CHECK(receiver.accepted().size() == 1);
    CHECK(all.back().outcome == "duplicate");

    SUBCASE("deliveries wait in the database while the server is down; qreg deliver sends them") {
        receiver.stop();  // the agency's endpoint is down
        s.import_change("20.12.2030 10:00:00", "B2");
        REQUIRE(eventually(
            [&] { return outbox(s.server).size() == 2 && outbox(s.server)[1].attempts >= 1; }));
        CHECK(s.server.stop() == 0);
        CHECK(outbox(s.server)[1].status == "pending");

        receiver.start(qreg::test::ReceiverMode{});
        REQUIRE(eventually([&] {
            (void)s.server.cli({"deliver"});
            return all_settled(s.server, 2);
        }));
        CHECK(outbox(s.server)[1].status == "delivered");
        const auto accepted = receiver.accepted();
        REQUIRE(accepted.size() == 2);
        CHECK(accepted[1].key == outbox(s.server)[1].key);
        s.server.start();
        s.client = s.server.client();
        check_pushed(accepted[1], secret, s.full_profile(), {"languages"});
    }
}

}  // TEST_SUITE("e2e.sharing")
