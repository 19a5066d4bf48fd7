#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qreg/connectors/parser.hpp"
#include "qreg/model/record.hpp"
#include "sharing_rows.hpp"

struct sqlite3;
struct sqlite3_stmt;

// All persistence goes through Store: one SQLite file (WAL, foreign keys on), schema versioned
// and migrated when opened. SQL and <sqlite3.h> stay in registry/storage/.
namespace qreg::registry {

struct ImportId {
    std::int64_t value = 0;
};

enum class UpsertOutcome { created, updated, unchanged, stale };

// What an upsert did, and the record (its primary key) it stored or found.
struct Upserted {
    UpsertOutcome outcome;
    std::int64_t record;
};

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

// What matching reads of a current, not retracted record; never its source record id.
struct MatchInput {
    std::int64_t record_pk = 0;
    std::int64_t person_id = 0;
    Record record;  // record_id and stand left empty
};

// The keys incremental matching looks records up by (see dedup::block_keys): (key, finer key)
// pairs, and each record's summary (dedup::encode_summary, opaque to the store), flat (a full
// matching has millions of records): record i's keys are keys[ends[i - 1], ends[i]), from 0
// for the first, and its summary summaries[summary_ends[i - 1], summary_ends[i]).
struct MatchKeys {
    using Key = std::pair<std::uint64_t, std::uint64_t>;
    std::vector<std::int64_t> record_pks;
    std::vector<std::size_t> ends;
    std::vector<Key> keys;
    std::string summaries;
    std::vector<std::size_t> summary_ends;

    void add(std::int64_t record_pk, std::span<const Key> record_keys, std::string_view summary = {}) {
        record_pks.push_back(record_pk);
        keys.insert(keys.end(), record_keys.begin(), record_keys.end());
        ends.push_back(keys.size());
        summaries.append(summary);
        summary_ends.push_back(summaries.size());
    }
    [[nodiscard]] std::size_t size() const { return record_pks.size(); }
    [[nodiscard]] std::span<const Key> keys_of(std::size_t i) const {
        const std::size_t begin = i == 0 ? 0 : ends[i - 1];
        return std::span(keys).subspan(begin, ends[i] - begin);
    }
    [[nodiscard]] std::string_view summary_of(std::size_t i) const {
        const std::size_t begin = i == 0 ? 0 : summary_ends[i - 1];
        return std::string_view(summaries).substr(begin, summary_ends[i] - begin);
    }
};

struct BlockMember {
    std::int64_t record_pk = 0;
    std::uint64_t refine = 0;
};

struct PersonAssignment {
    std::int64_t record_pk = 0;
    std::int64_t person_id = 0;
};

struct ReviewPair {
    std::int64_t record_a = 0;
    std::int64_t record_b = 0;
    double weight = 0.0;
    std::int64_t id = 0;  // set when read back
};

// A bearer token's principal; the token itself is never stored, only its SHA-256.
struct TokenRow {
    std::int64_t id = 0;
    std::string name;
    std::string role;    // caseworker, data-officer, admin, agency
    std::string agency;  // for role agency
    std::string created_at;
    std::string revoked_at;  // empty while valid
};

// An agency the registry knows: one that pushes exports, receives shared data, or both.
struct AgencyRow {
    std::string id;
    std::string name;
    std::string kind;
    std::vector<std::string> formats;  // export formats it may push
};

// A person's decision on a pair of records; kept as a constraint for every later clustering.
struct MatchDecision {
    std::int64_t record_a = 0;
    std::int64_t record_b = 0;
    bool link = false;  // false: keep separate
    std::string actor;
    std::string decided_at;
};

class Store {
public:
    static constexpr int latest_schema_version = 19;

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

    // References (foreign keys) go unchecked while one lives: for a transaction whose writes
    // reference only rows it read itself under its write lock (a full recomputation: 391 k
    // review pairs, two lookups in `record` each, 3.7 s of a 55 s matching of 1,000,000
    // people). Made outside a transaction only: SQLite ignores the switch inside one.
    class UncheckedReferences {
    public:
        explicit UncheckedReferences(Store& store);
        ~UncheckedReferences();
        UncheckedReferences(const UncheckedReferences&) = delete;
        UncheckedReferences& operator=(const UncheckedReferences&) = delete;

    private:
        Store& store_;
    };

    // Import bookkeeping; call inside a Transaction.
    [[nodiscard]] ImportId start_import(std::string_view format, std::string_view actor,
                                        std::string_view started_at);
    void finish_import(ImportId import, std::string_view finished_at, std::string_view summary_json);
    // Stores a parsed record as a new version of (source, record id), unless the same version
    // is already there. A newer stand becomes current; an older one is kept as history.
    [[nodiscard]] Upserted upsert(ImportId import, const connectors::SourceRecord& record,
                                  std::string_view file);
    // The same with the record's canonical JSON (to_json) and its stored form
    // (canonical::pack) already made, e.g. on another thread.
    [[nodiscard]] Upserted upsert(ImportId import, const connectors::SourceRecord& record,
                                  std::string_view file, std::string_view canonical,
                                  std::string_view packed);
    // For a large import inside its transaction: the record table's secondary indexes are
    // dropped and built again at the end (faster than updating them row by row).
    void drop_secondary_indexes();
    void create_secondary_indexes();
    // Keeps a rejected row, raw bytes included, for correction.
    void reject(ImportId import, std::string_view format, const connectors::RowProblem& problem);

