#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "audit_service.hpp"

// Group commit for the audit entries of reads (issue 7: auditing must cost reads little).
//
// A read has nothing of its own to commit, so its entry needs a transaction of its own. Taken
// by each request thread, those transactions serialise on SQLite's write lock, and a thread
// that finds the lock taken sleeps in the busy handler. One writer thread instead appends the
// entries of every request waiting at that moment in one transaction under one head signature.
// append() returns only once the entry's transaction has committed, so no read is answered
// whose entry is not in the log; a batch that fails fails every request in it.
namespace qreg::registry {

class AuditWriter {
public:
    // Opens its own connection to `db` on the writer thread. A batch takes what arrives within
    // `window` of its first entry, at most `max_batch` entries, in one transaction.
    AuditWriter(std::filesystem::path db, AuditKeys keys,
                std::chrono::microseconds window = std::chrono::microseconds(0),
                std::size_t max_batch = 512);
    // Writes what is queued, then stops the thread.
    ~AuditWriter();
    AuditWriter(const AuditWriter&) = delete;
    AuditWriter& operator=(const AuditWriter&) = delete;

    // Appends `entry` with the next batch and returns its seq after the batch committed.
    // Throws what the batch's append or commit threw (Error{conflict} for a head that does not
    // verify, Error{storage} for a database error).
    std::int64_t append(AuditEntry entry);

    // Batches committed so far (for tests and the benchmark's report).
    [[nodiscard]] std::int64_t batches() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace qreg::registry
