#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
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
    std::size_t pairs_scored = 0;
    dedup::BlockingStats blocking;
    bool trained = false;
    int em_iterations = 0;
};

using StepFn = std::function<void(std::string_view step)>;

// Recomputes all persons from scratch with the stored model (training one first when none is
// stored or `retrain` is set). Person ids stay where a person's records did not change.
// One transaction; with `audit`, an audit entry with the counts commits in it.
[[nodiscard]] DedupReport run_dedup(Store& store, const dedup::MatchSettings& settings, bool retrain,
                                    std::string_view now, const StepFn& step = {},
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
