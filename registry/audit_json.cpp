#include "audit_json.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "audit/merkle.hpp"
#include "qreg/error.hpp"

namespace qreg::registry {

namespace json = boost::json;

namespace {

std::string hex(std::string_view bytes) {
    return audit::to_hex(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

json::array hashes(const std::vector<AuditHash>& list) {
    json::array out;
    for (const auto& h : list) out.emplace_back(audit::to_hex(h));
    return out;
}

json::object checkpoint_object(const AuditCheckpoint& c) {
    return {{"number", c.number},         {"tree_size", c.tree_size},
            {"root_hash", audit::to_hex(c.root_hash)}, {"time", c.time},
            {"key_id", c.key_id},         {"public_key", hex(c.public_key)},
            {"signature", hex(c.signature)}};
}

json::value optional_checkpoint(const std::optional<AuditCheckpoint>& c) {
    return c ? json::value(checkpoint_object(*c)) : json::value(nullptr);
}

// The stored text columns as they are, so that a checker can rebuild the leaf byte for byte.
json::object stored_fields(const StoredAuditEntry& e) {
    return {{"seq", e.seq},
            {"time", e.time},
            {"actor", e.actor},
            {"role", e.role},
            {"agency", e.agency},
            {"action", e.action},
            {"persons", e.persons_json},
            {"categories", e.categories_json},
            {"legal_basis", e.legal_basis},
            {"request_id", e.request_id},
            {"outcome", e.outcome},
            {"details", e.details_json}};
}

json::value parsed_or_text(const std::string& text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    return ec ? json::value(text) : v;
}

// Reading: every accessor names the field it wanted.
class Reader {
public:
    Reader(const json::object& o, std::string what) : o_(o), what_(std::move(what)) {}

    const json::value& at(std::string_view key) const {
        const auto* v = o_.if_contains(key);
        if (!v) fail(key, "is missing");
        return *v;
    }
    std::string text(std::string_view key) const {
        const auto& v = at(key);
        if (!v.is_string()) fail(key, "must be a string");
        return std::string(v.get_string());
    }
    std::int64_t integer(std::string_view key) const {
        const auto& v = at(key);
        if (v.is_int64() && v.get_int64() >= 0) return v.get_int64();
        if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
            return static_cast<std::int64_t>(v.get_uint64());
        }
        fail(key, "must be a non-negative integer");
    }
    std::string bytes(std::string_view key, std::size_t size) const {
        const auto b = audit::bytes_from_hex(text(key));
        if (!b || (size && b->size() != size)) {
            fail(key, size ? fmt::format("must be {} hex digits", 2 * size) : "must be hex");
        }
        return *b;
    }
    AuditHash hash(std::string_view key) const {
        const auto h = audit::hash_from_hex(text(key));
        if (!h) fail(key, "must be 64 hex digits");
        return *h;
    }
    std::vector<AuditHash> hash_list(std::string_view key) const {
        const auto& v = at(key);
        if (!v.is_array()) fail(key, "must be an array of hashes");
        std::vector<AuditHash> out;
        for (const auto& item : v.get_array()) {
            const auto h = item.is_string() ? audit::hash_from_hex(item.get_string()) : std::nullopt;
            if (!h) fail(key, "must be an array of 64-hex-digit hashes");
            out.push_back(*h);
        }
        return out;
    }
    const json::object& object(std::string_view key) const {
        const auto& v = at(key);
        if (!v.is_object()) fail(key, "must be an object");
        return v.get_object();
    }
    std::optional<AuditCheckpoint> optional_checkpoint(std::string_view key) const;

    [[noreturn]] void fail(std::string_view key, std::string_view what) const {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: {} {}", what_, key, what));
    }

private:
    const json::object& o_;
    std::string what_;
};

AuditCheckpoint checkpoint_from(const json::object& o, const std::string& what) {
    const Reader r(o, what);
    return {r.integer("number"), r.integer("tree_size"), r.hash("root_hash"), r.text("time"),
            r.text("key_id"),    r.bytes("signature", 64), r.bytes("public_key", 32)};
}

std::optional<AuditCheckpoint> Reader::optional_checkpoint(std::string_view key) const {
    const auto* v = o_.if_contains(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_object()) fail(key, "must be a checkpoint object or null");
    return checkpoint_from(v->get_object(), fmt::format("{} {}", what_, key));
}

json::object parse_object(std::string_view text, std::string_view what) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{} is not a JSON object", what));
    }
    return std::move(v.get_object());
}

}  // namespace

