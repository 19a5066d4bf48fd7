#include "qreg/connectors/bamf_jsonl.hpp"

#include "qreg/error.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace c = qreg::connectors;

namespace {

constexpr const char* sample_path = QREG_SHARED_DIR "/formats/bamf_export_sample.jsonl";

std::string read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

c::ParseBatch parse(std::string_view bytes) {
    const auto parser = c::make_bamf_jsonl_parser("test.jsonl");
    return c::parse_all(*parser, bytes);
}

c::ParseBatch parse_in_chunks(std::string_view bytes, std::size_t chunk_size) {
    const auto parser = c::make_bamf_jsonl_parser("test.jsonl");
    c::ParseBatch all;
    for (std::size_t at = 0; at < bytes.size(); at += chunk_size) {
        c::append(all, parser->feed(bytes.substr(at, chunk_size)));
    }
    c::append(all, parser->finish());
    return all;
}

// One line with a valid file number, as-of time, name and birth date; `person_extra` and
// `top_extra` add keys (each with a leading comma) to the person and the top-level object.
std::string line_with(std::string_view person_extra = "", std::string_view top_extra = "") {
    return R"({"aktenzeichen":"8123456-475","azrNummer":"123456789012",)"
           R"("stand":"2026-11-18T09:12:00Z","geloescht":false,)"
           R"("person":{"familienname":"TEST","vornamen":["EINS","ZWEI"],)"
           R"("geburtsdatum":{"jahr":1990,"monat":3,"tag":15})" +
           std::string(person_extra) + "}" + std::string(top_extra) + "}";
}

// A line whose person object is exactly `person`.
std::string line_of_person(std::string_view person) {
    return R"({"aktenzeichen":"8123456-475","stand":"2026-11-18T09:12:00Z","person":)" +
           std::string(person) + "}";
}

c::SourceRecord only_record(c::ParseBatch batch) {
    REQUIRE(batch.problems.empty());
    REQUIRE(batch.records.size() == 1);
    return std::move(batch.records[0]);
}

c::RowProblem only_problem(c::ParseBatch batch) {
    REQUIRE(batch.records.empty());
    REQUIRE(batch.problems.size() == 1);
    return std::move(batch.problems[0]);
}

const c::SourceRecord* find(const c::ParseBatch& batch, std::string_view id) {
    const auto it = std::find_if(batch.records.begin(), batch.records.end(),
                                 [&](const c::SourceRecord& r) { return r.record.record_id == id; });
    return it == batch.records.end() ? nullptr : &*it;
}

bool mentions(const std::vector<c::Warning>& warnings, std::string_view text) {
    return std::any_of(warnings.begin(), warnings.end(), [&](const c::Warning& w) {
        return w.message.find(text) != std::string::npos;
    });
}

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> lines;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        lines.emplace_back(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return lines;
}

}  // namespace

