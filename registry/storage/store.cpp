#include "store.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <unordered_map>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "../record_json.hpp"
#include "qreg/error.hpp"
#include "canonical_codec.hpp"
#include "sqlite.hpp"

namespace qreg::registry {

namespace json = boost::json;

namespace {

// "qreg" in ASCII: marks the file as ours, so a foreign SQLite file is refused.
constexpr int application_id = 0x71726567;

// Migration N brings the schema from version N to N + 1. Never edit a released one:
// add a new one.
constexpr std::array<const char*, Store::latest_schema_version> migrations = {
    // 1: source records with every version and its raw text
    R"sql(
    CREATE TABLE import_run (
        id INTEGER PRIMARY KEY,
        format TEXT NOT NULL,
        actor TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        summary TEXT
    );
    CREATE TABLE record (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        record_id TEXT NOT NULL,
        person_id INTEGER NOT NULL,
        stand TEXT NOT NULL,
        is_retracted INTEGER NOT NULL,
        family_name TEXT NOT NULL,
        given_names TEXT NOT NULL,
        birth_name TEXT NOT NULL,
        birth_year INTEGER NOT NULL,
        birth_month INTEGER NOT NULL,
        birth_day INTEGER NOT NULL,
        birth_precision TEXT NOT NULL,
        birth_placeholder INTEGER NOT NULL,
        birthplace TEXT NOT NULL,
        birth_country TEXT NOT NULL,
        sex TEXT NOT NULL,
        nationalities TEXT NOT NULL,
        ba_customer_number TEXT NOT NULL,
        bg_number TEXT NOT NULL,
        bamf_file_number TEXT NOT NULL,
        azr_number TEXT NOT NULL,
        other_id TEXT NOT NULL,
        postcode TEXT NOT NULL,
        town TEXT NOT NULL,
        UNIQUE (source, record_id)
    );
    CREATE INDEX record_person ON record (person_id);
    CREATE TABLE record_version (
        id INTEGER PRIMARY KEY,
        record_pk INTEGER NOT NULL REFERENCES record (id),
        stand TEXT NOT NULL,
        is_retracted INTEGER NOT NULL,
        is_current INTEGER NOT NULL,
        canonical TEXT NOT NULL,
        raw BLOB NOT NULL,
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        import_id INTEGER NOT NULL REFERENCES import_run (id),
        warnings TEXT NOT NULL
    );
    CREATE INDEX record_version_record ON record_version (record_pk, stand);
    )sql",
    // 2: rejected rows kept for correction; identifier indexes for matching and search
    R"sql(
    CREATE TABLE rejected_row (
        id INTEGER PRIMARY KEY,
        import_id INTEGER NOT NULL REFERENCES import_run (id),
        format TEXT NOT NULL,
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        reason TEXT NOT NULL,
        record_id TEXT NOT NULL,
        raw BLOB NOT NULL
    );
    CREATE INDEX record_azr ON record (azr_number) WHERE azr_number <> '';
    CREATE INDEX record_ba ON record (ba_customer_number) WHERE ba_customer_number <> '';
    CREATE INDEX record_bamf ON record (bamf_file_number) WHERE bamf_file_number <> '';
    CREATE INDEX record_bg ON record (bg_number) WHERE bg_number <> '';
    )sql",
    // 3: matching: the remaining fields matching reads, the trained model, the review queue of
    // possible matches and people's decisions
    R"sql(
    ALTER TABLE record ADD COLUMN aliases TEXT NOT NULL DEFAULT '';
    ALTER TABLE record ADD COLUMN street TEXT NOT NULL DEFAULT '';
    ALTER TABLE record ADD COLUMN house_number TEXT NOT NULL DEFAULT '';
    ALTER TABLE record ADD COLUMN address_extra TEXT NOT NULL DEFAULT '';
    ALTER TABLE record ADD COLUMN region TEXT NOT NULL DEFAULT '';
    UPDATE record SET
        street = coalesce((SELECT json_extract(v.canonical, '$.address.street') FROM record_version v
                           WHERE v.record_pk = record.id AND v.is_current = 1), ''),
        house_number = coalesce((SELECT json_extract(v.canonical, '$.address.house_number')
                                 FROM record_version v
                                 WHERE v.record_pk = record.id AND v.is_current = 1), ''),
        address_extra = coalesce((SELECT json_extract(v.canonical, '$.address.address_extra')
                                  FROM record_version v
                                  WHERE v.record_pk = record.id AND v.is_current = 1), ''),
        region = coalesce((SELECT json_extract(v.canonical, '$.address.region') FROM record_version v
                           WHERE v.record_pk = record.id AND v.is_current = 1), ''),
        aliases = coalesce((SELECT group_concat(json_extract(a.value, '$.family_name') || char(31) ||
                                                json_extract(a.value, '$.given_names'), char(30))
                            FROM record_version v, json_each(v.canonical, '$.identity.aliases') a
                            WHERE v.record_pk = record.id AND v.is_current = 1), '');
    -- Person ids are never reused, even after the person they named merged into another.
    CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO counter (name, value) SELECT 'last_person_id', coalesce(max(person_id), 0) FROM record;
    CREATE TABLE match_model (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        method TEXT NOT NULL,
        parameters TEXT NOT NULL
    );
    CREATE TABLE match_review (
        id INTEGER PRIMARY KEY,
        record_a INTEGER NOT NULL REFERENCES record (id),
        record_b INTEGER NOT NULL REFERENCES record (id),
        weight REAL NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (record_a, record_b)
    );
    CREATE TABLE match_decision (
        id INTEGER PRIMARY KEY,
        record_a INTEGER NOT NULL REFERENCES record (id),
        record_b INTEGER NOT NULL REFERENCES record (id),
        decision TEXT NOT NULL CHECK (decision IN ('link', 'separate')),
        actor TEXT NOT NULL,
        decided_at TEXT NOT NULL
    );
    )sql",
    // 4: the service: bearer tokens (hashes only), the agencies, a change counter for caches
    R"sql(
    CREATE TABLE access_token (
        id INTEGER PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('caseworker', 'data-officer', 'admin', 'agency')),
        agency TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE agency (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        formats TEXT NOT NULL
    );
    INSERT INTO counter (name, value) VALUES ('generation', 0);
    CREATE INDEX match_decision_pair ON match_decision (record_a, record_b);
    )sql",
    // 5: the audit log (issue 7). Entries are leaves of an RFC 6962 Merkle tree whose leaf data
    // covers every column but leaf_hash; the head (one row, replaced by every append) and the
    // checkpoints are signed. audit_entry_person maps entries to plain person ids; it is not
    // hashed (the entry holds the pseudonyms) and its ids are cleared on erasure. STRICT, so a
    // value cannot change type and keep its text. The triggers keep honest code append-only;
    // verification catches the rest.
    R"sql(
    CREATE TABLE audit_entry (
        seq INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL,
        agency TEXT NOT NULL,
        action TEXT NOT NULL,
        persons TEXT NOT NULL,
        categories TEXT NOT NULL,
        legal_basis TEXT NOT NULL,
        request_id TEXT NOT NULL,
        outcome TEXT NOT NULL,
        details TEXT NOT NULL,
        leaf_hash BLOB NOT NULL
    ) STRICT;
    CREATE INDEX audit_entry_time ON audit_entry (time);
    CREATE INDEX audit_entry_actor ON audit_entry (actor);
    CREATE INDEX audit_entry_agency ON audit_entry (agency);
    CREATE INDEX audit_entry_action ON audit_entry (action);
    CREATE TABLE audit_entry_person (
        seq INTEGER NOT NULL,
        pseudonym TEXT NOT NULL,
        person_id INTEGER,
        PRIMARY KEY (seq, pseudonym)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX audit_entry_person_pseudonym ON audit_entry_person (pseudonym);
    CREATE INDEX audit_entry_person_id ON audit_entry_person (person_id)
        WHERE person_id IS NOT NULL;
    CREATE TABLE audit_checkpoint (
        number INTEGER PRIMARY KEY,
        tree_size INTEGER NOT NULL,
        root_hash BLOB NOT NULL,
        time TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature BLOB NOT NULL
    ) STRICT;
    CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        tree_size INTEGER NOT NULL,
        root_hash BLOB NOT NULL,
        frontier BLOB NOT NULL,
        checkpoints INTEGER NOT NULL,
        time TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature BLOB NOT NULL
    ) STRICT;
    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
    CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
    CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
    BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
    CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
    BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
    CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
    BEGIN SELECT RAISE(ABORT, 'the audit head is replaced, never deleted'); END;
    CREATE TRIGGER audit_entry_person_no_delete BEFORE DELETE ON audit_entry_person
    BEGIN SELECT RAISE(ABORT, 'the audit person index only forgets plain person ids'); END;
    CREATE TRIGGER audit_entry_person_only_forget BEFORE UPDATE ON audit_entry_person
    WHEN NEW.person_id IS NOT NULL OR NEW.seq IS NOT OLD.seq OR NEW.pseudonym IS NOT OLD.pseudonym
    BEGIN SELECT RAISE(ABORT, 'the audit person index only forgets plain person ids'); END;
    )sql",
    // 6: the current version of a record (canonical JSON, raw bytes, file, line, import,
    // warnings) in a table of its own keyed by the record's id; record_version keeps only the
    // versions that are not current. A new record is an append to `record` and to
    // `record_current`, without the (record_pk, stand) index entry and the is_current flag.
    // Kept apart from `record` so that `record` stays narrow: building its indexes and matching's
    // full scans read ~130 bytes a record instead of ~1 KB. A version keeps its id when it moves
    // from current to history.
    R"sql(
    CREATE TABLE record_current (
        record_pk INTEGER PRIMARY KEY REFERENCES record (id),
        version_id INTEGER NOT NULL,
        canonical TEXT NOT NULL,
        raw BLOB NOT NULL,
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        import_id INTEGER NOT NULL REFERENCES import_run (id),
        warnings TEXT NOT NULL
    );
    INSERT INTO record_current (record_pk, version_id, canonical, raw, file, line, import_id,
                                warnings)
        SELECT record_pk, id, canonical, raw, file, line, import_id, warnings
        FROM record_version WHERE is_current = 1 ORDER BY record_pk;
    INSERT INTO counter (name, value)
        SELECT 'last_version_id', coalesce(max(id), 0) FROM record_version;
    DELETE FROM record_version WHERE is_current = 1;
    )sql",
    // 7: sharing with agencies: consents (never deleted), subscriptions, the push outbox and
    // the append-only record of disclosures
    R"sql(
    CREATE TABLE consent (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL,
        recipient TEXT NOT NULL REFERENCES agency (id),
        categories TEXT NOT NULL,
        purpose TEXT NOT NULL,
        legal_basis TEXT NOT NULL CHECK (legal_basis IN ('consent', 'statute')),
        statute TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        evidence TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT NOT NULL DEFAULT '',
        revoked_by TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX consent_person ON consent (person_id);
    CREATE TRIGGER consent_kept BEFORE DELETE ON consent
    BEGIN SELECT RAISE(ABORT, 'consents are kept as history and never deleted'); END;
    CREATE TRIGGER consent_fixed BEFORE UPDATE OF id, person_id, recipient, categories, purpose,
        legal_basis, statute, valid_from, valid_until, evidence, created_by, created_at ON consent
    BEGIN SELECT RAISE(ABORT, 'a consent is not changed: revoke it and record a new one'); END;
    CREATE TRIGGER consent_revoked_once BEFORE UPDATE OF revoked_at, revoked_by ON consent
    WHEN OLD.revoked_at <> ''
    BEGIN SELECT RAISE(ABORT, 'a revoked consent stays revoked'); END;
    CREATE TABLE subscription (
        id INTEGER PRIMARY KEY,
        agency TEXT NOT NULL REFERENCES agency (id),
        callback_url TEXT NOT NULL,
        categories TEXT NOT NULL,
        format TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        cancelled_at TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        delivery_id TEXT NOT NULL UNIQUE,
        subscription_id INTEGER NOT NULL REFERENCES subscription (id),
        person_id INTEGER NOT NULL,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL
            CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled', 'unchanged')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL DEFAULT '',
        last_attempt_at TEXT NOT NULL DEFAULT '',
        last_error TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL DEFAULT '',
        view_hash TEXT NOT NULL DEFAULT '',
        consent_ids TEXT NOT NULL DEFAULT '',
        finished_at TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
    CREATE INDEX outbox_subscription_person ON outbox (subscription_id, person_id);
    CREATE TABLE disclosure (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL,
        recipient TEXT NOT NULL,
        disclosed_at TEXT NOT NULL,
        categories TEXT NOT NULL,
        consent_ids TEXT NOT NULL,
        grounds TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('pull', 'push')),
        kind TEXT NOT NULL CHECK (kind IN ('lookup', 'view')),
        format TEXT NOT NULL,
        reference TEXT NOT NULL
    );
    CREATE INDEX disclosure_person ON disclosure (person_id);
    CREATE TRIGGER disclosure_append_only_update BEFORE UPDATE ON disclosure
    BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
    CREATE TRIGGER disclosure_append_only_delete BEFORE DELETE ON disclosure
    BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
    )sql",
    // 8: the audit person index loses its index by plain id. Erasure finds a person's rows by
    // pseudonym (the keyed hash of the id) instead; one random index insert less per person
    // row, which is most of what folding audited reads into the log costs.
    R"sql(
    DROP INDEX IF EXISTS audit_entry_person_id;
    )sql",
    // 9: incremental matching. match_key holds every matched record's block keys (with the
    // finer key that splits large blocks): derived, `qreg dedup` rebuilds it, and until it has
    // (match_keys_valid = 0) a matching import recomputes all persons. name_count holds the
    // model's name frequencies (records per name key hash when it was trained, out of
    // name_count_records). A model notes how many records it was trained on.
    R"sql(
    CREATE TABLE match_key (
        key INTEGER NOT NULL,
        refine INTEGER NOT NULL,
        record INTEGER NOT NULL,
        PRIMARY KEY (key, refine, record)
    ) WITHOUT ROWID;
    CREATE INDEX match_key_record ON match_key (record);
    CREATE TABLE name_count (key INTEGER PRIMARY KEY, n INTEGER NOT NULL);
    INSERT INTO counter (name, value) VALUES ('match_keys_valid', 0), ('matched_records', 0),
        ('name_count_records', 0);
    CREATE INDEX match_review_b ON match_review (record_b);
    ALTER TABLE match_model ADD COLUMN records INTEGER NOT NULL DEFAULT 0;
    )sql",
    // 10: the audit person index by (seq >> 12, pseudonym) instead of by pseudonym. Pseudonyms
    // are keyed hashes, so a plain index on them took every folded read's row to a random page
    // of an index as large as the log (written to the WAL at the fold's commit and again at the
    // checkpoint); now each fold's rows go to the buckets of the newest entries, 4,096 entries
    // (a few pages) each. A lookup by pseudonym probes each bucket in turn (AuditStore::entries,
    // forget_person): about 2,500 index probes for a log of 10,000,000 entries.
    R"sql(
    DROP INDEX IF EXISTS audit_entry_person_pseudonym;
    CREATE INDEX audit_entry_person_bucket ON audit_entry_person (seq >> 12, pseudonym);
    )sql",
    // 11: the audit entries' indexes by time, actor, agency and action give way to a summary
    // per bucket of 4,096 entries (AuditBucket): the span of their times and the sets of their
    // actors, agencies and actions, as JSON arrays. A query by those reads only the buckets
    // that can hold a match; a folded read costs four B-tree inserts less. `verify` checks
    // every bucket against its entries.
    R"sql(
    CREATE TABLE audit_bucket (
        bucket INTEGER PRIMARY KEY,
        first_time TEXT NOT NULL,
        last_time TEXT NOT NULL,
        actors TEXT NOT NULL,
        agencies TEXT NOT NULL,
        actions TEXT NOT NULL
    ) STRICT;
    INSERT INTO audit_bucket (bucket, first_time, last_time, actors, agencies, actions)
    SELECT n, min(time), max(time),
        (SELECT json_group_array(v) FROM (SELECT DISTINCT actor AS v FROM audit_entry
            WHERE seq BETWEEN (n << 12) AND (n << 12) + 4095 ORDER BY v)),
        (SELECT json_group_array(v) FROM (SELECT DISTINCT agency AS v FROM audit_entry
            WHERE seq BETWEEN (n << 12) AND (n << 12) + 4095 ORDER BY v)),
        (SELECT json_group_array(v) FROM (SELECT DISTINCT action AS v FROM audit_entry
            WHERE seq BETWEEN (n << 12) AND (n << 12) + 4095 ORDER BY v))
    FROM (SELECT seq >> 12 AS n, time FROM audit_entry) GROUP BY n;
    DROP INDEX IF EXISTS audit_entry_time;
    DROP INDEX IF EXISTS audit_entry_actor;
    DROP INDEX IF EXISTS audit_entry_agency;
    DROP INDEX IF EXISTS audit_entry_action;
    CREATE TRIGGER audit_bucket_no_delete BEFORE DELETE ON audit_bucket
    BEGIN SELECT RAISE(ABORT, 'audit buckets are kept'); END;
    )sql",
    // 12: the erase entries, which every fold of audited reads looks up (a read that reaches
    // the log after its person's erasure keeps the pseudonym only), by a partial index: it
    // holds only erase entries, so other entries cost it nothing, and the lookup does not
    // grow with the log as a pass over all bucket summaries does.
    R"sql(
    CREATE INDEX IF NOT EXISTS audit_entry_erase ON audit_entry (seq) WHERE action = 'erase';
    )sql",
    // 13: canonical records are stored packed by a zstd dictionary (canonical_codec.hpp); the
    // dictionaries are kept here too (filled when a Store opens), so that the database
    // explains its own values. Rows written before stay TEXT.
    R"sql(
    CREATE TABLE IF NOT EXISTS canonical_dictionary (id INTEGER PRIMARY KEY, dictionary BLOB NOT NULL);
    )sql",
    // 14: the match index forgets a record's keys through match_record (its keys as one blob,
    // store_match.cpp) instead of an index of match_key by record, whose 13 M-row sort took a
    // sixth of a full matching of 1,000,000 people. Marker rows (key 0) are gone with it; the
    // index is rebuilt by the next full matching.
    R"sql(
    DROP INDEX IF EXISTS match_key_record;
    DELETE FROM match_key;
    CREATE TABLE IF NOT EXISTS match_record (record INTEGER PRIMARY KEY, keys BLOB NOT NULL);
    DELETE FROM match_record;
    UPDATE counter SET value = 0 WHERE name IN ('match_keys_valid', 'matched_records');
    )sql",
    // 15: the street_house_number block key takes the street's stem (dedup/blocking_rules.cpp),
    // so a match index that holds records with a street is stale: it is emptied and rebuilt by
    // the next full matching. Registries without streets (the agency formats) keep theirs.
    R"sql(
    CREATE TEMP TABLE has_street AS SELECT EXISTS (SELECT 1 FROM record WHERE street <> '') AS yes;
    DELETE FROM match_key WHERE (SELECT yes FROM has_street);
    DELETE FROM match_record WHERE (SELECT yes FROM has_street);
    UPDATE counter SET value = 0
        WHERE name IN ('match_keys_valid', 'matched_records') AND (SELECT yes FROM has_street);
    DROP TABLE has_street;
    )sql",
    // 16: the match index keeps each record's keys in groups of 32 consecutive record ids
    // (match_record_group) and its (key, refine, record) entries in buckets of the key's top
    // bits (match_key_bucket), blobs both (store_match.cpp), instead of 1.9 M + 13 M rows that
    // took a quarter of a full matching to write; it also remembers the blocking rules it was
    // made under. Emptied here, rebuilt by the next full matching.
    R"sql(
    CREATE TABLE IF NOT EXISTS match_record_group (grp INTEGER PRIMARY KEY, records BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS match_key_bucket (bucket INTEGER PRIMARY KEY, entries BLOB NOT NULL);
    DROP TABLE IF EXISTS match_record;
    DROP TABLE IF EXISTS match_key;
    DELETE FROM match_record_group;
    DELETE FROM match_key_bucket;
    UPDATE counter SET value = 0 WHERE name IN ('match_keys_valid', 'matched_records');
    )sql",
    // 17: the match index keeps each record's summary for the weight bound (dedup::encode_summary)
    // in groups like its keys (match_summary_group), so that an import rules out most of its
    // candidates without reading them. Emptied here, rebuilt by the next full matching.
    R"sql(
    CREATE TABLE IF NOT EXISTS match_summary_group (grp INTEGER PRIMARY KEY, summaries BLOB NOT NULL);
    DELETE FROM match_record_group;
    DELETE FROM match_key_bucket;
    UPDATE counter SET value = 0 WHERE name IN ('match_keys_valid', 'matched_records');
    )sql",
    // 18: entries an incremental matching adds to the match index are kept apart
    // (match_key_recent, in key order) until there are many, instead of rewriting buckets all
    // over the table (store_match.cpp).
    R"sql(
    CREATE TABLE IF NOT EXISTS match_key_recent (
        key INTEGER NOT NULL, refine INTEGER NOT NULL, record INTEGER NOT NULL,
        PRIMARY KEY (key, refine, record)) WITHOUT ROWID;
    INSERT OR IGNORE INTO counter (name, value) VALUES ('match_recent_entries', 0);
    )sql",
    // 19: a record's keys in match_record_group without their finer keys (8 bytes a key instead
    // of 16, a 1-byte slot instead of the 8-byte record id: ~120 MB less for a full matching of
    // 1,000,000 people to write), and recent entries found by record too. Emptied here, rebuilt
    // by the next full matching.
    R"sql(
    CREATE INDEX IF NOT EXISTS match_key_recent_record ON match_key_recent (record);
    DELETE FROM match_record_group;
    DELETE FROM match_key_bucket;
    DELETE FROM match_summary_group;
    DELETE FROM match_key_recent;
    UPDATE counter SET value = 0
        WHERE name IN ('match_keys_valid', 'matched_records', 'match_recent_entries');
    )sql",
};

