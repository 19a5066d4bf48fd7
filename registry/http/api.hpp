#pragma once

#include <filesystem>
#include <memory>

#include "../services/clock.hpp"
#include "server.hpp"

// The registry's HTTP API: routing, authentication and authorisation, JSON in and out. Each
// route calls one service. The transport is in server.hpp; the endpoints are described in
// registry/http/openapi.json (served at /v1/openapi.json).
namespace qreg::registry {
class SearchIndex;
}

namespace qreg::registry::http {

struct ApiOptions {
    std::filesystem::path db;
    std::filesystem::path config_dir;
    Clock clock;  // the time consents are judged at
};

class Api {
public:
    // Reads the configuration (formats, matching, survivorship, agencies) and brings the
    // database's agencies in line with config/agencies.json. Throws Error on bad config.
    Api(ApiOptions options, SearchIndex& search);
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;

    // Thread-safe; never throws: failures become JSON error responses.
    [[nodiscard]] Response handle(const Request& request) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace qreg::registry::http