std::string to_json(const AuditCheckpoint& c) { return json::serialize(checkpoint_object(c)); }

std::string to_json(const InclusionProof& p) {
    return json::serialize(json::object{{"type", "inclusion"},
                                        {"entry", p.entry},
                                        {"leaf_index", p.entry - 1},
                                        {"tree_size", p.tree_size},
                                        {"fields", stored_fields(p.fields)},
                                        {"leaf", hex(p.leaf)},
                                        {"leaf_hash", audit::to_hex(p.leaf_hash)},
                                        {"path", hashes(p.path)},
                                        {"checkpoint", optional_checkpoint(p.checkpoint)}});
}

std::string to_json(const ConsistencyProof& p) {
    return json::serialize(json::object{{"type", "consistency"},
                                        {"first", p.first},
                                        {"second", p.second},
                                        {"path", hashes(p.path)},
                                        {"first_checkpoint", optional_checkpoint(p.first_checkpoint)},
                                        {"second_checkpoint", optional_checkpoint(p.second_checkpoint)}});
}

std::string to_json(const StoredAuditEntry& e) {
    json::array persons;
    for (const auto& p : e.persons) {
        persons.push_back(json::object{
            {"pseudonym", p.pseudonym},
            {"person_id", p.person_id ? json::value(*p.person_id) : json::value(nullptr)}});
    }
    return json::serialize(json::object{{"seq", e.seq},
                                        {"time", e.time},
                                        {"actor", e.actor},
                                        {"role", e.role},
                                        {"agency", e.agency},
                                        {"action", e.action},
                                        {"persons", std::move(persons)},
                                        {"categories", parsed_or_text(e.categories_json)},
                                        {"legal_basis", e.legal_basis},
                                        {"request_id", e.request_id},
                                        {"outcome", e.outcome},
                                        {"details", parsed_or_text(e.details_json)},
                                        {"leaf_hash", hex(e.leaf_hash)}});
}

std::string to_json(const AuditVerification& v) {
    json::object o{{"ok", v.ok}, {"entries", v.entries}, {"checkpoints", v.checkpoints}};
    if (v.ok) {
        o["root_hash"] = audit::to_hex(v.root_hash);
    } else {
        o["first_bad_entry"] = v.first_bad_entry ? json::value(v.first_bad_entry) : json::value(nullptr);
        o["bad_checkpoint"] = v.bad_checkpoint ? json::value(v.bad_checkpoint) : json::value(nullptr);
        o["problem"] = v.problem;
    }
    return json::serialize(o);
}

AuditCheckpoint checkpoint_from_json(std::string_view text) {
    return checkpoint_from(parse_object(text, "checkpoint"), "checkpoint");
}

std::variant<InclusionProof, ConsistencyProof> proof_from_json(std::string_view text) {
    const auto o = parse_object(text, "proof");
    const Reader r(o, "proof");
    const auto type = r.text("type");
    if (type == "inclusion") {
        InclusionProof p;
        p.entry = r.integer("entry");
        p.tree_size = r.integer("tree_size");
        const Reader f(r.object("fields"), "proof fields");
        p.fields = {f.integer("seq"),     f.text("time"),       f.text("actor"),
                    f.text("role"),       f.text("agency"),     f.text("action"),
                    f.text("persons"),    f.text("categories"), f.text("legal_basis"),
                    f.text("request_id"), f.text("outcome"),    f.text("details"),
                    {},                   {}};
        p.leaf = r.bytes("leaf", 0);
        p.leaf_hash = r.hash("leaf_hash");
        p.path = r.hash_list("path");
        p.checkpoint = r.optional_checkpoint("checkpoint");
        return p;
    }
    if (type == "consistency") {
        ConsistencyProof p;
        p.first = r.integer("first");
        p.second = r.integer("second");
        p.path = r.hash_list("path");
        p.first_checkpoint = r.optional_checkpoint("first_checkpoint");
        p.second_checkpoint = r.optional_checkpoint("second_checkpoint");
        return p;
    }
    r.fail("type", "must be \"inclusion\" or \"consistency\"");
}

}  // namespace qreg::registry