// Secondary indexes of the record table that a bulk import drops and builds again at its end:
// one sort per index instead of a random insert per row. Keep in step with the migrations.
// record_person stays: new records get ascending person ids, so its entries are appended.
constexpr std::array<std::pair<const char*, const char*>, 4> secondary_indexes = {{
    {"record_azr", "CREATE INDEX record_azr ON record (azr_number) WHERE azr_number <> ''"},
    {"record_ba",
     "CREATE INDEX record_ba ON record (ba_customer_number) WHERE ba_customer_number <> ''"},
    {"record_bamf",
     "CREATE INDEX record_bamf ON record (bamf_file_number) WHERE bamf_file_number <> ''"},
    {"record_bg", "CREATE INDEX record_bg ON record (bg_number) WHERE bg_number <> ''"},
}};

// Keeps each dictionary this qreg packs or reads canonical records with in the database, once.
void store_dictionaries(sqlite3* db) {
    const auto dictionaries = canonical::dictionaries();
    const auto known = sqlite::prepare(db, "SELECT count(*) FROM canonical_dictionary");
    if (sqlite::step(known.get()) &&
        sqlite::integer(known.get(), 0) >= static_cast<std::int64_t>(dictionaries.size())) {
        return;
    }
    const auto insert =
        sqlite::prepare(db, "INSERT OR IGNORE INTO canonical_dictionary (id, dictionary) VALUES (?1, ?2)");
    for (const auto& d : dictionaries) {
        sqlite::bind_int(insert.get(), 1, d.id);
        sqlite::bind_blob(insert.get(), 2, d.bytes);
        sqlite::run(insert.get());
    }
}

