#include "storage/store.hpp"
#include "support/temp_dir.hpp"

#include "qreg/error.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

namespace reg = qreg::registry;
using qreg::connectors::SourceRecord;

namespace {

// A database with agencies and two persons: one BA record, one Jobcenter record.
struct Fixture {
    qreg::test::TempDir dir;
    reg::Store store{dir / "r.db"};
    std::int64_t ba_person = 0;
    std::int64_t jc_person = 0;
    reg::ImportId import{};

    Fixture() {
        reg::Store::Transaction tx(store);
        store.put_agency({"ba-muenchen", "BA", "labour_agency", {"ba-csv-v1"}});
        store.put_agency({"jobcenter-muenchen", "JC", "jobcenter", {}});
        import = store.start_import("ba-csv-v1", "test", "2026-01-01T00:00:00Z");
        SourceRecord ba;
        ba.record.source = "ba";
        ba.record.record_id = "962D071234";
        ba.record.stand = "2026-01-01T00:00:00Z";
        ba.record.family_name = "Test";
        ba.record.ids.ba_customer_number = "962D071234";
        ba.record.ids.azr_number = "123456789012";
        SourceRecord jc = ba;
        jc.record.source = "jobcenter";
        jc.record.record_id = "36102BG0012345-02";
        jc.record.ids = {};
        jc.record.ids.bg_number = "36102BG0012345";
        jc.record.ids.bamf_file_number = "8123456-475";
        CHECK(store.upsert(import, ba, "x").outcome == reg::UpsertOutcome::created);
        CHECK(store.upsert(import, jc, "x").outcome == reg::UpsertOutcome::created);
        tx.commit();
        ba_person = store.record("ba", "962D071234")->person_id;
        jc_person = store.record("jobcenter", "36102BG0012345-02")->person_id;
    }

    std::int64_t add_consent(std::int64_t person, const std::string& agency) {
        reg::ConsentRow c;
        c.person_id = person;
        c.recipient = agency;
        c.categories = {"identity", "languages"};
        c.purpose = "placement";
        c.legal_basis = "consent";
        c.valid_from = "2026-01-01";
        c.valid_until = "2026-12-31";
        c.evidence = "form";
        c.created_by = "test";
        c.created_at = "2026-01-01T00:00:00.000Z";
        return store.add_consent(c);
    }

    std::int64_t add_subscription(const std::string& agency) {
        return store.add_subscription({0,
                                       agency,
                                       "https://example.org/hook",
                                       {"languages"},
                                       "json",
                                       "secret",
                                       "test",
                                       "2026-01-01T00:00:00.000Z",
                                       ""});
    }

    // Runs SQL directly, as an attacker or a careless script with the file would.
    [[nodiscard]] std::string raw_sql(const std::string& sql) const {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open((dir / "r.db").c_str(), &db) == SQLITE_OK);
        char* error = nullptr;
        sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
        std::string message = error ? error : "";
        sqlite3_free(error);
        sqlite3_close(db);
        return message;
    }
};

reg::DeliveryRow delivery(const std::string& key, std::int64_t sub, std::int64_t person) {
    reg::DeliveryRow d;
    d.delivery_id = key;
    d.subscription_id = sub;
    d.person_id = person;
    d.reason = "import";
    d.created_at = "2026-01-01T00:00:00.000Z";
    return d;
}

}  // namespace