TEST_SUITE("connectors.bamf_jsonl") {

TEST_CASE("the shared sample gives one record per line, each with its exact line and number") {
    const std::string sample = read_file(sample_path);
    const auto batch = parse(sample);
    const auto lines = lines_of(sample);
    REQUIRE(lines.size() == 25);
    REQUIRE(batch.records.size() == 25);
    CHECK(batch.problems.empty());
    CHECK(batch.warnings.empty());
    for (std::size_t i = 0; i < batch.records.size(); ++i) {
        const auto& r = batch.records[i];
        CHECK(r.line == i + 1);
        CHECK(r.raw == lines[i]);
        CHECK(r.warnings.empty());
        CHECK(r.record.source == "bamf");
        CHECK(r.record.ids.bamf_file_number == r.record.record_id);
        CHECK_FALSE(r.record.is_retracted);
    }
}

TEST_CASE("the sample's first record maps identity, birth, aliases and soko") {
    const auto batch = parse(read_file(sample_path));
    REQUIRE_FALSE(batch.records.empty());
    const qreg::Record& r = batch.records[0].record;
    CHECK(r.record_id == "9824307-475");
    CHECK(r.ids.azr_number.empty());  // azrNummer is null
    CHECK(r.stand == "2020-12-06T12:40:07Z");
    CHECK(r.family_name == "AL-KHALIL");
    CHECK(r.given_names == "AHMAD");
    CHECK(r.aliases == std::vector<qreg::PersonName>{{"ALKHALIL", "ACHMED"}});
    CHECK(r.birth_date.year == 2003);
    CHECK(r.birth_date.month == 9);
    CHECK(r.birth_date.day == 6);
    CHECK(r.birth_date.precision == qreg::DatePrecision::day);
    CHECK(r.birth_date.original == "2003-09-06");
    CHECK(r.birthplace == "HALAB");
    CHECK(r.birth_country == "SYR");
    CHECK(r.sex == qreg::Sex::male);
    CHECK(r.nationalities == std::vector<std::string>{"SYR"});
    const auto& q = r.qualifications;
    REQUIRE(q.school);
    CHECK(q.school->isced_level == 3);
    CHECK(q.school->original_code == "ISCED-3");
    CHECK(q.school->years == 11.0);
    REQUIRE(q.languages.size() == 3);
    CHECK(q.languages[0].code == "ar");
    CHECK(q.languages[0].level == "native");
    CHECK(q.languages[0].original_level == "muttersprache");
    CHECK(q.languages[1].code == "en");
    CHECK(q.languages[1].level == "A2");
    CHECK(q.languages[2].code == "de");
    CHECK(q.languages[2].level == "A1");
    CHECK(q.trainings.empty());
    CHECK(q.experience.empty());
    CHECK_FALSE(q.higher_education);
}

TEST_CASE("the sample's training, study and experience entries are mapped") {
    const auto batch = parse(read_file(sample_path));

    const auto* nurse = find(batch, "9347542-166");
    REQUIRE(nurse != nullptr);
    CHECK(nurse->record.ids.azr_number == "629883788752");
    CHECK(nurse->record.sex == qreg::Sex::female);
    REQUIRE(nurse->record.qualifications.trainings.size() == 1);
    const auto& training = nurse->record.qualifications.trainings[0];
    CHECK(training.kldb == "81302");
    CHECK(training.title == "Pflegefachkraft");
    CHECK(training.status == "completed");
    CHECK(training.original_status == "true");

    const auto* unfinished = find(batch, "2279620-439");
    REQUIRE(unfinished != nullptr);
    REQUIRE(unfinished->line == 21);
    REQUIRE(unfinished->record.qualifications.trainings.size() == 1);
    CHECK(unfinished->record.qualifications.trainings[0].status == "not_completed");
    CHECK(unfinished->record.qualifications.trainings[0].original_status == "false");
    CHECK(unfinished->record.birthplace.empty());  // geburtsort is null

    const auto* studied = find(batch, "2396507-475");
    REQUIRE(studied != nullptr);
    const auto& study = studied->record.qualifications.higher_education;
    REQUIRE(study);
    CHECK(study->field == "Elektrotechnik");
    CHECK(study->isced_level == 8);
    CHECK(study->original_code == "8");
    CHECK(study->completed == true);
    CHECK(studied->record.given_names == "FATIMA ALI");
    REQUIRE(studied->record.qualifications.experience.size() == 1);
    CHECK(studied->record.qualifications.experience[0].kldb == "81404");
    CHECK(studied->record.qualifications.experience[0].title == "Arzt");
    CHECK(studied->record.qualifications.experience[0].years == 6.0);

    const auto* without_soko = find(batch, "8882254-166");
    REQUIRE(without_soko != nullptr);
    CHECK(without_soko->record.qualifications == qreg::Qualifications{});

    const auto* year_only = find(batch, "6615394-224");
    REQUIRE(year_only != nullptr);
    CHECK(year_only->record.birth_date.precision == qreg::DatePrecision::year);
    CHECK(year_only->record.birth_date.original == "1967-00-00");
    CHECK(year_only->record.given_names == "YONAS TEKLE");
}

TEST_CASE("non-ASCII names are kept as UTF-8, in the case the export wrote") {
    const auto batch = parse(read_file(sample_path));
    const auto* r = find(batch, "5111279-163");
    REQUIRE(r != nullptr);
    CHECK(r->record.family_name == "\xC3\x96ZT\xC3\x9CRK");
    CHECK(r->record.aliases == std::vector<qreg::PersonName>{{"OZTURK", "H\xC3\x9CSEYIN"}});
}

TEST_CASE("every alias lands as a name pair and empty aliases are dropped") {
    const auto r = only_record(parse(line_with(
        R"(,"aliasNamen":[{"familienname":"A","vornamen":["B","C"]},{"familienname":"D"},)"
        R"({"vornamen":[" E  F "]},{"familienname":"","vornamen":[]}],"originalschrift":"X Y")")));
    const std::vector<qreg::PersonName> expected{{"A", "B C"}, {"D", ""}, {"", "E F"}};
    CHECK(r.record.aliases == expected);
    CHECK(r.record.original_script == "X Y");
    CHECK(r.warnings.empty());
}

TEST_CASE("null birth date parts set the precision and show as 00 in the original") {
    SUBCASE("day unknown") {
        const auto r = only_record(parse(line_of_person(
            R"({"familienname":"T","geburtsdatum":{"jahr":1990,"monat":3,"tag":null}})")));
        CHECK(r.record.birth_date.precision == qreg::DatePrecision::month);
        CHECK(r.record.birth_date.year == 1990);
        CHECK(r.record.birth_date.month == 3);
        CHECK(r.record.birth_date.day == 0);
        CHECK(r.record.birth_date.original == "1990-03-00");
    }
    SUBCASE("month and day missing") {
        const auto& r =
            only_record(parse(line_of_person(R"({"familienname":"T","geburtsdatum":{"jahr":1990}})")));
        CHECK(r.record.birth_date.precision == qreg::DatePrecision::year);
        CHECK(r.record.birth_date.original == "1990-00-00");
    }
    SUBCASE("all parts null") {
        const auto r = only_record(parse(line_of_person(
            R"({"familienname":"T","geburtsdatum":{"jahr":null,"monat":null,"tag":null}})")));
        CHECK(r.record.birth_date.precision == qreg::DatePrecision::none);
        CHECK(r.record.birth_date.year == 0);
    }
    SUBCASE("no birth date at all") {
        const auto r = only_record(parse(line_of_person(R"({"familienname":"T"})")));
        CHECK(r.record.birth_date.precision == qreg::DatePrecision::none);
        CHECK(r.record.birth_date.original.empty());
    }
    SUBCASE("the first of January is the agencies' placeholder") {
        const auto r = only_record(parse(line_of_person(
            R"({"familienname":"T","geburtsdatum":{"jahr":2000,"monat":1,"tag":1}})")));
        CHECK(r.record.birth_date.precision == qreg::DatePrecision::day);
        CHECK(r.record.birth_date.is_placeholder);
    }
}

TEST_CASE("geloescht true retracts the record") {
    std::string line = line_with();
    line.replace(line.find("\"geloescht\":false"), 17, "\"geloescht\":true");
    const auto r = only_record(parse(line));
    CHECK(r.record.is_retracted);
    CHECK(r.record.family_name == "TEST");
    CHECK(r.warnings.empty());
}

TEST_CASE("a retraction without a person still lands, as the key it retracts") {
    const auto r = only_record(parse(
        R"({"aktenzeichen":"8123456-475","stand":"2026-11-18T09:12:00Z","geloescht":true})"));
    CHECK(r.record.is_retracted);
    CHECK(r.record.record_id == "8123456-475");
    CHECK(r.record.stand == "2026-11-18T09:12:00Z");
    CHECK(r.warnings.empty());
}

TEST_CASE("unknown keys anywhere are ignored without a warning") {
    const auto plain = only_record(parse(line_with()));
    const auto extended = only_record(parse(line_with(
        R"(,"spitzname":"X","geburtsdatum2":{"a":[1,2,{"b":null}]})",
        R"(,"version":7,"soko":{"neu":true,"sprachen":[{"code":"de","niveau":"B1","x":1}]})")));
    CHECK(extended.warnings.empty());
    CHECK(extended.record.family_name == plain.record.family_name);
    CHECK(extended.record.birth_date == plain.record.birth_date);
    REQUIRE(extended.record.qualifications.languages.size() == 1);
    CHECK(extended.record.qualifications.languages[0].level == "B1");
}

TEST_CASE("a missing or partial soko gives empty or partial qualifications") {
    SUBCASE("missing") {
        const auto r = only_record(parse(line_with()));
        CHECK(r.record.qualifications == qreg::Qualifications{});
        CHECK(r.warnings.empty());
    }
    SUBCASE("null") {
        const auto r = only_record(parse(line_with("", R"(,"soko":null)")));
        CHECK(r.record.qualifications == qreg::Qualifications{});
        CHECK(r.warnings.empty());
    }
    SUBCASE("only the school years") {
        const auto r = only_record(parse(line_with("", R"(,"soko":{"schulbesuchJahre":9})")));
        REQUIRE(r.record.qualifications.school);
        CHECK(r.record.qualifications.school->years == 9.0);
        CHECK_FALSE(r.record.qualifications.school->isced_level);
        CHECK(r.record.qualifications.school->original_code.empty());
        CHECK(r.record.qualifications.languages.empty());
        CHECK(r.warnings.empty());
    }
    SUBCASE("a study with a country and a language certificate") {
        const auto r = only_record(parse(line_with(
            "", R"(,"soko":{"studium":{"fach":"Jura","iscedStufe":7,"land":"SYR"},)"
                R"("sprachen":[{"code":"de","niveau":"B1","nachweis":"DTZ"}]})")));
        const auto& q = r.record.qualifications;
        REQUIRE(q.higher_education);
        CHECK(q.higher_education->isced_level == 7);
        CHECK(q.higher_education->country == "SYR");
        CHECK_FALSE(q.higher_education->completed);
        REQUIRE(q.languages.size() == 1);
        CHECK(q.languages[0].certificate == "DTZ");
        CHECK_FALSE(q.school);
        CHECK(r.warnings.empty());
    }
}

TEST_CASE("identifiers, address and the XML-style soko entries are mapped when present") {
    const auto r = only_record(parse(line_with(
        R"(,"anschrift":{"plz":"47798","ort":"Krefeld","strasse":"Hauptstr.","hausnummer":"1"})",
        R"(,"kundennummer":"962D071234","soko":{"zielberuf":"26212",)"
        R"("anerkennung":{"status":"teilweise_gleichwertig","referenzberuf":"26212",)"
        R"("datum":"2025-06-01"},"integrationskurs":{"status":"abgeschlossen","ergebnis":"B1"}})")));
    CHECK(r.warnings.empty());
    CHECK(r.record.ids.azr_number == "123456789012");
    CHECK(r.record.ids.ba_customer_number == "962D071234");
    CHECK(r.record.postcode == "47798");
    CHECK(r.record.town == "Krefeld");
    CHECK(r.record.street == "Hauptstr.");
    CHECK(r.record.house_number == "1");
    const auto& q = r.record.qualifications;
    CHECK(q.target_occupation == "26212");
    REQUIRE(q.recognition);
    CHECK(q.recognition->status == "partially_equivalent");
    CHECK(q.recognition->original_status == "teilweise_gleichwertig");
    CHECK(q.recognition->date == "2025-06-01");
    REQUIRE(q.integration_course);
    CHECK(q.integration_course->status == "abgeschlossen");
    CHECK(q.integration_course->result == "B1");
}

TEST_CASE("a line that is not JSON is a problem with its line number, and later lines land") {
    const std::string broken = R"({"aktenzeichen":"8123456-475","person":{"familienname":)";
    const auto batch = parse(line_with() + "\n" + broken + "\n" + line_with() + "\n");
    REQUIRE(batch.problems.size() == 1);
    const auto& p = batch.problems[0];
    CHECK(p.line == 2);
    CHECK(p.file == "test.jsonl");
    CHECK(p.raw == broken);
    CHECK(p.record_id.empty());
    CHECK(p.reason.starts_with("line is not valid JSON: "));
    CHECK(p.reason.size() > std::string_view("line is not valid JSON: ").size());
    REQUIRE(batch.records.size() == 2);
    CHECK(batch.records[0].line == 1);
    CHECK(batch.records[1].line == 3);
}

TEST_CASE("trailing data after the object is not valid JSON") {
    const auto p = only_problem(parse(line_with() + " {}"));
    CHECK(p.reason.starts_with("line is not valid JSON: "));
}

TEST_CASE("a line that is JSON but not an object is a problem") {
    for (const std::string_view line : {"[1,2,3]", "\"8123456-475\"", "42", "null"}) {
        CAPTURE(line);
        const auto p = only_problem(parse(line));
        CHECK(p.reason == "line is not a JSON object");
        CHECK(p.line == 1);
        CHECK(p.raw == line);
    }
}

TEST_CASE("a missing, empty or non-string aktenzeichen is a problem naming the key") {
    SUBCASE("missing") {
        const auto p = only_problem(parse(R"({"person":{"familienname":"T"}})"));
        CHECK(p.reason == "aktenzeichen: missing");
        CHECK(p.record_id.empty());
    }
    SUBCASE("empty") {
        const auto p = only_problem(parse(R"({"aktenzeichen":"  ","person":{"familienname":"T"}})"));
        CHECK(p.reason == "aktenzeichen: empty");
    }
    SUBCASE("a number") {
        const auto p = only_problem(parse(R"({"aktenzeichen":8123456,"person":{"familienname":"T"}})"));
        CHECK(p.reason == "aktenzeichen: expected a string");
        CHECK(p.reason.find("8123456") == std::string::npos);
    }
}

TEST_CASE("a record without any name is a problem that keeps the record id") {
    SUBCASE("empty names") {
        const auto p = only_problem(parse(line_of_person(
            R"({"familienname":" ","vornamen":[],"geburtsdatum":{"jahr":1990}})")));
        CHECK(p.record_id == "8123456-475");
        CHECK(p.reason.starts_with("person: no name at all"));
    }
    SUBCASE("no person") {
        const auto p = only_problem(parse(R"({"aktenzeichen":"8123456-475"})"));
        CHECK(p.reason == "person: missing");
        CHECK(p.record_id == "8123456-475");
    }
    SUBCASE("person is not an object") {
        const auto p = only_problem(parse(R"({"aktenzeichen":"8123456-475","person":["T"]})"));
        CHECK(p.reason == "person: expected an object");
        CHECK(p.record_id == "8123456-475");
    }
}

TEST_CASE("a birth date with impossible parts or wrong types is a problem without the value") {
    const std::string_view dates[] = {
        R"({"jahr":1990,"monat":13,"tag":1})",    R"({"jahr":1990,"monat":2,"tag":30})",
        R"({"jahr":"1990","monat":3,"tag":15})",  R"({"jahr":1990,"monat":3.5,"tag":null})",
        R"({"jahr":1990,"monat":null,"tag":15})", R"({"jahr":99999999999,"monat":1})",
        R"("1990-03-15")",                        R"({"jahr":true})",
    };
    for (const std::string_view date : dates) {
        CAPTURE(date);
        const auto p = only_problem(parse(line_of_person(
            std::string(R"({"familienname":"T","geburtsdatum":)") + std::string(date) + "}")));
        CHECK(p.reason == "person.geburtsdatum: birth date cannot be read");
        CHECK(p.record_id == "8123456-475");
    }
}

TEST_CASE("a line that is not valid UTF-8 is a problem that keeps the exact bytes") {
    std::string line = line_with();
    line.replace(line.find("TEST"), 4, "T\xC3\x28ST");  // a lead byte without continuation
    const auto batch = parse(line + "\n" + line_with() + "\n");
    REQUIRE(batch.problems.size() == 1);
    const auto& p = batch.problems[0];
    CHECK(p.reason == "line is not valid UTF-8");
    CHECK(p.raw == line);
    CHECK(p.line == 1);
    CHECK(p.record_id == "8123456-475");
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].line == 2);
}

