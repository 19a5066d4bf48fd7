#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../storage/store.hpp"
#include "audit_service.hpp"

// Corrections by caseworkers: what matching could not decide. Every decision takes effect at
// once on the persons and is kept as a constraint (must link / keep separate) that every later
// full `qreg dedup` respects, with who decided and when.
namespace qreg::registry {

struct RecordKey {
    std::string source;
    std::string record_id;
};

// Each function below writes its audit entry (with `audit`) in the transaction of its change;
// the actor of the decision is the context's principal.

// Decides a possible match from the review queue: `link` merges the two records' persons,
// `separate` keeps them apart. Throws Error{not_found} for an unknown review id.
void decide_review(Store& store, std::int64_t review_id, bool link, std::string_view now,
                   AuditLog* audit, const AuditContext& context);

// Moves `records` of `person_id` to a new person and returns its id: they are kept apart from
// the records that stay, and together with each other. Throws Error{invalid_input} when a record
// is not the person's, or when the split would leave either side empty.
[[nodiscard]] std::int64_t split_person(Store& store, std::int64_t person_id,
                                        const std::vector<RecordKey>& records, std::string_view now,
                                        AuditLog* audit, const AuditContext& context);

// Merges `other_id` into `person_id`: every record of `other_id` joins `person_id`.
void merge_persons(Store& store, std::int64_t person_id, std::int64_t other_id,
                   std::string_view now, AuditLog* audit, const AuditContext& context);

}  // namespace qreg::registry
