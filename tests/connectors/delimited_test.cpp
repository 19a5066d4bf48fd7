#include "qreg/connectors/delimited.hpp"

#include "qreg/error.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace c = qreg::connectors;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot open " << path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

c::DelimitedMapping febrl_mapping() {
    const std::string path = QREG_CONFIG_DIR "/connectors/febrl.json";
    return c::parse_delimited_mapping(read_file(path), path);
}

std::string febrl_path(std::string_view name) {
    return QREG_SHARED_DIR "/data/febrl/" + std::string(name);
}

c::ParseBatch parse(const c::DelimitedMapping& mapping, std::string_view bytes) {
    const auto parser = c::make_delimited_parser(mapping, "test.csv");
    return c::parse_all(*parser, bytes);
}

// A small semicolon file with a German-style header, mapped by the JSON below.
constexpr std::string_view agency_json = R"({
    "format": "kommune-csv",
    "source": "kommune",
    "description": "test mapping",
    "delimiter": ";",
    "encoding": "windows-1252",
    "columns": {
        "record_id": "ID",
        "family_name": "Name",
        "given_names": "Vorname",
        "birth_date": "Geburtsdatum",
        "sex": "Geschlecht",
        "nationality": "Land",
        "azr_number": "AZR",
        "town": "Ort",
        "stand": "Stand",
        "retracted": "Status"
    },
    "birth_date_format": "YYYY-MM-DD",
    "stand_format": "TT.MM.JJJJ HH:MM:SS",
    "retracted_values": ["geloescht"],
    "active_values": ["aktiv"],
    "codes": {"sex": {"f": "W", "m": "M", "u": ""}, "nationality": {"Syrien": "SYR"}}
})";

constexpr std::string_view agency_header =
    "ID;Name;Vorname;Geburtsdatum;Geschlecht;Land;AZR;Ort;Stand;Status\r\n";

bool has_warning(const c::SourceRecord& record, std::string_view text) {
    return std::any_of(record.warnings.begin(), record.warnings.end(), [&](const c::Warning& w) {
        return w.message.find(text) != std::string::npos;
    });
}

std::string with_key(std::string_view json, std::string_view key, std::string_view replacement) {
    std::string out(json);
    const auto at = out.find(key);
    REQUIRE(at != std::string::npos);
    out.replace(at, key.size(), replacement);
    return out;
}

}  // namespace

