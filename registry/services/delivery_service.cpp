#include "delivery_service.hpp"

#include "../config.hpp"
#include "crypto.hpp"
#include "sharing.hpp"
#include "sharing_service.hpp"

#include "qreg/connectors/http_client.hpp"
#include "qreg/error.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace qreg::registry {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

std::string join_ids(const std::vector<std::int64_t>& ids) {
    std::string out;
    for (const auto id : ids) out += fmt::format("{}{}", out.empty() ? "" : ",", id);
    return out;
}

// What the first step decided: a request to send, or nothing (the delivery was settled).
struct Prepared {
    DeliveryRow delivery;
    SubscriptionRow subscription;
    Rendering body;
};

// Step 1, one transaction: decide what may be sent now, record the disclosure with the
// decision, and take a lease (next_attempt_at) so that a crash while sending means a retry.
std::optional<Prepared> prepare(Store& store, AuditLog& audit, const SurvivorshipRules& rules,
                                const SharingSettings& settings, const Clock& clock,
                                std::int64_t id, OutboxReport& report) {
    Store::Transaction tx(store);
    const auto now = format_time(clock.now());
    auto row = store.delivery(id);
    if (!row || row->status != "pending" || row->next_attempt_at > now) return std::nullopt;
    auto& d = *row;
    const auto finish = [&](const char* status, std::string why, std::size_t& count) {
        d.status = status;
        d.last_error = std::move(why);
        d.finished_at = now;
        store.update_delivery(d);
        tx.commit();
        ++count;
        return std::nullopt;
    };
    const auto sub = store.subscription(d.subscription_id);
    if (!sub || !sub->cancelled_at.empty()) {
        return finish("cancelled", "subscription cancelled", report.cancelled);
    }
    const auto grant = grant_for(store.consents_of(d.person_id), sub->agency, now, sub->categories);
    if (grant.empty()) return finish("cancelled", "no consent in force", report.cancelled);
    if (store.person_record_pks(d.person_id).empty()) {
        return finish("cancelled", "the person no longer exists (merged)", report.cancelled);
    }
    const auto profile = current_profile(store, rules, d.person_id);
    const auto hash = shared_view_hash(profile, grant);
    if (store.delivered_view_hash(sub->id, d.person_id) == hash) {
        return finish("unchanged", "", report.unchanged);
    }
    auto body = render_shared_view(sub->format, d.person_id, profile, grant, now);
    d.attempts += 1;
    d.last_attempt_at = now;
    d.next_attempt_at =
        format_time(clock.now() + settings.timeout +
                    retry_delay(d.attempts, settings.first_retry, settings.max_retry));
    d.payload = body.body;
    d.view_hash = hash;
    d.consent_ids = join_ids(grant.consent_ids());
    store.update_delivery(d);
    // Recorded when released for sending: an attempt that times out may still have arrived.
    const AuditContext outbox{{"outbox", "system", sub->agency}, d.delivery_id};
    (void)record_disclosure(store,
                            {0, d.person_id, sub->agency, now, grant.categories,
                             grant.consent_ids(), grounds_json(grant), "push", "view",
                             sub->format, d.delivery_id},
                            grant, audit, outbox);
    tx.commit();
    return Prepared{std::move(d), *sub, std::move(body)};
}

// Step 2, no transaction open: the POST. Returns the error, empty when delivered (2xx).
std::string send(const Prepared& p, const SharingSettings& settings) {
    const auto url = parse_callback_url(p.subscription.callback_url);
    if (!url) return "the callback URL is not https://";
    connectors::HttpClientOptions options;
    options.host = url->host;
    options.port = url->port;
    options.ca_file = settings.ca_file;
    options.timeout = settings.timeout;
    const connectors::HeaderList headers = {
        {"Content-Type", p.body.content_type},
        {"Idempotency-Key", p.delivery.delivery_id},
        {"X-Qreg-Signature", "sha256=" + hmac_sha256_hex(p.subscription.secret, p.body.body)},
        {"X-Qreg-Consents", p.delivery.consent_ids},
        {"X-Qreg-Subscription", std::to_string(p.subscription.id)},
        {"X-Qreg-Person", std::to_string(p.delivery.person_id)},
        {"X-Qreg-Event", p.delivery.reason},
        {"X-Qreg-Attempt", std::to_string(p.delivery.attempts)},
    };
    try {
        connectors::HttpClient client(options);
        const auto result = client.request("POST", url->target, headers, p.body.body);
        if (result.status >= 200 && result.status < 300) return {};
        return fmt::format("the callback answered HTTP {}", result.status);
    } catch (const std::exception& e) {
        return e.what();
    }
}

