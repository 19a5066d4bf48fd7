#include "services/sharing.hpp"

#include "services/clock.hpp"
#include "services/crypto.hpp"
#include "services/profile.hpp"

#include "qreg/connectors/ba_csv.hpp"
#include "qreg/error.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

namespace reg = qreg::registry;
namespace json = boost::json;
using reg::ConsentRow;
using reg::ConsentState;

namespace {

constexpr const char* now = "2026-06-15T10:00:00.000Z";

ConsentRow consent(std::int64_t id, const std::string& agency, std::vector<std::string> categories,
                   const std::string& from = "2026-06-01",
                   const std::string& until = "2026-12-31") {
    ConsentRow c;
    c.id = id;
    c.person_id = 7;
    c.recipient = agency;
    c.categories = std::move(categories);
    c.purpose = "placement";
    c.legal_basis = "consent";
    c.valid_from = from;
    c.valid_until = until;
    c.evidence = "form 12";
    c.created_at = "2026-05-30T08:00:00.000Z";
    return c;
}

// One person known to two agencies, with something in every category.
std::vector<reg::ProfileSource> person() {
    reg::ProfileSource ba{"ba", "962D071234", "2026-03-01T10:00:00Z", false, {}};
    auto& r = ba.record;
    r.source = "ba";
    r.record_id = "962D071234";
    r.stand = ba.stand;
    r.family_name = "Al-Hassan";
    r.given_names = "Mohamad Ali";
    r.birth_name = "Hassan";
    r.birth_date = {1990, 3, 17, qreg::DatePrecision::day, false, "17.03.1990"};
    r.birthplace = "Aleppo";
    r.birth_country = "SYR";
    r.sex = qreg::Sex::male;
    r.nationalities = {"SYR"};
    r.ids.ba_customer_number = "962D071234";
    r.ids.azr_number = "123456789012";
    r.ids.bamf_file_number = "8123456-475";
    r.street = "Hauptstrasse";
    r.house_number = "5";
    r.postcode = "47798";
    r.town = "Krefeld";
    auto& q = r.qualifications;
    q.school = qreg::School{3, "AH", 12.0, "SYR"};
    q.trainings = {{"26212", "Elektriker", "completed", "abgeschlossen", "SYR"}};
    q.higher_education = qreg::HigherEducation{7, "M", "Maschinenbau", true, "SYR"};
    q.experience = {{"26212", "Elektriker", 4.5}};
    q.languages = {{"de", "B1", "B1", "DTZ"}, {"ar", "native", "M", ""}};
    q.recognition =
        qreg::Recognition{"partially_equivalent", "teilweise_gleichwertig", "26212", "2025-06-01"};
    q.integration_course = qreg::IntegrationCourse{"abgeschlossen", "B1"};

    reg::ProfileSource jc{"jobcenter", "36102BG0012345-02", "2026-02-01T10:00:00Z", false, {}};
    jc.record.source = "jobcenter";
    jc.record.record_id = jc.record_id;
    jc.record.stand = jc.stand;
    jc.record.family_name = "Al Hassan";
    jc.record.given_names = "Mohamad Ali";
    jc.record.ids.bg_number = "36102BG0012345";
    jc.record.qualifications.languages = {{"en", "B2", "B2", ""}};
    return {ba, jc};
}

std::string full_profile() {
    return reg::profile_json(7, person(), reg::SurvivorshipRules{});
}

reg::Grant grant_of(std::vector<std::string> categories) {
    return reg::grant_for(std::vector{consent(1, "ba-muenchen", std::move(categories))},
                          "ba-muenchen", now);
}

std::vector<std::string> keys(const json::object& o) {
    std::vector<std::string> out;
    for (const auto& [k, v] : o) out.emplace_back(k);
    return out;
}

// Values that belong to one category only: none may appear unless it is shared.
const std::map<std::string, std::vector<std::string>> telling = {
    {"identity", {"Al-Hassan", "Mohamad Ali", "Aleppo", "1990-03-17", "\"male\"", "Hassan"}},
    {"identifiers",
     {"962D071234", "123456789012", "8123456-475", "36102BG0012345", "\"jobcenter\"", "\"ba\""}},
    {"address", {"Hauptstrasse", "47798", "Krefeld"}},
    {"school", {"\"AH\""}},
    {"vocational_training", {"\"status\":\"completed\""}},
    {"higher_education", {"Maschinenbau"}},
    {"work_experience", {"4.5"}},
    {"languages", {"DTZ", "\"ar\"", "\"en\""}},
    {"recognition", {"teilweise_gleichwertig", "2025-06-01"}},
    {"integration_course", {"\"abgeschlossen\",\"result\""}},
};

}  // namespace

