#include "qreg/connectors/jobcenter_xml.hpp"

#include "qreg/error.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace c = qreg::connectors;

namespace {

constexpr const char* sample_path = QREG_SHARED_DIR "/formats/jobcenter_export_sample.xml";

std::string read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

c::ParseBatch parse(std::string_view bytes) {
    const auto parser = c::make_jobcenter_xml_parser("test.xml");
    return c::parse_all(*parser, bytes);
}

c::ParseBatch parse_in_chunks(std::string_view bytes, std::size_t chunk_size) {
    const auto parser = c::make_jobcenter_xml_parser("test.xml");
    c::ParseBatch all;
    for (std::size_t at = 0; at < bytes.size(); at += chunk_size) {
        c::append(all, parser->feed(bytes.substr(at, chunk_size)));
    }
    c::append(all, parser->finish());
    return all;
}

// Wraps person elements in the root element, the persons starting on line 3.
std::string export_of(std::string_view persons) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<jobcenterExport xmlns=\"urn:example:jobcenter-export:1\" dienststelle=\"36102\" "
           "erstellt=\"2026-11-20T08:00:00+01:00\">\n" +
           std::string(persons) + "</jobcenterExport>\n";
}

// A well-formed person with the given id, on one line.
std::string person(std::string_view id, std::string_view extra = "") {
    return "<person id=\"" + std::string(id) +
           "\" stand=\"2026-01-01T10:00:00+01:00\" status=\"aktiv\"><name><familienname>Test"
           "</familienname><vornamen>Eins</vornamen></name><geburt><datum>1990-03-15</datum>"
           "</geburt>" +
           std::string(extra) + "</person>\n";
}

const c::SourceRecord* find(const c::ParseBatch& batch, std::string_view id) {
    const auto it =
        std::find_if(batch.records.begin(), batch.records.end(),
                     [&](const c::SourceRecord& r) { return r.record.record_id == id; });
    return it == batch.records.end() ? nullptr : &*it;
}

bool mentions(const std::vector<c::Warning>& warnings, std::string_view text) {
    return std::any_of(warnings.begin(), warnings.end(), [&](const c::Warning& w) {
        return w.message.find(text) != std::string::npos;
    });
}

}  // namespace

