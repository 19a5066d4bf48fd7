#pragma once

#include "../storage/store.hpp"
#include "audit_service.hpp"
#include "profile.hpp"
#include "sharing.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Sharing with authorised agencies: consents, the pull connector, subscriptions and the events
// that fill the push outbox. Every disclosure is written in the transaction that decides it
// (record_disclosure), together with its audit entry; so are consent and subscription changes,
// and pulls that find nothing shared (outcome "not_shared"). `now` is a format_time text
// (clock.hpp). `context` names who acts (for a push: the outbox, on behalf of the registry).
namespace qreg::registry {

// Records a consent for `person_id` after checking it (check_new_consent, a known recipient, an
// existing person) and queues a push of the person's view to the recipient's subscriptions.
// Throws Error{invalid_input} or Error{not_found} (no such person).
[[nodiscard]] ConsentRow create_consent(Store& store, std::int64_t person_id,
                                        const NewConsent& consent, std::string_view actor,
                                        std::string_view now, AuditLog& audit,
                                        const AuditContext& context);
// Ends a consent at `now`; it stays as history. Pending pushes that nothing is in force for
// any more are cancelled. Throws Error{not_found}, or Error{conflict} when already revoked.
[[nodiscard]] ConsentRow revoke_consent(Store& store, std::int64_t consent_id,
                                        std::string_view actor, std::string_view now,
                                        AuditLog& audit, const AuditContext& context);
// A person's consents, oldest first. Throws Error{not_found} for a person with neither records
// nor consents.
[[nodiscard]] std::vector<ConsentRow> person_consents(const Store& store, std::int64_t person_id);

// Who is asking, for the disclosure record and the audit entry.
struct Recipient {
    std::string agency;
    AuditContext context;  // the agency's principal and the request id
};

// Pull: the person that `identifier` names, if some consent for the agency is in force now;
// nothing otherwise, the same as for an unknown identifier. The answer is a disclosure (of the
// person id) and recorded as one. `record_id_sources`: sources whose record ids count as
// identifiers. Throws Error{conflict} when the identifier names several such persons.
[[nodiscard]] std::optional<std::int64_t> shared_lookup(
    Store& store, const Recipient& recipient, std::string_view identifier,
    std::span<const std::string> record_id_sources, std::string_view now, AuditLog& audit);
// Pull: the person's shared view for the agency in `format`, under the consents in force now,
// recorded as a disclosure; nothing when none is in force (or there is no such person).
[[nodiscard]] std::optional<Rendering> shared_view(Store& store, const SurvivorshipRules& rules,
                                                   const Recipient& recipient,
                                                   std::int64_t person_id, std::string_view format,
                                                   std::string_view now, AuditLog& audit);

struct NewSubscription {
    std::string agency;
    std::string callback_url;  // https://host[:port]/path
    std::vector<std::string> categories;
    std::string format = "json";
};

// Stores a subscription with a new random secret (returned in the row: shown once). Throws
// Error{invalid_input} for a bad URL, category or format.
[[nodiscard]] SubscriptionRow create_subscription(Store& store, const NewSubscription& subscription,
                                                  std::string_view actor, std::string_view now,
                                                  AuditLog& audit, const AuditContext& context);
// Cancels a subscription and its pending deliveries. `agency` empty: any agency's (admin).
// Throws Error{not_found} when there is no such active subscription (of that agency).
void cancel_subscription(Store& store, std::int64_t subscription_id, std::string_view agency,
                         std::string_view now, AuditLog& audit, const AuditContext& context);

// Events: queue a push for every subscription a change of these persons concerns
// (subscriptions_to_notify). Call inside the transaction that makes the change.
void enqueue_changes(Store& store, std::span<const std::int64_t> persons, std::string_view reason,
                     std::string_view now);
// The same for records moving between persons: both the persons they leave and join changed.
// Call before store.assign_persons(moves), in its transaction.
void enqueue_moves(Store& store, std::span<const PersonAssignment> moves, std::string_view reason,
                   std::string_view now);

// The person's consolidated profile (profile_json over all its records).
[[nodiscard]] std::string current_profile(const Store& store, const SurvivorshipRules& rules,
                                          std::int64_t person_id);
// The same from the person's current records, already read (an empty list: an empty profile).
[[nodiscard]] std::string profile_of_records(std::int64_t person_id, std::vector<Record> records,
                                             const SurvivorshipRules& rules);

// Writes one disclosure and its audit entry (share.pull or share.push: the person, the
// categories disclosed, the legal basis of `grant`, the recipient and disclosure id in the
// details); called in the transaction that decides it. Returns the disclosure id.
std::int64_t record_disclosure(Store& store, const DisclosureRow& disclosure, const Grant& grant,
                               AuditLog& audit, const AuditContext& context);

}  // namespace qreg::registry
