#pragma once

#include "../services/access_service.hpp"
#include "../services/audit_service.hpp"
#include "../services/clock.hpp"
#include "../services/profile.hpp"
#include "../storage/store.hpp"
#include "server.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// The sharing endpoints: consents (caseworkers), disclosures (data officers), the pull
// connector and subscriptions (agencies). Private to registry/http; Api routes to it.
namespace qreg::registry::http {

class SharingApi {
public:
    // `record_id_sources`: sources whose record ids agencies may look persons up by.
    SharingApi(const SurvivorshipRules& rules, std::vector<std::string> record_id_sources,
               Clock clock);

    // The answer when `r` is one of the sharing endpoints, else nothing. Throws Error.
    [[nodiscard]] std::optional<Response> route(const Request& r,
                                                std::span<const std::string_view> path,
                                                const Principal& who, Store& store,
                                                AuditLog& audit) const;

private:
    [[nodiscard]] std::string now() const;

    const SurvivorshipRules& rules_;
    std::vector<std::string> record_id_sources_;
    Clock clock_;
};

}  // namespace qreg::registry::http
