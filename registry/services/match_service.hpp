#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "../storage/store.hpp"
#include "audit_service.hpp"
#include "qreg/dedup/engine.hpp"

// Matching use cases: recompute all persons, (re)train the model, explain a pair.
namespace qreg::registry {

struct DedupReport {
    std::size_t records = 0;  // current, not retracted
    std::size_t persons = 0;
    std::size_t records_moved = 0;  // records whose person id changed
    std::size_t review_pairs = 0;
    std::size_t pairs_scored = 0;    // pairs in blocks (a pair once per block it is in)
    std::size_t names_compared = 0;  // distinct pairs compared in full (the rest: ruled out early)
    dedup::BlockingStats blocking;
    bool trained = false;
    int em_iterations = 0;
};

using StepFn = std::function<void(std::string_view step)>;

// Recomputes all persons from scratch with the stored model (training one first when none is
// stored or `retrain` is set). Person ids stay where a person's records did not change.
// One transaction; with `audit`, an audit entry with the counts commits in it. Also rebuilds
// the match index that incremental matching reads.
[[nodiscard]] DedupReport run_dedup(Store& store, const dedup::MatchSettings& settings, bool retrain,
                                    std::string_view now, const StepFn& step = {},
                                    AuditLog* audit = nullptr, const AuditContext& context = {});

// How an import's records are matched: against their neighbourhood in the registry
// (incremental), by recomputing all persons (full), or as `automatic` decides: full when the
// registry's match index is not built yet, no model is stored, or the import changed at least
// `settings.full_recompute_share` of the records matched so far; incremental otherwise. A full
// recomputation on import retrains the model first.
enum class MatchMode { automatic, incremental, full };

struct MatchReport {
    bool full = false;              // all persons were recomputed
    std::size_t records = 0;        // changed records matched (incremental)
    std::size_t compared = 0;       // registry records they were compared with (found in their blocks)
    std::size_t read = 0;           // of those, the ones their summaries could not rule out
    std::size_t reclustered = 0;    // records of the persons concerned, clustered again
    std::size_t persons = 0;        // persons those records form now
    std::size_t records_moved = 0;  // records whose person id changed
    std::size_t review_pairs = 0;   // possible matches among them, in the review queue
};

// The report as JSON, {"mode": "full" | "incremental", and the counts}: in an import's summary
// and in the audit entry of an incremental match.
[[nodiscard]] std::string match_report_json(const MatchReport& report);

// Matches the records an import created, updated or retracted (`changed`, record keys) against
// the registry, inside the caller's transaction. Incremental matching scores each changed
// record against the records sharing a block key with it, then clusters again every record of
// the persons concerned (those of the changed records and of every record that scored at least
// the review weight), with the stored model and the registry's name frequencies, as the full
// recomputation would. With `audit`, an audit entry with the counts.
[[nodiscard]] MatchReport match_changes(Store& store, const dedup::MatchSettings& settings,
                                        std::span<const std::int64_t> changed, std::string_view now,
                                        MatchMode mode = MatchMode::automatic,
                                        AuditLog* audit = nullptr, const AuditContext& context = {});

struct TrainReport {
    dedup::FsParameters parameters;
    int iterations = 0;
    bool converged = false;
    std::size_t pairs = 0;
};

// Re-estimates the model by EM over the candidate pairs and stores it.
[[nodiscard]] TrainReport train_model(Store& store, const dedup::MatchSettings& settings,
                                      std::string_view now);

struct RecordRef {
    std::string source;
    std::string record_id;
};

// Why two records were or were not linked; the human-readable table.
[[nodiscard]] std::string explain_pair(const Store& store, const dedup::MatchSettings& settings,
                                       const RecordRef& a, const RecordRef& b);

}  // namespace qreg::registry