TEST_SUITE("connectors.jobcenter_xml") {

TEST_CASE("the shared sample gives one record per person, with no problems or warnings") {
    const auto batch = parse(read_file(sample_path));
    CHECK(batch.records.size() == 25);
    CHECK(batch.problems.empty());
    CHECK(batch.warnings.empty());
    for (const auto& r : batch.records) {
        CHECK(r.warnings.empty());
        CHECK(r.record.source == "jobcenter");
        CHECK_FALSE(r.record.is_retracted);
    }
}

TEST_CASE("the sample's second person maps every field it has") {
    const auto batch = parse(read_file(sample_path));
    const auto* p = find(batch, "52105BG6701247-03");
    REQUIRE(p != nullptr);
    const qreg::Record& r = p->record;
    CHECK(r.stand == "2025-05-02T11:45:09Z");
    CHECK(r.ids.bg_number == "52105BG6701247");
    CHECK(r.ids.ba_customer_number == "554E596483");
    CHECK(r.ids.azr_number == "309548540904");
    CHECK(r.ids.bamf_file_number.empty());
    CHECK(r.family_name == "Tkacuk");
    CHECK(r.given_names == "Jekaterina");
    CHECK(r.birth_date.year == 1984);
    CHECK(r.birth_date.month == 10);
    CHECK(r.birth_date.day == 18);
    CHECK(r.birth_date.precision == qreg::DatePrecision::day);
    CHECK(r.birth_date.original == "1984-10-18");
    CHECK(r.birthplace == "Kharkov");
    CHECK(r.birth_country == "UKR");
    CHECK(r.sex == qreg::Sex::female);
    CHECK(r.nationalities == std::vector<std::string>{"UKR"});
    CHECK(r.postcode == "79106");
    CHECK(r.town == "Freiburg im Breisgau");
    const auto& q = r.qualifications;
    REQUIRE(q.school);
    CHECK(q.school->isced_level == 3);
    CHECK(q.school->original_code == "ISCED-3");
    CHECK(q.school->years == 13.0);
    CHECK(q.school->country == "UKR");
    REQUIRE(q.experience.size() == 1);
    CHECK(q.experience[0].kldb == "22342");
    CHECK(q.experience[0].years == doctest::Approx(5.6));
    REQUIRE(q.languages.size() == 3);
    CHECK(q.languages[0].code == "de");
    CHECK(q.languages[0].level == "C1");
    CHECK(q.languages[0].certificate == "DTZ");
    CHECK(q.languages[1].code == "uk");
    CHECK(q.languages[1].level == "native");
    CHECK(q.languages[1].original_level == "muttersprache");
    REQUIRE(q.integration_course);
    CHECK(q.integration_course->status == "laufend");
    CHECK(q.integration_course->result == "A2");
    CHECK(q.trainings.empty());
    CHECK_FALSE(q.higher_education);
    CHECK_FALSE(q.recognition);
}

TEST_CASE("the sample's training and recognition codes are mapped with the original kept") {
    const auto batch = parse(read_file(sample_path));
    const auto* doctor = find(batch, "41201BG1183660-02");
    REQUIRE(doctor != nullptr);
    const auto& q = doctor->record.qualifications;
    REQUIRE(q.trainings.size() == 1);
    CHECK(q.trainings[0].kldb == "81404");
    CHECK(q.trainings[0].title == "Arzt");
    CHECK(q.trainings[0].status == "no_certificate");
    CHECK(q.trainings[0].original_status == "ohne_nachweis");
    CHECK(q.trainings[0].country == "IRN");
    REQUIRE(q.recognition);
    CHECK(q.recognition->status == "applied");
    CHECK(q.recognition->original_status == "beantragt");
    CHECK(q.recognition->reference_occupation == "81404");
    CHECK(q.recognition->date == "2025-06-01");

    const auto* waiter = find(batch, "36102BG2173395-01");
    REQUIRE(waiter != nullptr);
    CHECK(waiter->record.qualifications.trainings.at(0).status == "aborted");
    CHECK(waiter->record.qualifications.recognition->status == "partially_equivalent");
}

TEST_CASE("each record's line is where its element starts and raw is the element") {
    const std::string sample = read_file(sample_path);
    const auto batch = parse(sample);
    REQUIRE(batch.records.size() == 25);
    CHECK(batch.records[0].line == 3);
    CHECK(batch.records[1].line == 18);
    CHECK(batch.records[2].line == 36);
    CHECK(batch.records[24].line == 377);
    CHECK(batch.records[24].record.record_id == "41201BG8588401-03");
    for (const auto& r : batch.records) {
        CHECK(r.raw.starts_with("<person "));
        CHECK(r.raw.ends_with("</person>"));
        CHECK(sample.find(r.raw) != std::string::npos);
    }
    const std::string& first = batch.records[0].raw;
    CHECK(std::count(first.begin(), first.end(), '\n') == 14);  // lines 3 to 17
}

TEST_CASE("a person with status geloescht is a retraction") {
    const auto batch = parse(export_of(
        "<person id=\"36102BG0012345-02\" stand=\"2026-11-19T14:03:00+01:00\" status=\"geloescht\">"
        "<name><familienname>Test</familienname></name></person>\n"));
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].record.is_retracted);
    CHECK(batch.records[0].warnings.empty());
}

TEST_CASE("a self-closing retraction without a name still lands") {
    const auto batch =
        parse(export_of("<person id=\"36102BG0012345-02\" stand=\"2026-11-19T14:03:00Z\" "
                        "status=\"geloescht\"/>\n"));
    CHECK(batch.problems.empty());
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].record.is_retracted);
    CHECK(batch.records[0].record.stand == "2026-11-19T14:03:00Z");
    CHECK(batch.records[0].raw ==
          "<person id=\"36102BG0012345-02\" stand=\"2026-11-19T14:03:00Z\" status=\"geloescht\"/>");
}

