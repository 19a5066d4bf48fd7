#include "match_config.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "qreg/error.hpp"

namespace reg = qreg::registry;
namespace d = qreg::dedup;

namespace {

std::string default_settings() {
    std::ifstream in(std::string(QREG_CONFIG_DIR) + "/matching.json");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The default settings with `"max_block": 300` followed by `extra`.
std::string with_blocking(const std::string& extra) {
    auto text = default_settings();
    const std::string cap = "\"max_block\": 300";
    const auto at = text.find(cap);
    REQUIRE(at != std::string::npos);
    return text.insert(at + cap.size(), extra);
}

}  // namespace

TEST_SUITE("registry.match_config") {

TEST_CASE("the default matching settings load with one cap for all blocking rules") {
    const auto s = reg::parse_match_settings(default_settings(), "matching.json");
    CHECK(s.max_block == 300);
    CHECK(s.rule_max_block.empty());
    CHECK_FALSE(s.blocking.empty());
}

TEST_CASE("a blocking rule can have a cap of its own") {
    const auto s = reg::parse_match_settings(
        with_blocking(R"(, "max_block_by_rule": {"name_key_birth_year": 100})"), "matching.json");
    REQUIRE(s.rule_max_block.size() == 1);
    CHECK(s.rule_max_block[0].first == d::BlockRule::name_key_birth_year);
    CHECK(s.rule_max_block[0].second == 100);
}

TEST_CASE("a cap for an unknown rule or below 2 is an error that names the setting") {
    const auto message = [](const std::string& text) {
        try {
            (void)reg::parse_match_settings(text, "matching.json");
        } catch (const qreg::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const auto unknown = message(with_blocking(R"(, "max_block_by_rule": {"name_key_birthyear": 100})"));
    CHECK(unknown.find("blocking.max_block_by_rule.name_key_birthyear") != std::string::npos);
    CHECK(unknown.find("unknown rule") != std::string::npos);
    const auto small = message(with_blocking(R"(, "max_block_by_rule": {"name_key_pair": 1})"));
    CHECK(small.find("at least 2") != std::string::npos);
    CHECK(message(with_blocking(R"(, "max_block_by_rule": [100])")).find("must be an object") != std::string::npos);
}

TEST_CASE("a negative or fractional block cap is an error, not a cap of billions") {
    auto text = default_settings();
    const std::string cap = "\"max_block\": 300";
    for (const std::string bad : {"-5", "2.5", "1e12"}) {
        auto changed = text;
        changed.replace(changed.find(cap), cap.size(), "\"max_block\": " + bad);
        try {
            (void)reg::parse_match_settings(changed, "matching.json");
            FAIL("accepted max_block " << bad);
        } catch (const qreg::Error& e) {
            CHECK(std::string(e.what()).find("blocking.max_block") != std::string::npos);
            CHECK(std::string(e.what()).find("at least 2") != std::string::npos);
        }
    }
}

}  // TEST_SUITE("registry.match_config")