std::int64_t pragma_int(sqlite3* db, const char* sql) {
    const auto stmt = sqlite::prepare(db, sql);
    return sqlite::step(stmt.get()) ? sqlite::integer(stmt.get(), 0) : 0;
}

void migrate(sqlite3* db, const std::string& path, int target) {
    const auto app = pragma_int(db, "PRAGMA application_id");
    auto version = static_cast<int>(pragma_int(db, "PRAGMA user_version"));
    const bool is_empty = pragma_int(db, "SELECT count(*) FROM sqlite_schema") == 0;
    if (app != application_id && !is_empty) {
        throw Error(ErrorCode::storage,
                    fmt::format("{} is an SQLite file but not a qreg database; give another --db", path));
    }
    if (version > Store::latest_schema_version) {
        throw Error(ErrorCode::storage,
                    fmt::format("{} has schema version {}, newer than this qreg knows ({}); "
                                "use a newer qreg for it",
                                path, version, Store::latest_schema_version));
    }
    while (version < target) {
        sqlite::exec(db, "BEGIN IMMEDIATE");
        try {
            sqlite::exec(db, migrations[static_cast<std::size_t>(version)]);
            sqlite::exec(db, fmt::format("PRAGMA application_id = {}", application_id).c_str());
            sqlite::exec(db, fmt::format("PRAGMA user_version = {}", version + 1).c_str());
            sqlite::exec(db, "COMMIT");
        } catch (const Error& e) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw Error(ErrorCode::storage, fmt::format("{}: migration to schema version {} failed: {}",
                                                        path, version + 1, e.what()));
        }
        ++version;
    }
}

