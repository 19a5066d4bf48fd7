#include "services/sharing_service.hpp"

#include "services/delivery_service.hpp"
#include "services/import_service.hpp"
#include "services/review_service.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include "qreg/error.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <span>
#include <string>

namespace reg = qreg::registry;

namespace {

reg::AuditContext caseworker_context() { return {{"caseworker", "caseworker", ""}, "test"}; }
reg::AuditContext agency_context(const std::string& agency) {
    return {{agency + "-system", "agency", agency}, "req-" + agency};
}

// The plain person ids an entry names (none erased here).
std::vector<std::int64_t> persons_of(const qreg::StoredAuditEntry& e) {
    std::vector<std::int64_t> out;
    for (const auto& p : e.persons) out.push_back(p.person_id.value_or(-1));
    return out;
}

constexpr const char* now = "2026-06-15T10:00:00.000Z";

constexpr const char* header =
    "KDNR;NACHNAME;VORNAME;GEBURTSNAME;GEBDAT;GEBORT;GESCHLECHT;STAATSANG;AZR_NR;BAMF_AZ;PLZ;"
    "WOHNORT;SCHULABSCHLUSS;SCHULJAHRE;AUSBILDUNG_KLDB;AUSBILDUNG_TXT;AUSBILDUNG_STATUS;STUDIUM;"
    "STUDIENFACH;ERFAHRUNG_KLDB;ERFAHRUNG_JAHRE;ZIELBERUF_KLDB;DEUTSCH;SPRACHEN;ANERKENNUNG;STAND;"
    "LOESCHUNG\r\n";

std::string row(const std::string& id, const std::string& family, const std::string& german,
                const std::string& stand) {
    return id + ";" + family + ";Test;;01.02.1980;;M;SYR;;;;;;;;;;;;;;;" + german + ";;;" + stand +
           ";\r\n";
}

// A registry with agencies and three BA persons (each record its own person).
struct Registry {
    qreg::test::TempDir dir;
    reg::Store store{dir / "r.db"};
    reg::AuditLog audit{store, reg::open_audit_keys(store, {dir / "key.pem", dir / "pseudonym.key"})};
    qreg::connectors::FormatCatalog formats;
    reg::SurvivorshipRules rules;

    Registry() {
        {
            reg::Store::Transaction tx(store);
            store.put_agency({"ba-muenchen", "BA", "labour_agency", {}});
            store.put_agency({"jobcenter-muenchen", "JC", "jobcenter", {}});
            tx.commit();
        }
        import(row("100A000001", "Eins", "A1", "01.01.2026 10:00:00") +
               row("100A000002", "Zwei", "A2", "01.01.2026 10:00:00") +
               row("100A000003", "Drei", "B1", "01.01.2026 10:00:00"));
    }

    void import(const std::string& rows) {
        const std::string bytes = header + rows;
        std::size_t at = 0;
        reg::ImportSession session(store, formats, "ba-csv-v1", "test", now);
        session.add_file("export.csv", [&](std::span<char> buffer) {
            const auto n = std::min(buffer.size(), bytes.size() - at);
            std::copy_n(bytes.data() + at, n, buffer.data());
            at += n;
            return n;
        });
        (void)session.commit(now);
    }

    std::int64_t person(const std::string& id) { return store.record("ba", id)->person_id; }

    reg::ConsentRow consent(std::int64_t person, const std::string& agency,
                            std::vector<std::string> categories) {
        return reg::create_consent(store, person,
                                   {agency, std::move(categories), "placement", "consent", "",
                                    "2026-06-15", "2026-12-31", "form"},
                                   "caseworker", now, audit, caseworker_context());
    }

    reg::SubscriptionRow subscribe(const std::string& agency, std::vector<std::string> categories,
                                   const std::string& url = "https://127.0.0.1:1/hook") {
        return reg::create_subscription(store, {agency, url, std::move(categories), "json"},
                                        "agency", now, audit, agency_context(agency));
    }

    std::vector<reg::DeliveryRow> outbox(std::int64_t subscription) {
        return store.deliveries_of(subscription);
    }

