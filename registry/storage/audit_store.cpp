#include "audit_store.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <utility>

#include "qreg/error.hpp"
#include "sqlite.hpp"

namespace qreg::registry {

namespace {

constexpr std::size_t hash_bytes = AuditHash{}.size();

std::string_view blob_of(const AuditHash& h) {
    return {reinterpret_cast<const char*>(h.data()), h.size()};
}

// A stored hash of the wrong length reads as one that matches nothing: zeros after the bytes
// there are, or all zeros when there are too many, so that no tampering can pass for a hash.
AuditHash hash_of(std::string_view bytes) {
    AuditHash out{};
    if (bytes.size() == hash_bytes) std::copy(bytes.begin(), bytes.end(), out.begin());
    if (bytes.size() < hash_bytes) std::copy(bytes.begin(), bytes.end(), out.begin());
    return out;
}

std::string frontier_blob(const std::vector<AuditHash>& frontier) {
    std::string out;
    for (const auto& h : frontier) out += blob_of(h);
    return out;
}

// A partial last hash is kept (zero-padded), so a blob with extra bytes never reads as the
// frontier it was made from.
std::vector<AuditHash> frontier_of(std::string_view bytes) {
    std::vector<AuditHash> out;
    for (std::size_t at = 0; at < bytes.size(); at += hash_bytes) {
        out.push_back(hash_of(bytes.substr(at, std::min(hash_bytes, bytes.size() - at))));
    }
    return out;
}

constexpr const char* entry_columns =
    "seq, time, actor, role, agency, action, persons, categories, legal_basis, request_id, "
    "outcome, details, leaf_hash";

StoredAuditEntry entry_from(sqlite3_stmt* s) {
    StoredAuditEntry e;
    e.seq = sqlite::integer(s, 0);
    e.time = sqlite::text(s, 1);
    e.actor = sqlite::text(s, 2);
    e.role = sqlite::text(s, 3);
    e.agency = sqlite::text(s, 4);
    e.action = sqlite::text(s, 5);
    e.persons_json = sqlite::text(s, 6);
    e.categories_json = sqlite::text(s, 7);
    e.legal_basis = sqlite::text(s, 8);
    e.request_id = sqlite::text(s, 9);
    e.outcome = sqlite::text(s, 10);
    e.details_json = sqlite::text(s, 11);
    e.leaf_hash = sqlite::text(s, 12);
    return e;
}

AuditPerson person_from(sqlite3_stmt* s, int first_column) {
    AuditPerson p{sqlite::text(s, first_column), std::nullopt};
    if (sqlite3_column_type(s, first_column + 1) != SQLITE_NULL) {
        p.person_id = sqlite::integer(s, first_column + 1);
    }
    return p;
}

AuditCheckpoint checkpoint_from(sqlite3_stmt* s) {
    return {sqlite::integer(s, 0), sqlite::integer(s, 1), hash_of(sqlite::text(s, 2)),
            sqlite::text(s, 3),    sqlite::text(s, 4),    sqlite::text(s, 5), {}};
}

// The lookup indexes of migrations 10 and 12, for bulk loads; keep in step with them.
constexpr std::array<std::pair<const char*, const char*>, 2> secondary_indexes = {{
    {"audit_entry_person_bucket", "audit_entry_person (seq >> 12, pseudonym)"},
    {"audit_entry_erase", "audit_entry (seq) WHERE action = 'erase'"},
}};

// A bucket's set as stored: a JSON array of strings, in order.
std::string set_json(const std::set<std::string>& values) {
    boost::json::array out;
    for (const auto& v : values) out.emplace_back(v);
    return boost::json::serialize(out);
}

// What is not an array of strings reads as an empty set, which `verify` then finds wanting.
std::set<std::string> set_of(std::string_view json) {
    std::set<std::string> out;
    boost::system::error_code ec;
    const auto value = boost::json::parse(json, ec);
    if (ec || !value.is_array()) return out;
    for (const auto& v : value.as_array()) {
        if (v.is_string()) out.emplace(v.as_string());
    }
    return out;
}

constexpr const char* bucket_columns = "bucket, first_time, last_time, actors, agencies, actions";

AuditBucket bucket_from(sqlite3_stmt* s) {
    return {sqlite::integer(s, 0),       sqlite::text(s, 1),        sqlite::text(s, 2),
            set_of(sqlite::text(s, 3)), set_of(sqlite::text(s, 4)), set_of(sqlite::text(s, 5))};
}

// The buckets a query by actor, agency, action or time has to read: `bucket` joined to its
// entries by seq range, in seq order. Parameters ?2 .. ?6 as in AuditStore::entries.
constexpr const char* bucket_entries =
    "FROM audit_bucket b CROSS JOIN audit_entry e "
    "ON e.seq BETWEEN (b.bucket << 12) AND (b.bucket << 12) + 4095 ";
constexpr const char* in_bucket_set = "EXISTS (SELECT 1 FROM json_each(b.{0}) WHERE value = ?{1})";

// The person index (migration 10) is ordered by bucket (seq >> 12), then pseudonym: the rows
// of one pseudonym are found bucket by bucket, from ?first to ?last. `person_seqs` is a
// subquery over the CTE `person_buckets` declares.
constexpr const char* person_buckets =
    "WITH RECURSIVE bucket(b) AS (SELECT ?{0} UNION ALL SELECT b + 1 FROM bucket WHERE b < ?{1}) ";
constexpr const char* person_seqs =
    "SELECT p.seq FROM bucket JOIN audit_entry_person p "
    "ON (p.seq >> 12) = bucket.b AND p.pseudonym = ?{0}";
// The person index and the entry summaries use buckets of one size, written as 12 and 4095
// in the SQL texts above and in migrations 10 and 11.
static_assert(audit_bucket_bits == 12);

constexpr const char* checkpoint_select =
    "SELECT number, tree_size, root_hash, time, key_id, signature FROM audit_checkpoint ";

}  // namespace

struct AuditStore::Impl {
    sqlite3* db;
    sqlite::Stmt insert_entry;
    sqlite::Stmt insert_person;
    sqlite::Stmt select_head;
    sqlite::Stmt upsert_head;
    sqlite::Stmt persons_of;
    sqlite::Stmt select_bucket;
    sqlite::Stmt upsert_bucket;