    [[nodiscard]] std::optional<StoredRecord> record(std::string_view source,
                                                     std::string_view record_id) const;
    void for_each_link(const std::function<void(const Link&)>& visit) const;
    [[nodiscard]] std::vector<RejectedRow> rejects() const;
    [[nodiscard]] std::int64_t record_count() const;

    // Matching.
    [[nodiscard]] std::vector<MatchInput> match_inputs() const;
    // At most `limit` of them, of records after `after_record_pk`, in record order, into `out`
    // (to read a large registry in batches; the inputs `out` held are overwritten in place, so
    // that their buffers serve again).
    void match_inputs(std::int64_t after_record_pk, std::size_t limit, std::vector<MatchInput>& out) const;
    // Those of the given records (retracted ones left out).
    [[nodiscard]] std::vector<MatchInput> match_inputs_of(std::span<const std::int64_t> record_pks) const;
    // The same into `out`, overwriting the inputs it held in place (see match_inputs above).
    void match_inputs_of(std::span<const std::int64_t> record_pks, std::vector<MatchInput>& out) const;
    // The records of the given persons, retracted ones left out: their keys, by person then key.
    [[nodiscard]] std::vector<std::int64_t> record_pks_of_persons(std::span<const std::int64_t> persons) const;
    [[nodiscard]] std::optional<std::int64_t> record_pk(std::string_view source,
                                                        std::string_view record_id) const;
    // Reserves `count` new person ids (never used before) and returns the first.
    [[nodiscard]] std::int64_t allocate_person_ids(std::int64_t count);
    void assign_persons(std::span<const PersonAssignment> assignments);
    // `records`: how many records the model was trained on.
    void save_model(std::string_view method, std::string_view parameters_json, std::string_view at,
                    std::int64_t records = 0);
    [[nodiscard]] std::optional<std::string> current_model() const;
    [[nodiscard]] std::int64_t current_model_records() const;
    void replace_review_queue(std::span<const ReviewPair> pairs, std::string_view at);
    [[nodiscard]] std::vector<ReviewPair> review_queue() const;
    [[nodiscard]] std::vector<MatchDecision> decisions() const;
    // Replaces the review items that name any of `records` by `pairs`.
    void replace_review_pairs_of(std::span<const std::int64_t> records,
                                 std::span<const ReviewPair> pairs, std::string_view at);

    // Incremental matching's index (defined in store_match.cpp): every matched record's block
    // keys. Valid for the blocking rules `keys_print` stands for (dedup::block_keys_print) once
    // `replace_match_keys` has run with it, until an import that does not match invalidates it.
    [[nodiscard]] bool match_keys_valid(std::int64_t keys_print) const;
    void invalidate_match_keys();
    // All of them at once (a full recomputation), made under the rules of `keys_print`.
    void replace_match_keys(const MatchKeys& records, std::int64_t keys_print);
    // Forgets the keys of `records` (changed, retracted or erased ones), then adds `added`
    // (kept apart as recent entries until there are many: fold_match_keys).
    void update_match_keys(std::span<const std::int64_t> records,
                           const MatchKeys& added);
    // Writes the recent entries into the index's buckets.
    void fold_match_keys();
    // The summaries of `records` (ascending) kept with their keys: fn(i, summary) for each
    // records[i] the index holds.
    void match_summaries(std::span<const std::int64_t> records,
                         const std::function<void(std::size_t, std::string_view)>& fn) const;
    // Up to `limit` records under a block key, by finer key; and those under one finer key.
    [[nodiscard]] std::vector<BlockMember> block_members(std::uint64_t key, std::size_t limit) const;
    [[nodiscard]] std::vector<std::int64_t> block_members(std::uint64_t key, std::uint64_t refine,
                                                          std::size_t limit) const;
    [[nodiscard]] std::int64_t matched_records() const;
    // The name frequencies of the model: how many records carried each name key (by hash) when
    // it was trained, out of `records`. Saved with each trained model and read by every
    // matching until the next training, so that incremental and full matching weigh names alike.
    void save_name_counts(std::span<const std::pair<std::uint64_t, std::int64_t>> counts,
                          std::int64_t records);
    [[nodiscard]] std::vector<std::pair<std::uint64_t, std::int64_t>> name_counts() const;
    [[nodiscard]] std::int64_t name_count_records() const;  // 0: none saved
    [[nodiscard]] std::int64_t name_count(std::uint64_t name_key) const;
    // The sum of all name keys' counts and the sum of their squares (for the typical frequency).
    [[nodiscard]] std::pair<double, double> name_count_moments() const;

