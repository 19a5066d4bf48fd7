#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "audit_service.hpp"

// The audit entries of reads, spooled and folded into the log in batches (issue 7: auditing
// must cost reads little).
//
// A read has nothing of its own to commit, so its entry would need a transaction of its own,
// and in WAL mode every commit costs every other connection its page cache. So a read's entry
// is first written to the spool, an append-only file beside the database
// (`<db>-audit-spool`, JSON lines, mode 0600): append() returns once the line is written, so
// no read is answered whose entry could be lost with the process (the same durability as the
// database's own commits with synchronous=NORMAL). A folding thread takes the spool (renamed
// to `<db>-audit-spool.folding`; a new spool, created as `<db>-audit-spool.next`, continues)
// every `fold_interval`, at
// `fold_entries` entries, on flush() and when the writer stops, appends its entries to the log
// in one transaction under one head signature, and removes the file. On start it folds what a
// stopped or crashed server left: the folding file unless its batch is the log's tail already
// (folded before the crash, not yet removed), then the spool and a next spool left by a
// rotation it stopped in, each without a torn last line (its
// write never returned, so its request was never answered). `<db>-audit-spool.lock` keeps a
// second server off the same spool.
//
// Entries spooled and not yet folded are outside the tree for at most `fold_interval`: callers
// that show or prove the log flush() first.
namespace qreg::registry {

struct AuditSpoolSettings {
    std::chrono::milliseconds fold_interval{1000};
    std::size_t fold_entries = 20000;
};

class AuditWriter {
public:
    // Opens its own connection to `db` on the writer thread, locks the spool (one server per
    // database) and folds what it holds. Throws what that throws (Error{conflict} when another
    // process holds the spool).
    AuditWriter(std::filesystem::path db, AuditKeys keys, AuditSpoolSettings settings = {});
    // Folds what is spooled, then stops the thread.
    ~AuditWriter();
    AuditWriter(const AuditWriter&) = delete;
    AuditWriter& operator=(const AuditWriter&) = delete;

    // Spools `entry` (its time set now when empty) and returns once its line is written.
    // Throws Error{storage} when the spool cannot be written.
    void append(AuditEntry entry);
    // Returns once every entry appended before is in the log; throws what the fold threw.
    void flush();

    // Folds (transactions) so far, for tests and the benchmark's report.
    [[nodiscard]] std::int64_t folds() const;

    [[nodiscard]] static std::filesystem::path spool_path(const std::filesystem::path& db);

    // What waits beside `db` to enter the log (for `qreg audit verify`): complete lines in the
    // spool and the folding file, and whether a server holds them (it folds them within a
    // second) or none does (the next `qreg serve` folds them when it starts).
    struct Spooled {
        std::int64_t entries = 0;
        bool held_by_server = false;
    };
    [[nodiscard]] static Spooled spooled(const std::filesystem::path& db);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The spool's line for an entry, and back (for the writer and its tests). from_spool_line
// throws Error{invalid_input} for a line that is not one.
[[nodiscard]] std::string to_spool_line(const AuditEntry& entry);
[[nodiscard]] AuditEntry from_spool_line(std::string_view line);

}  // namespace qreg::registry
