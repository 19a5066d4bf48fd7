#include "qreg/connectors/ba_csv.hpp"

#include "qreg/connectors/common.hpp"
#include "qreg/error.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace c = qreg::connectors;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot open " << path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string sample_path() {
    return QREG_SHARED_DIR "/formats/ba_export_sample.csv";
}

c::ParseBatch parse(std::string_view bytes) {
    const auto parser = c::make_ba_csv_parser("test.csv");
    return c::parse_all(*parser, bytes);
}

c::ParseBatch parse_in_chunks(std::string_view bytes, std::size_t size) {
    const auto parser = c::make_ba_csv_parser("test.csv");
    c::ParseBatch all;
    for (std::size_t at = 0; at < bytes.size(); at += size) {
        c::append(all, parser->feed(bytes.substr(at, size)));
    }
    c::append(all, parser->finish());
    return all;
}

constexpr std::string_view header =
    "KDNR;NACHNAME;VORNAME;GEBURTSNAME;GEBDAT;GEBORT;GESCHLECHT;STAATSANG;AZR_NR;BAMF_AZ;PLZ;"
    "WOHNORT;SCHULABSCHLUSS;SCHULJAHRE;AUSBILDUNG_KLDB;AUSBILDUNG_TXT;AUSBILDUNG_STATUS;STUDIUM;"
    "STUDIENFACH;ERFAHRUNG_KLDB;ERFAHRUNG_JAHRE;ZIELBERUF_KLDB;DEUTSCH;SPRACHEN;ANERKENNUNG;STAND;"
    "LOESCHUNG";

std::vector<std::string> header_columns() {
    std::vector<std::string> columns;
    std::string_view rest = header;
    while (!rest.empty()) {
        const auto semi = rest.find(';');
        columns.emplace_back(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    }
    return columns;
}

// A valid row of made-up data, with some columns replaced; values are written as given.
std::string row(const std::map<std::string, std::string>& changes = {}) {
    std::map<std::string, std::string> values = {
        {"KDNR", "962D071234"},   {"NACHNAME", "Muster"}, {"VORNAME", "Erika Anna"},
        {"GEBDAT", "15.03.1990"}, {"GESCHLECHT", "W"},    {"STAATSANG", "SYR"},
        {"PLZ", "47798"},         {"WOHNORT", "Krefeld"}, {"STAND", "19.11.2026 14:03:00"}};
    for (const auto& [column, value] : changes) values[column] = value;
    std::string out;
    for (const auto& column : header_columns()) {
        if (!out.empty()) out += ';';
        out += values[column];
    }
    return out;
}

std::string file_of(const std::vector<std::string>& rows) {
    std::string out(header);
    out += "\r\n";
    for (const auto& r : rows) out += r + "\r\n";
    return out;
}

bool has_warning(const c::SourceRecord& record, std::string_view text) {
    return std::any_of(record.warnings.begin(), record.warnings.end(), [&](const c::Warning& w) {
        return w.message.find(text) != std::string::npos;
    });
}

}  // namespace

