#include "audit_service.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "../audit/log_format.hpp"
#include "../audit/merkle.hpp"
#include "../audit_json.hpp"
#include "../storage/audit_store.hpp"
#include "import_service.hpp"
#include "qreg/connectors/common.hpp"
#include "qreg/error.hpp"

namespace qreg::registry {

namespace json = boost::json;

namespace {

constexpr std::size_t pseudonym_key_bytes = 32;
constexpr std::int64_t max_page = 1000;

std::string hex(std::string_view bytes) {
    return audit::to_hex(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

std::string_view bytes_of(const AuditHash& h) {
    return {reinterpret_cast<const char*>(h.data()), h.size()};
}

// A stored leaf hash; Error{storage} when it is not 32 bytes.
AuditHash hash_of(std::string_view bytes) {
    AuditHash h{};
    if (bytes.size() != h.size()) {
        throw Error(ErrorCode::storage, "an audit entry's leaf hash is malformed; run `qreg audit verify`");
    }
    std::copy(bytes.begin(), bytes.end(), h.begin());
    return h;
}

std::string pseudonym_key_from(std::string_view text, const std::filesystem::path& file) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    auto key = audit::bytes_from_hex(text);
    if (!key || key->size() != pseudonym_key_bytes) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{} is not a pseudonym key (64 hex digits)", file.string()));
    }
    return std::move(*key);
}

// `why_not`, when the keys may not be created, says so in the error.
AuditKeys read_keys(const AuditSettings& settings, bool may_create, std::string_view why_not) {
    const auto missing = [&](const std::filesystem::path& file) {
        return Error(ErrorCode::invalid_input,
                     fmt::format("audit key file {} is missing{}; restore it (config/audit.json "
                                 "names the files)",
                                 file.string(), why_not));
    };
    auto signing_pem = read_key_file(settings.signing_key_file);
    auto pseudonym_text = read_key_file(settings.pseudonym_key_file);
    if (!signing_pem) {
        if (!may_create) throw missing(settings.signing_key_file);
        signing_pem = audit::SigningKey::generate().to_pem();
        write_new_key_file(settings.signing_key_file, *signing_pem);
    }
    if (!pseudonym_text) {
        if (!may_create) throw missing(settings.pseudonym_key_file);
        pseudonym_text = hex(audit::random_bytes(pseudonym_key_bytes)) + "\n";
        write_new_key_file(settings.pseudonym_key_file, *pseudonym_text);
    }
    return {audit::SigningKey::from_pem(*signing_pem, settings.signing_key_file.string()),
            pseudonym_key_from(*pseudonym_text, settings.pseudonym_key_file)};
}

bool valid_text(const AuditEntry& e) {
    for (const std::string* s : {&e.time, &e.actor.principal, &e.actor.role, &e.actor.agency,
                                 &e.action, &e.legal_basis, &e.request_id, &e.outcome}) {
        if (!connectors::is_valid_utf8(*s)) return false;
    }
    return std::all_of(e.categories.begin(), e.categories.end(),
                       [](const std::string& c) { return connectors::is_valid_utf8(c); });
}

std::string canonical_details(const std::string& details) {
    boost::system::error_code ec;
    const auto v = json::parse(details.empty() ? std::string_view("{}") : details, ec);
    if (ec || !v.is_object()) {
        throw Error(ErrorCode::invalid_input, "audit entry: details must be a JSON object");
    }
    return json::serialize(v);
}

std::string categories_json(const std::vector<std::string>& categories) {
    // The entries of a batch name the same categories as a rule (every profile read the same
    // list): the last list's text is kept (6 % of a fold's CPU, bench/audit_cost.sh).
    thread_local std::vector<std::string> last_categories;
    thread_local std::string last_json = "[]";
    if (categories == last_categories) return last_json;
    json::array out;
    for (const auto& c : categories) out.emplace_back(c);
    last_json = json::serialize(out);
    last_categories = categories;
    return last_json;
}

// The first problem found, naming the entry or checkpoint.
struct Finding {
    std::int64_t entry = 0;
    std::int64_t checkpoint = 0;
    std::string problem;
};

}  // namespace

AuditKeys open_audit_keys(Store& store, const AuditSettings& settings) {
    const AuditStore tables(store);
    const bool is_empty = !tables.head() && tables.entry_count() == 0;
    return read_keys(settings, is_empty, " but the audit log has entries");
}

AuditKeys load_audit_keys(const AuditSettings& settings) { return read_keys(settings, false, ""); }

AuditEntry audit_entry(const AuditContext& context, std::string_view action) {
    AuditEntry entry;
    entry.actor = context.actor;
    entry.action = std::string(action);
    entry.request_id = context.request_id;
    return entry;
}

struct AuditLog::Impl {
    Store& store;
    AuditStore tables;
    AuditKeys keys;
    std::string public_key;
    std::string key_id;
    mutable audit::Hmac hmac;