TEST_CASE("birth dates keep their precision: full, year and month, year alone") {
    const auto batch = parse(export_of(
        "<person id=\"a\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\"><name><familienname>A"
        "</familienname></name><geburt><datum>1977-02</datum></geburt></person>\n"
        "<person id=\"b\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\"><name><familienname>B"
        "</familienname></name><geburt><datum>1990</datum></geburt></person>\n"
        "<person id=\"c\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\"><name><familienname>C"
        "</familienname></name><geburt><datum>1990-00-00</datum></geburt></person>\n"
        "<person id=\"d\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\"><name><familienname>D"
        "</familienname></name></person>\n"));
    REQUIRE(batch.records.size() == 4);
    CHECK(batch.records[0].record.birth_date.precision == qreg::DatePrecision::month);
    CHECK(batch.records[0].record.birth_date.month == 2);
    CHECK(batch.records[1].record.birth_date.precision == qreg::DatePrecision::year);
    CHECK(batch.records[1].record.birth_date.year == 1990);
    CHECK(batch.records[2].record.birth_date.precision == qreg::DatePrecision::year);
    CHECK(batch.records[2].record.birth_date.original == "1990-00-00");
    CHECK(batch.records[3].record.birth_date.precision == qreg::DatePrecision::none);
}

TEST_CASE("repeated elements all land in order") {
    const auto batch = parse(export_of(person(
        "r",
        "<staatsangehoerigkeit>SYR</staatsangehoerigkeit>"
        "<staatsangehoerigkeit>TUR</staatsangehoerigkeit><qualifikationen>"
        "<ausbildung kldb=\"26212\" status=\"abgeschlossen\" land=\"SYR\">Elektriker</ausbildung>"
        "<ausbildung kldb=\"29302\" status=\"laufend\">Baecker</ausbildung>"
        "<berufserfahrung kldb=\"26212\" jahre=\"4.5\"/>"
        "<berufserfahrung kldb=\"52122\" jahre=\"2\">Fahrer</berufserfahrung>"
        "<sprache code=\"ar\" niveau=\"muttersprache\"/><sprache code=\"de\" niveau=\"B1\"/>"
        "</qualifikationen>")));
    REQUIRE(batch.records.size() == 1);
    const auto& r = batch.records[0].record;
    CHECK(r.nationalities == std::vector<std::string>{"SYR", "TUR"});
    const auto& q = r.qualifications;
    REQUIRE(q.trainings.size() == 2);
    CHECK(q.trainings[0].title == "Elektriker");
    CHECK(q.trainings[1].kldb == "29302");
    CHECK(q.trainings[1].status == "in_progress");
    REQUIRE(q.experience.size() == 2);
    CHECK(q.experience[0].years == doctest::Approx(4.5));
    CHECK(q.experience[1].title == "Fahrer");
    REQUIRE(q.languages.size() == 2);
    CHECK(q.languages[1].code == "de");
    CHECK(batch.records[0].warnings.empty());
}

TEST_CASE("higher education keeps the isced attribute as its original code") {
    const auto batch = parse(
        export_of(person("s",
                         "<qualifikationen><studium isced=\"6\" fach=\"Maschinenbau\" land=\"SYR\" "
                         "abgeschlossen=\"false\"/></qualifikationen>")));
    REQUIRE(batch.records.size() == 1);
    const auto& study = batch.records[0].record.qualifications.higher_education;
    REQUIRE(study);
    CHECK(study->isced_level == 6);
    CHECK(study->original_code == "6");
    CHECK(study->field == "Maschinenbau");
    CHECK(study->completed == false);
    CHECK(study->country == "SYR");
}

