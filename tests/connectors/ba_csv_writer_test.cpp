#include "qreg/connectors/ba_csv.hpp"
#include "qreg/connectors/common.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string>

namespace c = qreg::connectors;

namespace {

qreg::Record full_record() {
    qreg::Record r;
    r.source = "ba";
    r.record_id = "962D071234";
    r.stand = "2026-01-15T09:30:00Z";
    r.family_name = "Al-Hassan";
    r.given_names = "Mohamad Ali";
    r.birth_name = "Hassan; geb.";  // a separator in a value: quoted
    r.birth_date = {1990, 3, 0, qreg::DatePrecision::month, false, ""};
    r.birthplace = "Halab \"Aleppo\"";
    r.sex = qreg::Sex::male;
    r.nationalities = {"SYR"};
    r.ids.ba_customer_number = "962D071234";
    r.ids.azr_number = "123456789012";
    r.ids.bamf_file_number = "8123456-475";
    r.postcode = "47798";
    r.town = "Krefeld";
    auto& q = r.qualifications;
    q.school = qreg::School{3, "ISCED-3", 12.0, ""};
    q.trainings = {{"26212", "Elektriker", "completed", "", ""}};
    q.higher_education = qreg::HigherEducation{6, "", "Maschinenbau", false, ""};
    q.experience = {{"26212", "", 4.5}};
    q.target_occupation = "26212";
    q.languages = {{"ar", "native", "", ""}, {"de", "B1", "", ""}, {"en", "B2", "", ""}};
    q.recognition = qreg::Recognition{"partially_equivalent", "", "", ""};
    return r;
}

}  // namespace

TEST_SUITE("connectors.ba_csv_writer") {

TEST_CASE("written records read back through the ba-csv-v1 parser") {
    const std::array records = {full_record()};
    const auto bytes = c::write_ba_csv(records);
    CHECK(bytes.starts_with("\xEF\xBB\xBFKDNR;NACHNAME;VORNAME;"));
    CHECK(bytes.find("\r\n") != std::string::npos);
    CHECK(bytes.find("\"Hassan; geb.\"") != std::string::npos);
    CHECK(bytes.find("\"Halab \"\"Aleppo\"\"\"") != std::string::npos);

    const auto parser = c::make_ba_csv_parser("out.csv");
    const auto batch = c::parse_all(*parser, bytes);
    REQUIRE(batch.problems.empty());
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].warnings.empty());
    const auto& back = batch.records[0].record;
    const auto& r = records[0];
    CHECK(back.record_id == r.record_id);
    CHECK(back.stand == r.stand);
    CHECK(back.family_name == r.family_name);
    CHECK(back.given_names == r.given_names);
    CHECK(back.birth_name == r.birth_name);
    CHECK(back.birth_date.year == 1990);
    CHECK(back.birth_date.month == 3);
    CHECK(back.birth_date.precision == qreg::DatePrecision::month);
    CHECK(back.birthplace == r.birthplace);
    CHECK(back.sex == r.sex);
    CHECK(back.nationalities == r.nationalities);
    CHECK(back.ids == r.ids);
    CHECK(back.postcode == r.postcode);
    CHECK(back.town == r.town);
    const auto& q = back.qualifications;
    REQUIRE(q.school);
    CHECK(q.school->original_code == "AH");
    CHECK(q.school->isced_level == 3);
    CHECK(q.school->years == 12.0);
    REQUIRE(q.trainings.size() == 1);
    CHECK(q.trainings[0].status == "completed");
    CHECK(q.trainings[0].original_status == "abgeschlossen");
    REQUIRE(q.higher_education);
    CHECK(q.higher_education->original_code == "S");  // studied, no degree
    CHECK(q.higher_education->field == "Maschinenbau");
    REQUIRE(q.experience.size() == 1);
    CHECK(q.experience[0].years == 4.5);
    CHECK(q.target_occupation == "26212");
    REQUIRE(q.languages.size() == 3);
    CHECK(q.languages[0].code == "de");
    CHECK(q.languages[0].level == "B1");
    CHECK(q.languages[1].code == "ar");
    CHECK(q.languages[1].level == "native");
    REQUIRE(q.recognition);
    CHECK(q.recognition->original_status == "teilweise_gleichwertig");
}

TEST_CASE("an empty record leaves every column but STAND empty") {
    qreg::Record r;
    r.stand = "2026-07-01T10:00:00Z";
    const std::array records = {r};
    const auto bytes = c::write_ba_csv(records);
    const auto row = bytes.substr(bytes.find("\r\n") + 2);
    CHECK(row == std::string(25, ';') + "01.07.2026 12:00:00;\r\n");
}

TEST_CASE("UTC times are written in German local time, summer and winter") {
    CHECK(c::format_german_local_time("2026-01-15T09:30:00Z") == "15.01.2026 10:30:00");
    CHECK(c::format_german_local_time("2026-07-01T23:30:00Z") == "02.07.2026 01:30:00");
    CHECK(c::format_german_local_time("2026-03-29T00:59:59Z") == "29.03.2026 01:59:59");
    CHECK(c::format_german_local_time("2026-03-29T01:00:00Z") == "29.03.2026 03:00:00");
    CHECK(c::format_german_local_time("2026-06-15T10:00:00.250Z") == "15.06.2026 12:00:00");
    CHECK(!c::format_german_local_time("15.06.2026"));
    for (const char* utc :
         {"2026-10-24T22:00:00Z", "2026-10-25T02:30:00Z", "2026-12-31T23:00:00Z"}) {
        CAPTURE(utc);
        const auto local = c::format_german_local_time(utc);
        REQUIRE(local);
        CHECK(c::parse_german_local_time(*local) == c::parse_iso_time(utc));
    }
}

}  // TEST_SUITE("connectors.ba_csv_writer")