TEST_SUITE("connectors.delimited") {

TEST_CASE("the FEBRL mapping loads with the documented settings") {
    const auto m = febrl_mapping();
    CHECK(m.format == "febrl");
    CHECK(m.source == "febrl");
    CHECK_FALSE(m.description.empty());
    CHECK(m.delimiter == ',');
    CHECK(m.trim);
    CHECK(m.has_header);
    CHECK(m.encoding == c::TextEncoding::utf8);
    CHECK(m.birth_date_format == c::DateFormat::yyyymmdd);
    CHECK(m.default_stand == "2000-01-01T00:00:00Z");
    CHECK(m.columns.size() == 11);
}

TEST_CASE("FEBRL dataset4a rows land in the right canonical fields") {
    const auto bytes = read_file(febrl_path("dataset4a.csv"));
    const auto batch = parse(febrl_mapping(), bytes);

    CHECK(batch.records.size() == 5000);
    CHECK(batch.problems.empty());
    CHECK(batch.warnings.empty());
    // rec-725-org has neither given name nor surname: kept for its soc_sec_id, with a warning.
    const auto nameless = std::find_if(batch.records.begin(), batch.records.end(),
                                       [](const c::SourceRecord& s) { return s.line == 3778; });
    REQUIRE(nameless != batch.records.end());
    CHECK(nameless->record.record_id == "rec-725-org");
    CHECK(nameless->record.ids.other_id == "6432290");
    REQUIRE(nameless->warnings.size() == 1);
    CHECK(nameless->warnings[0].message.find("no name") != std::string::npos);

    const auto& first = batch.records.front();
    CHECK(first.line == 2);
    CHECK(first.raw ==
          "rec-1070-org, michaela, neumann, 8, stanley street, miami, winston hills, 4223, nsw, "
          "19151111, 5304218");
    const auto& r = first.record;
    CHECK(r.source == "febrl");
    CHECK(r.record_id == "rec-1070-org");
    CHECK(r.given_names == "michaela");
    CHECK(r.family_name == "neumann");
    CHECK(r.house_number == "8");
    CHECK(r.street == "stanley street");
    CHECK(r.address_extra == "miami");
    CHECK(r.town == "winston hills");
    CHECK(r.postcode == "4223");
    CHECK(r.region == "nsw");
    CHECK(r.birth_date.year == 1915);
    CHECK(r.birth_date.month == 11);
    CHECK(r.birth_date.day == 11);
    CHECK(r.birth_date.original == "19151111");
    CHECK(r.ids.other_id == "5304218");
    CHECK(r.stand == "2000-01-01T00:00:00Z");
    CHECK(first.warnings.empty());

    // Line 10: no given name; line 32: no birth date; line 38: no street number.
    const auto find = [&](std::size_t line) -> const c::SourceRecord& {
        const auto it = std::find_if(batch.records.begin(), batch.records.end(),
                                     [&](const c::SourceRecord& s) { return s.line == line; });
        REQUIRE(it != batch.records.end());
        return *it;
    };
    CHECK(find(10).record.given_names.empty());
    CHECK(find(10).record.family_name == "leslie");
    CHECK(find(10).record.address_extra.empty());
    CHECK(find(32).record.birth_date.precision == qreg::DatePrecision::none);
    CHECK(find(32).warnings.empty());
    CHECK(find(38).record.house_number.empty());
}

TEST_CASE("impossible FEBRL dates land with a warning under on_bad_date warn") {
    const auto batch = parse(febrl_mapping(), read_file(febrl_path("dataset4b.csv")));
    CHECK(batch.records.size() == 5000);  // two rows without a name kept for their soc_sec_id
    CHECK(batch.problems.empty());
    const auto bad = std::count_if(batch.records.begin(), batch.records.end(),
                                   [](const c::SourceRecord& s) { return !s.warnings.empty(); });
    CHECK(bad == 64 + 2);
    const auto it = std::find_if(batch.records.begin(), batch.records.end(),
                                 [](const c::SourceRecord& s) { return s.line == 24; });
    REQUIRE(it != batch.records.end());
    CHECK(it->record.record_id == "rec-3978-dup-0");
    CHECK(it->record.birth_date.precision == qreg::DatePrecision::none);
    CHECK(it->record.birth_date.original == "19450493");
    REQUIRE(it->warnings.size() == 1);
    CHECK(it->warnings[0].message ==
          "birth_date (column date_of_birth): birth date cannot be read, expected YYYYMMDD; "
          "birth date left unknown");
}

TEST_CASE("by default an unreadable birth date rejects the row") {
    auto m = febrl_mapping();
    m.on_bad_date = c::BadDatePolicy::reject;
    const auto batch = parse(m, read_file(febrl_path("dataset4b.csv")));
    CHECK(batch.records.size() == 4936);
    CHECK(batch.problems.size() == 64);

    const auto json = with_key(read_file(QREG_CONFIG_DIR "/connectors/febrl.json"),
                               "\"on_bad_date\": \"warn\",", "");
    CHECK(c::parse_delimited_mapping(json, "febrl.json").on_bad_date == c::BadDatePolicy::reject);
}

TEST_CASE("a row without a name is kept only for a personal identifier, and only if the mapping says so") {
    const std::string csv =
        "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, "
        "state, date_of_birth, soc_sec_id\n"
        "rec-1-org, , , 1, william street, , nickol, 6149, qld, 19000430, 6432290\n"
        "rec-2-org, , , 1, william street, , nickol, 6149, qld, 19000430, \n"
        "rec-3-org, ann, , 1, william street, , nickol, 6149, qld, 19000430, \n";
    const auto batch = parse(febrl_mapping(), csv);
    REQUIRE(batch.records.size() == 2);
    CHECK(batch.records[0].record.record_id == "rec-1-org");
    CHECK(batch.records[0].record.ids.other_id == "6432290");
    REQUIRE(batch.records[0].warnings.size() == 1);
    CHECK(batch.records[0].warnings[0].message ==
          "no name at all: family name and given names are empty; kept for its identifier, "
          "matched on its other fields");
    CHECK(batch.records[1].record.record_id == "rec-3-org");
    CHECK(batch.records[1].warnings.empty());
    REQUIRE(batch.problems.size() == 1);
    CHECK(batch.problems[0].record_id == "rec-2-org");
    CHECK(batch.problems[0].reason ==
          "no name at all: family name and given names are empty, and no identifier to match it by");

    // Without the key (the default), every row without a name is rejected.
    const auto json = with_key(read_file(QREG_CONFIG_DIR "/connectors/febrl.json"),
                               "\"without_name\": \"keep_if_identified\",", "");
    const auto strict = c::parse_delimited_mapping(json, "febrl.json");
    CHECK(strict.without_name == c::NamelessPolicy::reject);
    const auto rejected = parse(strict, csv);
    CHECK(rejected.records.size() == 1);
    CHECK(rejected.problems.size() == 2);
}

TEST_CASE("YYYYMMDD dates may have unknown parts as 00") {
    const auto batch = parse(febrl_mapping(),
                             "rec_id, given_name, surname, street_number, address_1, address_2, "
                             "suburb, postcode, state, date_of_birth, soc_sec_id\n"
                             "r1, a, b, 1, s, , t, 1, x, 19900000, 1\n"
                             "r2, a, b, 1, s, , t, 1, x, 19900300, 1\n"
                             "r3, a, b, 1, s, , t, 1, x, 19900101, 1\n"
                             "r4, a, b, 1, s, , t, 1, x, 1990031, 1\n");
    REQUIRE(batch.records.size() == 4);
    CHECK(batch.records[0].record.birth_date.precision == qreg::DatePrecision::year);
    CHECK(batch.records[1].record.birth_date.precision == qreg::DatePrecision::month);
    CHECK(batch.records[2].record.birth_date.is_placeholder);
    CHECK(batch.records[3].record.birth_date.precision == qreg::DatePrecision::none);
    CHECK(batch.records[3].warnings.size() == 1);
}

TEST_CASE("with trim, a quote after the blank still opens a quoted field") {
    const auto batch =
        parse(febrl_mapping(),
              "rec_id, given_name, surname, street_number, address_1, address_2, "
              "suburb, postcode, state, date_of_birth, soc_sec_id\r\n"
              "r1, \"anna, maria\" , \"o\"\"brien\", 1, s, , t, 1, x, 19900101, 1\r\n");
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.problems.empty());
    CHECK(batch.records[0].record.given_names == "anna, maria");
    CHECK(batch.records[0].record.family_name == "o\"brien");
}