TEST_CASE("unknown codes land with a warning naming the field, the original kept") {
    const auto batch =
        parse(export_of("<person id=\"u\" stand=\"2026-01-01T00:00:00Z\" status=\"archiviert\">\n"
                        "<name><familienname>Test</familienname></name>\n"
                        "<geschlecht>q</geschlecht>\n"
                        "<qualifikationen>\n"
                        "<schule abschluss=\"Abitur\" jahre=\"zwoelf\"/>\n"
                        "<ausbildung status=\"fertig\"/>\n"
                        "<sprache code=\"de\" niveau=\"gut\"/>\n"
                        "<anerkennung status=\"vielleicht\"/>\n"
                        "</qualifikationen></person>\n"));
    REQUIRE(batch.records.size() == 1);
    const auto& r = batch.records[0];
    CHECK(r.record.sex == qreg::Sex::unknown);
    CHECK_FALSE(r.record.is_retracted);
    const auto& q = r.record.qualifications;
    CHECK(q.school->original_code == "Abitur");
    CHECK_FALSE(q.school->isced_level);
    CHECK_FALSE(q.school->years);
    CHECK(q.trainings.at(0).original_status == "fertig");
    CHECK(q.trainings.at(0).status.empty());
    CHECK(q.languages.at(0).original_level == "gut");
    CHECK(q.languages.at(0).level.empty());
    CHECK(q.recognition->original_status == "vielleicht");
    CHECK(q.recognition->status.empty());
    CHECK(r.warnings.size() == 7);
    CHECK(mentions(r.warnings, "person/@status"));
    CHECK(mentions(r.warnings, "geschlecht"));
    CHECK(mentions(r.warnings, "schule/@abschluss"));
    CHECK(mentions(r.warnings, "schule/@jahre"));
    CHECK(mentions(r.warnings, "ausbildung/@status"));
    CHECK(mentions(r.warnings, "sprache/@niveau"));
    CHECK(mentions(r.warnings, "anerkennung/@status"));
    for (const auto& w : r.warnings) {
        for (const char* value :
             {"archiviert", "Abitur", "zwoelf", "fertig", "gut", "vielleicht"}) {
            CHECK(w.message.find(value) == std::string::npos);
        }
    }
    // Each warning carries the line of its element: the person starts on line 3.
    const auto sex = std::find_if(r.warnings.begin(), r.warnings.end(), [](const c::Warning& w) {
        return w.message.starts_with("geschlecht");
    });
    REQUIRE(sex != r.warnings.end());
    CHECK(sex->line == 5);
}

TEST_CASE("malformed identifiers and an unreadable stand land with warnings") {
    const auto batch = parse(export_of(
        "<person id=\"i\" stand=\"gestern\" status=\"aktiv\"><bgNummer>36102BG12</bgNummer>"
        "<kundennummer>962d071234</kundennummer><azrNummer>12345</azrNummer>"
        "<bamfAktenzeichen>8123456475</bamfAktenzeichen>"
        "<name><familienname>Test</familienname></name></person>\n"));
    REQUIRE(batch.records.size() == 1);
    const auto& r = batch.records[0];
    CHECK(r.record.stand.empty());
    CHECK(r.record.ids.bg_number == "36102BG12");
    CHECK(r.record.ids.ba_customer_number == "962d071234");
    CHECK(r.record.ids.azr_number == "12345");
    CHECK(r.record.ids.bamf_file_number == "8123456475");
    CHECK(r.warnings.size() == 5);
    CHECK(mentions(r.warnings, "person/@stand"));
    CHECK(mentions(r.warnings, "bgNummer"));
    CHECK(mentions(r.warnings, "kundennummer"));
    CHECK(mentions(r.warnings, "azrNummer"));
    CHECK(mentions(r.warnings, "bamfAktenzeichen"));
}

TEST_CASE("a well-formed BAMF file number element maps to the BAMF identifier") {
    const auto batch =
        parse(export_of(person("b", "<bamfAktenzeichen>8123456-475</bamfAktenzeichen>")));
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].record.ids.bamf_file_number == "8123456-475");
    CHECK(batch.records[0].warnings.empty());
}

TEST_CASE("unknown elements and attributes are ignored without warnings") {
    const auto batch = parse(export_of(
        "<metadaten version=\"2\"><person-anzahl>1</person-anzahl></metadaten>\n"
        "<person id=\"x\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\" neu=\"1\">"
        "<zusatz><tiefer a=\"b\">text</tiefer></zusatz>"
        "<name typ=\"amtlich\"><familienname>Test</familienname><rufname>T</rufname></name>"
        "<qualifikationen><fuehrerschein klasse=\"B\"/><sprache code=\"de\" niveau=\"B2\" "
        "pruefung=\"telc\"/></qualifikationen></person>\n"));
    CHECK(batch.problems.empty());
    CHECK(batch.warnings.empty());
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].warnings.empty());
    CHECK(batch.records[0].record.family_name == "Test");
    CHECK(batch.records[0].record.qualifications.languages.at(0).level == "B2");
}

