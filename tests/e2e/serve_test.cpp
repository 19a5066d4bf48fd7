// End-to-end: the real `qreg serve` over TLS on loopback, driven by a real HTTPS client.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "e2e/api_helpers.hpp"
#include "e2e/server_fixture.hpp"

namespace json = boost::json;
using qreg::connectors::HttpClient;
using qreg::connectors::HttpResult;
using qreg::test::RunningServer;

using qreg::test::body_of;
using qreg::test::person_of;

TEST_CASE("healthz and the web page answer without a token, everything else needs a valid one") {
    RunningServer s;
    auto c = s.client();
    const auto health = c.request("GET", "/healthz");
    CHECK(health.status == 200);
    CHECK(body_of(health).at("status") == "ok");
    CHECK(!health.header("x-request-id").empty());

    const auto page = c.request("GET", "/");
    CHECK(page.status == 200);
    CHECK(page.header("content-type") == "text/html; charset=utf-8");
    CHECK(page.body.find("<html lang=\"de\">") != std::string::npos);
    const auto csp = page.header("content-security-policy");
    CHECK(csp.find("script-src 'self';") != std::string::npos);
    CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
    const auto script = c.request("GET", "/static/app.js");
    CHECK(script.status == 200);
    CHECK(script.header("content-type") == "text/javascript; charset=utf-8");
    CHECK(script.header("x-content-type-options") == "nosniff");
    CHECK(c.request("GET", "/static/missing.js").status == 404);

    const auto none = c.request("GET", "/v1/persons?name=x");
    CHECK(none.status == 401);
    CHECK(body_of(none).at("error") == "unauthorized");
    CHECK(none.header("www-authenticate") == "Bearer");

    const auto bad = c.request("GET", "/v1/persons?name=x", {{"Authorization", "Bearer qreg_nope"}});
    CHECK(bad.status == 401);

    const auto ok = c.request("GET", "/v1/openapi.json", s.auth("caseworker"));
    CHECK(ok.status == 200);
    CHECK(body_of(ok).at("openapi") == "3.0.3");
}

TEST_CASE("roles: what each may call, and nothing without a token") {
    RunningServer s;
    auto c = s.client();
    struct Case {
        const char* method;
        std::string target;
        std::string body;
        std::vector<std::string> allowed;
    };
    const std::vector<Case> cases = {
        {"GET", "/v1/persons?name=Abbas", "", {"caseworker"}},
        {"GET", "/v1/persons/1", "", {"caseworker"}},
        {"GET", "/v1/review", "", {"caseworker"}},
        {"POST", "/v1/review/999999", R"({"decision":"link"})", {"caseworker"}},
        {"POST", "/v1/persons/999999/merge", R"({"person_id":1})", {"caseworker"}},
        {"POST", "/v1/persons/999999/split", R"({"records":[]})", {"caseworker"}},
        {"GET", "/v1/audit", "", {"data-officer"}},
        {"GET", "/v1/audit/checkpoint", "", {"data-officer", "admin"}},
        {"GET", "/v1/audit/proof?entry=1", "", {"data-officer", "admin"}},
        {"GET", "/v1/me", "", {"caseworker", "data-officer", "admin", "agency"}},
        {"GET", "/v1/openapi.json", "", {"caseworker", "data-officer", "admin", "agency"}},
        {"POST", "/v1/imports?format=ba-csv-v1", "", {"agency", "admin"}},
        {"POST", "/v1/persons/999999/consents", "{}", {"caseworker"}},
        {"GET", "/v1/persons/999999/consents", "", {"caseworker", "data-officer"}},
        {"POST", "/v1/consents/999999/revoke", "", {"caseworker"}},
        {"GET", "/v1/persons/999999/disclosures", "", {"data-officer"}},
        {"GET", "/v1/shared/persons?identifier=x", "", {"agency"}},
        {"GET", "/v1/shared/persons/999999", "", {"agency"}},
        {"POST", "/v1/subscriptions", "{}", {"agency"}},
        {"GET", "/v1/subscriptions", "", {"agency", "admin"}},
        {"DELETE", "/v1/subscriptions/999999", "", {"agency", "admin"}},
    };
    for (const auto& k : cases) {
        CAPTURE(k.target);
        const auto r = c.request(k.method, k.target, {}, k.body);
        CHECK(r.status == 401);
    }
    for (const auto& k : cases) {
        for (const std::string role : {"caseworker", "data-officer", "admin", "agency"}) {
            CAPTURE(k.target);
            CAPTURE(role);
            const auto r = c.request(k.method, k.target, s.auth(role), k.body);
            const bool allowed =
                std::find(k.allowed.begin(), k.allowed.end(), role) != k.allowed.end();
            if (allowed) {
                CHECK(r.status != 401);
                CHECK(r.status != 403);
            } else {
                CHECK(r.status == 403);
                CHECK(body_of(r).at("error") == "forbidden");
            }
        }
    }
}

