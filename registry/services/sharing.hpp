#pragma once

#include "../storage/sharing_rows.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Consent-scoped sharing, the pure part: which categories of a person an agency may receive at
// a given time, the shared view of a profile in the agency's format, and what a change sends to
// whom. No I/O and no clock: `now` is a format_time text (clock.hpp) passed in.
namespace qreg::registry {

// The formats a shared view is rendered in (pull: ?format=, push: per subscription).
inline constexpr std::array<std::string_view, 2> share_formats = {"json", "ba-csv-v1"};

enum class ConsentState { in_force, not_yet_valid, expired, revoked };

// in_force, not_yet_valid, expired, revoked
[[nodiscard]] std::string_view state_name(ConsentState state);
// Revoked from revoked_at on; otherwise in force on the (UTC) days valid_from..valid_until.
[[nodiscard]] ConsentState consent_state(const ConsentRow& consent, std::string_view now);

// What may go to one agency now: the union of its consents in force (several add up; a revoked
// or expired one counts for nothing).
struct Grant {
    std::vector<std::string> categories;  // in profile_categories order
    std::vector<ConsentRow> consents;     // those in force granting at least one of them

    [[nodiscard]] bool empty() const { return categories.empty(); }
    [[nodiscard]] std::vector<std::int64_t> consent_ids() const;
};

// The grant of `agency` at `now`, cut down to `wanted` unless that is empty.
[[nodiscard]] Grant grant_for(std::span<const ConsentRow> consents, std::string_view agency,
                              std::string_view now, std::span<const std::string> wanted = {});

struct NewConsent {
    std::string recipient;
    std::vector<std::string> categories;
    std::string purpose;
    std::string legal_basis;  // consent | statute
    std::string statute;      // required for statute, refused for consent
    std::string valid_from;   // YYYY-MM-DD, not before today
    std::string valid_until;  // YYYY-MM-DD, not before valid_from
    std::string evidence;     // required for consent: where the signed form is kept
};

// Throws Error{invalid_input} naming the field and the rule. `today` is YYYY-MM-DD. Whether the
// recipient is a known agency is the caller's to check.
void check_new_consent(const NewConsent& consent, std::string_view today);
// Throws Error{invalid_input} for an empty list, an unknown category or a repeated one.
void check_categories(std::span<const std::string> categories, std::string_view field);
// Throws Error{invalid_input} unless `format` is one of share_formats.
void check_share_format(std::string_view format);

// The profile as shared: only the granted categories (filter_profile), and unless
// `identifiers` is granted, entries' sources keep their `stand` only: source names and record
// ids are agency numbers, and being known to a Jobcenter is itself telling.
[[nodiscard]] std::string shared_profile(std::string_view profile_json,
                                         std::span<const std::string> categories);

// The shared view, as GET /v1/shared/persons/{id} answers and a JSON push carries:
//   {"person_id", "as_of", "categories": [...], "consents": [{"consent_id", "legal_basis",
//    "statute", "purpose", "categories", "valid_until"}], "profile": {shared_profile}}
[[nodiscard]] std::string shared_view_json(std::int64_t person_id, std::string_view profile_json,
                                           const Grant& grant, std::string_view as_of);
// Equal for equal content whatever the time: tells a push that nothing shared changed.
[[nodiscard]] std::string shared_view_hash(std::string_view profile_json, const Grant& grant);

struct Rendering {
    std::string content_type;
    std::string body;
};

// The shared view in `format`: json (shared_view_json) or ba-csv-v1 (one row, STAND = as_of;
// columns of categories not granted stay empty). Throws Error{invalid_input} for another format.
[[nodiscard]] Rendering render_shared_view(std::string_view format, std::int64_t person_id,
                                           std::string_view profile_json, const Grant& grant,
                                           std::string_view as_of);

// Where a subscription's deliveries go: `https://HOST[:PORT][/PATH][?QUERY]` (HOST a name, an
// IPv4 address or a bracketed IPv6 one); nullopt for anything else, plain http included.
struct CallbackUrl {
    std::string host;
    std::uint16_t port = 443;
    std::string target = "/";  // path and query
};
[[nodiscard]] std::optional<CallbackUrl> parse_callback_url(std::string_view url);

// The legal basis as the audit log names it: "consent 12" for a consent, "statute § 50 SGB II
// (record 13)" for a statutory basis; several joined by "; ".
[[nodiscard]] std::string legal_basis_text(const ConsentRow& consent);
[[nodiscard]] std::string legal_basis_text(const Grant& grant);

// The grounds of a disclosure as kept with it: [{"consent_id", "legal_basis", "statute",
// "purpose"}].
[[nodiscard]] std::string grounds_json(const Grant& grant);

// The wait before attempt `attempts` + 1: first, doubling with every attempt, at most cap.
[[nodiscard]] std::chrono::milliseconds retry_delay(std::int64_t attempts,
                                                    std::chrono::milliseconds first,
                                                    std::chrono::milliseconds cap);

// The active subscriptions that a change of a person concerns: their agency has an unrevoked
// consent of the person, not expired at `now`, for one of the subscribed categories. (Whether
// it is in force is decided again when sending.)
[[nodiscard]] std::vector<std::int64_t> subscriptions_to_notify(
    std::span<const ConsentRow> consents, std::span<const SubscriptionRow> subscriptions,
    std::string_view now);

}  // namespace qreg::registry