TEST_CASE("entities and CDATA decode and names are cleaned but keep their case") {
    const auto batch = parse(
        export_of("<person id=\"e\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\"><name>"
                  "<familienname>  al  HASSAN &amp; S&#246;hne </familienname>"
                  "<vornamen><![CDATA[Mohamad <Ali>]]></vornamen><geburtsname>Ab&lt;c</geburtsname>"
                  "</name></person>\n"));
    REQUIRE(batch.records.size() == 1);
    const auto& r = batch.records[0].record;
    CHECK(r.family_name == "al HASSAN & S\xC3\xB6hne");
    CHECK(r.given_names == "Mohamad <Ali>");
    CHECK(r.birth_name == "Ab<c");
}

TEST_CASE("markup characters inside attribute values, comments, CDATA and PIs are no boundary") {
    const std::string xml = export_of(
        "<!-- <person id=\"comment\"> -->\n"
        "<?note <person id=\"pi\"> ?>\n"
        "<![CDATA[ <person id=\"cdata\"> ]]>\n"
        "<person id=\"q\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\" note='a > b </person>'>"
        "<!-- </person> --><zusatz hinweis=\"a > </person> <person id='x'>\"/>"
        "<name><familienname><![CDATA[</person>]]></familienname></name>"
        "</person>\n");
    for (const std::size_t chunk_size : {xml.size(), std::size_t{1}, std::size_t{5}}) {
        CAPTURE(chunk_size);
        const auto batch = parse_in_chunks(xml, chunk_size);
        CHECK(batch.problems.empty());
        REQUIRE(batch.records.size() == 1);
        CHECK(batch.records[0].record.record_id == "q");
        CHECK(batch.records[0].line == 6);
        CHECK(batch.records[0].record.family_name == "</person>");
        CHECK(batch.records[0].raw.ends_with("]]></familienname></name></person>"));
    }
}

TEST_CASE("a malformed element is a problem at its start line and the following persons land") {
    const std::string xml =
        export_of(person("ok-1") +
                  "<person id=\"bad\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\">\n"
                  "<name><familienname>Test</vornamen></name>\n"
                  "</person>\n" +
                  person("ok-2"));
    const auto batch = parse(xml);
    REQUIRE(batch.problems.size() == 1);
    const auto& p = batch.problems[0];
    CHECK(p.file == "test.xml");
    CHECK(p.line == 4);
    CHECK(p.record_id == "bad");
    CHECK(p.reason.find("malformed XML") != std::string::npos);
    CHECK(p.reason.find("line 5") != std::string::npos);
    CHECK(p.reason.find("Test") == std::string::npos);
    CHECK(p.raw.starts_with("<person id=\"bad\""));
    CHECK(p.raw.ends_with("</person>"));
    REQUIRE(batch.records.size() == 2);
    CHECK(batch.records[0].record.record_id == "ok-1");
    CHECK(batch.records[1].record.record_id == "ok-2");
    CHECK(batch.records[1].line == 7);
}

TEST_CASE("a person without its end tag is cut at the next person, which still lands") {
    const std::string xml =
        export_of("<person id=\"open\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\"><name>\n" +
                  person("next"));
    const auto batch = parse(xml);
    REQUIRE(batch.problems.size() == 1);
    CHECK(batch.problems[0].line == 3);
    CHECK(batch.problems[0].record_id == "open");
    CHECK(batch.problems[0].raw ==
          "<person id=\"open\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\"><name>");
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].record.record_id == "next");
    CHECK(batch.records[0].line == 4);
}

TEST_CASE("a missing or empty id is a problem") {
    const auto batch = parse(export_of(
        "<person stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\"><name><familienname>Test"
        "</familienname></name></person>\n"
        "<person id=\"  \" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\"><name><familienname>"
        "Test</familienname></name></person>\n"));
    REQUIRE(batch.problems.size() == 2);
    CHECK(batch.records.empty());
    for (const auto& p : batch.problems) {
        CHECK(p.reason.starts_with("person/@id"));
        CHECK(p.record_id.empty());
    }
    CHECK(batch.problems[1].line == 4);
}

TEST_CASE("a person with no name at all is a problem that keeps its id") {
    const auto batch = parse(export_of(
        "<person id=\"n\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\"><name><familienname> "
        "</familienname></name><geburt><datum>1990</datum></geburt></person>\n"));
    REQUIRE(batch.problems.size() == 1);
    CHECK(batch.records.empty());
    CHECK(batch.problems[0].record_id == "n");
    CHECK(batch.problems[0].reason.find("no name") != std::string::npos);
}

