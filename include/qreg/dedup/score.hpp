#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "qreg/dedup/em.hpp"
#include "qreg/dedup/features.hpp"

// Fellegi–Sunter scoring: each field of a pair of records reaches a comparison level, each level
// carries a match weight log2(m/u), and agreeing on a rare name counts more than agreeing on a
// common one (term-frequency adjustment).
namespace qreg::dedup {

enum class FieldId : std::uint8_t {
    name,
    birth_date,
    sex,
    birthplace,
    birth_country,
    nationality,
    postcode,
    town,
    street,
    house_number,
    address_extra,
    region,
    azr_number,
    ba_customer_number,
    bamf_file_number,
    other_id,
};
inline constexpr std::size_t field_count = 16;

[[nodiscard]] std::string_view field_name(FieldId field);
[[nodiscard]] std::optional<FieldId> field_from_name(std::string_view name);
// The fixed comparison levels of a field, strongest agreement first.
[[nodiscard]] const std::vector<std::string>& level_names(FieldId field);

using Levels = std::array<std::int8_t, field_count>;

struct Comparison {
    Levels levels{};  // missing_level where either side lacks the field or it is disabled
    // Strong contrary evidence that keeps records apart: different AZR numbers, different sex.
    bool conflict = false;
    // Both have given names and none of them resembles one of the other side's, while no
    // identifier agrees: siblings (twins above all) or strangers of one birth date and address.
    bool given_names_differ = false;
    NameAgreement name;
};

// Which fields take part: a disabled field is always missing.
using FieldMask = std::array<bool, field_count>;

[[nodiscard]] Comparison compare(const RecordFeatures& a, const RecordFeatures& b,
                                 const FieldMask& enabled);

// How often each phonetic name key occurs, per record, across the registry.
// The name keys that term frequencies count (family and given names), each once per record.
[[nodiscard]] std::vector<std::string_view> tf_keys(const RecordFeatures& record);

// A name key's hash, by which name frequencies are counted (and the registry keeps them).
[[nodiscard]] std::uint64_t name_key_hash(std::string_view key);

class NameFrequencies {
public:
    void add(const RecordFeatures& record);
    // Counts of other records, as if added here.
    void add(const NameFrequencies& other);
    // Counts kept elsewhere (the registry keeps them for incremental matching): a key's count
    // (by name_key_hash), the number of records, and the sums of all keys' counts and of their
    // squares.
    void set(std::uint64_t key_hash, std::uint32_t count) { counts_[key_hash] = count; }
    void set_totals(std::uint64_t records, double occurrences, double squared_occurrences) {
        total_ = records;
        occurrences_ = occurrences;
        squared_occurrences_ = squared_occurrences;
    }
    // Share of records whose names contain the key; at least 1 / total.
    [[nodiscard]] double frequency(std::uint64_t key_hash) const;
    [[nodiscard]] std::uint64_t total() const { return total_; }
    // The frequency of a typical name key: the mean of frequency(key) over every occurrence of
    // a key, i.e. the chance that a random record carries the key of a random name token.
    [[nodiscard]] double typical_frequency() const;
    [[nodiscard]] const std::unordered_map<std::uint64_t, std::uint32_t>& counts() const { return counts_; }

private:
    std::unordered_map<std::uint64_t, std::uint32_t> counts_;  // by name_key_hash
    std::uint64_t total_ = 0;
    double occurrences_ = 0.0;          // sum of the counts
    double squared_occurrences_ = 0.0;  // sum of the squared counts
};

struct ScoreSettings {
    FsParameters parameters;  // one FieldParameters per FieldId, in FieldId order
    FieldMask enabled{};
    bool name_tf = true;               // term-frequency adjustment of name agreement
    double max_tf_adjustment = 10.0;   // bits, either way
    // The share of a name's rarity (in bits) that counts. Its tokens' rarities are summed as if
    // they were independent, which they are not (a Ukrainian family name comes with Ukrainian
    // given names), so the sum overstates how rare the name is: at 250,000 generated people
    // the whole sum made namesakes link (P 0.9956 at link weight 8); a quarter of it, with link
    // weight 6, gives both more precision and more recall (P 0.9972, R 0.9670).
    double tf_scale = 1.0;
    // The share of the rarity of the tokens that agree in a `partial` name (a given name agrees,
    // the family name does not) that adjusts it; 0: no adjustment.
    double partial_tf_scale = 0.0;
    // Added where given names differ (Comparison::given_names_differ). Among blocked pairs
    // siblings agree on birth date, address and family name far more often than independent
    // fields predict, so the name level's own weight is not enough; a penalty rather than a
    // conflict, so that overwhelming agreement elsewhere (a typo-ridden name at the same full
    // address and birth date) still links.
    double given_names_differ_weight = -12.0;
};

struct FieldScore {
    FieldId field = FieldId::name;
    std::int8_t level = missing_level;
    double weight = 0.0;         // log2(m/u) at that level
    double tf_adjustment = 0.0;  // added for term frequency (name only)
};

struct PairExplanation {
    std::vector<FieldScore> fields;
    double given_names_penalty = 0.0;  // settings.given_names_differ_weight where they differ
    double total = 0.0;  // sum of weights and adjustments
    double probability = 0.0;
    bool conflict = false;
};

// The name levels (exact, phonetic, fuzzy, subset) the adjustment applies to: [0, this).
inline constexpr std::int8_t name_tf_levels = 4;
// The name level `partial`.
inline constexpr std::int8_t name_partial_level = 4;

// What the adjustment needs of one record, worked out once per record where many pairs are
// scored: bits by which its primary name is rarer than a typical name of as many tokens.
struct NameRarity {
    double bits = 0.0;
    int tokens = 0;
    double rarer_bits = 0.0;  // the sum of the tokens rarer than typical alone (the most a subset has)
};
[[nodiscard]] NameRarity name_rarity(const NameFrequencies& tf, const RecordFeatures& record);
// The same of the name_key_hash of each key of the primary name, in the record's order.
[[nodiscard]] NameRarity name_rarity(const NameFrequencies& tf, std::span<const std::uint64_t> primary_keys);
// Term-frequency adjustment of the name weight, in bits: positive for names rarer than a typical
// one, negative for commoner ones. Per token of the fully matched name, log2 of the typical key
// frequency over the key's own, times settings.tf_scale; the level's weight already holds what
// a typical name is worth. (Measured against u, the adjustment would mix two populations: u
// comes from candidate pairs, which share names far more often than random records do, and
// gave nearly every name the full bonus.) 0 for the levels past name_tf_levels.
[[nodiscard]] double name_tf_adjustment(const ScoreSettings& settings, NameRarity a, NameRarity b,
                                        std::int8_t name_level);
// The adjustment of a pair compared in full (`c` of a and b, `ra` and `rb` their name_rarity):
// name_tf_adjustment for a name that agrees in full; for a `partial` name (a given name agrees,
// the family name does not), settings.partial_tf_scale of the rarity of the primary name tokens
// that agree, on the side where they are commoner.
[[nodiscard]] double pair_tf_adjustment(const ScoreSettings& settings, const NameFrequencies& tf,
                                        const RecordFeatures& a, const RecordFeatures& b, NameRarity ra,
                                        NameRarity rb, const Comparison& c);

// An upper bound of a pair's total weight from the fields that are cheap to compare (dates,
// codes, identifiers: equality tests), with the costly ones (names and texts compared by
// Jaro-Winkler) at their best weight and the name's term-frequency adjustment as it would be
// for the pair. Most candidate pairs of a large registry fall below the review weight on this
// bound alone, and need no name comparison. It reads a compact summary of each record (one
// cache line; hashes stand for identifiers), so that hundreds of millions of pairs of records
// scattered over gigabytes do not wait for memory.
class WeightBound {
public:
    struct Summary {
        BirthDateParts birth;
        Sex sex = Sex::unknown;
        std::uint8_t present = 0;  // bits: name, birthplace, town, street, address_extra, postcode
        CountryCode birth_country;
        CountrySet nationalities;
        // Hashes (0: absent) of postcode, the four identifiers, house number, region.
        std::array<std::uint32_t, 7> codes{};
        NameRarity rarity;
        // The texts of postcode and the four identifiers, whose level when they differ (one
        // edit apart or not) needs them: kept here, beside the hashes, so that the bound does
        // not reach into the records, which lie scattered over gigabytes. A longer text is
        // marked `long_code` and read from the record.
        static constexpr std::size_t text_codes = 5;
        static constexpr std::size_t code_capacity = 16;
        static constexpr std::uint8_t long_code = 255;
        std::array<std::uint8_t, text_codes> code_size{};
        std::array<std::array<char, code_capacity>, text_codes> code_chars{};
    };
    [[nodiscard]] static Summary summarize(const RecordFeatures& record, NameRarity rarity);

