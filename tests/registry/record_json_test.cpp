#include "record_json.hpp"

#include <doctest/doctest.h>

namespace reg = qreg::registry;

TEST_SUITE("registry.record_json") {

TEST_CASE("a fully populated record survives the JSON round trip") {
    qreg::Record r;
    r.source = "jobcenter";
    r.record_id = "36102BG0012345-02";
    r.stand = "2026-11-19T13:03:00Z";
    r.is_retracted = true;
    r.family_name = "Al Hassan";
    r.given_names = "Mohamad Ali";
    r.birth_name = "X";
    r.aliases = {{"ALHASAN", "MOHAMAD"}};
    r.original_script = "محمد";
    r.birth_date = {1990, 3, 0, qreg::DatePrecision::month, false, "1990-03"};
    r.birthplace = "Aleppo";
    r.birth_country = "SYR";
    r.sex = qreg::Sex::male;
    r.nationalities = {"SYR", "XXA"};
    r.ids = {"962D071234", "36102BG0012345", "8123456-475", "123456789012", ""};
    r.street = "Hauptstr.";
    r.house_number = "5a";
    r.postcode = "47798";
    r.town = "Krefeld";
    auto& q = r.qualifications;
    q.school = qreg::School{3, "ISCED-3", 12.0, "SYR"};
    q.trainings = {{"26212", "Elektriker", "completed", "abgeschlossen", "SYR"}};
    q.higher_education = qreg::HigherEducation{6, "6", "Maschinenbau", false, "SYR"};
    q.experience = {{"26212", "", 4.5}};
    q.languages = {{"de", "B1", "B1", "DTZ"}, {"ar", "native", "muttersprache", ""}};
    q.recognition = qreg::Recognition{"partially_equivalent", "teilweise_gleichwertig", "26212",
                                      "2025-06-01"};
    q.integration_course = qreg::IntegrationCourse{"abgeschlossen", "B1"};
    q.target_occupation = "26212";

    const auto text = reg::to_json(r);
    CHECK(reg::record_from_json(text) == r);
    CHECK(reg::to_json(reg::record_from_json(text)) == text);
}

TEST_CASE("an empty record survives the round trip with absent optionals") {
    const qreg::Record r;
    const auto back = reg::record_from_json(reg::to_json(r));
    CHECK(back == r);
    CHECK_FALSE(back.qualifications.school.has_value());
}

}  // TEST_SUITE("registry.record_json")
