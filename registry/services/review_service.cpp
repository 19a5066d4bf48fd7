#include "review_service.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "qreg/error.hpp"
#include "sharing_service.hpp"

namespace qreg::registry {

namespace {

std::vector<std::int64_t> records_of(const Store& store, std::int64_t person_id) {
    auto pks = store.person_record_pks(person_id);
    if (pks.empty()) {
        throw Error(ErrorCode::not_found, fmt::format("no person {}", person_id));
    }
    return pks;
}

// `reason` names the correction for the pushes it causes to agencies.
void move_records(Store& store, const std::vector<std::int64_t>& pks, std::int64_t to,
                  std::string_view reason, std::string_view now) {
    std::vector<PersonAssignment> moves;
    for (const auto pk : pks) moves.push_back({pk, to});
    enqueue_moves(store, moves, reason, now);
    store.assign_persons(moves);
}

// The decision's actor as recorded with the constraint: `name (role)`.
std::string decider(const AuditContext& context) {
    return context.actor.role.empty() ? context.actor.principal
                                      : context.actor.principal + " (" + context.actor.role + ")";
}

void record(AuditLog* audit, const AuditContext& context, const char* action,
            std::vector<std::int64_t> persons, std::string details_json) {
    if (!audit) return;
    auto entry = audit_entry(context, action);
    entry.persons = std::move(persons);
    entry.details_json = std::move(details_json);
    audit->append(entry);
}

}  // namespace

void decide_review(Store& store, std::int64_t review_id, bool link, std::string_view now,
                   AuditLog* audit, const AuditContext& context) {
    const auto actor = decider(context);
    Store::Transaction tx(store);
    const auto pair = store.review_pair(review_id);
    if (!pair) {
        throw Error(ErrorCode::not_found,
                    fmt::format("no review item {}; it may have been decided already", review_id));
    }
    store.add_decision({pair->record_a, pair->record_b, link, std::string(actor), std::string(now)});
    const auto a = store.person_of(pair->record_a), b = store.person_of(pair->record_b);
    if (link && a && b && *a != *b) {
        move_records(store, store.person_record_pks(*b), *a, "review", now);
    }
    if (!link && a && b && *a == *b) {  // linked after all: the second record leaves
        move_records(store, {pair->record_b}, store.allocate_person_ids(1), "review", now);
    }
    std::vector<std::int64_t> persons;
    for (const auto p : {a, b}) {
        if (p && std::find(persons.begin(), persons.end(), *p) == persons.end()) persons.push_back(*p);
    }
    record(audit, context, audit_action::review_decision, persons,
           fmt::format(R"({{"review_id":{},"decision":"{}"}})", review_id, link ? "link" : "separate"));
    tx.commit();
}

std::int64_t split_person(Store& store, std::int64_t person_id, const std::vector<RecordKey>& records,
                          std::string_view now, AuditLog* audit, const AuditContext& context) {
    const auto actor = decider(context);
    Store::Transaction tx(store);
    const auto all = records_of(store, person_id);
    std::vector<std::int64_t> moving;
    for (const auto& r : records) {
        const auto pk = store.record_pk(r.source, r.record_id);
        if (!pk || std::find(all.begin(), all.end(), *pk) == all.end()) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("a record of source {} named in the split is not a record of "
                                    "person {}",
                                    r.source, person_id));
        }
        if (std::find(moving.begin(), moving.end(), *pk) == moving.end()) moving.push_back(*pk);
    }
    if (moving.empty() || moving.size() == all.size()) {
        throw Error(ErrorCode::invalid_input,
                    "a split moves some, not all, of the person's records: name at least one "
                    "record and leave at least one");
    }
    const std::string who(actor), at(now);
    for (const auto stay : all) {
        if (std::find(moving.begin(), moving.end(), stay) != moving.end()) continue;
        for (const auto go : moving) store.add_decision({stay, go, false, who, at});
    }
    for (std::size_t i = 1; i < moving.size(); ++i) {
        store.add_decision({moving[0], moving[i], true, who, at});
    }
    const auto new_id = store.allocate_person_ids(1);
    move_records(store, moving, new_id, "split", now);
    record(audit, context, audit_action::split, {person_id, new_id},
           fmt::format(R"({{"records_moved":{}}})", moving.size()));
    tx.commit();
    return new_id;
}

void merge_persons(Store& store, std::int64_t person_id, std::int64_t other_id,
                   std::string_view now, AuditLog* audit, const AuditContext& context) {
    const auto actor = decider(context);
    if (person_id == other_id) {
        throw Error(ErrorCode::invalid_input, "a person cannot be merged with itself");
    }
    Store::Transaction tx(store);
    const auto into = records_of(store, person_id);
    const auto from = records_of(store, other_id);
    store.add_decision({into.front(), from.front(), true, std::string(actor), std::string(now)});
    move_records(store, from, person_id, "merge", now);
    record(audit, context, audit_action::merge, {person_id, other_id},
           fmt::format(R"({{"records_moved":{}}})", from.size()));
    tx.commit();
}

}  // namespace qreg::registry
