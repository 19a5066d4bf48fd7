#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../audit/crypto.hpp"
#include "../audit_config.hpp"
#include "../storage/store.hpp"
#include "qreg/model/audit.hpp"

// The tamper-evident audit log (issue 7).
//
// Design. Every entry is a leaf of an RFC 6962 Merkle tree; its leaf data covers every stored
// column (seq included), so a changed, moved, removed or inserted entry no longer matches its
// leaf hash or the tree. A signed head (Ed25519), replaced by every append in the same
// transaction, covers all entries: an entry added without the key is outside it. Checkpoints
// are signed (number, tree size, root, time, key id), numbered, and counted by the head, so
// none can be changed or removed unnoticed; they are what one publishes, and a checkpoint kept
// outside proves with a consistency proof that later history extends it.
//
// Persons. An entry names persons by pseudonym = HMAC-SHA256(pseudonym key, decimal id), and
// the leaf covers the pseudonyms. The plain ids sit in audit_entry_person beside them, outside
// the leaf, checked by recomputing the HMAC. Erasure (Art. 17) clears those plain ids and
// appends an erase entry naming the pseudonym: the leaves do not change, the log still
// verifies, and with the key one can still find a person's entries from the id.
namespace qreg::registry {

// The log's secrets: the Ed25519 signing key and the HMAC key for pseudonyms.
struct AuditKeys {
    audit::SigningKey signing;
    std::string pseudonym_key;  // 32 bytes
};

// Reads the key files. A missing file is generated (mode 0600) only when the log is still
// empty; otherwise Error{invalid_input} names the file: a new key could not continue the log.
[[nodiscard]] AuditKeys open_audit_keys(Store& store, const AuditSettings& settings);
// Reads the key files; never creates them (for verification and read-only use).
[[nodiscard]] AuditKeys load_audit_keys(const AuditSettings& settings);

// What every entry of one request or command shares.
struct AuditContext {
    AuditActor actor;
    std::string request_id;
};

// An entry of `action` by the context's actor, with its request id; the caller adds persons,
// categories, legal basis and details.
[[nodiscard]] AuditEntry audit_entry(const AuditContext& context, std::string_view action);

struct AuditVerification {
    bool ok = false;
    std::int64_t entries = 0;     // entries checked and found good
    AuditHash root_hash{};        // root over all entries, when ok
    std::int64_t checkpoints = 0;
    std::int64_t first_bad_entry = 0;  // 0 when no entry is named
    std::int64_t bad_checkpoint = 0;   // 0 when no checkpoint is named
    std::string problem;               // what does not hold, naming the entry or checkpoint
};

struct InclusionProof {
    std::int64_t entry = 0;  // seq; the leaf index is entry - 1
    std::int64_t tree_size = 0;
    StoredAuditEntry fields;  // the entry's stored fields (persons: pseudonyms only)
    std::string leaf;         // the leaf data made of them; its hash is SHA-256(0x00 || leaf)
    AuditHash leaf_hash{};
    std::vector<AuditHash> path;               // RFC 6962 PATH, from the leaf up
    std::optional<AuditCheckpoint> checkpoint;  // the signed checkpoint of tree_size, if any
};

struct ConsistencyProof {
    std::int64_t first = 0;
    std::int64_t second = 0;
    std::vector<AuditHash> path;  // RFC 6962 PROOF(first, D[second])
    std::optional<AuditCheckpoint> first_checkpoint;   // of size first, if any
    std::optional<AuditCheckpoint> second_checkpoint;  // of size second, if any
};

struct AuditErasure {
    std::int64_t entry = 0;              // seq of the erase entry
    std::int64_t index_rows_cleared = 0;  // plain ids removed from the person index
    std::string pseudonym;
};

// One per Store, on the Store's thread.
class AuditLog {
public:
    AuditLog(Store& store, AuditKeys keys);
    ~AuditLog();
    AuditLog(AuditLog&&) noexcept;
    AuditLog& operator=(AuditLog&&) noexcept;
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    // Appends inside the caller's Store::Transaction, so that the action and its entry commit
    // together (or neither), and re-signs the head. Returns the entry's seq. Throws
    // Error{internal} outside a transaction, Error{invalid_input} for an empty action or
    // details that are not a JSON object, Error{conflict} when the stored head does not verify
    // under the configured key (changed, or the key was replaced).
    std::int64_t append(const AuditEntry& entry);
    // The same for many entries under one head signature (bulk jobs). Returns the last seq.
    std::int64_t append(std::span<const AuditEntry> entries);

    // Art. 17, inside the caller's transaction (the one that deletes the person's data): clears
    // the person's plain id from the person index and appends `entry` as the erase entry,
    // naming the person by pseudonym only.
    AuditErasure record_erasure(std::int64_t person_id, AuditEntry entry);

    // Signs the current head as the next checkpoint, in a transaction of its own (not inside
    // another). An empty log gets a checkpoint of size 0.
    AuditCheckpoint checkpoint(std::string_view now);
    [[nodiscard]] std::optional<AuditCheckpoint> latest_checkpoint() const;

    // Recomputes every leaf and the tree, checks the person index, the head and every
    // checkpoint's signature; stops at the first problem.
    [[nodiscard]] AuditVerification verify() const;

    // Inclusion of `entry` (seq) in the tree of `tree_size` entries; by default the latest
    // checkpoint's. Throws Error{invalid_input} when the entry or size is outside the log.
    [[nodiscard]] InclusionProof inclusion_proof(std::int64_t entry,
                                                 std::optional<std::int64_t> tree_size = {}) const;
    // Consistency of the tree of `first` entries with that of `second`; by default the latest
    // checkpoint's. Needs 0 < first <= second <= entries.
    [[nodiscard]] ConsistencyProof consistency_proof(std::int64_t first,
                                                     std::optional<std::int64_t> second = {}) const;

    // Entries by seq; a page holds at most 1000.
    [[nodiscard]] AuditPage entries(const AuditFilter& filter, const AuditPageRequest& page) const;
    [[nodiscard]] std::optional<StoredAuditEntry> entry(std::int64_t seq) const;

    [[nodiscard]] std::string pseudonym(std::int64_t person_id) const;
    [[nodiscard]] std::string public_key() const;  // raw Ed25519, 32 bytes
    [[nodiscard]] std::string key_id() const;
    [[nodiscard]] std::int64_t size() const;  // entries in the log

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

struct ProofCheck {
    bool ok = false;
    std::string message;  // what was proven, or what does not hold
};

// Checks a proof (JSON of `qreg audit proof` / `consistency`) against a checkpoint kept
// outside the registry (JSON of `qreg audit checkpoint`), with no database: the checkpoint's
// signature, then for inclusion the leaf hash and the path to the checkpoint's root, for
// consistency the path from the kept checkpoint to the signed newer one the proof carries.
// `public_key` (raw), when given, must be the key that signed. Malformed JSON is a failed
// check, not an exception.
[[nodiscard]] ProofCheck check_proof(std::string_view proof_json, std::string_view checkpoint_json,
                                     const std::optional<std::string>& public_key = {});

}  // namespace qreg::registry