std::string warnings_json(const std::vector<connectors::Warning>& warnings) {
    json::array out;
    for (const auto& w : warnings) out.emplace_back(w.message);
    return json::serialize(out);
}

// Alias names in one column: family and given separated by US (0x1F), aliases by RS (0x1E).
std::string aliases_text(const std::vector<PersonName>& aliases) {
    std::string out;
    for (const auto& a : aliases) {
        if (!out.empty()) out += '\x1e';
        out += a.family_name;
        out += '\x1f';
        out += a.given_names;
    }
    return out;
}

std::vector<PersonName> aliases_from(std::string_view text) {
    std::vector<PersonName> out;
    while (!text.empty()) {
        const auto end = std::min(text.find('\x1e'), text.size());
        const auto item = text.substr(0, end);
        const auto sep = item.find('\x1f');
        out.push_back({std::string(item.substr(0, sep)),
                       sep == std::string_view::npos ? std::string() : std::string(item.substr(sep + 1))});
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return out;
}

Sex sex_from_code(std::string_view code) {
    if (code == "male") return Sex::male;
    if (code == "female") return Sex::female;
    if (code == "diverse") return Sex::diverse;
    return Sex::unknown;
}

DatePrecision precision_from_code(std::string_view code) {
    if (code == "year") return DatePrecision::year;
    if (code == "month") return DatePrecision::month;
    if (code == "day") return DatePrecision::day;
    return DatePrecision::none;
}

}  // namespace

struct Store::Impl {
    sqlite::Db db;
    std::string path;
    std::int64_t next_record_id = 0;  // valid inside an import transaction
    std::int64_t next_person_id = 0;  // likewise: a new record starts as a person of its own
    std::int64_t next_version_id = 0;  // likewise

    sqlite::Stmt find_current;
    sqlite::Stmt find_version;
    sqlite::Stmt insert_record;
    sqlite::Stmt update_record;
    sqlite::Stmt insert_current;
    sqlite::Stmt update_current;
    sqlite::Stmt archive_current;
    sqlite::Stmt insert_version;
    sqlite::Stmt insert_reject;
    // Statements of the service's hot paths, prepared once per connection.
    std::unordered_map<std::string, sqlite::Stmt> cached;

    sqlite3* handle() const { return db.get(); }

    // The record columns (from ?3 on) that matching and search read.
    static void bind_columns(sqlite3_stmt* s, const Record& r) {
        sqlite::bind_text(s, 3, r.stand);
        sqlite::bind_int(s, 4, std::int64_t{r.is_retracted});
        sqlite::bind_text(s, 5, r.family_name);
        sqlite::bind_text(s, 6, r.given_names);
        sqlite::bind_text(s, 7, r.birth_name);
        sqlite::bind_int(s, 8, std::int64_t{r.birth_date.year});
        sqlite::bind_int(s, 9, std::int64_t{r.birth_date.month});
        sqlite::bind_int(s, 10, std::int64_t{r.birth_date.day});
        sqlite::bind_text(s, 11, precision_code(r.birth_date.precision));
        sqlite::bind_int(s, 12, std::int64_t{r.birth_date.is_placeholder});
        sqlite::bind_text(s, 13, r.birthplace);
        sqlite::bind_text(s, 14, r.birth_country);
        sqlite::bind_text(s, 15, sex_code(r.sex));
        sqlite::bind_text_copy(s, 16, sqlite::join_list(r.nationalities, ' '));
        sqlite::bind_text(s, 17, r.ids.ba_customer_number);
        sqlite::bind_text(s, 18, r.ids.bg_number);
        sqlite::bind_text(s, 19, r.ids.bamf_file_number);
        sqlite::bind_text(s, 20, r.ids.azr_number);
        sqlite::bind_text(s, 21, r.ids.other_id);
        sqlite::bind_text(s, 22, r.postcode);
        sqlite::bind_text(s, 23, r.town);
        sqlite::bind_text_copy(s, 25, aliases_text(r.aliases));
        sqlite::bind_text(s, 26, r.street);
        sqlite::bind_text(s, 27, r.house_number);
        sqlite::bind_text(s, 28, r.address_extra);
        sqlite::bind_text(s, 29, r.region);
    }

    // Writes a version with the next version id: as the record's current version
    // (insert_current, update_current) or into the history (insert_version).
    void write_version(sqlite3_stmt* s, std::int64_t record_pk, ImportId import,
                       const connectors::SourceRecord& in, std::string_view packed_canonical,
                       std::string_view file) {
        sqlite::bind_int(s, 1, record_pk);
        sqlite::bind_int(s, 2, next_version_id);
        sqlite::bind_blob(s, 3, packed_canonical);
        sqlite::bind_blob(s, 4, in.raw);
        sqlite::bind_text(s, 5, file);
        sqlite::bind_int(s, 6, static_cast<std::int64_t>(in.line));
        sqlite::bind_int(s, 7, import.value);
        if (in.warnings.empty()) {
            sqlite::bind_text(s, 8, "[]");
        } else {
            sqlite::bind_text_copy(s, 8, warnings_json(in.warnings));
        }
        if (sqlite3_bind_parameter_count(s) >= 10) {  // record_version keeps its own stand
            sqlite::bind_text(s, 9, in.record.stand);
            sqlite::bind_int(s, 10, std::int64_t{in.record.is_retracted});
        }
        sqlite::run(s);
        ++next_version_id;
    }
};

