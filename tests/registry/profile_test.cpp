#include "services/profile.hpp"

#include "support/temp_dir.hpp"

#include "qreg/error.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

namespace reg = qreg::registry;
namespace json = boost::json;
using reg::ProfileSource;
using reg::SurvivorshipRule;
using reg::SurvivorshipRules;

namespace {

ProfileSource make(const std::string& source, const std::string& id, const std::string& stand) {
    ProfileSource s{source, id, stand, false, {}};
    s.record.source = source;
    s.record.record_id = id;
    s.record.stand = stand;
    return s;
}

SurvivorshipRules rules_with(const std::string& field, SurvivorshipRule rule) {
    SurvivorshipRules r;
    r.source_priority = {"bamf", "jobcenter", "ba"};
    r.fields[field] = rule;
    return r;
}

json::object profile(const std::vector<ProfileSource>& records,
                     const SurvivorshipRules& rules = SurvivorshipRules{}) {
    return json::parse(reg::profile_json(7, records, rules)).as_object();
}

std::string value(const json::value& entry) {
    return json::serialize(entry.at("value"));
}

// The record ids of an entry's sources, in their order.
std::string ids(const json::value& entry) {
    std::string out;
    for (const auto& s : entry.at("sources").as_array()) {
        if (!out.empty()) out += ',';
        out += s.at("record_id").as_string();
    }
    return out;
}

// "value@ids" of each alternative, best first.
std::vector<std::string> alternatives(const json::value& entry) {
    std::vector<std::string> out;
    for (const auto& a : entry.at("alternatives").as_array())
        out.push_back(value(a) + "@" + ids(a));
    return out;
}

std::vector<std::string> keys(const json::object& o) {
    std::vector<std::string> out;
    for (const auto& [k, v] : o) out.emplace_back(k);
    return out;
}

qreg::BirthDate date(int y, int m, int d, qreg::DatePrecision p, bool placeholder = false) {
    return {y, m, d, p, placeholder, ""};
}

}  // namespace