TEST_CASE("an agency pushes only its own formats and gets the import summary") {
    RunningServer s(false);
    auto c = s.client();
    const auto own = c.upload("POST", "/v1/imports?format=ba-csv-v1&filename=ba.csv",
                              s.auth("agency"), qreg::test::sample("ba-csv-v1"));
    REQUIRE(own.status == 200);
    const auto summary = body_of(own);
    for (const char* key : {"received", "new", "updated", "unchanged", "stale", "retracted", "rejected",
                            "rejects"}) {
        CHECK(summary.contains(key));
    }
    CHECK(summary.at("new").as_int64() > 0);
    CHECK(summary.at("received").as_int64() == summary.at("new").as_int64() +
                                                   summary.at("rejected").as_int64());
    CHECK(summary.at("matching").at("mode").as_string() == "full");  // an empty registry

    const auto again = c.upload("POST", "/v1/imports?format=ba-csv-v1", s.auth("agency"),
                                qreg::test::sample("ba-csv-v1"));
    REQUIRE(again.status == 200);
    CHECK(body_of(again).at("new").as_int64() == 0);

    const auto other = c.upload("POST", "/v1/imports?format=bamf-jsonl-v1", s.auth("agency"),
                                qreg::test::sample("bamf-jsonl-v1"));
    CHECK(other.status == 403);
    const auto unknown = c.request("POST", "/v1/imports?format=nope", s.auth("admin"), "x");
    CHECK(unknown.status == 400);
    const auto admin = c.upload("POST", "/v1/imports?format=bamf-jsonl-v1", s.auth("admin"),
                                qreg::test::sample("bamf-jsonl-v1"));
    REQUIRE(admin.status == 200);
    // Matched as from the CLI: BAMF records of people the BA already knows join their persons.
    CHECK(body_of(admin).at("matching").at("records_moved").as_int64() > 0);
    const auto caseworker = c.upload("POST", "/v1/imports?format=ba-csv-v1", s.auth("caseworker"),
                                     qreg::test::sample("ba-csv-v1"));
    CHECK(caseworker.status == 403);
}

TEST_CASE("search tolerates spelling variants and finds persons by any identifier") {
    RunningServer s;
    auto c = s.client();
    // BAMF writes ABBAS, HASSAN ALI; the Jobcenter Abas, Hasan Aly: one person after matching.
    const auto r = c.request("GET", "/v1/persons?name=Hasan%20Abbas&birth_date=1963",
                             s.auth("caseworker"));
    REQUIRE(r.status == 200);
    const auto results = body_of(r).at("results").as_array();
    REQUIRE(!results.empty());
    const auto person = results[0].as_object().at("person_id").as_int64();
    CHECK(person == person_of(s, "bamf", "2511633-475"));
    CHECK(results[0].as_object().at("birth_date") == "1963-03-14");
    // Scores read as people write numbers: `-1.39`, not `-1.39E0`.
    CHECK(r.body.find("\"score\":" + fmt::format("{}", results[0].as_object().at("score").to_number<double>())) !=
          std::string::npos);
    CHECK(r.body.find("E0") == std::string::npos);

    const auto by_azr = c.request("GET", "/v1/persons?identifier=534292094911", s.auth("caseworker"));
    REQUIRE(by_azr.status == 200);
    const auto azr_results = body_of(by_azr).at("results").as_array();
    REQUIRE(azr_results.size() == 1);
    CHECK(azr_results[0].as_object().at("person_id").as_int64() == person);

    const auto nothing = c.request("GET", "/v1/persons?birth_date=1963", s.auth("caseworker"));
    CHECK(nothing.status == 400);
    const auto bad_date = c.request("GET", "/v1/persons?name=x&birth_date=63", s.auth("caseworker"));
    CHECK(bad_date.status == 400);
}