    Impl(Store& s, AuditKeys k)
        : store(s),
          tables(s),
          keys(std::move(k)),
          public_key(keys.signing.public_key()),
          key_id(audit::key_id(public_key)),
          hmac(keys.pseudonym_key) {}

    std::string pseudonym(std::int64_t person_id) const {
        return hex(hmac(fmt::format("{}", person_id)));
    }

    void sign(AuditHead& head) const {
        head.key_id = key_id;
        head.signature = keys.signing.sign(audit::head_message(head));
        known_head = head_identity(head);
    }

    // The message and signature of the last head this log signed or verified: a stored head
    // identical to it in every signed byte needs no second signature check (appends re-read
    // the head on every transaction; verifying Ed25519 each time costs more than the append).
    mutable std::string known_head;

    static std::string head_identity(const AuditHead& head) {
        return audit::head_message(head) + '\0' + head.key_id + '\0' + head.signature;
    }

    bool head_holds(const AuditHead& head) const {
        auto identity = head_identity(head);
        if (!known_head.empty() && identity == known_head) return true;
        const bool ok = head.key_id == key_id &&
                        audit::verify_signature(public_key, audit::head_message(head), head.signature);
        if (ok) known_head = std::move(identity);
        return ok;
    }

    // The head to extend: present and signed by this key, or none on an empty log.
    AuditHead current_head() const {
        auto head = tables.head();
        if (!head) {
            if (tables.entry_count() != 0) {
                throw Error(ErrorCode::conflict,
                            "the audit log has entries but no signed head; run `qreg audit verify`");
            }
            AuditHead empty;
            empty.root_hash = audit::empty_tree_hash();
            return empty;
        }
        if (!head_holds(*head)) {
            throw Error(ErrorCode::conflict,
                        fmt::format("the audit log's head does not verify under the configured "
                                    "signing key (key id {}, head signed by {}): the key was "
                                    "replaced or the head changed; run `qreg audit verify`",
                                    key_id, head->key_id));
        }
        return *head;
    }

    std::int64_t append_all(std::span<const AuditEntry> entries, bool keep_plain_ids) {
        if (!tables.in_transaction()) {
            throw Error(ErrorCode::internal,
                        "audit entries are appended inside the transaction of the action they log");
        }
        auto head = current_head();
        audit::TreeBuilder tree(static_cast<std::uint64_t>(head.tree_size), head.frontier);
        if (tree.root() != head.root_hash) {
            throw Error(ErrorCode::conflict,
                        "the audit log's head frontier does not match its root; run `qreg audit verify`");
        }
        std::string last_time = head.time;
        // An entry that reaches the log after its person was erased (a read spooled before the
        // erasure) names the person by pseudonym only, like the entries before the erasure.
        std::unordered_set<std::string> erased;
        if (keep_plain_ids) {
            for (auto& p : tables.erased_pseudonyms()) erased.insert(std::move(p));
        }
        std::vector<StoredAuditEntry> stored;
        stored.reserve(entries.size());
        for (const auto& in : entries) {
            stored.push_back(
                make_entry(in, static_cast<std::int64_t>(tree.size()) + 1, keep_plain_ids, erased));
            tree.append(hash_of(stored.back().leaf_hash));
            last_time = stored.back().time;
        }
        tables.insert(stored);
        head.tree_size = static_cast<std::int64_t>(tree.size());
        head.root_hash = tree.root();
        head.frontier = tree.frontier();
        head.time = last_time;
        sign(head);
        tables.save_head(head);
        return head.tree_size;
    }