TEST_CASE("unknown codes give warnings while the record lands with the original kept") {
    const auto r = only_record(parse(line_with(
        R"(,"geschlecht":"Q","staatsangehoerigkeiten":["SYRIA"])",
        R"(,"soko":{"hoechsterSchulabschluss":"ISCED-9X","sprachen":[{"code":"de","niveau":"Z9"}],)"
        R"("studium":{"iscedStufe":42}})")));
    CHECK(r.record.sex == qreg::Sex::unknown);
    CHECK(mentions(r.warnings, "person.geschlecht: unknown code"));
    CHECK(mentions(r.warnings, "person.staatsangehoerigkeiten: not an ISO 3166-1 alpha-3 code"));
    const auto& q = r.record.qualifications;
    REQUIRE(q.school);
    CHECK_FALSE(q.school->isced_level);
    CHECK(q.school->original_code == "ISCED-9X");
    CHECK(mentions(r.warnings, "soko.hoechsterSchulabschluss: unknown school level"));
    REQUIRE(q.languages.size() == 1);
    CHECK(q.languages[0].level.empty());
    CHECK(q.languages[0].original_level == "Z9");
    CHECK(mentions(r.warnings, "soko.sprachen[0].niveau: unknown language level"));
    REQUIRE(q.higher_education);
    CHECK_FALSE(q.higher_education->isced_level);
    CHECK(q.higher_education->original_code == "42");
    CHECK(r.warnings.size() == 5);
    for (const auto& w : r.warnings) {
        CHECK(w.line == 1);
        CHECK(w.message.find("Z9") == std::string::npos);
        CHECK(w.message.find("SYRIA") == std::string::npos);
    }
}