Store::Store(const std::filesystem::path& file, int schema_version) : impl_(std::make_unique<Impl>()) {
    if (schema_version < 0 || schema_version > latest_schema_version) {
        throw Error(ErrorCode::internal, fmt::format("no schema version {}", schema_version));
    }
    impl_->path = file.string();
    impl_->db = sqlite::open(impl_->path);
    auto* db = impl_->handle();
    sqlite3_busy_timeout(db, 10000);
    // The first read of the file: a file that is not a SQLite database fails here, and is left
    // as it was.
    if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) == SQLITE_NOTADB) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{} is not a qreg database (not a SQLite file); give --db the registry's "
                                "database file, or a new path to create one",
                                impl_->path));
    }
    // Large pages: fewer, larger writes for the big tables; only takes effect on a new file.
    sqlite::exec(db, "PRAGMA page_size = 16384");
    sqlite::exec(db, "PRAGMA journal_mode = WAL");
    sqlite::exec(db, "PRAGMA foreign_keys = ON");
    sqlite::exec(db, "PRAGMA synchronous = NORMAL");
    sqlite::exec(db, "PRAGMA cache_size = -98304");  // 96 MiB: well inside the 256 MB import budget
    // No memory map: in WAL mode every commit by another connection (an audited read commits
    // one) makes each connection drop its map on its next read and fault every page in again;
    // plain reads from the OS page cache cost far less (bench/RESULTS.md, issue 7).
    sqlite::exec(db, "PRAGMA mmap_size = 0");
    migrate(db, impl_->path, schema_version);
    if (schema_version != latest_schema_version) return;  // an old schema, for upgrade tests
    store_dictionaries(db);

    impl_->find_current = sqlite::prepare(db, R"sql(
        SELECT r.id, r.stand, c.canonical FROM record r JOIN record_current c ON c.record_pk = r.id
        WHERE r.source = ?1 AND r.record_id = ?2)sql");
    impl_->find_version = sqlite::prepare(db, R"sql(
        SELECT 1 FROM record_version WHERE record_pk = ?1 AND stand = ?2
            AND (canonical = ?3 OR canonical = ?4))sql");
    impl_->insert_record = sqlite::prepare(db, R"sql(
        INSERT INTO record (id, person_id, source, record_id, stand, is_retracted, family_name,
            given_names, birth_name, birth_year, birth_month, birth_day, birth_precision,
            birth_placeholder, birthplace, birth_country, sex, nationalities, ba_customer_number,
            bg_number, bamf_file_number, azr_number, other_id, postcode, town, aliases, street,
            house_number, address_extra, region)
        VALUES (?24, ?30, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?18, ?19, ?20, ?21, ?22, ?23, ?25, ?26, ?27, ?28, ?29)
        ON CONFLICT (source, record_id) DO NOTHING)sql");
    impl_->update_record = sqlite::prepare(db, R"sql(
        UPDATE record SET stand = ?3, is_retracted = ?4, family_name = ?5, given_names = ?6,
            birth_name = ?7, birth_year = ?8, birth_month = ?9, birth_day = ?10,
            birth_precision = ?11, birth_placeholder = ?12, birthplace = ?13, birth_country = ?14,
            sex = ?15, nationalities = ?16, ba_customer_number = ?17, bg_number = ?18,
            bamf_file_number = ?19, azr_number = ?20, other_id = ?21, postcode = ?22, town = ?23,
            aliases = ?25, street = ?26, house_number = ?27, address_extra = ?28, region = ?29
        WHERE id = ?24 AND source = ?1 AND record_id = ?2)sql");
    // The statements that write a version bind the same parameters: see write_version.
    impl_->insert_current = sqlite::prepare(db, R"sql(
        INSERT INTO record_current (record_pk, version_id, canonical, raw, file, line, import_id,
            warnings)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8))sql");
    impl_->update_current = sqlite::prepare(db, R"sql(
        UPDATE record_current SET version_id = ?2, canonical = ?3, raw = ?4, file = ?5, line = ?6,
            import_id = ?7, warnings = ?8
        WHERE record_pk = ?1)sql");
    impl_->insert_version = sqlite::prepare(db, R"sql(
        INSERT INTO record_version (id, record_pk, stand, is_retracted, is_current, canonical, raw,
            file, line, import_id, warnings)
        VALUES (?2, ?1, ?9, ?10, 0, ?3, ?4, ?5, ?6, ?7, ?8))sql");
    // Before a newer version replaces it: the current version into the history, id and all.
    impl_->archive_current = sqlite::prepare(db, R"sql(
        INSERT INTO record_version (id, record_pk, stand, is_retracted, is_current, canonical, raw,
            file, line, import_id, warnings)
        SELECT c.version_id, r.id, r.stand, r.is_retracted, 0, c.canonical, c.raw, c.file, c.line,
            c.import_id, c.warnings
        FROM record r JOIN record_current c ON c.record_pk = r.id WHERE r.id = ?1)sql");
    impl_->insert_reject = sqlite::prepare(db, R"sql(
        INSERT INTO rejected_row (import_id, format, file, line, reason, record_id, raw)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7))sql");
}

Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

int Store::schema_version() const {
    return static_cast<int>(pragma_int(impl_->handle(), "PRAGMA user_version"));
}

Store::UncheckedReferences::UncheckedReferences(Store& store) : store_(store) {
    if (sqlite3_get_autocommit(store_.impl_->handle()) == 0) {
        throw std::logic_error("references can be left unchecked only outside a transaction");
    }
    sqlite::exec(store_.impl_->handle(), "PRAGMA foreign_keys = OFF");
}

