#include "json_text.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <limits>

namespace json = boost::json;
namespace reg = qreg::registry;

TEST_SUITE("registry.json_text") {

TEST_CASE("compact JSON writes every kind of value as boost::json reads it back") {
    const json::value v = json::object{
        {"name", "Ö\"ztürk\\ \n\t\b\f\r\x01 محمد"},
        {"id", std::numeric_limits<std::int64_t>::min()},
        {"big", std::numeric_limits<std::uint64_t>::max()},
        {"yes", true},
        {"no", false},
        {"none", nullptr},
        {"ratio", 4.5},
        {"list", json::array{1, "a", json::object{}, json::array{}}},
        {"key \"quoted\"", 0},
    };
    const auto text = reg::compact_json(v);
    CHECK(json::parse(text) == v);
    // Numbers with a fraction the way people write them; everything else as boost::json does.
    CHECK(text.find("\"ratio\":4.5,") != std::string::npos);
    CHECK(text.find("\"id\":-9223372036854775808,") != std::string::npos);
    CHECK(text.find("\"big\":18446744073709551615,") != std::string::npos);
    CHECK(text.find(R"(\n\t\b\f\r\u0001 )") != std::string::npos);
    json::value no_fraction = json::object{{"a", json::array{"x", 1, true, nullptr}}};
    CHECK(reg::compact_json(no_fraction) == json::serialize(no_fraction));
}

TEST_CASE("a number that is not finite is written as null") {
    CHECK(reg::compact_json(json::array{std::numeric_limits<double>::infinity()}) == "[null]");
}

}  // TEST_SUITE
