#pragma once

// Reading the API's answers in end-to-end tests.
#include "e2e/server_fixture.hpp"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

namespace qreg::test {

inline boost::json::object body_of(const connectors::HttpResult& r) {
    INFO(r.body);
    auto v = boost::json::parse(r.body);
    REQUIRE(v.is_object());
    return v.as_object();
}

// The person a record belongs to now.
inline std::int64_t person_of(const RunningServer& s, const std::string& source,
                              const std::string& id) {
    const auto links = s.links();
    const auto it = links.find(source + ":" + id);
    REQUIRE_MESSAGE(it != links.end(), "no record " << source << ":" << id);
    return std::stoll(it->second);
}

}  // namespace qreg::test