    StoredAuditEntry make_entry(const AuditEntry& in, std::int64_t seq, bool keep_plain_ids,
                                const std::unordered_set<std::string>& erased) const {
        if (in.action.empty()) throw Error(ErrorCode::invalid_input, "audit entry: action is empty");
        if (!valid_text(in)) throw Error(ErrorCode::invalid_input, "audit entry: text is not UTF-8");
        StoredAuditEntry e;
        e.seq = seq;
        e.time = in.time.empty() ? utc_now() : in.time;
        e.actor = in.actor.principal;
        e.role = in.actor.role;
        e.agency = in.actor.agency;
        e.action = in.action;
        for (const auto id : in.persons) {
            auto name = pseudonym(id);
            const bool keep = keep_plain_ids && !erased.contains(name);
            e.persons.push_back({std::move(name), keep ? std::optional(id) : std::nullopt});
        }
        // A set, in pseudonym order: the order the person index reads back in.
        std::sort(e.persons.begin(), e.persons.end(),
                  [](const AuditPerson& a, const AuditPerson& b) { return a.pseudonym < b.pseudonym; });
        e.persons.erase(std::unique(e.persons.begin(), e.persons.end(),
                                    [](const AuditPerson& a, const AuditPerson& b) {
                                        return a.pseudonym == b.pseudonym;
                                    }),
                        e.persons.end());
        std::vector<std::string> pseudonyms;
        for (const auto& p : e.persons) pseudonyms.push_back(p.pseudonym);
        e.persons_json = audit::pseudonyms_json(pseudonyms);
        e.categories_json = categories_json(in.categories);
        e.legal_basis = in.legal_basis;
        e.request_id = in.request_id;
        e.outcome = in.outcome;
        e.details_json = canonical_details(in.details_json);
        e.leaf_hash = std::string(bytes_of(audit::leaf_hash(audit::entry_leaf(e))));
        return e;
    }

    // MTH over stored entries begin+1 .. end (leaf indexes begin .. end-1).
    AuditHash range_hash(std::uint64_t begin, std::uint64_t end) const {
        audit::TreeBuilder tree;
        tables.for_each_leaf_hash(static_cast<std::int64_t>(begin) + 1, static_cast<std::int64_t>(end),
                                  [&](std::string_view leaf) { tree.append(hash_of(leaf)); });
        if (tree.size() != end - begin) {
            throw Error(ErrorCode::storage,
                        "audit entries are missing from the log; run `qreg audit verify`");
        }
        return tree.root();
    }

    std::optional<AuditCheckpoint> checkpoint_of_size(std::int64_t size) const {
        std::optional<AuditCheckpoint> out;
        for (auto& c : tables.checkpoints()) {
            if (c.tree_size == size) out = std::move(c);
        }
        if (out) out->public_key = public_key;
        return out;
    }

    std::int64_t log_size() const {
        const auto head = tables.head();
        return head ? head->tree_size : 0;
    }

    std::int64_t default_size(std::string_view what) const {
        const auto latest = tables.latest_checkpoint();
        if (!latest) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("no checkpoint yet: run `qreg audit checkpoint`, or give the "
                                    "tree size for the {}",
                                    what));
        }
        return latest->tree_size;
    }

    std::optional<Finding> check_checkpoints(const std::vector<AuditCheckpoint>& checkpoints) const;
    std::optional<Finding> check_head(const std::optional<AuditHead>& head,
                                      const std::vector<AuditCheckpoint>& checkpoints) const;
    std::optional<Finding> check_entry(const StoredAuditEntry& e, std::int64_t expected,
                                       std::int64_t head_size,
                                       const std::unordered_set<std::string>& erased) const;
};

AuditLog::AuditLog(Store& store, AuditKeys keys)
    : impl_(std::make_unique<Impl>(store, std::move(keys))) {}
AuditLog::~AuditLog() = default;
AuditLog::AuditLog(AuditLog&&) noexcept = default;
AuditLog& AuditLog::operator=(AuditLog&&) noexcept = default;

std::int64_t AuditLog::append(const AuditEntry& entry) {
    return impl_->append_all(std::span(&entry, 1), true);
}

std::int64_t AuditLog::append(std::span<const AuditEntry> entries) {
    return impl_->append_all(entries, true);
}

AuditErasure AuditLog::record_erasure(std::int64_t person_id, AuditEntry entry) {
    if (!impl_->tables.in_transaction()) {
        throw Error(ErrorCode::internal, "an erasure is recorded inside the transaction that erases");
    }
    AuditErasure out;
    out.pseudonym = impl_->pseudonym(person_id);
    out.index_rows_cleared = impl_->tables.forget_person(person_id, out.pseudonym);
    entry.action = audit_action::erase;
    entry.persons = {person_id};
    out.entry = impl_->append_all(std::span(&entry, 1), false);
    return out;
}