TEST_SUITE("connectors.ba_csv") {

TEST_CASE("the shared sample yields its 30 records with every field in place") {
    const auto bytes = read_file(sample_path());
    const auto batch = parse(bytes);

    REQUIRE(batch.records.size() == 30);
    CHECK(batch.problems.empty());
    CHECK(batch.warnings.empty());
    for (const auto& r : batch.records) CHECK(r.warnings.empty());

    const auto& first = batch.records.front();
    CHECK(first.line == 2);
    CHECK(first.raw == bytes.substr(bytes.find("\r\n") + 2, first.raw.size()));
    CHECK(first.raw.find('\r') == std::string::npos);
    const auto& a = first.record;
    CHECK(a.source == "ba");
    CHECK(a.record_id == "315C382223");
    CHECK(a.ids.ba_customer_number == "315C382223");
    CHECK(a.family_name == "HARCHENKO");
    CHECK(a.given_names == "Halina");
    CHECK(a.birth_date.year == 1984);
    CHECK(a.birth_date.month == 8);
    CHECK(a.birth_date.day == 22);
    CHECK(a.birth_date.precision == qreg::DatePrecision::day);
    CHECK(a.birth_date.original == "22.08.1984");
    CHECK(a.sex == qreg::Sex::female);
    CHECK(a.nationalities == std::vector<std::string>{"UKR"});
    CHECK(a.ids.bamf_file_number == "6582704-166");
    CHECK(a.ids.azr_number.empty());
    CHECK(a.postcode == "47803");
    CHECK(a.town == "Krefeld");
    REQUIRE(a.qualifications.school);
    CHECK(a.qualifications.school->isced_level == 2);
    CHECK(a.qualifications.school->original_code == "HS");
    CHECK(a.qualifications.school->years == 7.0);
    REQUIRE(a.qualifications.trainings.size() == 1);
    CHECK(a.qualifications.trainings[0].kldb == "11712");
    CHECK(a.qualifications.trainings[0].title == "Landwirt");
    CHECK(a.qualifications.trainings[0].status == "completed");
    CHECK(a.qualifications.trainings[0].original_status == "abgeschlossen");
    CHECK_FALSE(a.qualifications.higher_education);
    CHECK(a.qualifications.experience.empty());
    REQUIRE(a.qualifications.languages.size() == 3);
    CHECK(a.qualifications.languages[0] == qreg::Language{"de", "C1", "C1", ""});
    CHECK(a.qualifications.languages[1] == qreg::Language{"uk", "native", "M", ""});
    CHECK(a.qualifications.languages[2] == qreg::Language{"en", "A2", "A2", ""});
    CHECK(a.stand == "2026-05-03T13:29:00Z");  // CEST
    CHECK_FALSE(a.is_retracted);

    // Line 3: Windows-1252 umlaut, decimal comma, recognition, winter time.
    const auto& b = batch.records[1];
    CHECK(b.line == 3);
    CHECK(b.record.record_id == "284L159185");
    CHECK(b.record.birthplace == "Odessa");
    CHECK(b.record.qualifications.trainings.at(0).title ==
          "B\xC3\xA4"
          "cker");
    CHECK(b.record.qualifications.trainings.at(0).status == "aborted");
    REQUIRE(b.record.qualifications.experience.size() == 1);
    CHECK(b.record.qualifications.experience[0].kldb == "11712");
    CHECK(b.record.qualifications.experience[0].years == doctest::Approx(1.9));
    CHECK(b.record.qualifications.target_occupation == "29202");
    REQUIRE(b.record.qualifications.recognition);
    CHECK(b.record.qualifications.recognition->status == "partially_equivalent");
    CHECK(b.record.qualifications.recognition->original_status == "teilweise_gleichwertig");
    CHECK(b.record.stand == "2026-01-19T13:55:56Z");  // CET
    CHECK(b.raw.find("B\xE4"
                     "cker") != std::string::npos);  // raw stays Windows-1252

    // Line 17: a stray leading blank in NACHNAME.
    const auto& blank = batch.records[15];
    CHECK(blank.line == 17);
    CHECK(blank.record.record_id == "164R025821");
    CHECK(blank.record.family_name == "Sadeqi");

    // Line 19: doctorate.
    const auto& doctor = batch.records[17];
    CHECK(doctor.record.record_id == "777Z013305");
    REQUIRE(doctor.record.qualifications.higher_education);
    CHECK(doctor.record.qualifications.higher_education->isced_level == 8);
    CHECK(doctor.record.qualifications.higher_education->original_code == "P");
    CHECK(doctor.record.qualifications.higher_education->completed == true);
    CHECK(doctor.record.qualifications.higher_education->field == "Elektrotechnik");
    CHECK(doctor.record.qualifications.school->original_code == "AU");
    CHECK_FALSE(doctor.record.qualifications.school->isced_level);

    // Line 28: non-ASCII family name, AZR number.
    const auto& last = batch.records[26];
    CHECK(last.line == 28);
    CHECK(last.record.family_name == "\xC3\x96zt\xC3\xBCrk");
    CHECK(last.record.ids.azr_number == "777659708659");
    CHECK(batch.records.back().line == 31);
}

TEST_CASE("a Windows-1252 export and its UTF-8-with-BOM twin give the same records") {
    const auto cp1252 = read_file(sample_path());
    const auto converted = c::cp1252_to_utf8(cp1252);
    REQUIRE(converted);
    const auto utf8 = "\xEF\xBB\xBF" + *converted;
    REQUIRE(utf8 != cp1252);

    const auto from_cp1252 = parse(cp1252);
    const auto from_utf8 = parse(utf8);
    REQUIRE(from_utf8.records.size() == from_cp1252.records.size());
    CHECK(from_utf8.problems.empty());
    for (std::size_t i = 0; i < from_utf8.records.size(); ++i) {
        CHECK(from_utf8.records[i].record == from_cp1252.records[i].record);
        CHECK(from_utf8.records[i].line == from_cp1252.records[i].line);
    }
    CHECK(from_utf8.records[1].raw.find("B\xC3\xA4"
                                        "cker") != std::string::npos);
}

TEST_CASE("quoted fields may hold semicolons, doubled quotes and line breaks") {
    const std::string quoted = row({{"KDNR", "111A111111"},
                                    {"NACHNAME", "\"Muster; \"\"genannt\"\" Beispiel\""},
                                    {"GEBORT", "\"Ort\r\nmit Umbruch\""}});
    const auto batch = parse(file_of({quoted, row({{"KDNR", "222B222222"}})}));

    REQUIRE(batch.records.size() == 2);
    CHECK(batch.problems.empty());
    const auto& r = batch.records[0];
    CHECK(r.record.family_name == "Muster; \"genannt\" Beispiel");
    CHECK(r.record.birthplace == "Ort mit Umbruch");  // clean_text folds the break
    CHECK(r.raw == quoted);
    CHECK(r.line == 2);
    CHECK(batch.records[1].line == 4);  // the embedded break moved the next row down a line
}

TEST_CASE("a row with the wrong field count is a problem naming both counts") {
    std::string short_row = row({{"KDNR", "333C333333"}});
    short_row.erase(short_row.rfind(';'));
    const auto batch = parse(file_of({row(), short_row, row({{"KDNR", "444D444444"}})}));

    CHECK(batch.records.size() == 2);
    REQUIRE(batch.problems.size() == 1);
    const auto& p = batch.problems[0];
    CHECK(p.reason == "wrong field count: 27 expected, 26 found");
    CHECK(p.line == 3);
    CHECK(p.raw == short_row);
    CHECK(p.file == "test.csv");
    CHECK(p.record_id == "333C333333");
}

TEST_CASE("an unterminated quote at the end of the file is a problem keeping the rest") {
    const std::string open = row({{"KDNR", "555E555555"}, {"GEBORT", "\"Ort ohne Ende"}});
    const auto bytes = file_of({row(), open, row({{"KDNR", "666F666666"}})});
    const auto batch = parse(bytes);

    REQUIRE(batch.records.size() == 1);
    REQUIRE(batch.problems.size() == 1);
    CHECK(batch.problems[0].reason == "unterminated quote at end of file");
    CHECK(batch.problems[0].line == 3);
    CHECK(batch.problems[0].raw == bytes.substr(bytes.find(open)));
    CHECK(batch.problems[0].record_id == "555E555555");
}

TEST_CASE("a row with a byte invalid in its encoding is a problem, the other rows land") {
    SUBCASE("Windows-1252: 0x81 is undefined") {
        const std::string bad = row({{"KDNR", "777G777777"}, {"WOHNORT", "K\x81ln"}});
        const auto batch = parse(file_of({row(), bad, row({{"KDNR", "888H888888"}})}));
        CHECK(batch.records.size() == 2);
        REQUIRE(batch.problems.size() == 1);
        CHECK(batch.problems[0].reason ==
              "invalid encoding: column WOHNORT is not valid Windows-1252");
        CHECK(batch.problems[0].raw == bad);
        CHECK(batch.problems[0].record_id == "777G777777");
    }
    SUBCASE("UTF-8 with BOM: a lone continuation byte") {
        const std::string bad = row({{"KDNR", "777G777777"}, {"NACHNAME", "M\xBCller"}});
        const auto batch = parse("\xEF\xBB\xBF" + file_of({row(), bad}));
        CHECK(batch.records.size() == 1);
        REQUIRE(batch.problems.size() == 1);
        CHECK(batch.problems[0].reason == "invalid encoding: column NACHNAME is not valid UTF-8");
        CHECK(batch.problems[0].line == 3);
    }
}

TEST_CASE("a row without KDNR is a problem") {
    const auto batch = parse(file_of({row({{"KDNR", "  "}})}));
    CHECK(batch.records.empty());
    REQUIRE(batch.problems.size() == 1);
    CHECK(batch.problems[0].reason == "KDNR: record id is missing");
    CHECK(batch.problems[0].record_id.empty());
}

TEST_CASE("a row with no name at all is a problem carrying its record id") {
    const auto batch = parse(file_of({row({{"NACHNAME", ""}, {"VORNAME", " "}})}));
    CHECK(batch.records.empty());
    REQUIRE(batch.problems.size() == 1);
    CHECK(batch.problems[0].reason.find("no name") != std::string::npos);
    CHECK(batch.problems[0].record_id == "962D071234");
}

TEST_CASE("a single name is enough for a record to land") {
    const auto batch = parse(file_of({row({{"VORNAME", ""}})}));
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].record.given_names.empty());
}