TEST_CASE("the profile shows chosen values with their sources and every record") {
    RunningServer s;
    auto c = s.client();
    const auto person = person_of(s, "bamf", "2511633-475");
    const auto r = c.request("GET", "/v1/persons/" + std::to_string(person), s.auth("caseworker"));
    REQUIRE(r.status == 200);
    const auto p = body_of(r);
    CHECK(p.at("person_id").as_int64() == person);
    const auto& family = p.at("identity").as_object().at("family_name").as_object();
    CHECK(!family.at("sources").as_array().empty());
    CHECK(p.at("records").as_array().size() >= 2);
    CHECK(p.contains("languages"));

    CHECK(c.request("GET", "/v1/persons/99999999", s.auth("caseworker")).status == 404);
    CHECK(c.request("GET", "/v1/persons/abc", s.auth("caseworker")).status == 400);
}

TEST_CASE("split and merge take effect at once and bind the next full dedup") {
    RunningServer s;
    auto c = s.client();
    const auto person = person_of(s, "bamf", "2511633-475");
    const auto split = c.request(
        "POST", "/v1/persons/" + std::to_string(person) + "/split", s.auth("caseworker"),
        R"({"records":[{"source":"bamf","record_id":"2511633-475"}]})");
    REQUIRE(split.status == 200);
    const auto moved = body_of(split).at("new_person_id").as_int64();
    CHECK(moved != person);
    CHECK(person_of(s, "bamf", "2511633-475") == moved);

    s.dedup();  // the decision is a constraint: a full recompute keeps the records apart
    CHECK(person_of(s, "bamf", "2511633-475") != person_of(s, "jobcenter", s.jobcenter_abbas_id()));

    const auto now_apart = person_of(s, "bamf", "2511633-475");
    const auto other = person_of(s, "jobcenter", s.jobcenter_abbas_id());
    const auto merge = c.request("POST", "/v1/persons/" + std::to_string(other) + "/merge",
                                 s.auth("caseworker"),
                                 R"({"person_id":)" + std::to_string(now_apart) + "}");
    REQUIRE(merge.status == 200);
    CHECK(person_of(s, "bamf", "2511633-475") == other);
    s.dedup();
    CHECK(person_of(s, "bamf", "2511633-475") == person_of(s, "jobcenter", s.jobcenter_abbas_id()));

    const auto self = c.request("POST", "/v1/persons/" + std::to_string(other) + "/merge",
                                s.auth("caseworker"), R"({"person_id":)" + std::to_string(other) + "}");
    CHECK(self.status == 400);
    const auto all = c.request("POST", "/v1/persons/" + std::to_string(other) + "/split",
                               s.auth("caseworker"), R"({"records":"x"})");
    CHECK(all.status == 400);
    const auto not_json = c.request("POST", "/v1/persons/" + std::to_string(other) + "/merge",
                                    s.auth("caseworker"), "{");
    CHECK(not_json.status == 400);
}