AuditCheckpoint AuditLog::checkpoint(std::string_view now) {
    auto& d = *impl_;
    Store::Transaction tx(d.store);
    auto head = d.current_head();
    AuditCheckpoint c;
    c.number = head.checkpoints + 1;
    c.tree_size = head.tree_size;
    c.root_hash = head.root_hash;
    c.time = std::string(now);
    c.key_id = d.key_id;
    c.signature = d.keys.signing.sign(audit::checkpoint_message(c));
    c.public_key = d.public_key;
    d.tables.insert(c);
    head.checkpoints = c.number;
    head.time = c.time;
    d.sign(head);
    d.tables.save_head(head);
    tx.commit();
    return c;
}

std::optional<AuditCheckpoint> AuditLog::latest_checkpoint() const {
    auto c = impl_->tables.latest_checkpoint();
    if (c) c->public_key = impl_->public_key;
    return c;
}

std::optional<Finding> AuditLog::Impl::check_checkpoints(
    const std::vector<AuditCheckpoint>& checkpoints) const {
    for (std::size_t i = 0; i < checkpoints.size(); ++i) {
        const auto& c = checkpoints[i];
        const auto expected = static_cast<std::int64_t>(i) + 1;
        if (c.number != expected) {
            return Finding{0, expected, fmt::format("checkpoint {} is missing", expected)};
        }
        if (c.key_id != key_id) {
            return Finding{0, c.number,
                           fmt::format("checkpoint {} names key {}, not the configured key {}",
                                       c.number, c.key_id, key_id)};
        }
        if (!audit::verify_signature(public_key, audit::checkpoint_message(c), c.signature)) {
            return Finding{0, c.number,
                           fmt::format("checkpoint {} (tree size {}): the signature does not "
                                       "verify: a field of the checkpoint was changed",
                                       c.number, c.tree_size)};
        }
        if (i > 0 && c.tree_size < checkpoints[i - 1].tree_size) {
            return Finding{0, c.number,
                           fmt::format("checkpoint {} has fewer entries than checkpoint {}",
                                       c.number, c.number - 1)};
        }
    }
    return std::nullopt;
}

std::optional<Finding> AuditLog::Impl::check_head(
    const std::optional<AuditHead>& head, const std::vector<AuditCheckpoint>& checkpoints) const {
    if (!head) {
        if (!checkpoints.empty()) return Finding{0, 0, "the signed head of the audit log is missing"};
        return std::nullopt;
    }
    if (!head_holds(*head)) {
        return Finding{0, 0, "the signed head does not verify: a field of audit_head was changed"};
    }
    if (head->checkpoints != static_cast<std::int64_t>(checkpoints.size())) {
        return Finding{0, static_cast<std::int64_t>(checkpoints.size()) + 1,
                       fmt::format("the signed head counts {} checkpoints, {} are stored: a "
                                   "checkpoint was removed or added",
                                   head->checkpoints, checkpoints.size())};
    }
    if (!checkpoints.empty() && checkpoints.back().tree_size > head->tree_size) {
        return Finding{0, checkpoints.back().number,
                       fmt::format("checkpoint {} covers more entries than the signed head",
                                   checkpoints.back().number)};
    }
    return std::nullopt;
}

std::optional<Finding> AuditLog::Impl::check_entry(
    const StoredAuditEntry& e, std::int64_t expected, std::int64_t head_size,
    const std::unordered_set<std::string>& erased) const {
    if (e.seq != expected) {
        return Finding{expected, 0,
                       fmt::format("entry {} is missing (the next stored entry is {})", expected,
                                   e.seq)};
    }
    if (e.seq > head_size) {
        return Finding{e.seq, 0,
                       fmt::format("entry {} is not covered by the signed head ({} entries): it "
                                   "was added outside the audit log",
                                   e.seq, head_size)};
    }
    if (e.leaf_hash != bytes_of(audit::leaf_hash(audit::entry_leaf(e)))) {
        return Finding{e.seq, 0,
                       fmt::format("entry {}: its stored fields do not match its leaf hash: the "
                                   "entry was changed, or moved from another position",
                                   e.seq)};
    }
    std::vector<std::string> pseudonyms;
    for (const auto& p : e.persons) pseudonyms.push_back(p.pseudonym);
    if (audit::pseudonyms_json(pseudonyms) != e.persons_json) {
        return Finding{e.seq, 0,
                       fmt::format("entry {}: the person index does not match the entry's persons",
                                   e.seq)};
    }
    for (const auto& p : e.persons) {
        if (p.person_id ? pseudonym(*p.person_id) != p.pseudonym : !erased.contains(p.pseudonym)) {
            return Finding{e.seq, 0,
                           fmt::format("entry {}: a person id in the person index {}", e.seq,
                                       p.person_id ? "does not match its pseudonym"
                                                   : "was removed without an erasure entry")};
        }
    }
    return std::nullopt;
}

