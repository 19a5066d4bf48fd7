#include "sharing_service.hpp"

#include "../json_text.hpp"
#include "crypto.hpp"

#include "qreg/error.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace qreg::registry {

namespace json = boost::json;

namespace {

std::string_view today_of(std::string_view now) {
    return now.substr(0, 10);
}

// Pending pushes for `person_id` that nothing is in force for any more end here, so that a
// revocation stops them at once (the worker checks again when it sends). Returns how many.
std::int64_t cancel_unconsented(Store& store, std::int64_t person_id, std::string_view now) {
    const auto consents = store.consents_of(person_id);
    std::int64_t cancelled = 0;
    for (auto d : store.pending_deliveries_of(person_id)) {
        const auto sub = store.subscription(d.subscription_id);
        if (sub && !grant_for(consents, sub->agency, now, sub->categories).empty()) continue;
        d.status = "cancelled";
        d.last_error = "no consent in force";
        d.finished_at = std::string(now);
        store.update_delivery(d);
        ++cancelled;
    }
    return cancelled;
}

// A consent change as the audit log keeps it: the person, the categories, the legal basis.
AuditEntry consent_entry(const AuditContext& context, const char* action, const ConsentRow& c,
                         json::object details) {
    auto entry = audit_entry(context, action);
    entry.persons = {c.person_id};
    entry.categories = c.categories;
    entry.legal_basis = legal_basis_text(c);
    details["consent_id"] = c.id;
    details["recipient"] = c.recipient;
    entry.details_json = compact_json(details);
    return entry;
}

// A pull that disclosed nothing: the attempt is an access all the same.
void record_not_shared(AuditLog& audit, const Recipient& recipient, std::vector<std::int64_t> persons,
                       const char* kind) {
    auto entry = audit_entry(recipient.context, audit_action::share_pull);
    entry.persons = std::move(persons);
    entry.outcome = "not_shared";
    entry.details_json = compact_json(json::object{{"recipient", recipient.agency}, {"kind", kind}});
    audit.append(entry);
}

}  // namespace

ConsentRow create_consent(Store& store, std::int64_t person_id, const NewConsent& consent,
                          std::string_view actor, std::string_view now, AuditLog& audit,
                          const AuditContext& context) {
    check_new_consent(consent, today_of(now));
    Store::Transaction tx(store);
    if (store.person_record_pks(person_id).empty()) {
        throw Error(ErrorCode::not_found, fmt::format("no person {}", person_id));
    }
    if (!store.agency(consent.recipient)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("unknown recipient '{}'; the agencies are listed by `qreg agency "
                                "list`",
                                consent.recipient));
    }
    ConsentRow row{0,
                   person_id,
                   consent.recipient,
                   consent.categories,
                   consent.purpose,
                   consent.legal_basis,
                   consent.statute,
                   consent.valid_from,
                   consent.valid_until,
                   consent.evidence,
                   std::string(actor),
                   std::string(now),
                   {},
                   {}};
    row.id = store.add_consent(row);
    const std::array<std::int64_t, 1> changed{person_id};
    enqueue_changes(store, changed, "consent", now);
    audit.append(consent_entry(context, audit_action::consent_grant, row,
                               {{"purpose", row.purpose},
                                {"valid_from", row.valid_from},
                                {"valid_until", row.valid_until}}));
    tx.commit();
    return row;
}

ConsentRow revoke_consent(Store& store, std::int64_t consent_id, std::string_view actor,
                          std::string_view now, AuditLog& audit, const AuditContext& context) {
    Store::Transaction tx(store);
    const auto before = store.consent(consent_id);
    if (!before) throw Error(ErrorCode::not_found, fmt::format("no consent {}", consent_id));
    if (!store.revoke_consent(consent_id, now, actor)) {
        throw Error(ErrorCode::conflict, fmt::format("consent {} was revoked already at {}",
                                                     consent_id, before->revoked_at));
    }
    const auto cancelled = cancel_unconsented(store, before->person_id, now);
    auto after = *store.consent(consent_id);
    audit.append(consent_entry(context, audit_action::consent_revoke, after,
                               {{"cancelled_pushes", cancelled}}));
    tx.commit();
    return after;
}