TEST_SUITE("registry.sharing") {

TEST_CASE("a consent is in force from its first to its last day until it is revoked") {
    const auto c = consent(1, "ba-muenchen", {"identity"}, "2026-06-15", "2026-06-20");
    CHECK(reg::consent_state(c, "2026-06-14T23:59:59.999Z") == ConsentState::not_yet_valid);
    CHECK(reg::consent_state(c, "2026-06-15T00:00:00.000Z") == ConsentState::in_force);
    CHECK(reg::consent_state(c, "2026-06-20T23:59:59.999Z") == ConsentState::in_force);
    CHECK(reg::consent_state(c, "2026-06-21T00:00:00.000Z") == ConsentState::expired);

    auto revoked = c;
    revoked.revoked_at = "2026-06-16T12:00:00.000Z";
    CHECK(reg::consent_state(revoked, "2026-06-16T11:59:59.999Z") == ConsentState::in_force);
    CHECK(reg::consent_state(revoked, "2026-06-16T12:00:00.000Z") == ConsentState::revoked);
    CHECK(reg::consent_state(revoked, "2026-06-30T00:00:00.000Z") == ConsentState::revoked);
    CHECK(reg::state_name(ConsentState::not_yet_valid) == "not_yet_valid");
}

TEST_CASE("several consents in force add up; revoked, expired and future ones count for nothing") {
    auto revoked = consent(3, "ba-muenchen", {"address"});
    revoked.revoked_at = "2026-06-10T00:00:00.000Z";
    auto statute = consent(6, "ba-muenchen", {"recognition"});
    statute.legal_basis = "statute";
    statute.statute = "SGB III § 9a";
    const std::vector<ConsentRow> consents = {
        consent(1, "ba-muenchen", {"languages", "identity"}),
        consent(2, "ba-muenchen", {"school", "languages"}),
        revoked,
        consent(4, "ba-muenchen", {"work_experience"}, "2026-01-01", "2026-06-14"),
        consent(5, "ba-muenchen", {"higher_education"}, "2026-06-16", "2026-12-31"),
        statute,
        consent(7, "jobcenter-muenchen", {"identifiers"}),
    };
    const auto g = reg::grant_for(consents, "ba-muenchen", now);
    CHECK(g.categories ==
          std::vector<std::string>{"identity", "school", "languages", "recognition"});
    CHECK(g.consent_ids() == std::vector<std::int64_t>{1, 2, 6});

    SUBCASE("another agency gets only its own") {
        const auto jc = reg::grant_for(consents, "jobcenter-muenchen", now);
        CHECK(jc.categories == std::vector<std::string>{"identifiers"});
        CHECK(reg::grant_for(consents, "bamf", now).empty());
    }
    SUBCASE("cut down to what a subscription wants, with only the consents that grant it") {
        const std::vector<std::string> wanted = {"school", "address"};
        const auto cut = reg::grant_for(consents, "ba-muenchen", now, wanted);
        CHECK(cut.categories == std::vector<std::string>{"school"});
        CHECK(cut.consent_ids() == std::vector<std::int64_t>{2});
    }
    SUBCASE("after the revocation time nothing of a revoked consent is left") {
        auto all = consents;
        all[0].revoked_at = all[1].revoked_at = all[5].revoked_at = "2026-06-15T09:00:00.000Z";
        CHECK(reg::grant_for(all, "ba-muenchen", now).empty());
    }
}

TEST_CASE("a new consent is checked field by field") {
    reg::NewConsent c{
        "ba-muenchen", {"identity", "languages"}, "placement", "consent", "", "2026-06-15",
        "2027-06-14",  "signed form, file 12"};
    CHECK_NOTHROW(reg::check_new_consent(c, "2026-06-15"));
    auto statute = c;
    statute.legal_basis = "statute";
    statute.statute = "SGB II § 50";
    statute.evidence = "";
    CHECK_NOTHROW(reg::check_new_consent(statute, "2026-06-15"));

    using Change = void (*)(reg::NewConsent&);
    const std::vector<std::pair<Change, const char*>> refusals = {
        {[](auto& b) {
             b.categories = {"identity", "health"};
         },
         "unknown category 'health'"},
        {[](auto& b) { b.categories = {}; }, "at least one category"},
        {[](auto& b) {
             b.categories = {"school", "school"};
         },
         "named twice"},
        {[](auto& b) { b.valid_from = "2026-06-14"; }, "\"valid_from\" is in the past"},
        {[](auto& b) { b.valid_until = "2026-06-14"; }, "\"valid_until\" is in the past"},
        {[](auto& b) {
             b.valid_from = "2026-06-16";
             b.valid_until = "2026-06-15";
         },
         "before \"valid_from\""},
        {[](auto& b) { b.valid_until = "2026-02-30"; }, "\"valid_until\" must be a date"},
        {[](auto& b) { b.legal_basis = "contract"; }, "\"consent\" or \"statute\""},
        {[](auto& b) { b.legal_basis = "statute"; }, "\"statute\" is required"},
        {[](auto& b) { b.statute = "SGB II § 50"; }, "only for \"legal_basis\": \"statute\""},
        {[](auto& b) { b.evidence = ""; }, "\"evidence\" is required"},
        {[](auto& b) { b.purpose = ""; }, "\"purpose\" is required"},
        {[](auto& b) { b.recipient = ""; }, "\"recipient\""},
    };
    for (const auto& [change, message] : refusals) {
        CAPTURE(message);
        auto bad = c;
        change(bad);
        CHECK_THROWS_WITH_AS(reg::check_new_consent(bad, "2026-06-15"), doctest::Contains(message),
                             qreg::Error);
    }
}

TEST_CASE("the shared view holds exactly the granted categories, field by field") {
    const auto full = json::parse(full_profile()).as_object();
    for (const auto category : reg::profile_categories) {
        for (const auto& granted : {std::vector<std::string>{std::string(category)},
                                    std::vector<std::string>{std::string(category), "languages"}}) {
            CAPTURE(category);
            const auto g = grant_of(granted);
            const auto text = reg::shared_view_json(7, full_profile(), g, now);
            const auto view = json::parse(text).as_object();
            CHECK(keys(view) == std::vector<std::string>{"person_id", "as_of", "categories",
                                                         "consents", "profile"});
            CHECK(view.at("person_id") == 7);
            CHECK(view.at("as_of") == now);
            CHECK(view.at("consents").as_array().size() == 1);
            CHECK(view.at("consents").as_array()[0].at("consent_id") == 1);

            const auto& p = view.at("profile").as_object();
            std::set<std::string> expected = {"person_id"};
            for (const auto& k : g.categories) expected.insert(k);
            const bool with_ids = expected.count("identifiers") > 0;
            if (expected.count("identity")) expected.insert("display_name");
            if (with_ids) expected.insert("records");
            const auto got = keys(p);
            CHECK(std::set<std::string>(got.begin(), got.end()) == expected);
            for (const auto& k : g.categories) {
                // the full profile's value, with sources reduced to their stand unless shared
                auto want = full.at(k);
                if (!with_ids) {
                    const auto stripped =
                        json::parse(reg::shared_profile(full_profile(), g.categories));
                    want = stripped.at(k);
                    CHECK(json::serialize(want).find("record_id") == std::string::npos);
                }
                CHECK(json::serialize(p.at(k)) == json::serialize(want));
            }
            for (const auto& [owner, values] : telling) {
                if (expected.count(owner)) continue;
                for (const auto& v : values) {
                    CAPTURE(v);
                    CHECK(text.find(v) == std::string::npos);
                }
            }
        }
    }
}

TEST_CASE("with identifiers shared, entries keep their sources and the records are listed") {
    const auto g = grant_of({"identifiers", "languages"});
    const auto p = json::parse(reg::shared_profile(full_profile(), g.categories)).as_object();
    CHECK(p.at("records").as_array().size() == 2);
    const auto& source = p.at("languages").as_array()[0].at("sources").as_array()[0];
    CHECK(source.as_object().contains("record_id"));
    const auto stripped = json::parse(reg::shared_profile(full_profile(), {{"languages"}}));
    const auto& bare = stripped.at("languages").as_array()[0].at("sources").as_array()[0];
    CHECK(keys(bare.as_object()) == std::vector<std::string>{"stand"});
}

TEST_CASE("the view hash changes with the content, not with the time") {
    const auto g = grant_of({"languages"});
    CHECK(reg::shared_view_hash(full_profile(), g) == reg::shared_view_hash(full_profile(), g));
    CHECK(reg::shared_view_hash(full_profile(), g) !=
          reg::shared_view_hash(full_profile(), grant_of({"languages", "school"})));
    auto other = person();
    other[0].record.qualifications.languages[0].level = "B2";
    const auto changed = reg::profile_json(7, other, reg::SurvivorshipRules{});
    CHECK(reg::shared_view_hash(full_profile(), g) != reg::shared_view_hash(changed, g));
}

TEST_CASE("the ba-csv-v1 view fills only the columns of granted categories") {
    // Which category each ba-csv-v1 column shows; STAND is the time of the view.
    const std::map<std::string, std::string> column_category = {
        {"KDNR", "identifiers"},
        {"NACHNAME", "identity"},
        {"VORNAME", "identity"},
        {"GEBURTSNAME", "identity"},
        {"GEBDAT", "identity"},
        {"GEBORT", "identity"},
        {"GESCHLECHT", "identity"},
        {"STAATSANG", "identity"},
        {"AZR_NR", "identifiers"},
        {"BAMF_AZ", "identifiers"},
        {"PLZ", "address"},
        {"WOHNORT", "address"},
        {"SCHULABSCHLUSS", "school"},
        {"SCHULJAHRE", "school"},
        {"AUSBILDUNG_KLDB", "vocational_training"},
        {"AUSBILDUNG_TXT", "vocational_training"},
        {"AUSBILDUNG_STATUS", "vocational_training"},
        {"STUDIUM", "higher_education"},
        {"STUDIENFACH", "higher_education"},
        {"ERFAHRUNG_KLDB", "work_experience"},
        {"ERFAHRUNG_JAHRE", "work_experience"},
        {"ZIELBERUF_KLDB", "(none)"},
        {"DEUTSCH", "languages"},
        {"SPRACHEN", "languages"},
        {"ANERKENNUNG", "recognition"},
        {"STAND", "(always)"},
        {"LOESCHUNG", "(none)"}};
    const auto cells = [](const std::string& csv) {
        REQUIRE(csv.starts_with("\xEF\xBB\xBF"));
        std::vector<std::vector<std::string>> rows;
        std::size_t at = 3;
        while (at < csv.size()) {
            const auto end = csv.find("\r\n", at);
            REQUIRE(end != std::string::npos);
            std::vector<std::string> row;
            std::string_view line(csv.data() + at, end - at);
            while (true) {  // the test data has no quoted fields
                const auto semi = line.find(';');
                row.emplace_back(line.substr(0, semi));
                if (semi == std::string_view::npos) break;
                line.remove_prefix(semi + 1);
            }
            rows.push_back(row);
            at = end + 2;
        }
        return rows;
    };
    for (const auto& granted :
         {std::vector<std::string>{"identity", "languages"},
          std::vector<std::string>{"identifiers", "school", "recognition"},
          std::vector<std::string>{"address", "vocational_training", "higher_education",
                                   "work_experience", "integration_course"}}) {
        const auto r =
            reg::render_shared_view("ba-csv-v1", 7, full_profile(), grant_of(granted), now);
        CHECK(r.content_type == "text/csv; charset=utf-8");
        const auto rows = cells(r.body);
        REQUIRE(rows.size() == 2);
        REQUIRE(rows[0].size() == qreg::connectors::ba_csv_columns.size());
        for (std::size_t i = 0; i < rows[0].size(); ++i) {
            const auto& column = rows[0][i];
            CAPTURE(column);
            CHECK(column == qreg::connectors::ba_csv_columns[i]);
            const auto& category = column_category.at(column);
            const bool shared =
                std::find(granted.begin(), granted.end(), category) != granted.end();
            if (category == "(always)") {
                CHECK(rows[1][i] == "15.06.2026 12:00:00");  // CEST
            } else {
                CHECK(rows[1][i].empty() == !shared);
            }
        }
    }
    const auto all = cells(
        reg::render_shared_view("ba-csv-v1", 7, full_profile(),
                                grant_of({"identity", "identifiers", "languages", "school"}), now)
            .body);
    const std::vector<std::string> expected = {"962D071234",
                                               "Al-Hassan",
                                               "Mohamad Ali",
                                               "Hassan",
                                               "17.03.1990",
                                               "Aleppo",
                                               "M",
                                               "SYR",
                                               "123456789012",
                                               "8123456-475",
                                               "",
                                               "",
                                               "AH",
                                               "12",
                                               "",
                                               "",
                                               "",
                                               "",
                                               "",
                                               "",
                                               "",
                                               "",
                                               "B1",
                                               "ar:M|en:B2",
                                               "",
                                               "15.06.2026 12:00:00",
                                               ""};
    CHECK(all[1] == expected);
}

TEST_CASE("json is the default shape and an unknown format is refused") {
    const auto g = grant_of({"languages"});
    const auto r = reg::render_shared_view("json", 7, full_profile(), g, now);
    CHECK(r.content_type == "application/json");
    CHECK(r.body == reg::shared_view_json(7, full_profile(), g, now));
    CHECK_THROWS_WITH_AS((void)reg::render_shared_view("xml", 7, full_profile(), g, now),
                         doctest::Contains("unknown format 'xml'"), qreg::Error);
}

TEST_CASE("grounds name each consent or statute a disclosure was made under") {
    auto statute = consent(2, "ba-muenchen", {"school"});
    statute.legal_basis = "statute";
    statute.statute = "SGB III § 9a";
    const auto g = reg::grant_for(std::vector{consent(1, "ba-muenchen", {"languages"}), statute},
                                  "ba-muenchen", now);
    const auto grounds = json::parse(reg::grounds_json(g)).as_array();
    REQUIRE(grounds.size() == 2);
    CHECK(grounds[0].at("consent_id") == 1);
    CHECK(grounds[0].at("legal_basis") == "consent");
    CHECK(grounds[1].at("legal_basis") == "statute");
    CHECK(grounds[1].at("statute") == "SGB III § 9a");
    // the audit log's legal basis names the same
    CHECK(reg::legal_basis_text(g) == "consent 1; statute SGB III § 9a (record 2)");
    CHECK(reg::legal_basis_text(statute) == "statute SGB III § 9a (record 2)");
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2") {
    CHECK(reg::hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(reg::sha256_hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const auto id = reg::random_uuid();
    CHECK(id.size() == 36);
    CHECK(id[14] == '4');
    CHECK(id != reg::random_uuid());
}

TEST_CASE("retries back off exponentially up to the cap") {
    using ms = std::chrono::milliseconds;
    CHECK(reg::retry_delay(1, ms(1000), ms(60000)) == ms(1000));
    CHECK(reg::retry_delay(2, ms(1000), ms(60000)) == ms(2000));
    CHECK(reg::retry_delay(4, ms(1000), ms(60000)) == ms(8000));
    CHECK(reg::retry_delay(7, ms(1000), ms(60000)) == ms(60000));
    CHECK(reg::retry_delay(1000, ms(1000), ms(60000)) == ms(60000));
}

TEST_CASE("a change concerns the subscriptions whose agency holds a live consent for them") {
    reg::SubscriptionRow ba{
        1, "ba-muenchen", "https://ba.example/hook", {"languages"}, "json", "s", "", "", ""};
    auto other_categories = ba;
    other_categories.id = 2;
    other_categories.categories = {"address"};
    auto cancelled = ba;
    cancelled.id = 3;
    cancelled.cancelled_at = "2026-06-01T00:00:00.000Z";
    auto jobcenter = ba;
    jobcenter.id = 4;
    jobcenter.agency = "jobcenter-muenchen";
    const std::vector subs = {ba, other_categories, cancelled, jobcenter};

    CHECK(reg::subscriptions_to_notify(std::vector{consent(1, "ba-muenchen", {"languages"})}, subs,
                                       now) == std::vector<std::int64_t>{1});
    // not yet valid: queued, and decided again when sent
    CHECK(reg::subscriptions_to_notify(
              std::vector{consent(1, "ba-muenchen", {"languages"}, "2026-07-01", "2026-12-31")},
              subs, now) == std::vector<std::int64_t>{1});
    auto revoked = consent(1, "ba-muenchen", {"languages"});
    revoked.revoked_at = "2026-06-02T00:00:00.000Z";
    CHECK(reg::subscriptions_to_notify(std::vector{revoked}, subs, now).empty());
    CHECK(reg::subscriptions_to_notify(
              std::vector{consent(1, "ba-muenchen", {"languages"}, "2026-01-01", "2026-06-14")},
              subs, now)
              .empty());
}

TEST_CASE("callback URLs are https with a host, an optional port and a path") {
    const auto url = reg::parse_callback_url("https://hooks.example.org:8443/qreg/in?x=1");
    REQUIRE(url);
    CHECK(url->host == "hooks.example.org");
    CHECK(url->port == 8443);
    CHECK(url->target == "/qreg/in?x=1");
    const auto plain = reg::parse_callback_url("https://127.0.0.1");
    REQUIRE(plain);
    CHECK(plain->port == 443);
    CHECK(plain->target == "/");
    const auto v6 = reg::parse_callback_url("https://[::1]:9/x");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    for (const char* bad :
         {"http://example.org/", "https://", "https://user:pw@example.org/",
          "https://example.org:0/", "https://example.org:99999/", "https://exa mple.org/",
          "https://example.org/a b", "ftp://x/", "https://example.org/#frag"}) {
        const std::string url_text = bad;
        CAPTURE(url_text);
        CHECK(!reg::parse_callback_url(bad));
    }
}

TEST_CASE("times are written and read as UTC with milliseconds") {
    const auto t = reg::parse_time("2026-06-15T10:00:00.250Z");
    REQUIRE(t);
    CHECK(reg::format_time(*t) == "2026-06-15T10:00:00.250Z");
    CHECK(reg::format_time(*reg::parse_time("2026-06-15T10:00:00Z")) == "2026-06-15T10:00:00.000Z");
    CHECK(!reg::parse_time("2026-06-15 10:00:00Z"));
    CHECK(!reg::parse_time("2026-02-30T10:00:00Z"));
    CHECK(reg::is_date("2028-02-29"));
    CHECK(!reg::is_date("2027-02-29"));
    const auto clock = reg::Clock::starting_at(*t);
    CHECK(clock.now() >= *t);
    CHECK(clock.now() - *t < std::chrono::seconds(5));
}

}  // TEST_SUITE("registry.sharing")
