#pragma once

#include <cstdint>
#include <string>
#include <vector>

// What Store keeps for sharing with agencies: consents, subscriptions, the outbox of push
// deliveries and the record of every disclosure. Plain values; times are UTC
// `YYYY-MM-DDTHH:MM:SS.mmmZ`, dates `YYYY-MM-DD`.
namespace qreg::registry {

// A person's consent (or a statute) allowing one agency to receive some profile categories.
// Never deleted: a revocation sets revoked_at, and the row stays as history.
struct ConsentRow {
    std::int64_t id = 0;
    std::int64_t person_id = 0;
    std::string recipient;                // agency id
    std::vector<std::string> categories;  // profile categories (profile_categories)
    std::string purpose;
    std::string legal_basis;  // consent | statute
    std::string statute;      // the statute, when legal_basis is statute
    std::string valid_from;   // first day in force
    std::string valid_until;  // last day in force
    std::string evidence;     // where the signed consent is kept
    std::string created_by;
    std::string created_at;
    std::string revoked_at;  // empty while not revoked
    std::string revoked_by;
};

// An agency's wish to be sent the shared view of persons when it changes.
struct SubscriptionRow {
    std::int64_t id = 0;
    std::string agency;
    std::string callback_url;  // https://host[:port]/path
    std::vector<std::string> categories;
    std::string format;  // json | ba-csv-v1
    std::string secret;  // HMAC-SHA256 key of the signatures; shown to the agency once
    std::string created_by;
    std::string created_at;
    std::string cancelled_at;  // empty while active
};

// One push delivery in the outbox: "this person changed; send the subscription its view".
// What is sent is decided at each attempt, under the consents in force then.
struct DeliveryRow {
    std::int64_t id = 0;
    std::string delivery_id;  // the Idempotency-Key: the same for every attempt
    std::int64_t subscription_id = 0;
    std::int64_t person_id = 0;
    std::string reason;  // import, dedup, review, split, merge, consent
    std::string created_at;
    std::string status = "pending";  // pending, delivered, failed, cancelled, unchanged
    std::int64_t attempts = 0;
    std::string next_attempt_at;  // empty: due at once
    std::string last_attempt_at;
    std::string last_error;   // no personal data: status codes and transport errors
    std::string payload;      // the body of the last attempt
    std::string view_hash;    // SHA-256 of the shared view of the last attempt
    std::string consent_ids;  // the consents the last attempt was sent under, comma-separated
    std::string finished_at;  // when it left `pending`
};

// One disclosure: who received which categories of which person, when, on which grounds.
// Append-only; written in the transaction that decides the disclosure.
struct DisclosureRow {
    std::int64_t id = 0;
    std::int64_t person_id = 0;
    std::string recipient;  // agency id
    std::string disclosed_at;
    std::vector<std::string> categories;  // empty for a lookup (the person id only)
    std::vector<std::int64_t> consent_ids;
    std::string grounds;    // JSON array: [{"consent_id", "legal_basis", "statute", "purpose"}]
    std::string channel;    // pull | push
    std::string kind;       // lookup | view
    std::string format;     // json | ba-csv-v1 (empty for a lookup)
    std::string reference;  // pull: the request id; push: the delivery id
};

}  // namespace qreg::registry