    void load_persons(StoredAuditEntry& e) const {
        auto* s = persons_of.get();
        sqlite::bind_int(s, 1, e.seq);
        while (sqlite::step(s)) e.persons.push_back(person_from(s, 0));
        sqlite::reset(s);
    }
};

AuditStore::AuditStore(Store& store) : impl_(std::make_unique<Impl>()) {
    auto* db = impl_->db = store.connection();
    impl_->insert_entry = sqlite::prepare(db, fmt::format(R"sql(
        INSERT INTO audit_entry ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
        ON CONFLICT (seq) DO NOTHING)sql", entry_columns));
    impl_->insert_person = sqlite::prepare(
        db, "INSERT INTO audit_entry_person (seq, pseudonym, person_id) VALUES (?1, ?2, ?3)");
    impl_->select_head = sqlite::prepare(db, R"sql(
        SELECT tree_size, root_hash, frontier, checkpoints, time, key_id, signature
        FROM audit_head WHERE id = 1)sql");
    impl_->upsert_head = sqlite::prepare(db, R"sql(
        INSERT INTO audit_head (id, tree_size, root_hash, frontier, checkpoints, time, key_id,
            signature)
        VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
        ON CONFLICT (id) DO UPDATE SET tree_size = ?1, root_hash = ?2, frontier = ?3,
            checkpoints = ?4, time = ?5, key_id = ?6, signature = ?7)sql");
    impl_->persons_of = sqlite::prepare(
        db, "SELECT pseudonym, person_id FROM audit_entry_person WHERE seq = ?1 ORDER BY pseudonym");
    impl_->select_bucket = sqlite::prepare(
        db, fmt::format("SELECT {} FROM audit_bucket WHERE bucket = ?1", bucket_columns));
    impl_->upsert_bucket = sqlite::prepare(db, fmt::format(R"sql(
        INSERT INTO audit_bucket ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        ON CONFLICT (bucket) DO UPDATE SET first_time = ?2, last_time = ?3, actors = ?4,
            agencies = ?5, actions = ?6)sql", bucket_columns));
}

// A bucket without actions has no entries yet: its times are no bound.
void AuditBucket::add(const StoredAuditEntry& e) {
    if (actions.empty() || e.time < first_time) first_time = e.time;
    if (actions.empty() || e.time > last_time) last_time = e.time;
    actors.insert(e.actor);
    agencies.insert(e.agency);
    actions.insert(e.action);
}

void AuditBucket::merge(AuditBucket other) {
    if (other.actions.empty()) return;
    if (actions.empty() || other.first_time < first_time) first_time = std::move(other.first_time);
    if (actions.empty() || other.last_time > last_time) last_time = std::move(other.last_time);
    actors.merge(other.actors);
    agencies.merge(other.agencies);
    actions.merge(other.actions);
}

AuditStore::~AuditStore() = default;
AuditStore::AuditStore(AuditStore&&) noexcept = default;
AuditStore& AuditStore::operator=(AuditStore&&) noexcept = default;

bool AuditStore::in_transaction() const { return sqlite3_get_autocommit(impl_->db) == 0; }

AuditStore::ReadSnapshot::ReadSnapshot(const AuditStore& store) : store_(store) {
    if (store_.in_transaction()) return;
    sqlite::exec(store_.impl_->db, "BEGIN");
    owns_ = true;
    // The snapshot starts with the first read, not with BEGIN.
    const auto first = sqlite::prepare(store_.impl_->db, "SELECT count(*) FROM audit_head");
    (void)sqlite::step(first.get());
}

AuditStore::ReadSnapshot::~ReadSnapshot() {
    // Nothing was written: ending a read transaction cannot lose anything.
    if (owns_) sqlite3_exec(store_.impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::optional<AuditHead> AuditStore::head() const {
    auto* s = impl_->select_head.get();
    if (!sqlite::step(s)) {
        sqlite::reset(s);
        return std::nullopt;
    }
    AuditHead h{sqlite::integer(s, 0), hash_of(sqlite::text(s, 1)), frontier_of(sqlite::text(s, 2)),
                sqlite::integer(s, 3), sqlite::text(s, 4),          sqlite::text(s, 5),
                sqlite::text(s, 6)};
    sqlite::reset(s);
    return h;
}

void AuditStore::save_head(const AuditHead& h) {
    auto* s = impl_->upsert_head.get();
    const auto frontier = frontier_blob(h.frontier);
    sqlite::bind_int(s, 1, h.tree_size);
    sqlite::bind_blob(s, 2, blob_of(h.root_hash));
    sqlite::bind_blob(s, 3, frontier);
    sqlite::bind_int(s, 4, h.checkpoints);
    sqlite::bind_text(s, 5, h.time);
    sqlite::bind_text(s, 6, h.key_id);
    sqlite::bind_blob(s, 7, h.signature);
    sqlite::run(s);
}

void AuditStore::insert(std::span<const StoredAuditEntry> entries) {
    std::map<std::int64_t, AuditBucket> buckets;
    for (const auto& e : entries) {
        auto* s = impl_->insert_entry.get();
        sqlite::bind_int(s, 1, e.seq);
        int column = 2;
        for (const std::string* text : {&e.time, &e.actor, &e.role, &e.agency, &e.action, &e.persons_json,
                                        &e.categories_json, &e.legal_basis, &e.request_id, &e.outcome,
                                        &e.details_json}) {
            sqlite::bind_text(s, column++, *text);
        }
        sqlite::bind_blob(s, 13, e.leaf_hash);
        sqlite::run(s);
        if (sqlite3_changes(impl_->db) != 1) {
            throw Error(ErrorCode::conflict,
                        fmt::format("audit entry {} exists already, beyond the signed head; run "
                                    "`qreg audit verify`",
                                    e.seq));
        }
        auto* p = impl_->insert_person.get();
        for (const auto& person : e.persons) {
            sqlite::bind_int(p, 1, e.seq);
            sqlite::bind_text(p, 2, person.pseudonym);
            if (person.person_id) {
                sqlite::bind_int(p, 3, *person.person_id);
            } else {
                sqlite::bind_null(p, 3);
            }
            sqlite::run(p);
        }
        const auto number = e.seq >> audit_bucket_bits;
        auto& bucket = buckets[number];
        bucket.bucket = number;
        bucket.add(e);
    }
    // Each bucket the entries reach, widened by them (the newest one or two, as a rule).
    for (auto& [number, added] : buckets) {
        auto merged = bucket(number).value_or(AuditBucket{number, {}, {}, {}, {}, {}});
        merged.merge(std::move(added));
        auto* write = impl_->upsert_bucket.get();
        sqlite::bind_int(write, 1, number);
        sqlite::bind_text(write, 2, merged.first_time);
        sqlite::bind_text(write, 3, merged.last_time);
        sqlite::bind_text_copy(write, 4, set_json(merged.actors));
        sqlite::bind_text_copy(write, 5, set_json(merged.agencies));
        sqlite::bind_text_copy(write, 6, set_json(merged.actions));
        sqlite::run(write);
    }
}

void AuditStore::insert(const AuditCheckpoint& c) {
    const auto s = sqlite::prepare(impl_->db, R"sql(
        INSERT INTO audit_checkpoint (number, tree_size, root_hash, time, key_id, signature)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6))sql");
    sqlite::bind_int(s.get(), 1, c.number);
    sqlite::bind_int(s.get(), 2, c.tree_size);
    sqlite::bind_blob(s.get(), 3, blob_of(c.root_hash));
    sqlite::bind_text(s.get(), 4, c.time);
    sqlite::bind_text(s.get(), 5, c.key_id);
    sqlite::bind_blob(s.get(), 6, c.signature);
    sqlite::run(s.get());
}

std::vector<AuditCheckpoint> AuditStore::checkpoints() const {
    const auto s = sqlite::prepare(impl_->db, fmt::format("{} ORDER BY number", checkpoint_select));
    std::vector<AuditCheckpoint> out;
    while (sqlite::step(s.get())) out.push_back(checkpoint_from(s.get()));
    return out;
}

std::optional<AuditCheckpoint> AuditStore::latest_checkpoint() const {
    const auto s =
        sqlite::prepare(impl_->db, fmt::format("{} ORDER BY number DESC LIMIT 1", checkpoint_select));
    if (!sqlite::step(s.get())) return std::nullopt;
    return checkpoint_from(s.get());
}

std::optional<std::int64_t> AuditStore::for_each_entry(
    const std::function<bool(const StoredAuditEntry&)>& visit) const {
    // Two cursors in seq order, merged.
    const auto entries =
        sqlite::prepare(impl_->db, fmt::format("SELECT {} FROM audit_entry ORDER BY seq", entry_columns));
    const auto persons = sqlite::prepare(
        impl_->db, "SELECT seq, pseudonym, person_id FROM audit_entry_person ORDER BY seq, pseudonym");
    std::optional<std::int64_t> orphan;
    bool has_person = sqlite::step(persons.get());
    const auto skip_orphans_before = [&](std::int64_t seq) {
        while (has_person && sqlite::integer(persons.get(), 0) < seq) {
            if (!orphan) orphan = sqlite::integer(persons.get(), 0);
            has_person = sqlite::step(persons.get());
        }
    };
    while (sqlite::step(entries.get())) {
        auto e = entry_from(entries.get());
        skip_orphans_before(e.seq);
        while (has_person && sqlite::integer(persons.get(), 0) == e.seq) {
            e.persons.push_back(person_from(persons.get(), 1));
            has_person = sqlite::step(persons.get());
        }
        if (!visit(e)) return orphan;
    }
    skip_orphans_before(std::numeric_limits<std::int64_t>::max());
    return orphan;
}

void AuditStore::for_each_leaf_hash(std::int64_t first_seq, std::int64_t last_seq,
                                    const std::function<void(std::string_view)>& visit) const {
    const auto s = sqlite::prepare(
        impl_->db, "SELECT leaf_hash FROM audit_entry WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq");
    sqlite::bind_int(s.get(), 1, first_seq);
    sqlite::bind_int(s.get(), 2, last_seq);
    while (sqlite::step(s.get())) {
        const auto* data = static_cast<const char*>(sqlite3_column_blob(s.get(), 0));
        visit(std::string_view(data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 0))));
    }
}

std::optional<StoredAuditEntry> AuditStore::entry(std::int64_t seq) const {
    const auto s = sqlite::prepare(
        impl_->db, fmt::format("SELECT {} FROM audit_entry WHERE seq = ?1", entry_columns));
    sqlite::bind_int(s.get(), 1, seq);
    if (!sqlite::step(s.get())) return std::nullopt;
    auto e = entry_from(s.get());
    impl_->load_persons(e);
    return e;
}

std::vector<StoredAuditEntry> AuditStore::entries(const AuditFilter& filter,
                                                  const std::optional<std::string>& pseudonym,
                                                  const AuditPageRequest& page) const {
    // Only fixed conditions are added to the text; every value is bound. By person: the
    // person index's buckets give the entries. Otherwise the entry buckets whose summary
    // admits the filter are read, in seq order. The unary + keeps SQLite from building a
    // temporary index on an entry column instead of reading each bucket's seq range.
    std::string sql;
    if (pseudonym) {
        sql = fmt::format(person_buckets, 9, 10);
        sql += fmt::format("SELECT {} FROM audit_entry e WHERE e.seq > ?1", entry_columns);
        sql += fmt::format(" AND e.seq IN ({})", fmt::format(person_seqs, 7));
    } else {
        sql = fmt::format("SELECT {} {} WHERE b.bucket >= (?1 >> 12) AND e.seq > ?1", entry_columns,
                          bucket_entries);
        if (!filter.actor.empty()) sql += " AND " + fmt::format(in_bucket_set, "actors", 2);
        if (!filter.agency.empty()) sql += " AND " + fmt::format(in_bucket_set, "agencies", 3);
        if (!filter.action.empty()) sql += " AND " + fmt::format(in_bucket_set, "actions", 4);
        if (!filter.from.empty()) sql += " AND b.last_time >= ?5";
        if (!filter.to.empty()) sql += " AND b.first_time < ?6";
    }
    if (!filter.actor.empty()) sql += " AND +e.actor = ?2";
    if (!filter.agency.empty()) sql += " AND +e.agency = ?3";
    if (!filter.action.empty()) sql += " AND +e.action = ?4";
    if (!filter.from.empty()) sql += " AND +e.time >= ?5";
    if (!filter.to.empty()) sql += " AND +e.time < ?6";
    sql += pseudonym ? " ORDER BY e.seq LIMIT ?8" : " ORDER BY b.bucket, e.seq LIMIT ?8";
    const auto s = sqlite::prepare(impl_->db, sql);
    if (pseudonym) {
        sqlite::bind_int(s.get(), 9, (page.after_seq + 1) >> audit_bucket_bits);
        sqlite::bind_int(s.get(), 10, last_person_seq() >> audit_bucket_bits);
    }
    sqlite::bind_int(s.get(), 1, page.after_seq);
    if (!filter.actor.empty()) sqlite::bind_text(s.get(), 2, filter.actor);
    if (!filter.agency.empty()) sqlite::bind_text(s.get(), 3, filter.agency);
    if (!filter.action.empty()) sqlite::bind_text(s.get(), 4, filter.action);
    if (!filter.from.empty()) sqlite::bind_text(s.get(), 5, filter.from);
    if (!filter.to.empty()) sqlite::bind_text(s.get(), 6, filter.to);
    if (pseudonym) sqlite::bind_text(s.get(), 7, *pseudonym);
    sqlite::bind_int(s.get(), 8, page.limit);
    std::vector<StoredAuditEntry> out;
    while (sqlite::step(s.get())) {
        out.push_back(entry_from(s.get()));
        impl_->load_persons(out.back());
    }
    return out;
}

std::vector<std::string> AuditStore::erased_pseudonyms() const {
    // Through the partial index of erase entries (migration 12): its condition must be the
    // query's, word for word, so the action is in the text. Materialised: json_each must not see
    // the persons of other entries, which need not be valid JSON after tampering.
    static_assert(audit_action::erase == std::string_view("erase"));
    const auto s = sqlite::prepare(impl_->db, R"sql(
        WITH erasure(persons) AS MATERIALIZED (
            SELECT persons FROM audit_entry WHERE action = 'erase' AND json_valid(persons))
        SELECT DISTINCT j.value FROM erasure, json_each(erasure.persons) j
        WHERE j.type = 'text')sql");
    std::vector<std::string> out;
    while (sqlite::step(s.get())) out.push_back(sqlite::text(s.get(), 0));
    return out;
}

std::vector<std::int64_t> AuditStore::bucket_numbers() const {
    const auto s = sqlite::prepare(impl_->db, "SELECT bucket FROM audit_bucket ORDER BY bucket");
    std::vector<std::int64_t> out;
    while (sqlite::step(s.get())) out.push_back(sqlite::integer(s.get(), 0));
    return out;
}

std::optional<AuditBucket> AuditStore::bucket(std::int64_t number) const {
    auto* s = impl_->select_bucket.get();
    sqlite::bind_int(s, 1, number);
    std::optional<AuditBucket> out;
    if (sqlite::step(s)) out = bucket_from(s);
    sqlite::reset(s);
    return out;
}

std::int64_t AuditStore::forget_person(std::int64_t person_id, std::string_view pseudonym) {
    const auto s = sqlite::prepare(
        impl_->db, fmt::format("{}UPDATE audit_entry_person SET person_id = NULL "
                               "WHERE pseudonym = ?1 AND person_id = ?2 AND seq IN ({})",
                               fmt::format(person_buckets, 3, 4), fmt::format(person_seqs, 1)));
    sqlite::bind_text(s.get(), 1, pseudonym);
    sqlite::bind_int(s.get(), 2, person_id);
    sqlite::bind_int(s.get(), 3, 0);
    sqlite::bind_int(s.get(), 4, last_person_seq() >> audit_bucket_bits);
    sqlite::run(s.get());
    return sqlite3_changes(impl_->db);
}

std::int64_t AuditStore::last_person_seq() const {
    const auto s = sqlite::prepare(impl_->db, "SELECT max(seq) FROM audit_entry_person");
    return sqlite::step(s.get()) ? sqlite::integer(s.get(), 0) : 0;
}

std::int64_t AuditStore::entry_count() const {
    const auto s = sqlite::prepare(impl_->db, "SELECT count(*) FROM audit_entry");
    return sqlite::step(s.get()) ? sqlite::integer(s.get(), 0) : 0;
}

void AuditStore::drop_secondary_indexes() {
    for (const auto& [name, on] : secondary_indexes) {
        sqlite::exec(impl_->db, fmt::format("DROP INDEX IF EXISTS {}", name).c_str());
    }
}

void AuditStore::create_secondary_indexes() {
    for (const auto& [name, on] : secondary_indexes) {
        sqlite::exec(impl_->db, fmt::format("CREATE INDEX IF NOT EXISTS {} ON {}", name, on).c_str());
    }
}

}  // namespace qreg::registry
