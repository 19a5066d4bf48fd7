#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "qreg/model/audit.hpp"
#include "services/audit_service.hpp"

// The audit log's JSON, as `qreg audit ...` prints it and GET /v1/audit/... returns it (README
// "Audit log" documents every field). Hashes, keys and signatures are lowercase hex.
namespace qreg::registry {

[[nodiscard]] std::string to_json(const AuditCheckpoint& checkpoint);
[[nodiscard]] std::string to_json(const InclusionProof& proof);
[[nodiscard]] std::string to_json(const ConsistencyProof& proof);
// For listings: the stored fields (details and categories as JSON), leaf hash, and the persons
// with their plain ids where the index still has them.
[[nodiscard]] std::string to_json(const StoredAuditEntry& entry);
[[nodiscard]] std::string to_json(const AuditVerification& result);

// Parsing throws Error{invalid_input} naming the field that is missing or malformed.
[[nodiscard]] AuditCheckpoint checkpoint_from_json(std::string_view text);
[[nodiscard]] std::variant<InclusionProof, ConsistencyProof> proof_from_json(std::string_view text);

}  // namespace qreg::registry