TEST_CASE("optional fields of the wrong type are skipped with a warning") {
    const auto r = only_record(parse(
        R"({"aktenzeichen":"8123456-475","azrNummer":123456789012,"geloescht":"nein",)"
        R"("stand":"2026-11-18T09:12:00Z","person":{"familienname":"T","vornamen":["EINS",7],)"
        R"("geburtsort":12},"soko":{"schulbesuchJahre":"12",)"
        R"("berufserfahrung":[{"beruf":"Maurer","kldb":"32122","jahre":"4"},"x"],)"
        R"("berufsausbildung":[{"beruf":"Maurer","abgeschlossen":"ja"}]}})"));
    const auto& rec = r.record;
    CHECK(rec.birthplace.empty());
    CHECK(rec.given_names == "EINS");
    CHECK(rec.ids.azr_number.empty());
    CHECK_FALSE(rec.is_retracted);
    CHECK_FALSE(rec.qualifications.school);
    REQUIRE(rec.qualifications.experience.size() == 1);
    CHECK(rec.qualifications.experience[0].title == "Maurer");
    CHECK_FALSE(rec.qualifications.experience[0].years);
    REQUIRE(rec.qualifications.trainings.size() == 1);
    CHECK(rec.qualifications.trainings[0].status.empty());
    CHECK(mentions(r.warnings, "person.geburtsort: expected a string"));
    CHECK(mentions(r.warnings, "person.vornamen[1]: expected a string"));
    CHECK(mentions(r.warnings, "azrNummer: expected a string"));
    CHECK(mentions(r.warnings, "geloescht: expected true or false"));
    CHECK(mentions(r.warnings, "soko.schulbesuchJahre: expected a number"));
    CHECK(mentions(r.warnings, "soko.berufserfahrung[0].jahre: expected a number"));
    CHECK(mentions(r.warnings, "soko.berufserfahrung[1]: expected an object"));
    CHECK(mentions(r.warnings, "soko.berufsausbildung[0].abgeschlossen: expected true or false"));
}

