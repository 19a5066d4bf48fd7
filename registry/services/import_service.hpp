#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../storage/store.hpp"
#include "audit_service.hpp"
#include "match_service.hpp"
#include "qreg/connectors/formats.hpp"

// Import of agency exports: one import is one transaction over any number of files, each
// streamed through its format's parser in bounded memory.
namespace qreg::registry {

struct ImportWarning {
    std::string file;
    std::size_t line = 0;
    std::string message;
};

struct ImportSummary {
    std::int64_t import_id = 0;
    std::string format;
    std::vector<std::string> files;
    std::uint64_t received = 0;  // records read, rejected ones included
    std::uint64_t created = 0;   // "new" in the JSON
    std::uint64_t updated = 0;
    std::uint64_t unchanged = 0;
    std::uint64_t stale = 0;
    std::uint64_t retracted = 0;  // received records that are retracted
    std::uint64_t rejected = 0;
    std::vector<connectors::RowProblem> rejects;  // the first max_listed
    std::uint64_t warning_count = 0;
    std::vector<ImportWarning> warnings;  // the first max_listed
    // How the import's records were matched against the registry; empty when matching was
    // left for a later `qreg dedup` (import without matching settings).
    std::optional<MatchReport> matching;

    static constexpr std::size_t max_listed = 100000;
};

// The summary as the JSON object of `qreg import --json` and POST /v1/imports.
[[nodiscard]] std::string to_json(const ImportSummary& summary);

struct ImportProgress {
    std::string_view file;
    std::uint64_t bytes_read = 0;
    std::uint64_t records = 0;
    bool matching = false;  // every file is stored; the records are being matched now
};

// Reads up to `buffer.size()` bytes into `buffer`; returns 0 at the end. Throws on failure.
using ByteReader = std::function<std::size_t(std::span<char> buffer)>;
using ProgressFn = std::function<void(const ImportProgress&)>;

class ImportSession {
public:
    // Begins the import's transaction. Throws Error{invalid_input} for an unknown format.
    // `expected_bytes`, when known, lets a large import build the indexes once at its end.
    // With `audit`, each file gets an audit entry (who, file, counts) in the same transaction.
    // With `match`, commit matches the records the import created, updated or retracted
    // (match_changes) in the same transaction; without, the registry's match index is marked
    // stale, so that the next matching import or `qreg dedup` recomputes all persons.
    ImportSession(Store& store, const connectors::FormatCatalog& catalog, std::string format,
                  std::string actor, std::string now, std::uint64_t expected_bytes = 0,
                  AuditLog* audit = nullptr, AuditContext context = {},
                  const dedup::MatchSettings* match = nullptr);
    // Streams one file through the parser into the store.
    void add_file(std::string_view file_name, const ByteReader& read, const ProgressFn& progress = {});
    // Commits everything; without commit nothing of the import is kept.
    [[nodiscard]] ImportSummary commit(std::string_view now);

private:
    void store_batch(const std::string& name, connectors::ParseBatch& batch,
                     const std::vector<std::string>& canonical,
                     const std::vector<std::string>& packed,
                     const std::vector<std::uint32_t>& order, ImportProgress& state);
    [[nodiscard]] AuditEntry file_entry(const std::string& name, const ImportSummary& before) const;

    Store& store_;
    const connectors::FormatCatalog& catalog_;
    Store::Transaction transaction_;
    ImportId import_;
    ImportSummary summary_;
    bool bulk_ = false;
    AuditLog* audit_;
    AuditContext context_;
    const dedup::MatchSettings* match_;
    std::vector<std::int64_t> changed_;  // records created or updated (retractions included)
};

struct ImportFile {
    std::string name;              // as reported in rejects and warnings
    std::filesystem::path path;    // where the bytes are
};

// One import of `files` (one transaction), read in bounded memory. Used by the CLI and by
// POST /v1/imports, so that both store (and match) records the same way.
[[nodiscard]] ImportSummary import_files(Store& store, const connectors::FormatCatalog& catalog,
                                         const std::string& format, const std::string& actor,
                                         const std::vector<ImportFile>& files,
                                         const ProgressFn& progress = {}, AuditLog* audit = nullptr,
                                         const AuditContext& context = {},
                                         const dedup::MatchSettings* match = nullptr);

// UTC now as `YYYY-MM-DDTHH:MM:SSZ`.
[[nodiscard]] std::string utc_now();

}  // namespace qreg::registry