std::vector<ConsentRow> person_consents(const Store& store, std::int64_t person_id) {
    auto consents = store.consents_of(person_id);
    if (consents.empty() && store.person_record_pks(person_id).empty()) {
        throw Error(ErrorCode::not_found, fmt::format("no person {}", person_id));
    }
    return consents;
}

std::optional<std::int64_t> shared_lookup(Store& store, const Recipient& recipient,
                                          std::string_view identifier,
                                          std::span<const std::string> record_id_sources,
                                          std::string_view now, AuditLog& audit) {
    Store::Transaction tx(store);
    std::vector<std::pair<std::int64_t, Grant>> found;
    for (const auto person : store.persons_with_identifier(identifier, record_id_sources)) {
        auto grant = grant_for(store.consents_of(person), recipient.agency, now);
        if (!grant.empty()) found.emplace_back(person, std::move(grant));
    }
    if (found.empty()) {
        record_not_shared(audit, recipient, {}, "lookup");
        tx.commit();
        return std::nullopt;
    }
    if (found.size() > 1) {
        throw Error(ErrorCode::conflict,
                    "the identifier names more than one person shared with this agency; ask the "
                    "registry's caseworkers");
    }
    const auto& [person, grant] = found.front();
    (void)record_disclosure(store,
                            {0, person, recipient.agency, std::string(now), {},
                             grant.consent_ids(), grounds_json(grant), "pull", "lookup", "",
                             recipient.context.request_id},
                            grant, audit, recipient.context);
    tx.commit();
    return person;
}

std::optional<Rendering> shared_view(Store& store, const SurvivorshipRules& rules,
                                     const Recipient& recipient, std::int64_t person_id,
                                     std::string_view format, std::string_view now,
                                     AuditLog& audit) {
    check_share_format(format);
    Store::Transaction tx(store);
    const auto grant = grant_for(store.consents_of(person_id), recipient.agency, now);
    if (grant.empty() || store.person_record_pks(person_id).empty()) {
        record_not_shared(audit, recipient, {person_id}, "view");
        tx.commit();
        return std::nullopt;
    }
    auto rendering =
        render_shared_view(format, person_id, current_profile(store, rules, person_id), grant, now);
    (void)record_disclosure(store,
                            {0, person_id, recipient.agency, std::string(now), grant.categories,
                             grant.consent_ids(), grounds_json(grant), "pull", "view",
                             std::string(format), recipient.context.request_id},
                            grant, audit, recipient.context);
    tx.commit();
    return rendering;
}

SubscriptionRow create_subscription(Store& store, const NewSubscription& s, std::string_view actor,
                                    std::string_view now, AuditLog& audit,
                                    const AuditContext& context) {
    if (!parse_callback_url(s.callback_url)) {
        throw Error(ErrorCode::invalid_input,
                    "\"callback_url\" must be an https:// URL (host, optional port, path) without "
                    "credentials");
    }
    check_categories(s.categories, "categories");
    check_share_format(s.format);
    SubscriptionRow row{0,
                        s.agency,
                        s.callback_url,
                        s.categories,
                        s.format,
                        random_base64url(32),
                        std::string(actor),
                        std::string(now),
                        {}};
    Store::Transaction tx(store);
    if (!store.agency(s.agency)) {
        throw Error(ErrorCode::invalid_input, fmt::format("unknown agency '{}'", s.agency));
    }
    row.id = store.add_subscription(row);
    auto entry = audit_entry(context, audit_action::subscription_create);
    entry.categories = row.categories;
    entry.details_json = compact_json(json::object{{"subscription_id", row.id},
                                                   {"agency", row.agency},
                                                   {"callback_url", row.callback_url},
                                                   {"format", row.format}});
    audit.append(entry);
    tx.commit();
    return row;
}