    explicit WeightBound(const ScoreSettings& settings);
    // The summaries of two records; the records themselves are read only where two codes differ.
    [[nodiscard]] double operator()(const Summary& a, const Summary& b, const RecordFeatures& ra,
                                    const RecordFeatures& rb) const {
        return bound(a, b, &ra, &rb);
    }
    // The same without the records: a code too long for its summary is taken at its best.
    // Never below the bound with them.
    [[nodiscard]] double operator()(const Summary& a, const Summary& b) const {
        return bound(a, b, nullptr, nullptr);
    }

private:
    [[nodiscard]] double bound(const Summary& a, const Summary& b, const RecordFeatures* ra,
                               const RecordFeatures* rb) const;

    const ScoreSettings& settings_;
    static constexpr std::size_t max_levels = 8;
    std::array<std::array<double, max_levels>, field_count> weights_{};  // per field and level
    std::array<double, field_count> best_{};          // best weight of each field's levels
    double name_with_tf_ = 0.0;     // best name weight of the levels the adjustment applies to
    double name_without_tf_ = 0.0;  // and of the others
    double name_partial_ = 0.0;     // the partial level's weight
};

// A record's summary as the registry keeps it between matchings (beside its block keys), so that
// an import rules out most of its candidates on the bound without reading them: the summary
// without the name rarity, which depends on the name counts of the moment, and with the hashes
// of the primary name keys the rarity is made of. Appended to `out`.
void encode_summary(const RecordFeatures& record, std::string& out);
// Decodes a summary from the front of `in` and moves past it, with its rarity from `tf`;
// nothing when `in` does not begin with a whole summary.
[[nodiscard]] std::optional<WeightBound::Summary> decode_summary(std::string_view& in,
                                                                 const NameFrequencies& tf);

[[nodiscard]] double total_weight(const ScoreSettings& settings, const Comparison& comparison,
                                  double tf_adjustment);

[[nodiscard]] PairExplanation explain(const ScoreSettings& settings, const NameFrequencies& tf,
                                      const RecordFeatures& a, const RecordFeatures& b);

// The starting parameters for EM: a plausible m and u per level of every field.
[[nodiscard]] FsParameters default_parameters();

}  // namespace qreg::dedup