TEST_CASE("malformed identifiers and an unreadable stand are warnings, not problems") {
    const auto r = only_record(parse(
        R"({"aktenzeichen":"812345-475","azrNummer":"1234","stand":"18.11.2026",)"
        R"("person":{"familienname":"T"}})"));
    CHECK(r.record.record_id == "812345-475");
    CHECK(r.record.ids.bamf_file_number == "812345-475");
    CHECK(r.record.ids.azr_number == "1234");
    CHECK(r.record.stand.empty());
    CHECK(mentions(r.warnings, "aktenzeichen: not a BAMF file number"));
    CHECK(mentions(r.warnings, "azrNummer: not an AZR number"));
    CHECK(mentions(r.warnings, "stand: as-of time cannot be read"));
    CHECK(r.warnings.size() == 3);
}

TEST_CASE("CRLF, blank lines, a BOM and a missing final newline are tolerated") {
    const std::string first = line_with();
    const std::string last = R"({"aktenzeichen":"7654321-163","person":{"familienname":"Z"}})";
    const std::string bytes = "\xEF\xBB\xBF" + first + "\r\n\r\n  \n" + last;
    const auto batch = parse(bytes);
    CHECK(batch.problems.empty());
    REQUIRE(batch.records.size() == 2);
    CHECK(batch.records[0].raw == first);
    CHECK(batch.records[0].line == 1);
    CHECK(batch.records[1].raw == last);
    CHECK(batch.records[1].line == 4);
    CHECK(batch.records[1].record.record_id == "7654321-163");
}