    // The audit log's entries of `action`, oldest first.
    std::vector<qreg::StoredAuditEntry> logged(const char* action) {
        qreg::AuditFilter filter;
        filter.action = action;
        return audit.entries(filter, {0, 1000}).entries;
    }

    reg::ConsentRow revoke(std::int64_t consent, const char* at = now) {
        return reg::revoke_consent(store, consent, "caseworker", at, audit, caseworker_context());
    }

    void cancel(std::int64_t subscription, const std::string& agency) {
        reg::cancel_subscription(store, subscription, agency, now, audit, agency_context(agency));
    }

    reg::OutboxReport run_outbox(const reg::SharingSettings& settings, const reg::Clock& clock) {
        return reg::run_outbox(store, audit, rules, settings, clock, "test");
    }

};

reg::Clock clock_at(const char* time) {
    return reg::Clock::starting_at(*reg::parse_time(time));
}

}  // namespace

TEST_SUITE("registry.sharing_service") {

TEST_CASE("a consent queues a push for the recipient's subscriptions that want its categories") {
    Registry r;
    const auto languages = r.subscribe("ba-muenchen", {"languages"});
    const auto address = r.subscribe("ba-muenchen", {"address"});
    const auto jobcenter = r.subscribe("jobcenter-muenchen", {"languages"});
    const auto person = r.person("100A000001");
    const auto c = r.consent(person, "ba-muenchen", {"identity", "languages"});
    CHECK(c.id > 0);
    CHECK(c.created_by == "caseworker");
    REQUIRE(r.outbox(languages.id).size() == 1);
    CHECK(r.outbox(languages.id)[0].reason == "consent");
    CHECK(r.outbox(languages.id)[0].person_id == person);
    CHECK(r.outbox(address.id).empty());
    CHECK(r.outbox(jobcenter.id).empty());

    CHECK_THROWS_WITH_AS(r.consent(999999, "ba-muenchen", {"identity"}),
                         doctest::Contains("no person 999999"), qreg::Error);
    CHECK_THROWS_WITH_AS(r.consent(person, "nobody", {"identity"}),
                         doctest::Contains("unknown recipient 'nobody'"), qreg::Error);
}

TEST_CASE("imports, merges, splits and review decisions queue pushes for consented persons") {
    Registry r;
    const auto sub = r.subscribe("ba-muenchen", {"languages"});
    const auto one = r.person("100A000001"), two = r.person("100A000002");
    (void)r.consent(one, "ba-muenchen", {"languages"});
    auto first = r.outbox(sub.id).at(0);
    first.status = "delivered";  // so that the next change needs a delivery of its own
    r.store.update_delivery(first);

    SUBCASE("an import that changes the person") {
        r.import(row("100A000001", "Eins", "B2", "02.01.2026 10:00:00") +
                 row("100A000002", "Zwei", "B2", "02.01.2026 10:00:00"));
        REQUIRE(r.outbox(sub.id).size() == 2);
        CHECK(r.outbox(sub.id)[1].reason == "import");
        CHECK(r.outbox(sub.id)[1].person_id == one);
        r.import(row("100A000001", "Eins", "B2", "02.01.2026 10:00:00"));  // unchanged: no push
        CHECK(r.outbox(sub.id).size() == 2);
    }
    SUBCASE("a merge into the person, and a split of it") {
        reg::merge_persons(r.store, one, two, now, nullptr, caseworker_context());
        REQUIRE(r.outbox(sub.id).size() == 2);
        CHECK(r.outbox(sub.id)[1].reason == "merge");
        CHECK(r.outbox(sub.id)[1].person_id == one);
        (void)reg::split_person(r.store, one, {{"ba", "100A000002"}}, now, nullptr, caseworker_context());
        // the delivery queued by the merge has not been tried: it carries the split as well
        CHECK(r.outbox(sub.id).size() == 2);
    }
    SUBCASE("the person's record moving away to another person") {
        reg::merge_persons(r.store, two, one, now, nullptr, caseworker_context());
        REQUIRE(r.outbox(sub.id).size() == 2);
        CHECK(r.outbox(sub.id)[1].reason == "merge");
        CHECK(r.outbox(sub.id)[1].person_id == one);
    }
    SUBCASE("persons without consent queue nothing") {
        reg::merge_persons(r.store, two, r.person("100A000003"), now, nullptr, caseworker_context());
        CHECK(r.outbox(sub.id).size() == 1);
    }
}

TEST_CASE("revoking a consent cancels pending pushes that nothing else covers") {
    Registry r;
    const auto sub = r.subscribe("ba-muenchen", {"languages", "school"});
    const auto person = r.person("100A000001");
    const auto languages = r.consent(person, "ba-muenchen", {"languages"});
    const auto school = r.consent(person, "ba-muenchen", {"school"});
    REQUIRE(r.outbox(sub.id).size() == 1);
    (void)r.revoke(school.id, "2026-06-15T11:00:00.000Z");
    CHECK(r.outbox(sub.id)[0].status == "pending");  // languages still covers it
    const auto revoked = r.revoke(languages.id, "2026-06-15T11:00:00.000Z");
    CHECK(revoked.revoked_at == "2026-06-15T11:00:00.000Z");
    CHECK(r.outbox(sub.id)[0].status == "cancelled");
    CHECK(r.outbox(sub.id)[0].last_error == "no consent in force");
    CHECK_THROWS_WITH_AS((void)r.revoke(languages.id), doctest::Contains("revoked already"),
                         qreg::Error);
    CHECK_THROWS_WITH_AS((void)r.revoke(999), doctest::Contains("no consent 999"), qreg::Error);
    CHECK(reg::person_consents(r.store, person).size() == 2);

    // Grants and revocations are in the audit log; the failed revocations are not.
    const auto grants = r.logged(qreg::audit_action::consent_grant);
    REQUIRE(grants.size() == 2);
    CHECK(persons_of(grants[0]) == std::vector<std::int64_t>{person});
    CHECK(grants[0].categories_json == R"(["languages"])");
    CHECK(grants[0].legal_basis == fmt::format("consent {}", languages.id));
    CHECK(grants[0].actor == "caseworker");
    CHECK(grants[0].details_json.find(R"("recipient":"ba-muenchen")") != std::string::npos);
    const auto revocations = r.logged(qreg::audit_action::consent_revoke);
    REQUIRE(revocations.size() == 2);
    CHECK(revocations[0].details_json.find(fmt::format(R"("consent_id":{})", school.id)) !=
          std::string::npos);
    CHECK(revocations[0].details_json.find(R"("cancelled_pushes":0)") != std::string::npos);
    CHECK(revocations[1].details_json.find(R"("cancelled_pushes":1)") != std::string::npos);
    CHECK(revocations[1].categories_json == R"(["languages"])");
}

TEST_CASE("cancelling a subscription cancels its pending pushes; only its agency may") {
    Registry r;
    const auto sub = r.subscribe("ba-muenchen", {"languages"});
    (void)r.consent(r.person("100A000001"), "ba-muenchen", {"languages"});
    CHECK_THROWS_WITH_AS(r.cancel(sub.id, "jobcenter-muenchen"),
                         doctest::Contains("no active subscription"), qreg::Error);
    r.cancel(sub.id, "ba-muenchen");
    CHECK(r.outbox(sub.id)[0].status == "cancelled");
    CHECK(r.store.subscriptions("ba-muenchen").empty());

    const auto created = r.logged(qreg::audit_action::subscription_create);
    REQUIRE(created.size() == 1);
    CHECK(created[0].agency == "ba-muenchen");
    CHECK(created[0].categories_json == R"(["languages"])");
    const auto cancelled = r.logged(qreg::audit_action::subscription_cancel);
    REQUIRE(cancelled.size() == 1);  // the refused attempt is not logged
    CHECK(cancelled[0].request_id == "req-ba-muenchen");
    CHECK(cancelled[0].details_json.find(R"("cancelled_pushes":1)") != std::string::npos);
}

TEST_CASE("subscriptions need an https callback, known categories and a known format") {
    Registry r;
    CHECK(r.subscribe("ba-muenchen", {"languages"}).secret.size() == 43);
    CHECK_THROWS_WITH_AS(r.subscribe("ba-muenchen", {"languages"}, "http://example.org/"),
                         doctest::Contains("https://"), qreg::Error);
    CHECK_THROWS_WITH_AS(r.subscribe("ba-muenchen", {"health"}),
                         doctest::Contains("unknown category 'health'"), qreg::Error);
    CHECK_THROWS_WITH_AS(
        (void)reg::create_subscription(
            r.store, {"ba-muenchen", "https://x.org/", {"school"}, "xml"}, "a", now, r.audit,
            agency_context("ba-muenchen")),
        doctest::Contains("unknown format 'xml'"), qreg::Error);
}

TEST_CASE("pulled views and lookups are disclosures and audited, refusals audited as not shared") {
    Registry r;
    const auto person = r.person("100A000001");
    const std::vector<std::string> sources = {"ba"};
    const reg::Recipient ba{"ba-muenchen", {{"ba-app", "agency", "ba-muenchen"}, "req-1"}};
    const reg::Recipient jobcenter{"jobcenter-muenchen",
                                   {{"jc-app", "agency", "jobcenter-muenchen"}, "req-2"}};
    CHECK(!reg::shared_view(r.store, r.rules, ba, person, "json", now, r.audit));
    CHECK(!reg::shared_lookup(r.store, ba, "100A000001", sources, now, r.audit));
    CHECK(r.store.disclosures_of(person).empty());

    const auto c = r.consent(person, "ba-muenchen", {"languages"});
    CHECK(reg::shared_lookup(r.store, ba, "100A000001", sources, now, r.audit) == person);
    const auto view = reg::shared_view(r.store, r.rules, ba, person, "json", now, r.audit);
    REQUIRE(view);
    CHECK(view->body.find("\"A1\"") != std::string::npos);
    CHECK(view->body.find("Eins") == std::string::npos);
    CHECK(!reg::shared_view(r.store, r.rules, jobcenter, person, "json", now, r.audit));

    const auto pulls = r.logged(qreg::audit_action::share_pull);
    REQUIRE(pulls.size() == 5);
    CHECK(pulls[0].outcome == "not_shared");  // the view before any consent
    CHECK(persons_of(pulls[0]) == std::vector<std::int64_t>{person});
    CHECK(pulls[1].outcome == "not_shared");  // the lookup: names nobody
    CHECK(pulls[1].persons.empty());
    CHECK(pulls[2].outcome == "ok");
    CHECK(pulls[2].categories_json == "[]");  // a lookup discloses the person id only
    CHECK(pulls[3].outcome == "ok");
    CHECK(pulls[3].actor == "ba-app");
    CHECK(pulls[3].agency == "ba-muenchen");
    CHECK(pulls[3].request_id == "req-1");
    CHECK(persons_of(pulls[3]) == std::vector<std::int64_t>{person});
    CHECK(pulls[3].categories_json == R"(["languages"])");
    CHECK(pulls[3].legal_basis == fmt::format("consent {}", c.id));
    CHECK(pulls[3].details_json.find(R"("kind":"view")") != std::string::npos);
    CHECK(pulls[4].outcome == "not_shared");
    CHECK(pulls[4].agency == "jobcenter-muenchen");

    const auto list = r.store.disclosures_of(person);
    REQUIRE(list.size() == 2);
    CHECK(list[0].kind == "lookup");
    CHECK(list[0].categories.empty());
    CHECK(list[1].kind == "view");
    CHECK(list[1].categories == std::vector<std::string>{"languages"});
    CHECK(list[1].consent_ids == std::vector<std::int64_t>{c.id});
    CHECK(list[1].reference == "req-1");
    CHECK(list[1].disclosed_at == now);
}

TEST_CASE(
    "the outbox retries with back-off, gives up after max attempts, cancels when unconsented") {
    Registry r;
    reg::SharingSettings settings;
    settings.max_attempts = 2;
    settings.first_retry = std::chrono::seconds(10);
    settings.timeout = std::chrono::seconds(2);
    const auto sub = r.subscribe("ba-muenchen", {"languages"});  // nothing listens on port 1
    const auto person = r.person("100A000001");
    const auto c = r.consent(person, "ba-muenchen", {"languages"});

    auto report = r.run_outbox(settings, clock_at(now));
    CHECK(report.sent == 1);
    CHECK(report.retrying == 1);
    auto d = r.outbox(sub.id).at(0);
    CHECK(d.status == "pending");
    CHECK(d.attempts == 1);
    CHECK(!d.last_error.empty());
    CHECK(d.next_attempt_at > "2026-06-15T10:00:09.000Z");
    CHECK(d.payload.find("\"languages\"") != std::string::npos);
    CHECK(d.consent_ids == std::to_string(c.id));
    CHECK(r.store.disclosures_of(person).at(0).channel == "push");
    CHECK(r.store.disclosures_of(person).at(0).reference == d.delivery_id);
    const auto pushes = r.logged(qreg::audit_action::share_push);
    REQUIRE(pushes.size() == 1);
    CHECK(pushes[0].actor == "outbox");
    CHECK(pushes[0].role == "system");
    CHECK(pushes[0].agency == "ba-muenchen");
    CHECK(pushes[0].request_id == d.delivery_id);
    CHECK(persons_of(pushes[0]) == std::vector<std::int64_t>{person});
    CHECK(pushes[0].categories_json == R"(["languages"])");
    CHECK(pushes[0].legal_basis == fmt::format("consent {}", c.id));

    // not due yet: nothing happens
    CHECK(r.run_outbox(settings, clock_at(now)).sent == 0);

    SUBCASE("the last attempt fails: given up") {
        report = r.run_outbox(settings, clock_at("2026-06-15T10:01:00Z"));
        CHECK(report.failed == 1);
        CHECK(r.outbox(sub.id).at(0).status == "failed");
        CHECK(r.outbox(sub.id).at(0).attempts == 2);
    }
    SUBCASE("the consent has expired by the next attempt: cancelled, nothing sent") {
        report = r.run_outbox(settings, clock_at("2027-01-01T00:00:00Z"));
        CHECK(report.sent == 0);
        CHECK(report.cancelled == 1);
        CHECK(r.outbox(sub.id).at(0).status == "cancelled");
        CHECK(r.store.disclosures_of(person).size() == 1);
        CHECK(r.logged(qreg::audit_action::share_push).size() == 1);
    }
}

TEST_CASE("sharing.json: the shipped settings, defaults without it, bad values refused") {
    const auto shipped = reg::load_sharing_settings(QREG_CONFIG_DIR);
    CHECK(shipped.max_attempts == 10);
    CHECK(shipped.first_retry == std::chrono::seconds(1));
    CHECK(shipped.timeout == std::chrono::seconds(10));
    CHECK(shipped.ca_file.empty());

    qreg::test::TempDir dir;
    CHECK(reg::load_sharing_settings(dir.path()).max_attempts ==
          reg::SharingSettings{}.max_attempts);
    qreg::test::write_file((dir / "sharing.json").string(),
                           R"({"_doc": "x", "timeout_ms": 500, "ca_file": "ca.pem"})");
    CHECK_THROWS_WITH_AS((void)reg::load_sharing_settings(dir.path()),
                         doctest::Contains("ca.pem is not a file"), qreg::Error);
    qreg::test::write_file((dir / "ca.pem").string(), "PEM");
    const auto s = reg::load_sharing_settings(dir.path());
    CHECK(s.timeout == std::chrono::milliseconds(500));
    CHECK(s.ca_file == dir / "ca.pem");
    qreg::test::write_file((dir / "sharing.json").string(), R"({"timeout_ms": -1})");
    CHECK_THROWS_WITH_AS((void)reg::load_sharing_settings(dir.path()),
                         doctest::Contains("sharing.json: timeout_ms must be a positive"),
                         qreg::Error);
    qreg::test::write_file((dir / "sharing.json").string(), R"({"retries": 3})");
    CHECK_THROWS_WITH_AS((void)reg::load_sharing_settings(dir.path()),
                         doctest::Contains("unknown key retries"), qreg::Error);
}

}  // TEST_SUITE("registry.sharing_service")