TEST_CASE("an unreadable birth date is a problem whose reason does not show the date") {
    for (const char* date : {"31.02.1990", "1990-03-15", "15.3.90", "xx.xx.xxxx"}) {
        CAPTURE(date);
        const auto batch = parse(file_of({row({{"GEBDAT", date}})}));
        CHECK(batch.records.empty());
        REQUIRE(batch.problems.size() == 1);
        CHECK(batch.problems[0].reason == "GEBDAT: birth date cannot be read, expected TT.MM.JJJJ");
        CHECK(batch.problems[0].reason.find(date) == std::string::npos);
    }
}

TEST_CASE("partial birth dates and the 01.01. placeholder keep their precision") {
    const auto batch = parse(file_of({row({{"KDNR", "100A000001"}, {"GEBDAT", "00.00.1990"}}),
                                      row({{"KDNR", "100A000002"}, {"GEBDAT", "00.03.1990"}}),
                                      row({{"KDNR", "100A000003"}, {"GEBDAT", "01.01.1990"}}),
                                      row({{"KDNR", "100A000004"}, {"GEBDAT", ""}})}));
    REQUIRE(batch.records.size() == 4);
    const auto& year = batch.records[0].record.birth_date;
    CHECK(year.precision == qreg::DatePrecision::year);
    CHECK(year.year == 1990);
    CHECK(year.month == 0);
    const auto& month = batch.records[1].record.birth_date;
    CHECK(month.precision == qreg::DatePrecision::month);
    CHECK(month.month == 3);
    const auto& placeholder = batch.records[2].record.birth_date;
    CHECK(placeholder.is_placeholder);
    CHECK(placeholder.precision == qreg::DatePrecision::day);
    CHECK(batch.records[3].record.birth_date.precision == qreg::DatePrecision::none);
    for (const auto& r : batch.records) CHECK(r.warnings.empty());
}