TEST_CASE("codes are translated before the field is read, unknown codes warn") {
    const auto m = c::parse_delimited_mapping(agency_json, "kommune.json");
    const std::string bytes =
        std::string(agency_header) +
        "K1;M\xFCller;Anna;1990-03;f;Syrien;123456789012;K\xF6ln;19.11.2026 14:03:00;aktiv\r\n"
        "K2;Schmidt;Ben;1985;m;Irak;12345;Bonn;01.07.2026 10:00:00;geloescht\r\n"
        "K3;Weber;Cem;;x;;;Essen;;kaputt\r\n"
        "K4;Roth;Dana;;u;;;Essen;19.11.2026 14:03:00;\r\n";
    const auto batch = parse(m, bytes);
    REQUIRE(batch.records.size() == 4);
    CHECK(batch.problems.empty());

    const auto& a = batch.records[0];
    CHECK(a.record.source == "kommune");
    CHECK(a.record.family_name == "M\xC3\xBCller");  // Windows-1252 decoded
    CHECK(a.record.town == "K\xC3\xB6ln");
    CHECK(a.record.sex == qreg::Sex::female);
    CHECK(a.record.nationalities == std::vector<std::string>{"SYR"});
    CHECK(a.record.birth_date.precision == qreg::DatePrecision::month);
    CHECK(a.record.stand == "2026-11-19T13:03:00Z");
    CHECK_FALSE(a.record.is_retracted);
    CHECK(a.warnings.empty());

    const auto& b = batch.records[1];
    CHECK(b.record.sex == qreg::Sex::male);
    CHECK(b.record.nationalities.empty());
    CHECK(has_warning(b, "nationality (column Land): code not in the mapping's code table"));
    CHECK(has_warning(b, "azr_number (column AZR): identifier is not 12 digits"));
    CHECK(b.record.is_retracted);
    CHECK(b.record.stand == "2026-07-01T08:00:00Z");

    const auto& k3 = batch.records[2];
    CHECK(k3.record.sex == qreg::Sex::unknown);
    CHECK(has_warning(k3, "sex (column Geschlecht): code not in the mapping's code table"));
    CHECK(has_warning(k3, "stand (column Stand): as-of time is missing"));
    CHECK(has_warning(k3, "retracted (column Status): value is neither"));
    CHECK(k3.warnings.size() == 3);

    CHECK(batch.records[3].warnings.empty());  // `u` translates to unknown on purpose
}