TEST_CASE("the review queue lists possible matches with explanations and decisions remove them") {
    RunningServer s;
    auto c = s.client();
    const auto r = c.request("GET", "/v1/review", s.auth("caseworker"));
    REQUIRE(r.status == 200);
    const auto queue = body_of(r);
    const auto& items = queue.at("items").as_array();
    CHECK(static_cast<std::size_t>(queue.at("total").as_int64()) >= items.size());
    if (items.empty()) return;  // the samples may leave nothing to review
    const auto& first = items[0].as_object();
    CHECK(!first.at("explanation").as_object().at("fields").as_array().empty());
    const auto id = first.at("id").as_int64();
    const auto d = c.request("POST", "/v1/review/" + std::to_string(id), s.auth("caseworker"),
                             R"({"decision":"separate"})");
    CHECK(d.status == 200);
    CHECK(c.request("POST", "/v1/review/" + std::to_string(id), s.auth("caseworker"),
                    R"({"decision":"separate"})")
              .status == 404);
    CHECK(c.request("POST", "/v1/review/1", s.auth("caseworker"), R"({"decision":"maybe"})").status ==
          400);
}

TEST_CASE("a revoked token stops working at once") {
    RunningServer s(false);
    // Several connections and requests first, so that every worker thread has seen the token
    // (they keep the principals of tokens they authenticated while the database is unchanged).
    auto c = s.client();
    auto c2 = s.client();
    for (int i = 0; i < 4; ++i) {
        CHECK(c.request("GET", "/v1/me", s.auth("caseworker")).status == 200);
        CHECK(c2.request("GET", "/v1/me", s.auth("caseworker")).status == 200);
    }
    s.revoke("caseworker");
    for (int i = 0; i < 4; ++i) {
        CHECK(c.request("GET", "/v1/me", s.auth("caseworker")).status == 401);
        CHECK(c2.request("GET", "/v1/me", s.auth("caseworker")).status == 401);
    }
    CHECK(c.request("GET", "/v1/me", s.auth("data-officer")).status == 200);
}

TEST_CASE("oversized bodies are refused and unknown endpoints are 404") {
    RunningServer s(false);
    auto c = s.client();
    const std::string big(2 << 20, 'x');
    const auto r = c.request("POST", "/v1/review/1", s.auth("caseworker"), big);
    CHECK(r.status == 413);
    auto c2 = s.client();
    CHECK(c2.request("GET", "/v1/nothing", s.auth("caseworker")).status == 404);
}

TEST_CASE("TLS 1.2 is the minimum and plain HTTP is refused on the TLS port") {
    RunningServer s(false);
    CHECK(s.handshake_with_max_version("-tls1_1") == false);
    CHECK(s.handshake_with_max_version("-tls1_2") == true);
    qreg::connectors::HttpClientOptions o;
    o.port = s.port();
    o.tls = false;
    HttpClient plain(o);
    CHECK_THROWS(plain.request("GET", "/healthz"));
}

TEST_CASE("the server runs with its malloc tuning unless the operator set GLIBC_TUNABLES") {
    // The environment the running server process has, NUL-separated.
    const auto environment = [](const RunningServer& s) {
        return qreg::test::read_file(fmt::format("/proc/{}/environ", s.pid()));
    };
    RunningServer s(false);
    CHECK(s.client().request("GET", "/healthz").status == 200);
    CHECK(environment(s).find(std::string("GLIBC_TUNABLES=glibc.malloc.tcache_count=2000") + '\0') !=
          std::string::npos);
    REQUIRE(s.stop() == 0);
    s.start({"GLIBC_TUNABLES=glibc.malloc.perturb=0"});
    CHECK(s.client().request("GET", "/healthz").status == 200);
    const auto env = environment(s);
    CHECK(env.find("GLIBC_TUNABLES=glibc.malloc.perturb=0") != std::string::npos);
    CHECK(env.find("tcache_count") == std::string::npos);
}

TEST_CASE("SIGTERM stops the server cleanly") {
    RunningServer s(false);
    auto c = s.client();
    CHECK(c.request("GET", "/healthz").status == 200);
    CHECK(s.stop() == 0);
}