// Step 3, one transaction: the outcome. A delivery cancelled while it was sent stays
// cancelled unless it arrived.
void settle(Store& store, const SharingSettings& settings, const Clock& clock, std::int64_t id,
            const std::string& error, OutboxReport& report, std::string_view log_prefix) {
    Store::Transaction tx(store);
    auto d = store.delivery(id);
    if (!d) return;
    const auto now = format_time(clock.now());
    if (error.empty()) {
        d->status = "delivered";
        d->last_error.clear();
        d->finished_at = now;
        ++report.delivered;
    } else {
        d->last_error = error;
        if (d->status == "pending" && d->attempts >= settings.max_attempts) {
            d->status = "failed";
            d->finished_at = now;
            ++report.failed;
        } else if (d->status == "pending") {
            d->next_attempt_at = format_time(
                clock.now() + retry_delay(d->attempts, settings.first_retry, settings.max_retry));
            ++report.retrying;
        }
    }
    store.update_delivery(*d);
    tx.commit();
    fmt::print(stderr, "{}: delivery {} (subscription {}, person {}) attempt {}: {}{}{}\n",
               log_prefix, d->delivery_id, d->subscription_id, d->person_id, d->attempts,
               d->status == "pending" ? "will retry" : d->status, error.empty() ? "" : ": ", error);
}

std::int64_t positive(const json::object& o, std::string_view key, std::int64_t fallback,
                      const fs::path& file) {
    const auto* v = o.if_contains(key);
    if (!v) return fallback;
    if (!v->is_int64() || v->as_int64() <= 0) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {} must be a positive whole number", file.string(), key));
    }
    return v->as_int64();
}

}  // namespace

SharingSettings load_sharing_settings(const fs::path& config_dir) {
    SharingSettings s;
    const auto file = config_dir / "sharing.json";
    if (!fs::exists(file)) return s;
    json::error_code ec;
    const auto doc = json::parse(read_config_file(file), ec);
    if (ec || !doc.is_object()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: not a JSON object", file.string()));
    }
    const auto& o = doc.as_object();
    for (const auto& [key, value] : o) {
        constexpr std::array<std::string_view, 6> known = {"max_attempts",     "first_retry_ms",
                                                           "max_retry_ms",     "timeout_ms",
                                                           "poll_interval_ms", "ca_file"};
        if (!key.starts_with("_") && std::find(known.begin(), known.end(), key) == known.end()) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: unknown key {}", file.string(), std::string_view(key)));
        }
    }
    const auto ms = [&](std::string_view key, std::chrono::milliseconds fallback) {
        return std::chrono::milliseconds(positive(o, key, fallback.count(), file));
    };
    s.max_attempts = positive(o, "max_attempts", s.max_attempts, file);
    s.first_retry = ms("first_retry_ms", s.first_retry);
    s.max_retry = ms("max_retry_ms", s.max_retry);
    s.timeout = ms("timeout_ms", s.timeout);
    s.poll_interval = ms("poll_interval_ms", s.poll_interval);
    if (const auto* ca = o.if_contains("ca_file")) {
        if (!ca->is_string()) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: ca_file must be a path", file.string()));
        }
        const fs::path path(std::string(ca->as_string()));
        if (!path.empty()) s.ca_file = path.is_absolute() ? path : config_dir / path;
        if (!s.ca_file.empty() && !fs::is_regular_file(s.ca_file)) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: ca_file {} is not a file",
                                                              file.string(), s.ca_file.string()));
        }
    }
    return s;
}

OutboxReport run_outbox(Store& store, AuditLog& audit, const SurvivorshipRules& rules,
                        const SharingSettings& settings, const Clock& clock,
                        std::string_view log_prefix, const std::function<bool()>& stop) {
    OutboxReport report;
    const auto stopped = [&] {
        return stop && stop();
    };
    while (!stopped()) {
        const auto due = store.due_deliveries(format_time(clock.now()), 20);
        if (due.empty()) break;
        for (const auto& d : due) {
            if (stopped()) break;
            const auto prepared = prepare(store, audit, rules, settings, clock, d.id, report);
            if (!prepared) continue;
            ++report.sent;
            const auto error = send(*prepared, settings);
            settle(store, settings, clock, d.id, error, report, log_prefix);
        }
    }
    return report;
}

DeliveryWorker::DeliveryWorker(fs::path db, AuditKeys keys, SurvivorshipRules rules,
                               SharingSettings settings, Clock clock)
    : db_(std::move(db)),
      keys_(std::move(keys)),
      rules_(std::move(rules)),
      settings_(std::move(settings)),
      clock_(clock),
      thread_([this] { run(); }) {}

DeliveryWorker::~DeliveryWorker() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void DeliveryWorker::run() {
    const auto stop = [this] {
        const std::lock_guard lock(mutex_);
        return stopping_;
    };
    std::optional<Store> store;
    std::optional<AuditLog> audit;
    while (!stop()) {
        try {
            if (!store) {
                store.emplace(db_);
                audit.emplace(*store, keys_);
            }
            (void)run_outbox(*store, *audit, rules_, settings_, clock_, "qreg serve", stop);
        } catch (const std::exception& e) {
            fmt::print(stderr, "qreg serve: the outbox run failed, trying again: {}\n", e.what());
            audit.reset();
            store.reset();
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, settings_.poll_interval, [this] { return stopping_; });
    }
}

}  // namespace qreg::registry