TEST_CASE("a UTF-8 byte order mark overrides a Windows-1252 mapping") {
    const auto m = c::parse_delimited_mapping(agency_json, "kommune.json");
    const std::string bytes = "\xEF\xBB\xBF" + std::string(agency_header) +
                              "K1;M\xC3\xBCller;Anna;;;;;;19.11.2026 14:03:00;\r\n";
    const auto batch = parse(m, bytes);
    REQUIRE(batch.records.size() == 1);
    CHECK(batch.records[0].record.family_name == "M\xC3\xBCller");
}

TEST_CASE("row problems: field count, encoding, record id, unterminated quote") {
    const auto m = c::parse_delimited_mapping(agency_json, "kommune.json");
    const std::string bytes = std::string(agency_header) +
                              "K1;A;B;;;;;;;\r\n"
                              "K2;A;B;;;;;\r\n"
                              "K3;A\x81;B;;;;;;;\r\n"
                              ";A;B;;;;;;;\r\n"
                              "K5;A;B;1990-02-30;;;;;;\r\n"
                              "K6;\"A;B;;;;;;;\r\n";
    const auto batch = parse(m, bytes);
    CHECK(batch.records.size() == 1);
    REQUIRE(batch.problems.size() == 5);
    CHECK(batch.problems[0].reason == "wrong field count: 10 expected, 8 found");
    CHECK(batch.problems[1].reason == "invalid encoding: column Name is not valid Windows-1252");
    CHECK(batch.problems[2].reason == "record_id (column ID): record id is missing");
    CHECK(batch.problems[3].reason ==
          "birth_date (column Geburtsdatum): birth date cannot be read, expected YYYY-MM-DD");
    CHECK(batch.problems[3].record_id == "K5");
    CHECK(batch.problems[4].reason == "unterminated quote at end of file");
    CHECK(batch.problems[4].line == 7);
    CHECK(batch.problems[4].raw == "K6;\"A;B;;;;;;;\r\n");
}

TEST_CASE("a header lacking a mapped column fails the file naming the column") {
    const auto parser = c::make_delimited_parser(febrl_mapping(), "people.csv");
    CHECK_THROWS_WITH_AS((void)c::parse_all(*parser, "rec_id, given_name, date_of_birth\n"),
                         "people.csv line 1: header lacks column surname mapped to family_name; "
                         "is this a febrl export?",
                         qreg::Error);
}

TEST_CASE("without a header, columns are chosen by index") {
    const auto m = c::parse_delimited_mapping(R"({
        "format": "tsv-plain", "source": "plain", "description": "no header",
        "delimiter": "\t", "quote": "", "encoding": "utf-8", "header": false,
        "column_count": 3, "default_stand": "2026-01-01T00:00:00+01:00",
        "columns": {"record_id": 2, "family_name": 0, "given_names": 1}
    })",
                                              "plain.json");
    CHECK_FALSE(m.quote);
    CHECK(m.default_stand == "2025-12-31T23:00:00Z");
    const auto batch = parse(m, "Muster\t\"Erika\"\tP1\nSolo\t\tP2\nzu\twenig\n");
    REQUIRE(batch.records.size() == 2);
    CHECK(batch.records[0].record.record_id == "P1");
    CHECK(batch.records[0].record.family_name == "Muster");
    CHECK(batch.records[0].record.given_names == "\"Erika\"");  // no quoting configured
    CHECK(batch.records[0].line == 1);
    CHECK(batch.records[1].record.given_names.empty());
    REQUIRE(batch.problems.size() == 1);
    CHECK(batch.problems[0].reason == "wrong field count: 3 expected, 2 found");
}

TEST_CASE("feeding in chunks of every size gives exactly the records of one feed") {
    const auto m = c::parse_delimited_mapping(agency_json, "kommune.json");
    const std::string agency = std::string(agency_header) +
                               "K1;\"M\xFC\r\nller\";\"A\"\"B\";1990;f;;;;19.11.2026 14:03:00;\r\n"
                               "\r\nK2;A;B;;;\r\nK3;A;B;;;;;;;x\nK4;\"open";
    const std::string febrl = read_file(febrl_path("dataset4a.csv")).substr(0, 3000);
    for (const auto& [mapping, bytes] : {std::pair{m, agency}, std::pair{febrl_mapping(), febrl}}) {
        const auto whole = parse(mapping, bytes);
        REQUIRE(whole.records.size() + whole.problems.size() >= 4);
        for (std::size_t size = 1; size <= bytes.size(); ++size) {
            const auto parser = c::make_delimited_parser(mapping, "test.csv");
            c::ParseBatch split;
            for (std::size_t at = 0; at < bytes.size(); at += size) {
                c::append(split, parser->feed(std::string_view(bytes).substr(at, size)));
            }
            c::append(split, parser->finish());
            REQUIRE(split.records.size() == whole.records.size());
            REQUIRE(split.problems.size() == whole.problems.size());
            for (std::size_t i = 0; i < whole.records.size(); ++i) {
                REQUIRE(split.records[i].raw == whole.records[i].raw);
                REQUIRE(split.records[i].line == whole.records[i].line);
                REQUIRE(split.records[i].record == whole.records[i].record);
            }
            for (std::size_t i = 0; i < whole.problems.size(); ++i) {
                REQUIRE(split.problems[i].raw == whole.problems[i].raw);
                REQUIRE(split.problems[i].line == whole.problems[i].line);
            }
        }
    }
}