void cancel_subscription(Store& store, std::int64_t subscription_id, std::string_view agency,
                         std::string_view now, AuditLog& audit, const AuditContext& context) {
    Store::Transaction tx(store);
    const auto sub = store.subscription(subscription_id);
    if (!sub || !sub->cancelled_at.empty() || (!agency.empty() && sub->agency != agency)) {
        throw Error(ErrorCode::not_found,
                    fmt::format("no active subscription {}", subscription_id));
    }
    store.cancel_subscription(subscription_id, now);
    std::int64_t cancelled = 0;
    for (auto d : store.deliveries_of(subscription_id)) {
        if (d.status != "pending") continue;
        d.status = "cancelled";
        d.last_error = "subscription cancelled";
        d.finished_at = std::string(now);
        store.update_delivery(d);
        ++cancelled;
    }
    auto entry = audit_entry(context, audit_action::subscription_cancel);
    entry.categories = sub->categories;
    entry.details_json = compact_json(json::object{{"subscription_id", sub->id},
                                                   {"agency", sub->agency},
                                                   {"cancelled_pushes", cancelled}});
    audit.append(entry);
    tx.commit();
}

void enqueue_changes(Store& store, std::span<const std::int64_t> persons, std::string_view reason,
                     std::string_view now) {
    if (persons.empty()) return;
    const auto subscriptions = store.subscriptions("");
    if (subscriptions.empty()) return;
    for (const auto person : persons) {
        const auto consents = store.consents_of(person);
        for (const auto sub : subscriptions_to_notify(consents, subscriptions, now)) {
            DeliveryRow d;
            d.delivery_id = random_uuid();
            d.subscription_id = sub;
            d.person_id = person;
            d.reason = std::string(reason);
            d.created_at = std::string(now);
            (void)store.enqueue_delivery(d);  // false: a waiting delivery carries this change
        }
    }
}

void enqueue_moves(Store& store, std::span<const PersonAssignment> moves, std::string_view reason,
                   std::string_view now) {
    if (moves.empty() || store.subscriptions("").empty()) return;
    // Only persons with consents can be concerned: index their records once, then one pass.
    std::map<std::int64_t, std::int64_t> owner;  // record pk -> consented person
    std::set<std::int64_t> consented;
    for (const auto person : store.consented_persons()) {
        consented.insert(person);
        for (const auto pk : store.person_record_pks(person)) owner[pk] = person;
    }
    std::set<std::int64_t> changed;
    for (const auto& m : moves) {
        if (consented.count(m.person_id)) changed.insert(m.person_id);
        if (const auto it = owner.find(m.record_pk); it != owner.end()) changed.insert(it->second);
    }
    const std::vector<std::int64_t> persons(changed.begin(), changed.end());
    enqueue_changes(store, persons, reason, now);
}

std::string current_profile(const Store& store, const SurvivorshipRules& rules,
                            std::int64_t person_id) {
    return profile_of_records(person_id, store.person_records(person_id), rules);
}

std::string profile_of_records(std::int64_t person_id, std::vector<Record> records,
                               const SurvivorshipRules& rules) {
    std::vector<ProfileSource> sources;
    sources.reserve(records.size());
    for (auto& r : records) {
        auto source = r.source;
        auto record_id = r.record_id;
        auto stand = r.stand;
        const bool retracted = r.is_retracted;
        sources.push_back({std::move(source), std::move(record_id), std::move(stand), retracted,
                           std::move(r)});
    }
    return profile_json(person_id, sources, rules);
}

std::int64_t record_disclosure(Store& store, const DisclosureRow& disclosure, const Grant& grant,
                               AuditLog& audit, const AuditContext& context) {
    const auto id = store.add_disclosure(disclosure);
    const bool push = disclosure.channel == "push";
    auto entry = audit_entry(context, push ? audit_action::share_push : audit_action::share_pull);
    entry.persons = {disclosure.person_id};
    entry.categories = disclosure.categories;
    entry.legal_basis = legal_basis_text(grant);
    json::array consents;
    for (const auto c : disclosure.consent_ids) consents.emplace_back(c);
    json::object details{{"disclosure_id", id},
                         {"recipient", disclosure.recipient},
                         {"kind", disclosure.kind},
                         {"consents", std::move(consents)}};
    if (!disclosure.format.empty()) details["format"] = disclosure.format;
    entry.details_json = compact_json(details);
    audit.append(entry);
    return id;
}

}  // namespace qreg::registry
