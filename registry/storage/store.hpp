#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qreg/connectors/parser.hpp"
#include "qreg/model/record.hpp"

// All persistence goes through Store: one SQLite file (WAL, foreign keys on), schema versioned
// and migrated when opened. SQL and <sqlite3.h> stay in registry/storage/.
namespace qreg::registry {

struct ImportId {
    std::int64_t value = 0;
};

enum class UpsertOutcome { created, updated, unchanged, stale };

struct StoredVersion {
    std::int64_t id = 0;
    std::string stand;
    bool is_retracted = false;
    bool is_current = false;
    std::string canonical_json;  // the canonical record of this version
    std::string raw;             // exact bytes as received
    std::string file;
    std::int64_t line = 0;
    std::int64_t import_id = 0;
    std::string warnings_json;  // JSON array of strings
};

struct StoredRecord {
    std::int64_t id = 0;
    std::int64_t person_id = 0;
    Record current;
    std::vector<StoredVersion> versions;  // oldest stand first
};

struct Link {
    std::string source;
    std::string record_id;
    std::int64_t person_id = 0;
};

struct RejectedRow {
    std::int64_t id = 0;
    std::int64_t import_id = 0;
    std::string format;
    std::string file;
    std::int64_t line = 0;
    std::string reason;
    std::string record_id;
    std::string raw;
};

class Store {
public:
    static constexpr int latest_schema_version = 2;

    // Opens (creating if absent) and migrates up to `schema_version`; throws Error{storage}
    // when the file is not a qreg database or comes from a newer qreg.
    explicit Store(const std::filesystem::path& file, int schema_version = latest_schema_version);
    ~Store();
    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    [[nodiscard]] int schema_version() const;

    // BEGIN IMMEDIATE now; ROLLBACK on scope exit unless commit() ran.
    class Transaction {
    public:
        explicit Transaction(Store& store);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit();

    private:
        Store& store_;
        bool committed_ = false;
    };

    // Import bookkeeping; call inside a Transaction.
    [[nodiscard]] ImportId start_import(std::string_view format, std::string_view actor,
                                        std::string_view started_at);
    void finish_import(ImportId import, std::string_view finished_at, std::string_view summary_json);
    // Stores a parsed record as a new version of (source, record id), unless the same version
    // is already there. A newer stand becomes current; an older one is kept as history.
    [[nodiscard]] UpsertOutcome upsert(ImportId import, const connectors::SourceRecord& record,
                                       std::string_view file);
    // Keeps a rejected row, raw bytes included, for correction.
    void reject(ImportId import, std::string_view format, const connectors::RowProblem& problem);

    [[nodiscard]] std::optional<StoredRecord> record(std::string_view source,
                                                     std::string_view record_id) const;
    void for_each_link(const std::function<void(const Link&)>& visit) const;
    [[nodiscard]] std::vector<RejectedRow> rejects() const;
    [[nodiscard]] std::int64_t record_count() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace qreg::registry
