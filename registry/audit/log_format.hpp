#pragma once

#include <span>
#include <string>
#include <string_view>

#include "qreg/model/audit.hpp"

// What the audit log hashes and signs, byte for byte (README "Audit log" documents it for
// outside checkers). Pure code. Changing any of these formats means a new version tag.
namespace qreg::audit {

// The leaf data of an entry: netstrings (`<byte length>:<bytes>,`) of the tag
// "qreg audit entry v1" and of every stored column in table order, seq in decimal:
// seq, time, actor, role, agency, action, persons, categories, legal_basis, request_id,
// outcome, details. The leaf hash is SHA-256(0x00 || leaf data).
[[nodiscard]] std::string entry_leaf(const StoredAuditEntry& entry);

// The bytes a checkpoint's Ed25519 signature covers: lines ending in "\n",
//   qreg audit checkpoint v1 / number N / size N / root HEX / time T / key KEYID
[[nodiscard]] std::string checkpoint_message(const AuditCheckpoint& checkpoint);

// The bytes the head's signature covers:
//   qreg audit head v1 / size N / root HEX / checkpoints N / time T / key KEYID
[[nodiscard]] std::string head_message(const AuditHead& head);

// 16 hex digits: the first 8 bytes of SHA-256 of the raw public key.
[[nodiscard]] std::string key_id(std::string_view public_key);

// ["hex","hex",...] with no spaces: the stored persons column.
[[nodiscard]] std::string pseudonyms_json(std::span<const std::string> pseudonyms);

}  // namespace qreg::audit
