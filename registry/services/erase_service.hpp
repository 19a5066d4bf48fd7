#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "../storage/store.hpp"
#include "audit_service.hpp"

// Art. 17 erasure: the person's data goes, the audit log keeps its entries with the person
// pseudonymised, and still verifies.
namespace qreg::registry {

struct ErasureReport {
    std::int64_t person_id = 0;
    std::int64_t records = 0;            // records deleted, with all their versions
    std::int64_t audit_rows_cleared = 0;  // plain ids removed from the audit person index
    std::string pseudonym;               // how the audit log names the person from now on
    std::int64_t audit_entry = 0;        // seq of the erase entry
};

// One transaction: deletes the person's records, clears their plain id from the audit log and
// appends the erase entry; then flushes the WAL so the erased data does not linger in it.
// Throws Error{not_found} when the registry holds nothing of the person (nothing is logged).
[[nodiscard]] ErasureReport erase_person(Store& store, AuditLog& audit, std::int64_t person_id,
                                         const AuditContext& context, std::string_view legal_basis,
                                         std::string_view now);

}  // namespace qreg::registry