AuditVerification AuditLog::verify() const {
    const auto& d = *impl_;
    const AuditStore::ReadSnapshot snapshot(d.tables);
    AuditVerification out;
    const auto fail = [&](const Finding& f) {
        out.ok = false;
        out.first_bad_entry = f.entry;
        out.bad_checkpoint = f.checkpoint;
        out.problem = f.problem;
        return out;
    };
    const auto checkpoints = d.tables.checkpoints();
    out.checkpoints = static_cast<std::int64_t>(checkpoints.size());
    if (auto f = d.check_checkpoints(checkpoints)) return fail(*f);
    const auto head = d.tables.head();
    if (auto f = d.check_head(head, checkpoints)) return fail(*f);
    const std::int64_t head_size = head ? head->tree_size : 0;
    const auto erased_list = d.tables.erased_pseudonyms();
    const std::unordered_set<std::string> erased(erased_list.begin(), erased_list.end());

    // Each checkpoint and the head must hold the root of the tree as it was at their size.
    audit::TreeBuilder tree;
    std::size_t next_checkpoint = 0;
    std::int64_t last_good_size = 0;  // largest size a signed root was found to match
    std::optional<Finding> finding;
    const auto check_roots = [&] {
        const auto size = static_cast<std::int64_t>(tree.size());
        const auto range = [&](std::string_view what) {
            return Finding{size > 0 ? last_good_size + 1 : 0, 0,
                           fmt::format("{} does not match the entries: one of entries {}..{} was "
                                       "changed, removed or replaced together with its leaf hash",
                                       what, last_good_size + 1, size)};
        };
        for (; next_checkpoint < checkpoints.size() && checkpoints[next_checkpoint].tree_size == size;
             ++next_checkpoint) {
            const auto& c = checkpoints[next_checkpoint];
            if (c.root_hash != tree.root()) {
                finding = range(fmt::format("checkpoint {} (tree size {})", c.number, size));
                finding->checkpoint = c.number;
                return false;
            }
            last_good_size = size;
        }
        if (head && size == head_size) {
            if (head->root_hash != tree.root() || head->frontier != tree.frontier()) {
                finding = range("the signed head");
                return false;
            }
            last_good_size = size;
        }
        return true;
    };
    if (!check_roots()) return fail(*finding);
    // Each bucket's stored summary must be the one its entries make: one more, one less or a
    // changed one would hide entries from queries.
    const auto stored_buckets = d.tables.bucket_numbers();
    std::size_t next_bucket = 0;
    AuditBucket bucket;  // of the entries read so far
    const auto first_seq = [](std::int64_t b) { return std::max<std::int64_t>(1, b << audit_bucket_bits); };
    const auto extra_bucket = [&] {
        const auto number = stored_buckets[next_bucket];
        finding = Finding{first_seq(number), 0,
                          fmt::format("audit bucket {} summarises entries {}..{}, which do not exist",
                                      number, first_seq(number),
                                      ((number + 1) << audit_bucket_bits) - 1)};
        return false;
    };
    // The entries of `bucket` are all read: its stored summary must be next, and equal.
    const auto bucket_read = [&] {
        if (next_bucket < stored_buckets.size() && stored_buckets[next_bucket] < bucket.bucket) {
            return extra_bucket();
        }
        if (next_bucket < stored_buckets.size() && stored_buckets[next_bucket] == bucket.bucket &&
            d.tables.bucket(bucket.bucket) == bucket) {
            ++next_bucket;
            return true;
        }
        finding = Finding{first_seq(bucket.bucket), 0,
                          fmt::format("audit bucket {} (entries from {}) does not match its entries: "
                                      "its times, actors, agencies or actions were changed, or it "
                                      "was removed",
                                      bucket.bucket, first_seq(bucket.bucket))};
        return false;
    };
    std::int64_t expected = 1;
    const auto orphan = d.tables.for_each_entry([&](const StoredAuditEntry& e) {
        finding = d.check_entry(e, expected, head_size, erased);
        if (finding) return false;
        const auto number = e.seq >> audit_bucket_bits;
        if (!bucket.actions.empty() && bucket.bucket != number) {
            if (!bucket_read()) return false;
            bucket = {};
        }
        bucket.bucket = number;
        bucket.add(e);
        tree.append(hash_of(e.leaf_hash));
        ++expected;
        return check_roots();
    });
    if (finding) return fail(*finding);
    const auto count = expected - 1;
    if (count < head_size) {
        return fail({count + 1, 0,
                     fmt::format("entry {} is missing: the signed head covers {} entries, {} are "
                                 "stored",
                                 count + 1, head_size, count)});
    }
    if (orphan) {
        return fail({*orphan, 0,
                     fmt::format("the person index names entry {}, which does not exist", *orphan)});
    }
    if (!bucket.actions.empty() && !bucket_read()) return fail(*finding);
    if (next_bucket < stored_buckets.size() && !extra_bucket()) return fail(*finding);
    out.ok = true;
    out.entries = count;
    out.root_hash = tree.root();
    return out;
}