TEST_CASE("malformed mapping files throw naming the file and the key") {
    const auto febrl = read_file(QREG_CONFIG_DIR "/connectors/febrl.json");
    const auto fails = [](const std::string& json, const std::string& message) {
        CAPTURE(json);
        CHECK_THROWS_WITH_AS((void)c::parse_delimited_mapping(json, "bad.json"),
                             doctest::Contains(message.c_str()), qreg::Error);
    };
    SUBCASE("not JSON") {
        fails("{\"format\": ", "bad.json: mapping is not valid JSON");
    }
    SUBCASE("not an object") {
        fails("[1, 2]", "bad.json: (top level): must be a JSON object");
    }
    SUBCASE("unknown canonical field") {
        fails(with_key(febrl, "\"family_name\":", "\"surname\":"),
              "bad.json: columns.surname: unknown canonical field");
    }
    SUBCASE("record_id not mapped") {
        fails(with_key(febrl, "\"record_id\": \"rec_id\",", ""),
              "bad.json: columns.record_id: is required");
    }
    SUBCASE("missing required key") {
        fails(with_key(febrl, "\"encoding\": \"utf-8\",", ""), "bad.json: encoding: is required");
    }
    SUBCASE("unknown key") {
        fails(with_key(febrl, "\"delimiter\":", "\"delimeter\":"),
              "bad.json: delimeter: unknown key");
    }
    SUBCASE("delimiter of two characters") {
        fails(with_key(febrl, "\"delimiter\": \",\"", "\"delimiter\": \", \""),
              "bad.json: delimiter: must be exactly one character");
    }
    SUBCASE("delimiter equal to the quote") {
        fails(with_key(febrl, "\"quote\": \"\\\"\"", "\"quote\": \",\""),
              "bad.json: quote: must differ from the delimiter");
    }
    SUBCASE("unknown encoding") {
        fails(with_key(febrl, "\"utf-8\"", "\"latin-1\""), "bad.json: encoding: must be");
    }
    SUBCASE("unknown date format") {
        fails(with_key(febrl, "\"YYYYMMDD\"", "\"DD/MM/YYYY\""), "bad.json: birth_date_format:");
    }
    SUBCASE("bad on_bad_date") {
        fails(with_key(febrl, "\"warn\"", "\"ignore\""), "bad.json: on_bad_date:");
    }
    SUBCASE("bad without_name") {
        fails(with_key(febrl, "\"keep_if_identified\"", "\"keep\""), "bad.json: without_name:");
    }
    SUBCASE("unreadable default stand") {
        fails(with_key(febrl, "\"2000-01-01T00:00:00Z\"", "\"2000-01-01\""),
              "bad.json: default_stand: must be an ISO 8601 time with zone");
    }
    SUBCASE("wrong type") {
        fails(with_key(febrl, "\"trim\": true", "\"trim\": \"yes\""),
              "bad.json: trim: must be true or false");
    }
    SUBCASE("codes for an unmapped field") {
        fails(with_key(febrl, "\"birth_date_format\"",
                       "\"codes\": {\"sex\": {\"f\": \"W\"}}, "
                       "\"birth_date_format\""),
              "bad.json: codes.sex: the field has no column");
    }
    SUBCASE("a built-in source name") {
        fails(with_key(febrl, "\"source\": \"febrl\"", "\"source\": \"ba\""),
              "bad.json: source: is a built-in source");
    }
    SUBCASE("a stand column without its format") {
        fails(with_key(febrl, "\"other_id\": \"soc_sec_id\"",
                       "\"other_id\": \"soc_sec_id\", \"stand\": \"x\""),
              "bad.json: stand_format: is required with a stand column");
    }
}

}  // TEST_SUITE("connectors.delimited")