TEST_CASE("codes map to canonical values and the original code is kept") {
    const auto batch = parse(file_of({row({{"SCHULABSCHLUSS", "AH"},
                                           {"SCHULJAHRE", "12"},
                                           {"STUDIUM", "S"},
                                           {"STUDIENFACH", "Maschinenbau"},
                                           {"AUSBILDUNG_STATUS", "laufend"},
                                           {"ANERKENNUNG", "beantragt"},
                                           {"DEUTSCH", "B1"},
                                           {"SPRACHEN", "ar:M|en:B2"},
                                           {"ERFAHRUNG_KLDB", "26212"},
                                           {"ERFAHRUNG_JAHRE", "4,5"},
                                           {"GESCHLECHT", "m"}})}));
    REQUIRE(batch.records.size() == 1);
    const auto& r = batch.records[0];
    CHECK(r.warnings.empty());
    const auto& q = r.record.qualifications;
    CHECK(q.school == qreg::School{3, "AH", 12.0, ""});
    REQUIRE(q.higher_education);
    CHECK_FALSE(q.higher_education->isced_level);
    CHECK(q.higher_education->completed == false);
    CHECK(q.higher_education->original_code == "S");
    CHECK(q.higher_education->field == "Maschinenbau");
    REQUIRE(q.trainings.size() == 1);
    CHECK(q.trainings[0].status == "in_progress");
    CHECK(q.trainings[0].original_status == "laufend");
    CHECK(q.trainings[0].kldb.empty());
    CHECK(q.recognition->status == "applied");
    CHECK(q.recognition->original_status == "beantragt");
    REQUIRE(q.languages.size() == 3);
    CHECK(q.languages[1] == qreg::Language{"ar", "native", "M", ""});
    CHECK(q.experience.at(0).years == doctest::Approx(4.5));
    CHECK(r.record.sex == qreg::Sex::male);
}