TEST_SUITE("registry.store_sharing") {

TEST_CASE("consents are kept: never deleted, never changed, revoked once") {
    Fixture f;
    const auto id = f.add_consent(f.ba_person, "ba-muenchen");
    const auto stored = f.store.consent(id);
    REQUIRE(stored);
    CHECK(stored->categories == std::vector<std::string>{"identity", "languages"});
    CHECK(stored->revoked_at.empty());

    CHECK(f.raw_sql("DELETE FROM consent").find("never deleted") != std::string::npos);
    CHECK(f.raw_sql("UPDATE consent SET categories = 'address'").find("not changed") !=
          std::string::npos);
    CHECK(f.store.revoke_consent(id, "2026-02-01T00:00:00.000Z", "caseworker"));
    CHECK_FALSE(f.store.revoke_consent(id, "2026-03-01T00:00:00.000Z", "caseworker"));
    CHECK(f.raw_sql("UPDATE consent SET revoked_at = ''").find("stays revoked") !=
          std::string::npos);
    CHECK(f.store.consent(id)->revoked_at == "2026-02-01T00:00:00.000Z");
    CHECK(f.store.consents_of(f.ba_person).size() == 1);
    CHECK(f.store.consents_of(f.jc_person).empty());
}

TEST_CASE("a consent names a known agency") {
    Fixture f;
    CHECK_THROWS_AS(f.add_consent(f.ba_person, "nobody"), qreg::Error);
}

TEST_CASE("persons are found by their numbers and by record ids of the named sources") {
    Fixture f;
    const std::vector<std::string> sources = {"ba", "jobcenter"};
    using ids = std::vector<std::int64_t>;
    CHECK(f.store.persons_with_identifier("962D071234", sources) == ids{f.ba_person});
    CHECK(f.store.persons_with_identifier("123456789012", sources) == ids{f.ba_person});
    CHECK(f.store.persons_with_identifier("8123456-475", sources) == ids{f.jc_person});
    CHECK(f.store.persons_with_identifier("36102BG0012345-02", sources) == ids{f.jc_person});
    CHECK(f.store.persons_with_identifier("36102BG0012345-02", {}).empty());
    CHECK(f.store.persons_with_identifier("36102BG0012345", sources).empty());  // a household's
    CHECK(f.store.persons_with_identifier("", sources).empty());
}

TEST_CASE("an import's persons with live consents are the ones it may concern") {
    Fixture f;
    CHECK(f.store.consented_persons_of_import(f.import).empty());
    const auto id = f.add_consent(f.jc_person, "ba-muenchen");
    CHECK(f.store.consented_persons_of_import(f.import) == std::vector<std::int64_t>{f.jc_person});
    CHECK(f.store.consented_persons() == std::vector<std::int64_t>{f.jc_person});
    CHECK(f.store.revoke_consent(id, "2026-02-01T00:00:00.000Z", "x"));
    CHECK(f.store.consented_persons_of_import(f.import).empty());
}

TEST_CASE("subscriptions are listed per agency and end when cancelled") {
    Fixture f;
    const auto a = f.add_subscription("ba-muenchen");
    const auto b = f.add_subscription("jobcenter-muenchen");
    CHECK(f.store.subscriptions("").size() == 2);
    CHECK(f.store.subscriptions("ba-muenchen").size() == 1);
    CHECK(f.store.subscription(a)->secret == "secret");
    CHECK(f.store.cancel_subscription(b, "2026-02-01T00:00:00.000Z"));
    CHECK_FALSE(f.store.cancel_subscription(b, "2026-02-02T00:00:00.000Z"));
    CHECK(f.store.subscriptions("").size() == 1);
    CHECK(f.store.subscriptions("", true).size() == 2);
}

TEST_CASE("the outbox keeps one waiting delivery per subscription and person") {
    Fixture f;
    const auto sub = f.add_subscription("ba-muenchen");
    CHECK(f.store.enqueue_delivery(delivery("k1", sub, f.ba_person)));
    CHECK_FALSE(f.store.enqueue_delivery(delivery("k2", sub, f.ba_person)));  // k1 carries it
    CHECK(f.store.enqueue_delivery(delivery("k3", sub, f.jc_person)));

    auto due = f.store.due_deliveries("2026-01-01T00:00:01.000Z", 10);
    REQUIRE(due.size() == 2);
    CHECK(due[0].delivery_id == "k1");
    CHECK(due[0].status == "pending");

    // Once k1 has been tried, a new change needs a new delivery: k1's receiver may have it.
    auto k1 = due[0];
    k1.attempts = 1;
    k1.next_attempt_at = "2026-01-01T00:00:05.000Z";
    k1.payload = "{}";
    f.store.update_delivery(k1);
    CHECK(f.store.enqueue_delivery(delivery("k4", sub, f.ba_person)));
    due = f.store.due_deliveries("2026-01-01T00:00:01.000Z", 10);
    REQUIRE(due.size() == 2);
    CHECK(due[0].delivery_id == "k3");
    CHECK(due[1].delivery_id == "k4");
    CHECK(f.store.due_deliveries("2026-01-01T00:00:05.000Z", 10).size() == 3);
    CHECK(f.store.due_deliveries("2026-01-01T00:00:05.000Z", 1).size() == 1);
    CHECK(f.store.pending_deliveries_of(f.ba_person).size() == 2);

    k1.status = "delivered";
    k1.view_hash = "h1";
    k1.finished_at = "2026-01-01T00:00:06.000Z";
    f.store.update_delivery(k1);
    CHECK(f.store.delivered_view_hash(sub, f.ba_person) == "h1");
    CHECK(!f.store.delivered_view_hash(sub, f.jc_person));
    CHECK(f.store.deliveries_of(sub).size() == 3);
    CHECK(f.store.delivery(k1.id)->payload == "{}");
    const auto other = f.add_subscription("jobcenter-muenchen");
    CHECK_THROWS_AS(f.store.enqueue_delivery(delivery("k1", other, f.jc_person)), qreg::Error);
}

TEST_CASE("disclosures read back as written and are append-only") {
    Fixture f;
    const auto consent = f.add_consent(f.ba_person, "ba-muenchen");
    f.store.add_disclosure({0,
                            f.ba_person,
                            "ba-muenchen",
                            "2026-02-01T00:00:00.000Z",
                            {"identity", "languages"},
                            {consent},
                            "[]",
                            "pull",
                            "view",
                            "json",
                            "req-1"});
    const auto list = f.store.disclosures_of(f.ba_person);
    REQUIRE(list.size() == 1);
    CHECK(list[0].categories == std::vector<std::string>{"identity", "languages"});
    CHECK(list[0].consent_ids == std::vector<std::int64_t>{consent});
    CHECK(list[0].channel == "pull");
    CHECK(list[0].reference == "req-1");
    CHECK(f.raw_sql("DELETE FROM disclosure").find("append-only") != std::string::npos);
    CHECK(f.raw_sql("UPDATE disclosure SET recipient = 'x'").find("append-only") !=
          std::string::npos);
    CHECK(f.store.disclosures_of(f.jc_person).empty());
}

TEST_CASE("a database of the service schema is upgraded to the sharing tables") {
    qreg::test::TempDir dir;
    { reg::Store old(dir / "v4.db", 4); }
    reg::Store store(dir / "v4.db");
    CHECK(store.schema_version() == reg::Store::latest_schema_version);
    CHECK(store.subscriptions("").empty());
    CHECK(store.consents_of(1).empty());
}

}  // TEST_SUITE("registry.store_sharing")
