#include "qreg/connectors/common.hpp"

#include <doctest/doctest.h>

namespace c = qreg::connectors;

TEST_SUITE("connectors.common") {

TEST_CASE("German dates keep their precision and flag the 01.01. placeholder") {
    const auto full = c::parse_german_date("15.03.1990");
    REQUIRE(full);
    CHECK(full->precision == qreg::DatePrecision::day);
    CHECK_FALSE(full->is_placeholder);
    const auto year_only = c::parse_german_date("00.00.1990");
    REQUIRE(year_only);
    CHECK(year_only->precision == qreg::DatePrecision::year);
    CHECK(year_only->year == 1990);
    const auto placeholder = c::parse_german_date("01.01.1990");
    REQUIRE(placeholder);
    CHECK(placeholder->is_placeholder);
    CHECK(placeholder->precision == qreg::DatePrecision::day);
    CHECK(c::parse_german_date("1990")->precision == qreg::DatePrecision::year);
    CHECK(c::parse_german_date("")->precision == qreg::DatePrecision::none);
}

TEST_CASE("impossible dates are refused") {
    CHECK_FALSE(c::parse_german_date("31.02.1990"));
    CHECK_FALSE(c::parse_german_date("15.13.1990"));
    CHECK_FALSE(c::parse_german_date("15.00.1990"));  // a day without a month
    CHECK_FALSE(c::parse_german_date("1990-03-15"));
    CHECK_FALSE(c::parse_iso_date("15.03.1990"));
    CHECK_FALSE(c::parse_iso_date("1990-3"));
    CHECK(c::parse_iso_date("1990-00-00")->precision == qreg::DatePrecision::year);
    CHECK(c::parse_iso_date("1990-03")->precision == qreg::DatePrecision::month);
}

TEST_CASE("German local time becomes UTC across summer time") {
    CHECK(c::parse_german_local_time("15.01.2026 12:00:00") == "2026-01-15T11:00:00Z");
    CHECK(c::parse_german_local_time("15.07.2026 12:00:00") == "2026-07-15T10:00:00Z");
    // 2026: summer time from 29 March to 25 October
    CHECK(c::parse_german_local_time("29.03.2026 01:30:00") == "2026-03-29T00:30:00Z");
    CHECK(c::parse_german_local_time("29.03.2026 03:30:00") == "2026-03-29T01:30:00Z");
    CHECK(c::parse_german_local_time("25.10.2026 04:00:00") == "2026-10-25T03:00:00Z");
    CHECK_FALSE(c::parse_german_local_time("2026-01-15 12:00"));
}

TEST_CASE("ISO times with offsets become UTC") {
    CHECK(c::parse_iso_time("2026-11-19T14:03:00+01:00") == "2026-11-19T13:03:00Z");
    CHECK(c::parse_iso_time("2026-11-18T09:12:00Z") == "2026-11-18T09:12:00Z");
    CHECK(c::parse_iso_time("2026-01-01T00:30:00+01:00") == "2025-12-31T23:30:00Z");
    CHECK_FALSE(c::parse_iso_time("2026-11-18T09:12:00"));
}

TEST_CASE("Windows-1252 converts to UTF-8 and undefined bytes are refused") {
    CHECK(c::cp1252_to_utf8("\xD6zt\xFCrk") == "Öztürk");
    CHECK(c::cp1252_to_utf8("\x80") == "€");
    CHECK_FALSE(c::cp1252_to_utf8("a\x81"));
    CHECK(c::is_valid_utf8("Öztürk"));
    CHECK_FALSE(c::is_valid_utf8("\xD6zt"));
    CHECK_FALSE(c::is_valid_utf8("\xC0\xAF"));  // overlong
}

TEST_CASE("agency codes map to canonical codes") {
    CHECK(*c::map_ba_school("AH") == 3);
    CHECK(*c::map_ba_school("HS") == 2);
    CHECK_FALSE(c::map_ba_school("AU")->has_value());
    CHECK_FALSE(c::map_ba_school("XY"));
    CHECK(c::map_isced_school("ISCED-2") == 2);
    CHECK(c::map_ba_study("M")->isced_level == 7);
    CHECK(c::map_language_level("M") == "native");
    CHECK(c::map_language_level("muttersprache") == "native");
    CHECK(c::map_language_level("B2") == "B2");
    CHECK_FALSE(c::map_language_level("D1"));
    CHECK(c::map_recognition_status("teilweise_gleichwertig") == "partially_equivalent");
    CHECK(c::map_training_status("abgebrochen") == "aborted");
    CHECK(c::map_sex("w") == qreg::Sex::female);
    CHECK_FALSE(c::map_sex("Q"));
}

TEST_CASE("a record without id or without any name is rejected") {
    qreg::Record r;
    r.record_id = "1";
    CHECK(c::reject_reason(r));
    r.given_names = "A";
    CHECK_FALSE(c::reject_reason(r));
    r.record_id = " ";
    CHECK(c::reject_reason(r));
}

}  // TEST_SUITE("connectors.common")