TEST_CASE("an unknown code lands the record with a warning that names the column") {
    const auto batch = parse(file_of({row({{"SCHULABSCHLUSS", "QQ"},
                                           {"GESCHLECHT", "Y"},
                                           {"AUSBILDUNG_STATUS", "vielleicht"},
                                           {"STUDIUM", "Z"},
                                           {"DEUTSCH", "B7"},
                                           {"SPRACHEN", "ar:M|en:sehr gut"},
                                           {"ANERKENNUNG", "offen"},
                                           {"LOESCHUNG", "N"}})}));
    REQUIRE(batch.records.size() == 1);
    const auto& r = batch.records[0];
    CHECK(r.warnings.size() == 8);
    CHECK(has_warning(r, "SCHULABSCHLUSS: unknown code"));
    CHECK(has_warning(r, "GESCHLECHT: unknown code"));
    CHECK(has_warning(r, "AUSBILDUNG_STATUS: unknown code"));
    CHECK(has_warning(r, "STUDIUM: unknown code"));
    CHECK(has_warning(r, "DEUTSCH: unknown language level"));
    CHECK(has_warning(r, "SPRACHEN: unknown language level"));
    CHECK(has_warning(r, "ANERKENNUNG: unknown code"));
    CHECK(has_warning(r, "LOESCHUNG: unknown value"));
    for (const auto& w : r.warnings) {
        CHECK(w.line == 2);
        CHECK(w.message.find("vielleicht") == std::string::npos);
    }
    const auto& q = r.record.qualifications;
    CHECK(q.school->original_code == "QQ");
    CHECK_FALSE(q.school->isced_level);
    CHECK(q.trainings.at(0).original_status == "vielleicht");
    CHECK(q.trainings.at(0).status.empty());
    CHECK(q.languages.at(2) == qreg::Language{"en", "", "sehr gut", ""});
    CHECK(r.record.sex == qreg::Sex::unknown);
    CHECK_FALSE(r.record.is_retracted);
}

TEST_CASE("malformed identifiers, numbers and as-of times land with warnings") {
    const auto batch = parse(file_of({row({{"KDNR", "96D071234"},
                                           {"AZR_NR", "12345"},
                                           {"BAMF_AZ", "8123456475"},
                                           {"SCHULJAHRE", "zwoelf"},
                                           {"ERFAHRUNG_JAHRE", "4,5,6"},
                                           {"ZIELBERUF_KLDB", "2621"},
                                           {"STAND", "2026-11-19"}})}));
    REQUIRE(batch.records.size() == 1);
    const auto& r = batch.records[0];
    CHECK(r.warnings.size() == 7);
    CHECK(has_warning(r, "KDNR:"));
    CHECK(has_warning(r, "AZR_NR:"));
    CHECK(has_warning(r, "BAMF_AZ:"));
    CHECK(has_warning(r, "SCHULJAHRE:"));
    CHECK(has_warning(r, "ERFAHRUNG_JAHRE:"));
    CHECK(has_warning(r, "ZIELBERUF_KLDB:"));
    CHECK(has_warning(r, "STAND:"));
    CHECK(r.record.record_id == "96D071234");
    CHECK(r.record.ids.azr_number == "12345");
    CHECK(r.record.stand.empty());
    CHECK_FALSE(r.record.qualifications.school->years);
}

TEST_CASE("LOESCHUNG J retracts the record") {
    const auto batch = parse(file_of({row({{"LOESCHUNG", "J"}})}));
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].record.is_retracted);
    CHECK(batch.records[0].warnings.empty());
}

TEST_CASE("columns are mapped by name in any order, optional ones may be missing") {
    const auto batch = parse(
        "VORNAME;GEBDAT;KDNR;NACHNAME\r\n"
        "Erika;00.00.1990;962D071234;Muster\r\n");
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.warnings.empty());
    const auto& r = batch.records[0].record;
    CHECK(r.record_id == "962D071234");
    CHECK(r.family_name == "Muster");
    CHECK(r.given_names == "Erika");
    CHECK(r.birth_date.year == 1990);
    CHECK(has_warning(batch.records[0], "STAND: as-of time is missing"));
}