InclusionProof AuditLog::inclusion_proof(std::int64_t entry, std::optional<std::int64_t> tree_size) const {
    const auto& d = *impl_;
    const AuditStore::ReadSnapshot snapshot(d.tables);
    const auto size = tree_size ? *tree_size : d.default_size("proof");
    const auto log_size = d.log_size();
    if (!tree_size && entry > size && entry <= log_size) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("entry {} came after the latest checkpoint ({} entries): run `qreg "
                                "audit checkpoint`, or give the tree size",
                                entry, size));
    }
    if (entry < 1 || entry > size || size > log_size) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("no entry {} in a tree of {} entries (the log has {})", entry, size,
                                log_size));
    }
    InclusionProof p;
    p.entry = entry;
    p.tree_size = size;
    auto stored = d.tables.entry(entry);
    if (!stored) throw Error(ErrorCode::storage, fmt::format("audit entry {} is missing", entry));
    stored->persons.clear();  // the plain ids stay in the registry
    p.leaf = audit::entry_leaf(*stored);
    p.leaf_hash = hash_of(stored->leaf_hash);
    p.fields = std::move(*stored);
    p.path = audit::inclusion_path(static_cast<std::uint64_t>(entry - 1),
                                   static_cast<std::uint64_t>(size),
                                   [&](std::uint64_t b, std::uint64_t e) { return d.range_hash(b, e); });
    p.checkpoint = d.checkpoint_of_size(size);
    return p;
}

ConsistencyProof AuditLog::consistency_proof(std::int64_t first,
                                             std::optional<std::int64_t> second) const {
    const auto& d = *impl_;
    const AuditStore::ReadSnapshot snapshot(d.tables);
    const auto size = second ? *second : d.default_size("consistency proof");
    const auto log_size = d.log_size();
    if (first < 1 || first > size || size > log_size) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("a consistency proof needs 0 < from <= to <= {} (the log's "
                                "entries); got from {}, to {}",
                                log_size, first, size));
    }
    ConsistencyProof p;
    p.first = first;
    p.second = size;
    p.path = audit::consistency_path(static_cast<std::uint64_t>(first), static_cast<std::uint64_t>(size),
                                     [&](std::uint64_t b, std::uint64_t e) { return d.range_hash(b, e); });
    p.first_checkpoint = d.checkpoint_of_size(first);
    p.second_checkpoint = d.checkpoint_of_size(size);
    return p;
}

AuditPage AuditLog::entries(const AuditFilter& filter, const AuditPageRequest& page) const {
    const auto& d = *impl_;
    AuditPageRequest bounded = page;
    bounded.limit = std::clamp<std::int64_t>(page.limit, 1, max_page);
    std::optional<std::string> pseudonym;
    if (filter.person_id) pseudonym = d.pseudonym(*filter.person_id);
    AuditPage out;
    out.entries = d.tables.entries(filter, pseudonym, bounded);
    if (static_cast<std::int64_t>(out.entries.size()) == bounded.limit) {
        out.next_after_seq = out.entries.back().seq;
    }
    return out;
}