TEST_CASE("an unreadable birth date is a problem whose reason does not show the value") {
    const auto batch = parse(export_of(
        "<person id=\"d\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\"><name><familienname>"
        "Test</familienname></name><geburt><datum>15.03.1990</datum></geburt></person>\n"));
    REQUIRE(batch.problems.size() == 1);
    CHECK(batch.records.empty());
    CHECK(batch.problems[0].record_id == "d");
    CHECK(batch.problems[0].reason ==
          "geburt/datum: birth date cannot be read, expected YYYY-MM-DD, YYYY-MM or YYYY");
}

TEST_CASE("invalid UTF-8 in an element is a problem that keeps the exact bytes") {
    const std::string bad_person =
        "<person id=\"u\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\">\n"
        "<name><familienname>M\xFCller</familienname></name></person>";
    const auto batch = parse(export_of(bad_person + "\n" + person("after")));
    REQUIRE(batch.problems.size() == 1);
    CHECK(batch.problems[0].raw == bad_person);
    CHECK(batch.problems[0].record_id == "u");
    CHECK(batch.problems[0].reason.find("UTF-8") != std::string::npos);
    CHECK(batch.problems[0].reason.find("line 4") != std::string::npos);
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].record.record_id == "after");
}

TEST_CASE("a control character in an element is a problem") {
    const auto batch = parse(export_of(person("c", "<geburt><ort>A\x01B</ort></geburt>")));
    CHECK(batch.records.empty());
    REQUIRE(batch.problems.size() == 1);
    CHECK(batch.problems[0].record_id == "c");
    CHECK(batch.problems[0].reason.find("control character") != std::string::npos);
}

TEST_CASE("CRLF line ends count as lines and never reach the values") {
    const auto batch = parse(
        "<jobcenterExport>\r\n<person id=\"a\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\">"
        "\r\n<name><familienname>Al\r\n Hassan</familienname></name>\r\n</person>\r\n"
        "<person id=\"b\" stand=\"2026-01-01T00:00:00Z\" status=\"aktiv\"><name><vornamen>"
        "Ali</vornamen></name></person>\r\n</jobcenterExport>\r\n");
    REQUIRE(batch.records.size() == 2);
    CHECK(batch.records[0].line == 2);
    CHECK(batch.records[0].record.family_name == "Al Hassan");
    CHECK(batch.records[1].line == 6);
    CHECK(batch.records[1].record.given_names == "Ali");
}

TEST_CASE("a repeated single-valued qualification keeps the first and warns") {
    const auto batch = parse(export_of(
        person("s",
               "<qualifikationen><schule abschluss=\"ISCED-2\"/><schule abschluss=\"ISCED-3\"/>"
               "</qualifikationen>")));
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].record.qualifications.school->isced_level == 2);
    REQUIRE(batch.records[0].warnings.size() == 1);
    CHECK(batch.records[0].warnings[0].message.starts_with("qualifikationen/schule"));
}

TEST_CASE("a missing status or stand lands with a warning") {
    const auto batch = parse(
        export_of("<person id=\"m\"><name><familienname>Test</familienname></name></person>\n"));
    REQUIRE(batch.records.size() == 1);
    CHECK_FALSE(batch.records[0].record.is_retracted);
    CHECK(batch.records[0].record.stand.empty());
    CHECK(mentions(batch.records[0].warnings, "person/@stand"));
    CHECK(mentions(batch.records[0].warnings, "person/@status"));
}

TEST_CASE("a file truncated inside a person gives a problem for that element") {
    const std::string xml = export_of(person("whole"));
    const std::string truncated =
        xml.substr(0, xml.find("</jobcenterExport>")) + person("cut").substr(0, 80);
    const auto batch = parse(truncated);
    REQUIRE(batch.records.size() == 1);
    REQUIRE(batch.problems.size() == 1);
    CHECK(batch.problems[0].line == 4);
    CHECK(batch.problems[0].record_id == "cut");
    CHECK(batch.problems[0].raw == person("cut").substr(0, 80));
    CHECK(batch.problems[0].reason.find("truncated") != std::string::npos);
}

TEST_CASE("a file truncated between persons gives a file warning") {
    const std::string xml = export_of(person("whole"));
    const auto batch = parse(xml.substr(0, xml.find("</jobcenterExport>")));
    CHECK(batch.records.size() == 1);
    CHECK(batch.problems.empty());
    REQUIRE(batch.warnings.size() == 1);
    CHECK(batch.warnings[0].message.find("truncated") != std::string::npos);
}