TEST_CASE("unknown columns give one file-level warning and are ignored") {
    const auto batch = parse(
        "KDNR;NACHNAME;VORNAME;GEBDAT;FARBE;GROESSE\r\n"
        "962D071234;Muster;Erika;15.03.1990;blau;170\r\n");
    REQUIRE(batch.records.size() == 1);
    REQUIRE(batch.warnings.size() == 1);
    CHECK(batch.warnings[0].line == 1);
    CHECK(batch.warnings[0].message == "header: unknown columns ignored: FARBE, GROESSE");
}

TEST_CASE("a header lacking a required column fails the file with a clear message") {
    const auto parser = c::make_ba_csv_parser("ba_export_0611.csv");
    CHECK_THROWS_WITH_AS(
        (void)parser->feed("NACHNAME;VORNAME;GEBDAT\r\nMuster;Erika;15.03.1990\r\n"),
        "ba_export_0611.csv line 1: header lacks column KDNR; is this a ba-csv-v1 export?",
        qreg::Error);
    CHECK_THROWS_WITH_AS((void)parser->finish(), doctest::Contains("header lacks column KDNR"),
                         qreg::Error);

    const auto other = c::make_ba_csv_parser("x.csv");
    CHECK_THROWS_WITH_AS((void)c::parse_all(*other, "KDNR;NACHNAME;VORNAME\r\n"),
                         doctest::Contains("header lacks column GEBDAT"), qreg::Error);
}

TEST_CASE("an empty file fails: the header row is required") {
    const auto parser = c::make_ba_csv_parser("empty.csv");
    CHECK_THROWS_WITH_AS((void)c::parse_all(*parser, ""),
                         doctest::Contains("empty.csv line 1: file is empty"), qreg::Error);
}

TEST_CASE("blank lines are skipped but still counted, bare LF line ends work") {
    const std::string bytes = std::string(header) + "\n\n" + row() + "\r\n\r\n\n" +
                              row({{"KDNR", "111A111111"}}) + "\n" + row({{"KDNR", "222B222222"}});
    const auto batch = parse(bytes);
    REQUIRE(batch.records.size() == 3);
    CHECK(batch.problems.empty());
    CHECK(batch.records[0].line == 3);
    CHECK(batch.records[1].line == 6);
    CHECK(batch.records[2].line == 7);  // no final line end
    CHECK(batch.records[2].raw == row({{"KDNR", "222B222222"}}));
}

TEST_CASE("feeding in chunks of every size gives exactly the records of one feed") {
    const std::string tricky =
        "\xEF\xBB\xBF" +
        file_of({row({{"NACHNAME", "\"a;\"\"b\"\"\r\nc\""}, {"WOHNORT", "K\xC3\xB6ln"}}),
                 row({{"KDNR", "111A111111"}, {"GEBDAT", "31.02.1990"}}),
                 row({{"KDNR", "222B222222"}, {"GESCHLECHT", "?"}}), "", "1;2;3",
                 row({{"KDNR", "333C333333"}, {"GEBORT", "\"\"\"\""}})}) +
        row({{"KDNR", "444D444444"}, {"GEBORT", "\"offen\r\n"}});
    for (const std::string& bytes : {read_file(sample_path()), tricky}) {
        const auto whole = parse(bytes);
        REQUIRE(whole.records.size() + whole.problems.size() >= 5);
        for (std::size_t size = 1; size <= bytes.size(); ++size) {
            const auto split = parse_in_chunks(bytes, size);
            REQUIRE(split.records.size() == whole.records.size());
            REQUIRE(split.problems.size() == whole.problems.size());
            for (std::size_t i = 0; i < whole.records.size(); ++i) {
                REQUIRE(split.records[i].raw == whole.records[i].raw);
                REQUIRE(split.records[i].line == whole.records[i].line);
                REQUIRE(split.records[i].record == whole.records[i].record);
                REQUIRE(split.records[i].warnings.size() == whole.records[i].warnings.size());
            }
            for (std::size_t i = 0; i < whole.problems.size(); ++i) {
                REQUIRE(split.problems[i].raw == whole.problems[i].raw);
                REQUIRE(split.problems[i].line == whole.problems[i].line);
                REQUIRE(split.problems[i].reason == whole.problems[i].reason);
            }
        }
    }
}

}  // TEST_SUITE("connectors.ba_csv")