TEST_CASE("every search, profile read and correction is in the audit log, which verifies") {
    RunningServer s;
    auto c = s.client();
    const auto person = person_of(s, "bamf", "2511633-475");
    REQUIRE(c.request("GET", "/v1/persons?name=Hasan%20Abbas", s.auth("caseworker")).status == 200);
    REQUIRE(c.request("GET", "/v1/persons/" + std::to_string(person), s.auth("caseworker")).status ==
            200);

    const auto reads = c.request("GET", "/v1/audit?action=profile.read&person_id=" +
                                            std::to_string(person),
                                 s.auth("data-officer"));
    REQUIRE(reads.status == 200);
    const auto reads_body = body_of(reads);
    const auto& entries = reads_body.at("entries").as_array();
    REQUIRE(entries.size() == 1);
    const auto& entry = entries[0].as_object();
    CHECK(entry.at("actor") == "test caseworker");
    CHECK(entry.at("role") == "caseworker");
    CHECK(!entry.at("request_id").as_string().empty());

    const auto searches = c.request("GET", "/v1/audit?action=search", s.auth("data-officer"));
    REQUIRE(searches.status == 200);
    const auto searches_body = body_of(searches);
    const auto& found = searches_body.at("entries").as_array();
    REQUIRE(found.size() == 1);
    CHECK(json::serialize(found[0]).find("Hasan Abbas") != std::string::npos);  // the query itself

    const auto checkpoint = c.request("GET", "/v1/audit/checkpoint", s.auth("data-officer"));
    REQUIRE(checkpoint.status == 200);
    const auto size = body_of(checkpoint).at("tree_size").as_int64();
    CHECK(size >= 2);
    const auto proof = c.request("GET", "/v1/audit/proof?entry=1", s.auth("data-officer"));
    CHECK(proof.status == 200);
    const auto consistency = c.request("GET", "/v1/audit/consistency?from=1&to=" + std::to_string(size),
                                       s.auth("admin"));
    CHECK(consistency.status == 200);

    const auto verify = s.cli({"audit", "verify"});
    CHECK(verify.out.find(std::to_string(size)) != std::string::npos);
}

TEST_CASE("reads answered before a crash are in the log after the restart") {
    RunningServer s;
    auto c = s.client();
    const auto person = person_of(s, "bamf", "2511633-475");
    constexpr int reads = 20;
    for (int i = 0; i < reads; ++i) {
        REQUIRE(c.request("GET", "/v1/persons/" + std::to_string(person), s.auth("caseworker"))
                    .status == 200);
    }
    s.crash();  // SIGKILL right after the answers: the entries may still be only in the spool
    const auto spool = s.db() + "-audit-spool";
    CHECK(std::filesystem::exists(spool));
    const auto before = s.cli({"audit", "verify"});  // the log as it is; the spool is named
    if (std::filesystem::file_size(spool) > 0) {
        CHECK(before.err.find("wait in " + spool) != std::string::npos);
        CHECK(before.err.find("the next `qreg serve` on this database folds them") != std::string::npos);
    }

    s.start();  // folds what the spool holds before it serves
    auto again = s.client();
    const auto listed = again.request(
        "GET", "/v1/audit?action=profile.read&person_id=" + std::to_string(person),
        s.auth("data-officer"));
    REQUIRE(listed.status == 200);
    CHECK(body_of(listed).at("entries").as_array().size() == reads);
    CHECK(s.cli({"audit", "verify"}).out.find("entries") != std::string::npos);

    // A second server on the same database is refused with a clear message while this one runs.
    const auto second = qreg::test::run_process({QREG_BINARY, "serve", "--db", s.db(), "--listen", "127.0.0.1:0",
                                     "--tls-cert", s.cert_file(), "--tls-key", s.key_file()});
    CHECK(second.exit_code != 0);
    CHECK(second.err.find("holds the audit spool") != std::string::npos);
}
