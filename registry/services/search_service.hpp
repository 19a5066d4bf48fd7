#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "../storage/store.hpp"
#include "qreg/dedup/engine.hpp"

// Finding persons by name, birth date and identifier, tolerant of the spelling variants that
// matching tolerates: the same phonetic keys and the same Fellegi–Sunter weights.
// The index lives in memory (built from the store, rebuilt when the store's generation moves),
// so that a search over 1,000,000 persons answers in milliseconds without touching SQLite.
namespace qreg::registry {

struct SearchQuery {
    std::string name;        // any tokens, any order: given and family names alike
    std::string birth_date;  // YYYY, YYYY-MM or YYYY-MM-DD
    std::string identifier;  // any identifier of any record: BA, BAMF, AZR, BG, other
    std::size_t limit = 20;
};

struct SearchHit {
    std::int64_t person_id = 0;
    std::string display_name;  // of the best-matching record: `FAMILY, Given`
    std::string birth_date;    // of that record, YYYY[-MM[-DD]], empty when unknown
    double score = 0.0;        // match weight in bits of the best-matching record
    std::size_t matching_records = 0;
    std::vector<std::string> matched_on;  // name, birth_date, identifier
};

class SearchIndex {
public:
    explicit SearchIndex(dedup::MatchSettings settings);
    ~SearchIndex();
    SearchIndex(const SearchIndex&) = delete;
    SearchIndex& operator=(const SearchIndex&) = delete;

    // Rebuilds from `store` when its generation differs from the one indexed; true if rebuilt.
    // Searches keep using the previous index while this runs.
    bool refresh(const Store& store);
    // Throws Error{invalid_input} for a query without name and identifier, or a bad date.
    [[nodiscard]] std::vector<SearchHit> search(const SearchQuery& query) const;
    // Why two records are or are not alike, with the indexed model and name frequencies.
    [[nodiscard]] dedup::PairExplanation explain(const Record& a, const Record& b) const;
    [[nodiscard]] std::int64_t generation() const;
    [[nodiscard]] std::size_t record_count() const;

    struct Snapshot;

private:
    [[nodiscard]] std::shared_ptr<const Snapshot> current() const;

    dedup::MatchSettings settings_;
    mutable std::mutex mutex_;  // guards snapshot_ (the pointer, not the index)
    std::mutex rebuild_mutex_;
    std::shared_ptr<const Snapshot> snapshot_;
};

// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; throws Error{invalid_input}.
[[nodiscard]] BirthDate parse_query_date(std::string_view text);
// The canonical short form of a birth date: YYYY, YYYY-MM or YYYY-MM-DD; empty when unknown.
[[nodiscard]] std::string birth_date_text(const BirthDate& date);

}  // namespace qreg::registry