std::optional<StoredAuditEntry> AuditLog::entry(std::int64_t seq) const {
    return impl_->tables.entry(seq);
}

std::string AuditLog::pseudonym(std::int64_t person_id) const { return impl_->pseudonym(person_id); }
std::string AuditLog::public_key() const { return impl_->public_key; }
std::string AuditLog::key_id() const { return impl_->key_id; }

std::int64_t AuditLog::size() const { return impl_->tables.entry_count(); }

ProofCheck check_proof(std::string_view proof_json, std::string_view checkpoint_json,
                       const std::optional<std::string>& public_key) {
    const auto signed_by = [&](const AuditCheckpoint& c, const std::string& key) -> std::optional<std::string> {
        if (public_key && c.public_key != *public_key) {
            return fmt::format("checkpoint {} carries another public key than the one given", c.number);
        }
        if (c.public_key != key) return fmt::format("checkpoint {} is signed by another key", c.number);
        if (c.key_id != audit::key_id(c.public_key)) {
            return fmt::format("checkpoint {}: key_id does not belong to its public key", c.number);
        }
        if (!audit::verify_signature(c.public_key, audit::checkpoint_message(c), c.signature)) {
            return fmt::format("checkpoint {}: the signature does not verify", c.number);
        }
        return std::nullopt;
    };
    try {
        const auto kept = checkpoint_from_json(checkpoint_json);
        if (auto bad = signed_by(kept, kept.public_key)) return {false, *bad};
        const auto proof = proof_from_json(proof_json);
        if (const auto* p = std::get_if<InclusionProof>(&proof)) {
            if (p->tree_size != kept.tree_size) {
                return {false, fmt::format("the proof is for a tree of {} entries, the checkpoint "
                                           "has {}: ask for the proof with --size {}",
                                           p->tree_size, kept.tree_size, kept.tree_size)};
            }
            if (p->fields.seq != p->entry || audit::entry_leaf(p->fields) != p->leaf) {
                return {false, "the proof's fields do not make its leaf"};
            }
            if (audit::leaf_hash(p->leaf) != p->leaf_hash) {
                return {false, "the proof's leaf hash is not SHA-256(0x00 || leaf)"};
            }
            if (!audit::verify_inclusion(static_cast<std::uint64_t>(p->entry - 1),
                                         static_cast<std::uint64_t>(p->tree_size), p->leaf_hash,
                                         p->path, kept.root_hash)) {
                return {false, fmt::format("entry {} is NOT proven to be in checkpoint {}: the "
                                           "path does not lead to its root",
                                           p->entry, kept.number)};
            }
            return {true, fmt::format("entry {} is in the log's first {} entries: checkpoint {} "
                                      "(root {}), signed by key {}",
                                      p->entry, kept.tree_size, kept.number,
                                      audit::to_hex(kept.root_hash), kept.key_id)};
        }
        const auto& p = std::get<ConsistencyProof>(proof);
        if (p.first != kept.tree_size) {
            return {false, fmt::format("the proof starts from a tree of {} entries, the checkpoint "
                                       "has {}: ask for the proof with --from {}",
                                       p.first, kept.tree_size, kept.tree_size)};
        }
        if (!p.second_checkpoint || p.second_checkpoint->tree_size != p.second) {
            return {false, fmt::format("the proof carries no signed checkpoint of {} entries: ask "
                                       "for it up to a checkpoint's size",
                                       p.second)};
        }
        const auto& newer = *p.second_checkpoint;
        if (auto bad = signed_by(newer, kept.public_key)) return {false, *bad};
        if (!audit::verify_consistency(static_cast<std::uint64_t>(p.first),
                                       static_cast<std::uint64_t>(p.second), kept.root_hash,
                                       newer.root_hash, p.path)) {
            return {false, fmt::format("checkpoint {} ({} entries) is NOT proven to extend "
                                       "checkpoint {} ({} entries): history may have been rewritten",
                                       newer.number, newer.tree_size, kept.number, kept.tree_size)};
        }
        return {true, fmt::format("checkpoint {} ({} entries, root {}) extends checkpoint {} ({} "
                                  "entries): the first {} entries were not rewritten",
                                  newer.number, newer.tree_size, audit::to_hex(newer.root_hash),
                                  kept.number, kept.tree_size, kept.tree_size)};
    } catch (const Error& e) {
        return {false, e.what()};
    }
}

}  // namespace qreg::registry
