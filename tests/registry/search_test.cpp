#include "services/search_service.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "match_config.hpp"
#include "storage/store.hpp"
#include "support/temp_dir.hpp"

namespace reg = qreg::registry;

namespace {

// One record per (id, family, given, birth year); year 0 is unknown. Each is its own person.
void add(reg::Store& store, const std::string& id, const std::string& family, const std::string& given,
         int year, const std::string& nationality = "") {
    qreg::connectors::SourceRecord r;
    if (!nationality.empty()) r.record.nationalities = {nationality};
    r.record.source = "ba";
    r.record.record_id = id;
    r.record.stand = "2026-01-01T00:00:00Z";
    r.record.family_name = family;
    r.record.given_names = given;
    if (year != 0) {
        r.record.birth_date.year = year;
        r.record.birth_date.precision = qreg::DatePrecision::year;
        r.record.birth_date.original = std::to_string(year);
    }
    r.raw = id;
    r.line = 2;
    reg::Store::Transaction tx(store);
    const auto import = store.start_import("ba-csv-v1", "test", "2026-01-01T00:00:00Z");
    (void)store.upsert(import, r, "export.csv");
    tx.commit();
}

std::vector<std::string> dates(const std::vector<reg::SearchHit>& hits) {
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(h.birth_date);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_SUITE("registry.search") {

TEST_CASE("a birth year finds that year, the years beside it and unknown years, not others") {
    qreg::test::TempDir dir;
    reg::Store store(dir / "r.db");
    int n = 0;
    for (const int year : {0, 1961, 1962, 1963, 1964, 1965, 1990}) {
        add(store, "A" + std::to_string(++n), "Abbas", "Hasan", year);
    }
    add(store, "B1", "Nasser", "Layla", 1963);  // another name, the same year
    reg::SearchIndex index(reg::load_match_settings(QREG_CONFIG_DIR));
    REQUIRE(index.refresh(store));

    const auto with_year = index.search({"Hasan Abbas", "1963", "", 20});
    CHECK(dates(with_year) == std::vector<std::string>{"", "1962", "1963", "1964"});
    const auto all = index.search({"Hasan Abbas", "", "", 20});
    CHECK(all.size() == 7);
    // Ranked by score, best first; only as many as asked for, the best ones.
    const auto top = index.search({"Hasan Abbas", "1963", "", 2});
    REQUIRE(top.size() == 2);
    CHECK(top[0].score >= top[1].score);
    CHECK(top[0].birth_date == "1963");
    CHECK(top[0].score == with_year[0].score);
    CHECK(top[0].matching_records == 1);
    CHECK(top[0].matched_on == std::vector<std::string>{"name", "birth_date"});
}

TEST_CASE("a name in its origin's spelling is found as written and as commonly written") {
    // The same record with and without its origin (Somalia), each in a registry of its own.
    const auto best = [](const std::string& nationality, const std::string& query) {
        qreg::test::TempDir dir;
        reg::Store store(dir / "r.db");
        add(store, "S1", "Cabdi", "Xasan", 1990, nationality);
        reg::SearchIndex index(reg::load_match_settings(QREG_CONFIG_DIR));
        REQUIRE(index.refresh(store));
        const auto hits = index.search({query, "1990", "", 20});
        return hits.empty() ? -100.0 : hits.front().score;
    };
    CHECK(best("SOM", "Xasan Cabdi") == doctest::Approx(best("", "Xasan Cabdi")));
    // Hassan Abdi agrees in full with the Somali reading, only in part with the letters.
    CHECK(best("SOM", "Hassan Abdi") > best("", "Hassan Abdi") + 3.0);
    CHECK(best("SOM", "Hassan Abdi") > 0.0);
}

TEST_CASE("a person's hit is their best record, and counts all of their matching records") {
    qreg::test::TempDir dir;
    reg::Store store(dir / "r.db");
    add(store, "A1", "Abbas", "Hasan", 1964);
    add(store, "A2", "Abbas", "Hasan", 1963);
    add(store, "A3", "Abbas", "Hasan", 1963);
    add(store, "A4", "Abbas", "Hasan", 1990);  // A1's person too, but outside the query's years
    {
        // A1, A2 and A4 are one person (as matching would have it); A3 another.
        const auto a1 = store.record("ba", "A1"), a2 = store.record("ba", "A2");
        REQUIRE(a1);
        REQUIRE(a2);
        const auto a4 = store.record("ba", "A4");
        REQUIRE(a4);
        const std::vector<reg::PersonAssignment> one = {{a2->id, a1->person_id}, {a4->id, a1->person_id}};
        reg::Store::Transaction tx(store);
        store.assign_persons(one);
        tx.commit();
    }
    reg::SearchIndex index(reg::load_match_settings(QREG_CONFIG_DIR));
    REQUIRE(index.refresh(store));
    const auto hits = index.search({"Hasan Abbas", "1963", "", 20});
    REQUIRE(hits.size() == 2);
    const auto& joined = hits[0].matching_records == 2 ? hits[0] : hits[1];
    CHECK(joined.matching_records == 2);
    CHECK(joined.birth_date == "1963");  // the record that fits the query better
    CHECK(joined.display_name == "Abbas, Hasan");
}

}  // TEST_SUITE