    // Service: principals, agencies, persons. Defined in store_service.cpp.
    std::int64_t add_token(std::string_view token_hash, const TokenRow& token);
    [[nodiscard]] std::optional<TokenRow> active_token(std::string_view token_hash) const;
    // Differs from an earlier call's value when the database may have changed since: a commit
    // by another connection or process (PRAGMA data_version), or rows changed by this one. For
    // caches of what a connection read.
    [[nodiscard]] std::pair<std::int64_t, std::int64_t> content_version() const;
    bool revoke_token(std::int64_t id, std::string_view at);  // false when unknown or revoked
    [[nodiscard]] std::vector<TokenRow> tokens() const;
    void put_agency(const AgencyRow& agency);  // insert or replace
    [[nodiscard]] std::vector<AgencyRow> agencies() const;
    [[nodiscard]] std::optional<AgencyRow> agency(std::string_view id) const;
    // Current versions of every record of a person, retracted ones included.
    [[nodiscard]] std::vector<Record> person_records(std::int64_t person_id) const;
    [[nodiscard]] std::vector<std::int64_t> person_record_pks(std::int64_t person_id) const;
    [[nodiscard]] std::optional<std::int64_t> person_of(std::int64_t record_pk) const;
    [[nodiscard]] std::optional<Link> record_key(std::int64_t record_pk) const;
    [[nodiscard]] std::optional<ReviewPair> review_pair(std::int64_t id) const;
    void remove_review_pair(std::int64_t id);
    void add_decision(const MatchDecision& decision);
    // Changes whenever records or persons change (imports, matching, decisions): lets caches
    // of other connections know they are stale.
    [[nodiscard]] std::int64_t generation() const;
    void bump_generation();

    // Art. 17 erasure: deletes the person's records with all their versions and the review
    // items and decisions that name them, overwriting the freed space (secure_delete).
    // Returns the number of records deleted. Call inside a Transaction.
    [[nodiscard]] std::int64_t erase_person(std::int64_t person_id);
    // Moves committed pages out of the WAL and truncates it, so that erased data does not
    // linger there. Outside a transaction.
    void flush_wal();

    // Sharing: consents, subscriptions, the push outbox, disclosures. Defined in
    // store_sharing.cpp.
    std::int64_t add_consent(const ConsentRow& consent);
    [[nodiscard]] std::optional<ConsentRow> consent(std::int64_t id) const;
    [[nodiscard]] std::vector<ConsentRow> consents_of(std::int64_t person_id) const;
    bool revoke_consent(std::int64_t id, std::string_view at, std::string_view by);  // false: was
    // Persons with a record carrying `identifier` (BA customer number, BAMF file number, AZR
    // number), or whose record id in one of `record_id_sources` it is.
    [[nodiscard]] std::vector<std::int64_t> persons_with_identifier(
        std::string_view identifier, std::span<const std::string> record_id_sources) const;
    // Persons with an unrevoked consent and a current record version from `import`.
    [[nodiscard]] std::vector<std::int64_t> consented_persons_of_import(ImportId import) const;
    // Persons with an unrevoked consent.
    [[nodiscard]] std::vector<std::int64_t> consented_persons() const;
    std::int64_t add_subscription(const SubscriptionRow& subscription);
    [[nodiscard]] std::optional<SubscriptionRow> subscription(std::int64_t id) const;
    // Active ones only unless `with_cancelled`; of one agency, or of all when `agency` is empty.
    [[nodiscard]] std::vector<SubscriptionRow> subscriptions(std::string_view agency,
                                                             bool with_cancelled = false) const;
    bool cancel_subscription(std::int64_t id, std::string_view at);  // false: was not active
    // Adds a pending delivery unless one for the same subscription and person waits for its
    // first attempt (it will carry this change too). True when added.
    bool enqueue_delivery(const DeliveryRow& delivery);
    [[nodiscard]] std::optional<DeliveryRow> delivery(std::int64_t id) const;
    // Pending deliveries due at `now`, the longest waiting first.
    [[nodiscard]] std::vector<DeliveryRow> due_deliveries(std::string_view now,
                                                          std::size_t limit) const;
    [[nodiscard]] std::vector<DeliveryRow> pending_deliveries_of(std::int64_t person_id) const;
    [[nodiscard]] std::vector<DeliveryRow> deliveries_of(std::int64_t subscription_id) const;
    void update_delivery(const DeliveryRow& delivery);  // all but the fixed columns, by id
    // The view hash of the latest delivered delivery for a subscription and person.
    [[nodiscard]] std::optional<std::string> delivered_view_hash(std::int64_t subscription_id,
                                                                 std::int64_t person_id) const;
    std::int64_t add_disclosure(const DisclosureRow& disclosure);
    [[nodiscard]] std::vector<DisclosureRow> disclosures_of(std::int64_t person_id) const;

private:
    friend class AuditStore;  // the audit log's tables, on this connection and its transactions
    [[nodiscard]] sqlite3* connection() const;
    [[nodiscard]] sqlite3* handle() const;
    // A prepared statement kept for this connection, reset and unbound; `sql` must be a literal.
    [[nodiscard]] sqlite3_stmt* cached(const char* sql) const;

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace qreg::registry