TEST_SUITE("registry.profile") {

TEST_CASE("the profile has exactly the ten categories, person_id, display_name and records") {
    const auto p = profile({make("ba", "A", "2025-01-01T00:00:00Z")});
    CHECK(keys(p) == std::vector<std::string>{
                         "person_id", "display_name", "identity", "identifiers", "address",
                         "school", "vocational_training", "higher_education", "work_experience",
                         "languages", "recognition", "integration_course", "records"});
    for (const auto category : reg::profile_categories) CHECK(p.contains(category));
    CHECK(p.at("person_id").as_int64() == 7);
    SUBCASE("categories nobody has are empty, fields nobody has are left out") {
        CHECK(p.at("identity").as_object().empty());
        CHECK(p.at("address").is_null());
        CHECK(p.at("school").is_null());
        CHECK(p.at("languages").as_array().empty());
    }
}

TEST_CASE("most_recent takes the latest stand and lists the older value as an alternative") {
    auto older = make("bamf", "old", "2024-01-01T00:00:00Z");
    older.record.birthplace = "Aleppo";
    auto newer = make("ba", "new", "2025-03-01T00:00:00Z");
    newer.record.birthplace = "Damaskus";

    const auto e = profile({older, newer}, rules_with("birthplace", SurvivorshipRule::most_recent))
                       .at("identity")
                       .at("birthplace");
    CHECK(value(e) == R"("Damaskus")");
    CHECK(ids(e) == "new");
    CHECK(alternatives(e) == std::vector<std::string>{R"("Aleppo"@old)"});
    CHECK(e.at("sources").at(0) ==
          json::parse(R"({"source":"ba","record_id":"new","stand":"2025-03-01T00:00:00Z"})"));
}

TEST_CASE("source_priority prefers the listed source over a newer one, unlisted sources last") {
    auto bamf = make("bamf", "B", "2024-01-01T00:00:00Z");
    bamf.record.family_name = "Alhasan";
    auto ba = make("ba", "A", "2025-01-01T00:00:00Z");
    ba.record.family_name = "Hassan";
    auto other = make("kommune", "K", "2026-01-01T00:00:00Z");
    other.record.family_name = "Hasan";

    const auto e =
        profile({ba, other, bamf}, rules_with("family_name", SurvivorshipRule::source_priority))
            .at("identity")
            .at("family_name");
    CHECK(value(e) == R"("Alhasan")");
    CHECK(alternatives(e) == std::vector<std::string>{R"("Hassan"@A)", R"("Hasan"@K)"});
}

TEST_CASE("most_frequent takes the value most records give, whatever their stand") {
    auto a = make("ba", "A", "2024-01-01T00:00:00Z");
    auto b = make("jobcenter", "J", "2024-02-01T00:00:00Z");
    auto c = make("bamf", "B", "2025-01-01T00:00:00Z");
    a.record.birth_country = "SYR";
    b.record.birth_country = "syr";
    c.record.birth_country = "IRQ";

    const auto e = profile({a, b, c}, rules_with("birth_country", SurvivorshipRule::most_frequent))
                       .at("identity")
                       .at("birth_country");
    CHECK(value(e) == R"("syr")");  // the spelling of the more recent of the two
    CHECK(ids(e) == "A,J");
    CHECK(alternatives(e) == std::vector<std::string>{R"("IRQ"@B)"});
}

TEST_CASE("highest_level takes the highest ISCED school level, ties by the most recent") {
    auto a = make("ba", "A", "2024-01-01T00:00:00Z");
    a.record.qualifications.school = qreg::School{3, "AH", 12.0, "SYR"};
    auto b = make("jobcenter", "J", "2025-01-01T00:00:00Z");
    b.record.qualifications.school = qreg::School{2, "ISCED-2", std::nullopt, "SYR"};

    SUBCASE("highest level") {
        const auto e =
            profile({a, b}, rules_with("school", SurvivorshipRule::highest_level)).at("school");
        CHECK(value(e) == R"({"isced_level":3,"original_code":"AH","years":12,"country":"SYR"})");
        CHECK(alternatives(e) ==
              std::vector<std::string>{
                  R"({"isced_level":2,"original_code":"ISCED-2","country":"SYR"})"
                  "@J"});
    }
    SUBCASE("equal levels: the newer original code, the older one is the same value") {
        b.record.qualifications.school = qreg::School{3, "ISCED-3", 12.0, "syr"};
        const auto e =
            profile({a, b}, rules_with("school", SurvivorshipRule::highest_level)).at("school");
        CHECK(value(e) ==
              R"({"isced_level":3,"original_code":"ISCED-3","years":12,"country":"syr"})");
        CHECK(ids(e) == "A,J");
        CHECK(alternatives(e).empty());
    }
    SUBCASE("most_recent instead") {
        const auto e = profile({a, b}).at("school");
        CHECK(ids(e) == "J");
    }
}

TEST_CASE("most_precise birth date: day beats month beats year, a 01.01. placeholder is a year") {
    auto day = make("ba", "D", "2020-01-01T00:00:00Z");
    day.record.birth_date = date(1990, 5, 17, qreg::DatePrecision::day);
    auto month = make("jobcenter", "M", "2024-01-01T00:00:00Z");
    month.record.birth_date = date(1990, 5, 0, qreg::DatePrecision::month);
    auto placeholder = make("bamf", "P", "2025-01-01T00:00:00Z");
    placeholder.record.birth_date = date(1990, 1, 1, qreg::DatePrecision::day, true);
    auto year = make("ba", "Y", "2023-01-01T00:00:00Z");
    year.record.birth_date = date(1990, 0, 0, qreg::DatePrecision::year);
    const auto rules = rules_with("birth_date", SurvivorshipRule::most_precise);

    SUBCASE("day wins although oldest") {
        const auto e =
            profile({placeholder, year, month, day}, rules).at("identity").at("birth_date");
        CHECK(value(e) == R"({"date":"1990-05-17","precision":"day","is_placeholder":false})");
        CHECK(alternatives(e) ==
              std::vector<std::string>{
                  R"({"date":"1990-05","precision":"month","is_placeholder":false}@M)",
                  R"({"date":"1990","precision":"year","is_placeholder":true}@Y,P)"});
    }
    SUBCASE("month beats a newer placeholder") {
        const auto e = profile({placeholder, month}, rules).at("identity").at("birth_date");
        CHECK(ids(e) == "M");
    }
    SUBCASE("a placeholder ties with a year, so the more recent stand decides") {
        const auto e = profile({placeholder, year}, rules).at("identity").at("birth_date");
        CHECK(value(e) == R"({"date":"1990","precision":"year","is_placeholder":true})");
        CHECK(ids(e) == "Y,P");
    }
    SUBCASE("different years at equal precision: the more recent") {
        auto other = make("ba", "O", "2026-01-01T00:00:00Z");
        other.record.birth_date = date(1991, 5, 17, qreg::DatePrecision::day);
        const auto e = profile({day, other}, rules).at("identity").at("birth_date");
        CHECK(ids(e) == "O");
        CHECK(alternatives(e).size() == 1);
    }
}

TEST_CASE(
    "values equal but for case, spacing and punctuation are one value in the chosen spelling") {
    auto ba = make("ba", "A", "2025-01-01T00:00:00Z");
    ba.record.family_name = "AL-HASSAN";
    ba.record.given_names = "MOHAMAD  ALI";
    auto bamf = make("bamf", "B", "2024-01-01T00:00:00Z");
    bamf.record.family_name = "Al Hassan";
    bamf.record.given_names = "Mohamad Ali ";
    auto rules = rules_with("family_name", SurvivorshipRule::source_priority);
    rules.fields["given_names"] = SurvivorshipRule::source_priority;

    const auto p = profile({ba, bamf}, rules);
    const auto& family = p.at("identity").at("family_name");
    CHECK(value(family) == R"("Al Hassan")");
    CHECK(ids(family) == "A,B");
    CHECK(alternatives(family).empty());
    CHECK(value(p.at("identity").at("given_names")) == R"("Mohamad Ali")");
    CHECK(p.at("display_name").as_string() == "AL HASSAN, Mohamad Ali");
}

TEST_CASE("display_name upper-cases the family name beyond ASCII") {
    auto r = make("ba", "A", "2025-01-01T00:00:00Z");
    r.record.family_name = "Öztürk";
    SUBCASE("family and given") {
        r.record.given_names = "Ayşe";
        CHECK(profile({r}).at("display_name").as_string() == "ÖZTÜRK, Ayşe");
    }
    SUBCASE("family only") {
        CHECK(profile({r}).at("display_name").as_string() == "ÖZTÜRK");
    }
}

TEST_CASE("aliases and nationalities are the union of all sources, each with its sources") {
    auto a = make("ba", "A", "2025-01-01T00:00:00Z");
    a.record.aliases = {{"ALHASAN", "MOHAMAD"}};
    a.record.nationalities = {"SYR"};
    auto b = make("bamf", "B", "2024-01-01T00:00:00Z");
    b.record.aliases = {{"Alhasan", "Mohamad"}, {"Hasan", ""}};
    b.record.nationalities = {"SYR", "XXA"};

    const auto id = profile({a, b}).at("identity");
    const auto& aliases = id.at("aliases").as_array();
    REQUIRE(aliases.size() == 2);
    CHECK(value(aliases[0]) == R"({"family_name":"ALHASAN","given_names":"MOHAMAD"})");
    CHECK(ids(aliases[0]) == "A,B");
    CHECK(value(aliases[1]) == R"({"family_name":"Hasan"})");
    const auto& nationalities = id.at("nationalities").as_array();
    REQUIRE(nationalities.size() == 2);
    CHECK(ids(nationalities[0]) == "A,B");
    CHECK(value(nationalities[1]) == R"("XXA")");
    CHECK(alternatives(nationalities[1]).empty());
}

TEST_CASE("identifiers list every distinct number of a kind with its sources") {
    auto a = make("ba", "A", "2024-01-01T00:00:00Z");
    a.record.ids.ba_customer_number = "962D071234";
    auto b = make("jobcenter", "J", "2025-01-01T00:00:00Z");
    b.record.ids.ba_customer_number = "962D099999";
    auto c = make("bamf", "B", "2023-01-01T00:00:00Z");
    c.record.ids.ba_customer_number = "962d071234";
    c.record.ids.bamf_file_number = "8123456-475";

    const auto ids_json = profile({a, b, c}).at("identifiers");
    CHECK(keys(ids_json.as_object()) ==
          std::vector<std::string>{"ba_customer_number", "bamf_file_number"});
    const auto& ba = ids_json.at("ba_customer_number");
    CHECK(value(ba) == R"("962D099999")");
    CHECK(alternatives(ba) == std::vector<std::string>{R"("962D071234"@A,B)"});
}

TEST_CASE("the address is taken whole from one record, never mixed") {
    auto full = make("ba", "A", "2024-01-01T00:00:00Z");
    full.record.street = "Hauptstr.";
    full.record.house_number = "5a";
    full.record.postcode = "47798";
    full.record.town = "Krefeld";
    auto partial = make("jobcenter", "J", "2025-01-01T00:00:00Z");
    partial.record.postcode = "47799";
    partial.record.town = "Krefeld";

    SUBCASE("most_recent: the newer, partial address as it is") {
        const auto e = profile({full, partial}).at("address");
        CHECK(value(e) == R"({"postcode":"47799","town":"Krefeld"})");
        CHECK(alternatives(e) ==
              std::vector<std::string>{
                  R"({"street":"Hauptstr.","house_number":"5a","postcode":"47798",)"
                  R"("town":"Krefeld"}@A)"});
    }
    SUBCASE("most_precise: the address with the most parts") {
        const auto e =
            profile({full, partial}, rules_with("address", SurvivorshipRule::most_precise))
                .at("address");
        CHECK(ids(e) == "A");
        CHECK(e.at("value").as_object().size() == 4);
    }
}

TEST_CASE("one language from several sources is one entry with all its sources") {
    auto ba = make("ba", "A", "2025-01-01T00:00:00Z");
    ba.record.qualifications.languages = {{"de", "B1", "B1", "DTZ"}, {"ar", "native", "MS", ""}};
    auto jc = make("jobcenter", "J", "2024-01-01T00:00:00Z");
    jc.record.qualifications.languages = {{"de", "B2", "B2", "telc"}};
    auto bamf = make("bamf", "B", "2023-01-01T00:00:00Z");
    bamf.record.qualifications.languages = {{"DE", "b1", "b1", "Goethe"}, {"ar", "C2", "C2", ""}};

    const auto langs =
        profile({ba, jc, bamf}, rules_with("languages", SurvivorshipRule::highest_level))
            .at("languages")
            .as_array();
    REQUIRE(langs.size() == 2);
    CHECK(value(langs[0]) == R"({"code":"ar","level":"native","original_level":"MS"})");
    CHECK(alternatives(langs[0]) ==
          std::vector<std::string>{R"({"code":"ar","level":"C2","original_level":"C2"}@B)"});
    CHECK(value(langs[1]) ==
          R"({"code":"de","level":"B2","original_level":"B2","certificates":["telc"]})");
    CHECK(ids(langs[1]) == "J");
    CHECK(alternatives(langs[1]) ==
          std::vector<std::string>{R"({"code":"de","level":"B1","original_level":"B1",)"
                                   R"("certificates":["DTZ","Goethe"]}@A,B)"});
}

TEST_CASE("higher education, recognition and integration course keep their original codes") {
    auto a = make("ba", "A", "2025-01-01T00:00:00Z");
    a.record.qualifications.higher_education =
        qreg::HigherEducation{6, "B", "Informatik", true, ""};
    a.record.qualifications.recognition =
        qreg::Recognition{"applied", "beantragt", "43102", "2025-01-01"};
    a.record.qualifications.integration_course = qreg::IntegrationCourse{"abgeschlossen", "B1"};
    auto b = make("bamf", "B", "2024-01-01T00:00:00Z");
    b.record.qualifications.higher_education = qreg::HigherEducation{7, "M", "Informatik", {}, ""};
    b.record.qualifications.integration_course = qreg::IntegrationCourse{"abgeschlossen", "B2"};

    auto rules = rules_with("higher_education", SurvivorshipRule::highest_level);
    rules.fields["integration_course"] = SurvivorshipRule::highest_level;
    const auto p = profile({a, b}, rules);
    CHECK(value(p.at("higher_education")) ==
          R"({"isced_level":7,"original_code":"M","field":"Informatik"})");
    CHECK(value(p.at("recognition")) == R"({"status":"applied","original_status":"beantragt",)"
                                        R"("reference_occupation":"43102","date":"2025-01-01"})");
    CHECK(value(p.at("integration_course")) == R"({"status":"abgeschlossen","result":"B2"})");
    CHECK(alternatives(p.at("integration_course")).size() == 1);

    SUBCASE("most_precise: the value with more canonical parts known") {
        rules.fields["higher_education"] = SurvivorshipRule::most_precise;
        CHECK(ids(profile({a, b}, rules).at("higher_education")) == "A");
    }
}

TEST_CASE("trainings merge by KldB code, else by title; work experience likewise") {
    auto a = make("ba", "A", "2024-01-01T00:00:00Z");
    a.record.qualifications.trainings = {{"26212", "Elektriker", "in_progress", "laufend", ""},
                                         {"", "Bäcker", "", "", ""}};
    a.record.qualifications.experience = {{"", "Lagerarbeit", 2.5}};
    auto b = make("jobcenter", "J", "2025-01-01T00:00:00Z");
    b.record.qualifications.trainings = {
        {"26212", "Elektroniker", "completed", "abgeschlossen", ""}, {"", "BAECKER", "", "", ""}};
    b.record.qualifications.experience = {{"", "lagerarbeit", 3.0}};

    const auto p = profile({a, b});
    const auto& trainings = p.at("vocational_training").as_array();
    REQUIRE(trainings.size() == 2);
    CHECK(value(trainings[0]) == R"({"kldb":"26212","title":"Elektroniker","status":"completed",)"
                                 R"("original_status":"abgeschlossen"})");
    CHECK(alternatives(trainings[0]).size() == 1);
    CHECK(value(trainings[1]) == R"({"title":"BAECKER"})");
    CHECK(ids(trainings[1]) == "A,J");
    const auto& experience = p.at("work_experience").as_array();
    REQUIRE(experience.size() == 1);
    CHECK(value(experience[0]) == R"({"title":"lagerarbeit","years":3})");
    REQUIRE(alternatives(experience[0]).size() == 1);
    CHECK(experience[0].at("alternatives").at(0).at("value") ==
          json::parse(R"({"title":"Lagerarbeit","years":2.5})"));
}

TEST_CASE("retracted records feed nothing but are listed in records") {
    auto live = make("ba", "A", "2024-01-01T00:00:00Z");
    live.record.family_name = "Hassan";
    auto retracted = make("jobcenter", "J", "2025-01-01T00:00:00Z");
    retracted.is_retracted = true;
    retracted.record.family_name = "Other";
    retracted.record.town = "Krefeld";
    retracted.record.qualifications.languages = {{"de", "C1", "C1", ""}};
    auto flagged = make("bamf", "B", "2026-01-01T00:00:00Z");
    flagged.record.is_retracted = true;  // the record's own flag counts as well
    flagged.record.family_name = "Third";

    const auto p = profile({live, retracted, flagged});
    const auto& family = p.at("identity").at("family_name");
    CHECK(value(family) == R"("Hassan")");
    CHECK(alternatives(family).empty());
    CHECK(p.at("address").is_null());
    CHECK(p.at("languages").as_array().empty());
    CHECK(json::serialize(p.at("records")) ==
          R"([{"source":"ba","record_id":"A","stand":"2024-01-01T00:00:00Z","is_retracted":false},)"
          R"({"source":"bamf","record_id":"B","stand":"2026-01-01T00:00:00Z","is_retracted":true},)"
          R"({"source":"jobcenter","record_id":"J","stand":"2025-01-01T00:00:00Z",)"
          R"("is_retracted":true}])");
}

TEST_CASE("the same records in another order give the same text") {
    auto a = make("ba", "A", "2025-01-01T00:00:00Z");
    a.record.family_name = "Hassan";
    a.record.qualifications.languages = {{"de", "B1", "", ""}};
    auto b = make("bamf", "B", "2025-01-01T00:00:00Z");
    b.record.family_name = "Hasan";
    b.record.qualifications.languages = {{"de", "B2", "", ""}};
    auto c = make("jobcenter", "J", "2025-01-01T00:00:00Z");
    c.record.family_name = "Hassan";

    const std::vector<ProfileSource> forward{a, b, c};
    const std::vector<ProfileSource> backward{c, b, a};
    const SurvivorshipRules rules;
    CHECK(reg::profile_json(1, forward, rules) == reg::profile_json(1, backward, rules));
}

TEST_CASE("filter_profile keeps only the consented categories") {
    auto a = make("ba", "A", "2025-01-01T00:00:00Z");
    a.record.family_name = "Hassan";
    a.record.ids.ba_customer_number = "962D071234";
    a.record.qualifications.languages = {{"de", "B1", "", ""}};
    const std::vector<ProfileSource> records{a};
    const auto full = reg::profile_json(3, records, SurvivorshipRules{});

    SUBCASE("one category: no name, no records") {
        const std::vector<std::string> keep{"languages"};
        const auto filtered = json::parse(reg::filter_profile(full, keep)).as_object();
        CHECK(keys(filtered) == std::vector<std::string>{"person_id", "languages"});
        CHECK(filtered.at("languages") == json::parse(full).at("languages"));
    }
    SUBCASE("identity brings display_name, identifiers bring records") {
        const std::vector<std::string> keep{"identifiers", "identity"};
        const auto filtered = json::parse(reg::filter_profile(full, keep)).as_object();
        CHECK(keys(filtered) == std::vector<std::string>{"person_id", "display_name", "identity",
                                                         "identifiers", "records"});
    }
    SUBCASE("all categories give the profile back unchanged") {
        const std::vector<std::string> keep(reg::profile_categories.begin(),
                                            reg::profile_categories.end());
        CHECK(reg::filter_profile(full, keep) == full);
    }
    SUBCASE("nothing kept") {
        CHECK(reg::filter_profile(full, {}) == R"({"person_id":3})");
    }
    SUBCASE("an unknown category is refused") {
        const std::vector<std::string> keep{"languages", "health"};
        CHECK_THROWS_WITH_AS(reg::filter_profile(full, keep),
                             doctest::Contains("unknown profile category 'health'"), qreg::Error);
    }
    SUBCASE("text that is not a profile is refused") {
        CHECK_THROWS_WITH_AS(reg::filter_profile("[1]", {}), doctest::Contains("not a JSON object"),
                             qreg::Error);
    }
}

TEST_CASE("the shipped survivorship.json parses to the documented defaults") {
    const auto rules = reg::load_survivorship(QREG_CONFIG_DIR);
    CHECK(rules.source_priority == std::vector<std::string>{"bamf", "jobcenter", "ba"});
    CHECK(rules.default_rule == SurvivorshipRule::most_recent);
    CHECK(rules.fields.at("birth_date") == SurvivorshipRule::most_precise);
    CHECK(rules.fields.at("school") == SurvivorshipRule::highest_level);
    CHECK(rules.fields.at("languages") == SurvivorshipRule::highest_level);
    CHECK(rules.fields.at("family_name") == SurvivorshipRule::source_priority);
    CHECK(rules.fields.at("address") == SurvivorshipRule::most_recent);
}

TEST_CASE("a bad survivorship config is refused naming the file and the key") {
    const auto parse = [](const std::string& text) {
        return reg::parse_survivorship(text, "survivorship.json");
    };
    CHECK(parse(R"({"_doc": "x", "fields": {"sex": "most_frequent"}})").fields.at("sex") ==
          SurvivorshipRule::most_frequent);
    CHECK_THROWS_WITH_AS(
        parse("{"), doctest::Contains("survivorship.json: (file): not a JSON object"), qreg::Error);
    CHECK_THROWS_WITH_AS(parse(R"({"priority": []})"),
                         doctest::Contains("survivorship.json: priority: unknown key"),
                         qreg::Error);
    CHECK_THROWS_WITH_AS(parse(R"({"fields": {"shoe_size": "most_recent"}})"),
                         doctest::Contains("survivorship.json: fields.shoe_size: unknown field"),
                         qreg::Error);
    CHECK_THROWS_WITH_AS(parse(R"({"fields": {"sex": "newest"}})"),
                         doctest::Contains("survivorship.json: fields.sex: unknown rule 'newest'"),
                         qreg::Error);
    CHECK_THROWS_WITH_AS(parse(R"({"fields": {"sex": "highest_level"}})"),
                         doctest::Contains("fields.sex: rule 'highest_level' does not apply"),
                         qreg::Error);
    CHECK_THROWS_WITH_AS(
        parse(R"({"fields": {"family_name": "most_precise"}})"),
        doctest::Contains("fields.family_name: rule 'most_precise' does not apply"), qreg::Error);
    CHECK_THROWS_WITH_AS(parse(R"({"fields": {"aliases": "most_recent"}})"),
                         doctest::Contains("fields.aliases: is the union of all sources"),
                         qreg::Error);
    CHECK_THROWS_WITH_AS(parse(R"({"fields": []})"),
                         doctest::Contains("survivorship.json: fields:"), qreg::Error);
    CHECK_THROWS_WITH_AS(
        parse(R"({"default_rule": "highest_level"})"),
        doctest::Contains("survivorship.json: default_rule: 'highest_level' does not "
                          "apply to every field"),
        qreg::Error);
    CHECK_THROWS_WITH_AS(parse(R"({"source_priority": ["ba", "ba"]})"),
                         doctest::Contains("source_priority: lists 'ba' twice"), qreg::Error);
    CHECK_THROWS_WITH_AS(parse(R"({"source_priority": ["ba", 3]})"),
                         doctest::Contains("source_priority: must be a list of source names"),
                         qreg::Error);
    CHECK_THROWS_WITH_AS(parse(R"({"fields": {"sex": "source_priority"}})"),
                         doctest::Contains("source_priority: must list at least one source"),
                         qreg::Error);
}

TEST_CASE("a missing survivorship.json is an error naming the file") {
    const qreg::test::TempDir dir;
    CHECK_THROWS_WITH_AS(static_cast<void>(reg::load_survivorship(dir.path())),
                         doctest::Contains("survivorship.json"), qreg::Error);
}

}  // TEST_SUITE("registry.profile")
