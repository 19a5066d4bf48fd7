#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qreg/model/audit.hpp"
#include "store.hpp"

// The audit log's tables (audit_*), on a Store's connection, so that an action and its audit
// entry commit in one transaction. Stores and reads; hashing, signing and checking are the
// audit service's. One per Store, on the Store's thread.
namespace qreg::registry {

// Entries are summarised in buckets of 4,096 (seq >> 12), table audit_bucket: the span of their
// times and the sets of their actors, agencies and actions. Queries by those fields skip the
// buckets that cannot hold a match instead of keeping an index per field, which cost each
// folded read four B-tree inserts (schema 11). `verify` rebuilds the buckets from the entries.
constexpr int audit_bucket_bits = 12;

struct AuditBucket {
    std::int64_t bucket = 0;  // seq >> audit_bucket_bits
    std::string first_time;   // the least time of its entries
    std::string last_time;    // the greatest
    std::set<std::string> actors;
    std::set<std::string> agencies;
    std::set<std::string> actions;

    // Widens the summary by the entry (of this bucket), or by another summary of it.
    void add(const StoredAuditEntry& entry);
    void merge(AuditBucket other);
    bool operator==(const AuditBucket&) const = default;
};

class AuditStore {
public:
    explicit AuditStore(Store& store);
    ~AuditStore();
    AuditStore(AuditStore&&) noexcept;
    AuditStore& operator=(AuditStore&&) noexcept;
    AuditStore(const AuditStore&) = delete;
    AuditStore& operator=(const AuditStore&) = delete;

    // True inside a Store::Transaction (or any open SQLite transaction).
    [[nodiscard]] bool in_transaction() const;

    // One consistent view for reads that take several statements (verify, proofs) while
    // others append: a deferred read transaction, unless one is open already. In WAL mode it
    // blocks no writer.
    class ReadSnapshot {
    public:
        explicit ReadSnapshot(const AuditStore& store);
        ~ReadSnapshot();
        ReadSnapshot(const ReadSnapshot&) = delete;
        ReadSnapshot& operator=(const ReadSnapshot&) = delete;

    private:
        const AuditStore& store_;
        bool owns_ = false;
    };

    [[nodiscard]] std::optional<AuditHead> head() const;
    void save_head(const AuditHead& head);

    // Inserts the entries (in seq order), their person index rows (`persons`) and what they
    // add to their buckets. Throws Error{conflict} when an entry with its seq exists already.
    void insert(std::span<const StoredAuditEntry> entries);
    void insert(const AuditCheckpoint& checkpoint);

    [[nodiscard]] std::vector<AuditCheckpoint> checkpoints() const;  // by number
    // The numbers of the stored buckets, in order, and one bucket's summary: a log of
    // 10,000,000 entries has 2,442 buckets, whose sets of actors can be large together.
    [[nodiscard]] std::vector<std::int64_t> bucket_numbers() const;
    [[nodiscard]] std::optional<AuditBucket> bucket(std::int64_t number) const;
    [[nodiscard]] std::optional<AuditCheckpoint> latest_checkpoint() const;

    // Every entry in seq order, with its person index rows; stops when `visit` returns false.
    // Returns the lowest seq of person index rows that belong to no entry, among those passed
    // (all of them when `visit` never stopped): one pass over each table, however long the log.
    [[nodiscard]] std::optional<std::int64_t> for_each_entry(
        const std::function<bool(const StoredAuditEntry&)>& visit) const;
    // Stored leaf hashes of entries first_seq .. last_seq in seq order.
    void for_each_leaf_hash(std::int64_t first_seq, std::int64_t last_seq,
                            const std::function<void(std::string_view)>& visit) const;
    [[nodiscard]] std::optional<StoredAuditEntry> entry(std::int64_t seq) const;
    // A page of entries after `page.after_seq`, by seq; `pseudonym`, when given, stands for
    // the filter's person.
    [[nodiscard]] std::vector<StoredAuditEntry> entries(const AuditFilter& filter,
                                                        const std::optional<std::string>& pseudonym,
                                                        const AuditPageRequest& page) const;

    // Pseudonyms listed by erase entries (whose persons column is valid JSON).
    [[nodiscard]] std::vector<std::string> erased_pseudonyms() const;
    // Clears the plain id wherever the index names the person (found by its pseudonym);
    // returns the rows changed.
    [[nodiscard]] std::int64_t forget_person(std::int64_t person_id, std::string_view pseudonym);

    [[nodiscard]] std::int64_t entry_count() const;

    // For bulk loads (the benchmark): the lookup indexes of the audit tables go, and come back
    // built by one sort each, instead of a random insert per row into indexes keyed by hashes.
    void drop_secondary_indexes();
    void create_secondary_indexes();

private:
    // The highest entry number in the person index (0 when empty): the last bucket to probe.
    [[nodiscard]] std::int64_t last_person_seq() const;

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace qreg::registry