TEST_CASE("the stand is normalised to UTC") {
    std::string line = line_with();
    line.replace(line.find("2026-11-18T09:12:00Z"), 20, "2026-11-18T10:12:00+01:00");
    CHECK(only_record(parse(line)).record.stand == "2026-11-18T09:12:00Z");
}

TEST_CASE("feeding in chunks of any size gives exactly the records of one feed") {
    const std::string sample = read_file(sample_path);
    // The sample, then a BOM-less tail of problems, CRLF and a last line without newline.
    const std::string bytes = "\xEF\xBB\xBF" + sample + "{not json\r\n[1]\n\n" +
                              line_with(R"(,"geschlecht":"Q")") + "\r\n" + line_with();
    const auto whole = parse(bytes);
    REQUIRE(whole.records.size() == 27);
    REQUIRE(whole.problems.size() == 2);
    CHECK(whole.records[0].record.record_id == "9824307-475");
    for (const std::size_t size : {1, 2, 3, 7, 64, 4096}) {
        CAPTURE(size);
        const auto chunked = parse_in_chunks(bytes, size);
        REQUIRE(chunked.records.size() == whole.records.size());
        for (std::size_t i = 0; i < whole.records.size(); ++i) {
            CHECK(chunked.records[i].raw == whole.records[i].raw);
            CHECK(chunked.records[i].line == whole.records[i].line);
            CHECK(chunked.records[i].record == whole.records[i].record);
            CHECK(chunked.records[i].warnings.size() == whole.records[i].warnings.size());
        }
        REQUIRE(chunked.problems.size() == whole.problems.size());
        for (std::size_t i = 0; i < whole.problems.size(); ++i) {
            CHECK(chunked.problems[i].raw == whole.problems[i].raw);
            CHECK(chunked.problems[i].line == whole.problems[i].line);
            CHECK(chunked.problems[i].reason == whole.problems[i].reason);
        }
    }
}

TEST_CASE("feeding after finish is a programming error") {
    const auto parser = c::make_bamf_jsonl_parser("test.jsonl");
    (void)parser->feed(line_with());
    (void)parser->finish();
    CHECK_THROWS_AS((void)parser->feed("{}"), qreg::Error);
}

}  // TEST_SUITE("connectors.bamf_jsonl")