Store::UncheckedReferences::~UncheckedReferences() {
    sqlite3_exec(store_.impl_->handle(), "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
}

Store::Transaction::Transaction(Store& store) : store_(store) {
    sqlite::exec(store_.impl_->handle(), "BEGIN IMMEDIATE");
}

Store::Transaction::~Transaction() {
    // ROLLBACK fails only if SQLite already rolled back.
    if (!committed_) store_.impl_->next_person_id = store_.impl_->next_version_id = 0;
    if (!committed_) sqlite3_exec(store_.impl_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Store::Transaction::commit() {
    auto& d = *store_.impl_;
    // An import handed out person and version ids: keep the counters past them.
    for (const auto& [name, next] : {std::pair{"last_person_id", &d.next_person_id},
                                     std::pair{"last_version_id", &d.next_version_id}}) {
        if (*next == 0) continue;
        const auto stmt =
            sqlite::prepare(d.handle(), "UPDATE counter SET value = ?1 WHERE name = ?2");
        sqlite::bind_int(stmt.get(), 1, *next - 1);
        sqlite::bind_text(stmt.get(), 2, name);
        sqlite::run(stmt.get());
        *next = 0;
    }
    sqlite::exec(d.handle(), "COMMIT");
    committed_ = true;
}

ImportId Store::start_import(std::string_view format, std::string_view actor,
                             std::string_view started_at) {
    auto* db = impl_->handle();
    impl_->next_record_id = pragma_int(db, "SELECT coalesce(max(id), 0) + 1 FROM record");
    impl_->next_version_id =
        pragma_int(db, "SELECT value + 1 FROM counter WHERE name = 'last_version_id'");
    impl_->next_person_id = allocate_person_ids(0);
    const auto stmt = sqlite::prepare(
        db, "INSERT INTO import_run (format, actor, started_at) VALUES (?1, ?2, ?3)");
    sqlite::bind_text(stmt.get(), 1, format);
    sqlite::bind_text(stmt.get(), 2, actor);
    sqlite::bind_text(stmt.get(), 3, started_at);
    sqlite::run(stmt.get());
    return ImportId{sqlite3_last_insert_rowid(db)};
}

std::int64_t Store::allocate_person_ids(std::int64_t count) {
    auto* db = impl_->handle();
    if (impl_->next_person_id > 0 && count > 0) {
        // an import is under way and owns the counter until it finishes
        const auto first = impl_->next_person_id;
        impl_->next_person_id += count;
        return first;
    }
    const auto last = pragma_int(db, "SELECT value FROM counter WHERE name = 'last_person_id'");
    const auto stmt =
        sqlite::prepare(db, "UPDATE counter SET value = ?1 WHERE name = 'last_person_id'");
    sqlite::bind_int(stmt.get(), 1, last + count);
    sqlite::run(stmt.get());
    return last + 1;
}

void Store::finish_import(ImportId import, std::string_view finished_at,
                          std::string_view summary_json) {
    const auto stmt = sqlite::prepare(
        impl_->handle(), "UPDATE import_run SET finished_at = ?2, summary = ?3 WHERE id = ?1");
    sqlite::bind_int(stmt.get(), 1, import.value);
    sqlite::bind_text(stmt.get(), 2, finished_at);
    sqlite::bind_text(stmt.get(), 3, summary_json);
    sqlite::run(stmt.get());
    bump_generation();
}

Upserted Store::upsert(ImportId import, const connectors::SourceRecord& in, std::string_view file) {
    const auto canonical = to_json(in.record);
    return upsert(import, in, file, canonical, canonical::pack(canonical));
}

Upserted Store::upsert(ImportId import, const connectors::SourceRecord& in, std::string_view file,
                       std::string_view canonical, std::string_view packed) {
    auto& d = *impl_;
    const Record& r = in.record;

    // Most records of an import are new: try the insert first, and look the record up only
    // when (source, record id) is already there.
    {
        const std::int64_t id = d.next_record_id;
        auto* ins = d.insert_record.get();
        sqlite::bind_text(ins, 1, r.source);
        sqlite::bind_text(ins, 2, r.record_id);
        Impl::bind_columns(ins, r);
        sqlite::bind_int(ins, 24, id);
        sqlite::bind_int(ins, 30, d.next_person_id);
        sqlite::run(ins);
        if (sqlite3_changes(d.handle()) == 1) {
            ++d.next_record_id;
            ++d.next_person_id;
            d.write_version(d.insert_current.get(), id, import, in, packed, file);
            return {UpsertOutcome::created, id};
        }
    }
    auto* find = d.find_current.get();
    sqlite::bind_text(find, 1, r.source);
    sqlite::bind_text(find, 2, r.record_id);
    if (!sqlite::step(find)) {
        sqlite::reset(find);
        throw Error(ErrorCode::storage, "record exists but has no current version");
    }
    const std::int64_t record_pk = sqlite::integer(find, 0);
    const std::string current_stand = sqlite::text(find, 1);
    const auto key = [&] { return fmt::format("stored record {} {}", r.source, r.record_id); };
    std::string current_canonical;
    try {
        current_canonical = canonical::stored_json(find, 2, key);
    } catch (...) {
        sqlite::reset(find);
        throw;
    }
    sqlite::reset(find);

    if (r.stand == current_stand && canonical == current_canonical) {
        return {UpsertOutcome::unchanged, record_pk};
    }
    const std::string_view current_text = current_canonical;

    // Versions of equal stand but different content: the larger canonical text wins, so the
    // outcome does not depend on the order in which exports arrive.
    const bool becomes_current =
        r.stand > current_stand || (r.stand == current_stand && canonical > current_text);
    if (!becomes_current) {
        auto* fv = d.find_version.get();
        sqlite::bind_int(fv, 1, record_pk);
        sqlite::bind_text(fv, 2, r.stand);
        sqlite::bind_blob(fv, 3, packed);     // as stored now
        sqlite::bind_text(fv, 4, canonical);  // as stored before schema 13
        const bool known = sqlite::step(fv);
        sqlite::reset(fv);
        if (known) return {UpsertOutcome::unchanged, record_pk};
        d.write_version(d.insert_version.get(), record_pk, import, in, packed, file);
        return {UpsertOutcome::stale, record_pk};
    }
    sqlite::bind_int(d.archive_current.get(), 1, record_pk);
    sqlite::run(d.archive_current.get());
    d.write_version(d.update_current.get(), record_pk, import, in, packed, file);
    auto* upd = d.update_record.get();
    sqlite::bind_text(upd, 1, r.source);
    sqlite::bind_text(upd, 2, r.record_id);
    Impl::bind_columns(upd, r);
    sqlite::bind_int(upd, 24, record_pk);
    sqlite::run(upd);
    return {UpsertOutcome::updated, record_pk};
}

void Store::reject(ImportId import, std::string_view format, const connectors::RowProblem& p) {
    auto* s = impl_->insert_reject.get();
    sqlite::bind_int(s, 1, import.value);
    sqlite::bind_text(s, 2, format);
    sqlite::bind_text(s, 3, p.file);
    sqlite::bind_int(s, 4, static_cast<std::int64_t>(p.line));
    sqlite::bind_text(s, 5, p.reason);
    sqlite::bind_text(s, 6, p.record_id);
    sqlite::bind_blob(s, 7, p.raw);
    sqlite::run(s);
}

std::optional<StoredRecord> Store::record(std::string_view source, std::string_view record_id) const {
    auto* db = impl_->handle();
    const auto head =
        sqlite::prepare(db, "SELECT id, person_id FROM record WHERE source = ?1 AND record_id = ?2");
    sqlite::bind_text(head.get(), 1, source);
    sqlite::bind_text(head.get(), 2, record_id);
    if (!sqlite::step(head.get())) return std::nullopt;
    StoredRecord out;
    out.id = sqlite::integer(head.get(), 0);
    out.person_id = sqlite::integer(head.get(), 1);
    const auto versions = sqlite::prepare(db, R"sql(
        SELECT c.version_id, r.stand, r.is_retracted, 1, c.canonical, c.raw, c.file, c.line,
            c.import_id, c.warnings
        FROM record r JOIN record_current c ON c.record_pk = r.id WHERE r.id = ?1
        UNION ALL
        SELECT id, stand, is_retracted, 0, canonical, raw, file, line, import_id, warnings
        FROM record_version WHERE record_pk = ?1
        ORDER BY 2, 1)sql");
    sqlite::bind_int(versions.get(), 1, out.id);
    while (sqlite::step(versions.get())) {
        auto* s = versions.get();
        StoredVersion v{sqlite::integer(s, 0), sqlite::text(s, 1), sqlite::integer(s, 2) != 0,
                        sqlite::integer(s, 3) != 0, canonical::stored_json(s, 4, [&] {
                            return fmt::format("stored record {} {}, version {}", source, record_id,
                                               sqlite::integer(s, 0));
                        }),
                        sqlite::text(s, 5),
                        sqlite::text(s, 6), sqlite::integer(s, 7), sqlite::integer(s, 8),
                        sqlite::text(s, 9)};
        if (v.is_current) out.current = record_from_json(v.canonical_json);
        out.versions.push_back(std::move(v));
    }
    return out;
}

void Store::for_each_link(const std::function<void(const Link&)>& visit) const {
    const auto stmt = sqlite::prepare(
        impl_->handle(), "SELECT source, record_id, person_id FROM record ORDER BY source, record_id");
    Link link;
    while (sqlite::step(stmt.get())) {
        link.source = sqlite::text(stmt.get(), 0);
        link.record_id = sqlite::text(stmt.get(), 1);
        link.person_id = sqlite::integer(stmt.get(), 2);
        visit(link);
    }
}

std::vector<RejectedRow> Store::rejects() const {
    const auto stmt = sqlite::prepare(impl_->handle(), R"sql(
        SELECT id, import_id, format, file, line, reason, record_id, raw FROM rejected_row
        ORDER BY id)sql");
    std::vector<RejectedRow> out;
    while (sqlite::step(stmt.get())) {
        auto* s = stmt.get();
        out.push_back({sqlite::integer(s, 0), sqlite::integer(s, 1), sqlite::text(s, 2),
                       sqlite::text(s, 3), sqlite::integer(s, 4), sqlite::text(s, 5),
                       sqlite::text(s, 6), sqlite::text(s, 7)});
    }
    return out;
}

void Store::drop_secondary_indexes() {
    for (const auto& [name, sql] : secondary_indexes) {
        sqlite::exec(impl_->handle(), fmt::format("DROP INDEX IF EXISTS {}", name).c_str());
    }
}

void Store::create_secondary_indexes() {
    for (const auto& [name, sql] : secondary_indexes) {
        sqlite::exec(impl_->handle(),
                     fmt::format("{}", sql).replace(0, 12, "CREATE INDEX IF NOT EXISTS").c_str());
    }
}

namespace {

// The record columns matching reads, and their reading into a MatchInput.
const char* const match_input_columns =
    "id, person_id, source, family_name, given_names, birth_name, birth_year, birth_month, "
    "birth_day, birth_precision, birth_placeholder, birthplace, birth_country, sex, nationalities, "
    "ba_customer_number, bg_number, bamf_file_number, azr_number, other_id, postcode, town, "
    "aliases, street, house_number, address_extra, region";

void insert_review_pairs(sqlite3* db, std::span<const ReviewPair> pairs, std::string_view at) {
    const auto stmt = sqlite::prepare(db, R"sql(
        INSERT OR IGNORE INTO match_review (record_a, record_b, weight, created_at)
        VALUES (?1, ?2, ?3, ?4))sql");
    for (const auto& p : pairs) {
        sqlite::bind_int(stmt.get(), 1, p.record_a);
        sqlite::bind_int(stmt.get(), 2, p.record_b);
        sqlite3_bind_double(stmt.get(), 3, p.weight);
        sqlite::bind_text(stmt.get(), 4, at);
        sqlite::run(stmt.get());
    }
}

// Fills `in` where it lies, reusing the buffers of the record it held before (a Record is
// 1.3 KB with a dozen strings: a full dedup reads millions, and allocating each afresh, then
// moving it as its vector grows, was most of the time it took to read them).
void read_match_input(sqlite3_stmt* s, MatchInput& in) {
    in.record_pk = sqlite::integer(s, 0);
    in.person_id = sqlite::integer(s, 1);
    auto& r = in.record;
    const auto text = [s](int column, std::string& into) { into.assign(sqlite::text_view(s, column)); };
    text(2, r.source);
    text(3, r.family_name);
    text(4, r.given_names);
    text(5, r.birth_name);
    r.birth_date.year = static_cast<int>(sqlite::integer(s, 6));
    r.birth_date.month = static_cast<int>(sqlite::integer(s, 7));
    r.birth_date.day = static_cast<int>(sqlite::integer(s, 8));
    r.birth_date.precision = precision_from_code(sqlite::text_view(s, 9));
    r.birth_date.is_placeholder = sqlite::integer(s, 10) != 0;
    text(11, r.birthplace);
    text(12, r.birth_country);
    r.sex = sex_from_code(sqlite::text_view(s, 13));
    r.nationalities = sqlite::split_list(sqlite::text_view(s, 14), ' ');
    text(15, r.ids.ba_customer_number);
    text(16, r.ids.bg_number);
    text(17, r.ids.bamf_file_number);
    text(18, r.ids.azr_number);
    text(19, r.ids.other_id);
    text(20, r.postcode);
    text(21, r.town);
    r.aliases = aliases_from(sqlite::text_view(s, 22));
    text(23, r.street);
    text(24, r.house_number);
    text(25, r.address_extra);
    text(26, r.region);
}

// The match inputs of `SELECT ... FROM record WHERE <where>`, run once for each key (bound to ?1).
// Reads the statement's rows into `out` from position n on, reusing the inputs there; returns
// the new count.
std::size_t read_rows_into(sqlite3_stmt* stmt, std::vector<MatchInput>& out, std::size_t n) {
    while (sqlite::step(stmt)) {
        if (n == out.size()) out.emplace_back();
        read_match_input(stmt, out[n++]);
    }
    return n;
}

// The match inputs of `SELECT ... FROM record WHERE <where>`, run once for each key (bound to
// ?1), into `out` (see read_rows_into).
void match_inputs_where(sqlite3* db, std::string_view where, std::span<const std::int64_t> keys,
                        std::vector<MatchInput>& out) {
    const auto stmt = sqlite::prepare(
        db, fmt::format("SELECT {} FROM record WHERE {}", match_input_columns, where));
    std::size_t n = 0;
    for (const auto key : keys) {
        sqlite::bind_int(stmt.get(), 1, key);
        n = read_rows_into(stmt.get(), out, n);
        sqlite::reset(stmt.get());
    }
    out.resize(n);
}

}  // namespace

std::vector<MatchInput> Store::match_inputs() const {
    const auto stmt = sqlite::prepare(
        impl_->handle(),
        fmt::format("SELECT {} FROM record WHERE is_retracted = 0 ORDER BY id", match_input_columns)
            .c_str());
    std::vector<MatchInput> out;
    out.resize(read_rows_into(stmt.get(), out, 0));
    return out;
}

void Store::match_inputs(std::int64_t after_record_pk, std::size_t limit,
                         std::vector<MatchInput>& out) const {
    const auto stmt = sqlite::prepare(
        impl_->handle(),
        fmt::format("SELECT {} FROM record WHERE id > ?1 AND is_retracted = 0 ORDER BY id LIMIT ?2",
                    match_input_columns));
    sqlite::bind_int(stmt.get(), 1, after_record_pk);
    sqlite::bind_int(stmt.get(), 2, static_cast<std::int64_t>(limit));
    out.resize(read_rows_into(stmt.get(), out, 0));
}

std::vector<MatchInput> Store::match_inputs_of(std::span<const std::int64_t> record_pks) const {
    std::vector<MatchInput> out;
    out.reserve(record_pks.size());
    match_inputs_of(record_pks, out);
    return out;
}

void Store::match_inputs_of(std::span<const std::int64_t> record_pks, std::vector<MatchInput>& out) const {
    match_inputs_where(impl_->handle(), "id = ?1 AND is_retracted = 0", record_pks, out);
}

std::vector<std::int64_t> Store::record_pks_of_persons(std::span<const std::int64_t> persons) const {
    const auto stmt = sqlite::prepare(
        impl_->handle(), "SELECT id FROM record WHERE person_id = ?1 AND is_retracted = 0 ORDER BY id");
    std::vector<std::int64_t> out;
    for (const auto person : persons) {
        sqlite::bind_int(stmt.get(), 1, person);
        while (sqlite::step(stmt.get())) out.push_back(sqlite::integer(stmt.get(), 0));
        sqlite::reset(stmt.get());
    }
    return out;
}

std::optional<std::int64_t> Store::record_pk(std::string_view source, std::string_view record_id) const {
    const auto stmt =
        sqlite::prepare(impl_->handle(), "SELECT id FROM record WHERE source = ?1 AND record_id = ?2");
    sqlite::bind_text(stmt.get(), 1, source);
    sqlite::bind_text(stmt.get(), 2, record_id);
    if (!sqlite::step(stmt.get())) return std::nullopt;
    return sqlite::integer(stmt.get(), 0);
}


void Store::assign_persons(std::span<const PersonAssignment> assignments) {
    const auto stmt = sqlite::prepare(
        impl_->handle(), "UPDATE record SET person_id = ?2 WHERE id = ?1 AND person_id <> ?2");
    // In row order: each page of the record table is then changed while it is in the cache and
    // written once, where a full dedup in matching order (random) spilled and rewrote pages of
    // a table of gigabytes again and again.
    std::vector<PersonAssignment> in_order(assignments.begin(), assignments.end());
    std::sort(in_order.begin(), in_order.end(),
              [](const PersonAssignment& x, const PersonAssignment& y) { return x.record_pk < y.record_pk; });
    for (const auto& a : in_order) {
        sqlite::bind_int(stmt.get(), 1, a.record_pk);
        sqlite::bind_int(stmt.get(), 2, a.person_id);
        sqlite::run(stmt.get());
    }
    bump_generation();
}

void Store::save_model(std::string_view method, std::string_view parameters_json, std::string_view at,
                       std::int64_t records) {
    const auto stmt = sqlite::prepare(
        impl_->handle(),
        "INSERT INTO match_model (created_at, method, parameters, records) VALUES (?1, ?2, ?3, ?4)");
    sqlite::bind_text(stmt.get(), 1, at);
    sqlite::bind_text(stmt.get(), 2, method);
    sqlite::bind_text(stmt.get(), 3, parameters_json);
    sqlite::bind_int(stmt.get(), 4, records);
    sqlite::run(stmt.get());
}

std::int64_t Store::current_model_records() const {
    return pragma_int(impl_->handle(), "SELECT records FROM match_model ORDER BY id DESC LIMIT 1");
}

std::optional<std::string> Store::current_model() const {
    const auto stmt = sqlite::prepare(impl_->handle(),
                                      "SELECT parameters FROM match_model ORDER BY id DESC LIMIT 1");
    if (!sqlite::step(stmt.get())) return std::nullopt;
    return sqlite::text(stmt.get(), 0);
}

void Store::replace_review_queue(std::span<const ReviewPair> pairs, std::string_view at) {
    auto* db = impl_->handle();
    // A full recomputation can queue millions of pairs: inserted in key order, with the index
    // by second record built once at the end instead of a random insert per pair.
    sqlite::exec(db, "DROP INDEX IF EXISTS match_review_b");
    sqlite::exec(db, "DELETE FROM match_review");
    std::vector<ReviewPair> sorted(pairs.begin(), pairs.end());
    std::sort(sorted.begin(), sorted.end(), [](const ReviewPair& a, const ReviewPair& b) {
        return std::tie(a.record_a, a.record_b) < std::tie(b.record_a, b.record_b);
    });
    insert_review_pairs(db, sorted, at);
    sqlite::exec(db, "CREATE INDEX match_review_b ON match_review (record_b)");
}

void Store::replace_review_pairs_of(std::span<const std::int64_t> records,
                                   std::span<const ReviewPair> pairs, std::string_view at) {
    const auto remove = sqlite::prepare(impl_->handle(),
                                        "DELETE FROM match_review WHERE record_a = ?1 OR record_b = ?1");
    for (const auto pk : records) {
        sqlite::bind_int(remove.get(), 1, pk);
        sqlite::run(remove.get());
    }
    insert_review_pairs(impl_->handle(), pairs, at);
}

std::vector<ReviewPair> Store::review_queue() const {
    const auto stmt = sqlite::prepare(
        impl_->handle(), "SELECT record_a, record_b, weight, id FROM match_review ORDER BY weight DESC, id");
    std::vector<ReviewPair> out;
    while (sqlite::step(stmt.get())) {
        out.push_back({sqlite::integer(stmt.get(), 0), sqlite::integer(stmt.get(), 1),
                       sqlite3_column_double(stmt.get(), 2), sqlite::integer(stmt.get(), 3)});
    }
    return out;
}

std::vector<MatchDecision> Store::decisions() const {
    const auto stmt = sqlite::prepare(impl_->handle(), R"sql(
        SELECT record_a, record_b, decision, actor, decided_at FROM match_decision ORDER BY id)sql");
    std::vector<MatchDecision> out;
    while (sqlite::step(stmt.get())) {
        auto* s = stmt.get();
        out.push_back({sqlite::integer(s, 0), sqlite::integer(s, 1), sqlite::text(s, 2) == "link",
                       sqlite::text(s, 3), sqlite::text(s, 4)});
    }
    return out;
}

sqlite3* Store::handle() const { return impl_->handle(); }

sqlite3_stmt* Store::cached(const char* sql) const {
    auto& slot = impl_->cached[sql];
    if (!slot) slot = sqlite::prepare(impl_->handle(), sql);
    sqlite3_reset(slot.get());
    sqlite3_clear_bindings(slot.get());
    return slot.get();
}

std::int64_t Store::erase_person(std::int64_t person_id) {
    auto* db = impl_->handle();
    // Deleted rows are overwritten with zeros instead of lingering in free pages.
    sqlite::exec(db, "PRAGMA secure_delete = ON");
    update_match_keys(person_record_pks(person_id), {});
    for (const char* sql : {
             "DELETE FROM match_review WHERE record_a IN (SELECT id FROM record WHERE person_id = ?1)"
             " OR record_b IN (SELECT id FROM record WHERE person_id = ?1)",
             "DELETE FROM match_decision WHERE record_a IN (SELECT id FROM record WHERE person_id = ?1)"
             " OR record_b IN (SELECT id FROM record WHERE person_id = ?1)",
             "DELETE FROM record_version WHERE record_pk IN (SELECT id FROM record WHERE person_id = ?1)",
             "DELETE FROM record_current WHERE record_pk IN (SELECT id FROM record WHERE person_id = ?1)",
             // Shared views waiting in (or sent from) the outbox hold the person's data.
             "UPDATE outbox SET payload = '', status = CASE status WHEN 'pending' THEN 'cancelled' "
             "ELSE status END, last_error = CASE status WHEN 'pending' THEN 'erased (Art. 17)' "
             "ELSE last_error END WHERE person_id = ?1",
         }) {
        const auto stmt = sqlite::prepare(db, sql);
        sqlite::bind_int(stmt.get(), 1, person_id);
        sqlite::run(stmt.get());
    }
    const auto records = sqlite::prepare(db, "DELETE FROM record WHERE person_id = ?1");
    sqlite::bind_int(records.get(), 1, person_id);
    sqlite::run(records.get());
    return sqlite3_changes(db);
}

void Store::flush_wal() { sqlite::exec(impl_->handle(), "PRAGMA wal_checkpoint(TRUNCATE)"); }

sqlite3* Store::connection() const { return impl_->handle(); }

std::int64_t Store::record_count() const {
    return pragma_int(impl_->handle(), "SELECT count(*) FROM record");
}

}  // namespace qreg::registry