TEST_CASE("a wrong root element throws naming the file, line and element") {
    CHECK_THROWS_WITH_AS(
        parse("<?xml version=\"1.0\"?>\n<baExport><person id=\"1\"/></baExport>"),
        doctest::Contains("test.xml line 2: root element is baExport, expected jobcenterExport"),
        qreg::Error);
}

TEST_CASE("input that is not XML at all throws") {
    CHECK_THROWS_WITH_AS(parse("KDNR;NACHNAME;VORNAME\r\n"),
                         doctest::Contains("is this a jobcenter-xml-v1 export?"), qreg::Error);
    CHECK_THROWS_WITH_AS(parse(""), doctest::Contains("no jobcenterExport root element"),
                         qreg::Error);
}

TEST_CASE("a byte order mark, a doctype and comments before the root are accepted") {
    const auto batch = parse(
        "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!DOCTYPE jobcenterExport [\n"
        "<!ENTITY x \"<>\">]>\n<!-- > -->\n<jobcenterExport>\n" +
        person("a") + "</jobcenterExport>");
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].line == 6);
    CHECK(batch.warnings.empty());
}

TEST_CASE("content after the root element is ignored with one file warning") {
    const auto batch = parse(export_of(person("a")) + "<person id=\"late\"/><x/>");
    CHECK(batch.records.size() == 1);
    CHECK(batch.problems.empty());
    CHECK(batch.warnings.size() == 1);
}

TEST_CASE("feeding the sample in chunks of any size gives the same result as one feed") {
    const std::string sample = read_file(sample_path);
    const auto whole = parse(sample);
    for (const std::size_t size : {1, 2, 3, 5, 7, 13, 64, 100, 1000, 4096, 65536}) {
        CAPTURE(size);
        const auto chunked = parse_in_chunks(sample, size);
        REQUIRE(chunked.records.size() == whole.records.size());
        for (std::size_t i = 0; i < whole.records.size(); ++i) {
            CHECK(chunked.records[i].raw == whole.records[i].raw);
            CHECK(chunked.records[i].line == whole.records[i].line);
            CHECK(chunked.records[i].record == whole.records[i].record);
        }
        CHECK(chunked.problems.empty());
        CHECK(chunked.warnings.empty());
    }
}

TEST_CASE("feeding problem cases in small chunks gives the same problems as one feed") {
    const std::string xml =
        "\xEF\xBB\xBF" +
        export_of("<!-- a -- b --->\n<person id=\"open\" status=\"aktiv\"><name>\n" + person("x") +
                  "<person id=\"bad\"><name></person>\n<person id='q' a=\"</person>\"/>\n" +
                  person("y").substr(0, 50));
    const auto whole = parse(xml);
    CHECK(whole.problems.size() == 4);
    for (const std::size_t size : {1, 2, 3, 7, 64}) {
        CAPTURE(size);
        const auto chunked = parse_in_chunks(xml, size);
        REQUIRE(chunked.records.size() == whole.records.size());
        REQUIRE(chunked.problems.size() == whole.problems.size());
        for (std::size_t i = 0; i < whole.problems.size(); ++i) {
            CHECK(chunked.problems[i].raw == whole.problems[i].raw);
            CHECK(chunked.problems[i].line == whole.problems[i].line);
            CHECK(chunked.problems[i].reason == whole.problems[i].reason);
            CHECK(chunked.problems[i].record_id == whole.problems[i].record_id);
        }
    }
}

TEST_CASE("an element that never closes is capped instead of filling memory") {
    std::string xml = export_of("");
    xml = xml.substr(0, xml.find("</jobcenterExport>")) + "<person id=\"big\"><!-- " +
          std::string(17u << 20, 'x') + " --></person>\n" + person("after") +
          "</jobcenterExport>\n";
    const auto batch = parse_in_chunks(xml, 1 << 20);
    REQUIRE(batch.problems.size() == 1);
    CHECK(batch.problems[0].record_id == "big");
    CHECK(batch.problems[0].raw.size() == (16u << 20));
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].record.record_id == "after");
}

}  // TEST_SUITE("connectors.jobcenter_xml")
