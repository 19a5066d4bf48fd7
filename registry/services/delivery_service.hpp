#pragma once

#include "../storage/store.hpp"
#include "audit_service.hpp"
#include "clock.hpp"
#include "profile.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

// The push connector: runs the outbox. Each due delivery is decided under the consents in
// force when it is sent (nothing in force: cancelled), recorded as a disclosure in that same
// transaction, then POSTed to the subscription's callback over HTTPS with an Idempotency-Key
// (the same on every attempt) and an HMAC-SHA256 signature. Failures are retried with
// exponential back-off; the outbox lives in the database, so deliveries survive restarts.
namespace qreg::registry {

struct SharingSettings {
    std::int64_t max_attempts = 10;  // then the delivery is `failed`
    std::chrono::milliseconds first_retry{1000};
    std::chrono::milliseconds max_retry{std::chrono::hours(1)};
    std::chrono::milliseconds timeout{10000};       // per HTTP request
    std::chrono::milliseconds poll_interval{1000};  // of the worker in `qreg serve`
    // Trust anchors (PEM) for the callbacks' certificates; empty: the system's store.
    std::filesystem::path ca_file;
};

// <config>/sharing.json: {"max_attempts", "first_retry_ms", "max_retry_ms", "timeout_ms",
// "poll_interval_ms", "ca_file" (relative to the config folder)}; keys starting with `_` are
// comments. Defaults when the file is absent. Throws Error{invalid_input} naming file and key.
[[nodiscard]] SharingSettings load_sharing_settings(const std::filesystem::path& config_dir);

struct OutboxReport {
    std::size_t sent = 0;  // attempts made
    std::size_t delivered = 0;
    std::size_t retrying = 0;   // failed attempts that will be tried again
    std::size_t failed = 0;     // given up after max_attempts
    std::size_t cancelled = 0;  // nothing in force any more, or the subscription ended
    std::size_t unchanged = 0;  // the subscription has this view already
};

// Runs the deliveries due now, one after the other, until none is due or `stop` says so.
// Each attempt is a disclosure with its audit entry in `audit` (on `store`; actor "outbox").
// Outcomes are logged (ids and status only) with `log_prefix`. Throws Error{storage}.
OutboxReport run_outbox(Store& store, AuditLog& audit, const SurvivorshipRules& rules,
                        const SharingSettings& settings, const Clock& clock,
                        std::string_view log_prefix, const std::function<bool()>& stop = {});

// A thread running the outbox of `db` (with its own Store) every poll interval, for
// `qreg serve`. Failures are logged and tried again at the next round.
class DeliveryWorker {
public:
    DeliveryWorker(std::filesystem::path db, AuditKeys keys, SurvivorshipRules rules,
                   SharingSettings settings, Clock clock);
    ~DeliveryWorker();  // stops after the delivery under way, and joins
    DeliveryWorker(const DeliveryWorker&) = delete;
    DeliveryWorker& operator=(const DeliveryWorker&) = delete;

private:
    void run();

    std::filesystem::path db_;
    AuditKeys keys_;
    SurvivorshipRules rules_;
    SharingSettings settings_;
    Clock clock_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace qreg::registry
