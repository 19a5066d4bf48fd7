#include "log_format.hpp"

#include <fmt/format.h>

#include "merkle.hpp"

namespace qreg::audit {

namespace {

void netstring(std::string& out, std::string_view bytes) {
    out += fmt::format("{}:", bytes.size());
    out += bytes;
    out += ',';
}

}  // namespace

std::string entry_leaf(const StoredAuditEntry& e) {
    std::string out;
    out.reserve(96 + e.time.size() + e.actor.size() + e.role.size() + e.agency.size() +
                e.action.size() + e.persons_json.size() + e.categories_json.size() +
                e.legal_basis.size() + e.request_id.size() + e.outcome.size() + e.details_json.size());
    netstring(out, "qreg audit entry v1");
    netstring(out, fmt::format("{}", e.seq));
    for (const std::string* field : {&e.time, &e.actor, &e.role, &e.agency, &e.action, &e.persons_json,
                                     &e.categories_json, &e.legal_basis, &e.request_id, &e.outcome,
                                     &e.details_json}) {
        netstring(out, *field);
    }
    return out;
}

std::string checkpoint_message(const AuditCheckpoint& c) {
    return fmt::format("qreg audit checkpoint v1\nnumber {}\nsize {}\nroot {}\ntime {}\nkey {}\n",
                       c.number, c.tree_size, to_hex(c.root_hash), c.time, c.key_id);
}

std::string head_message(const AuditHead& h) {
    return fmt::format("qreg audit head v1\nsize {}\nroot {}\ncheckpoints {}\ntime {}\nkey {}\n",
                       h.tree_size, to_hex(h.root_hash), h.checkpoints, h.time, h.key_id);
}

std::string key_id(std::string_view public_key) {
    const auto digest = sha256(public_key);
    return to_hex(std::span<const std::uint8_t>(digest).first(8));
}

std::string pseudonyms_json(std::span<const std::string> pseudonyms) {
    std::string out = "[";
    for (const auto& p : pseudonyms) {
        if (out.size() > 1) out += ',';
        out += '"';
        out += p;
        out += '"';
    }
    return out + ']';
}

}  // namespace qreg::audit
