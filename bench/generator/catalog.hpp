#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rng.hpp"

namespace qreg::gen {

// Which transliteration habits apply to a name (see make_spellings in catalog.cpp).
enum class Script : std::uint8_t { arabic, persian, slavic, turkish, tigrinya, somali, english };

enum class Origin : std::uint8_t { syr, afg, irq, ukr, tur, eri, irn, som, nga, rus };
inline constexpr std::size_t origin_count = 10;

// One name and the ways agencies spell it.
struct NameEntry {
    std::vector<std::string> spellings;  // [0] the usual passport spelling, then variants
    std::vector<std::string> bare;       // the same without the article (Al-Hassan -> Hassan)
    std::string original;                // original script, or empty when unknown
};

// A weighted list of names; heavy head (Zipf by rank) and a long tail.
class NameList {
public:
    void add(NameEntry entry, double weight);
    void finish();  // call once after the last add()
    [[nodiscard]] const NameEntry& pick(Rng& rng) const;
    [[nodiscard]] std::size_t size() const { return entries_.size(); }
    [[nodiscard]] const NameEntry& at(std::size_t i) const { return entries_[i]; }
    [[nodiscard]] const NameEntry* find(std::string_view canonical) const;
    [[nodiscard]] double cumulative_at(std::size_t i) const { return cumulative_[i]; }

private:
    std::vector<NameEntry> entries_;
    std::vector<double> cumulative_;
};

struct Place {
    std::vector<std::string> spellings;  // German/English/French spellings, as BA and Jobcenter write
    std::string bamf;                    // BAMF's transliteration, upper case
};

struct Town {
    std::string_view name;
    std::vector<std::string_view> postcodes;
    double weight;
};

struct Occupation {
    std::string_view kldb;
    std::string_view text;
    std::string_view alt_text;  // another wording an officer might type
};

struct NativeLanguage {
    std::string_view code;
    std::string_view second;  // a second native language, or empty
    double weight;
};

struct OriginInfo {
    Origin origin;
    std::string_view alpha3;
    std::string_view bamf_code;  // 3-digit German nationality key used in BAMF file numbers
    Script script;
    double share;
    bool patronymic;  // no family names: own name, father's, grandfather's (ERI, SOM)
    double year_only_rate;
    double single_name_rate;
    double school_mean;
    double training_rate;
    double study_rate;
    double english_rate;
    std::array<int, 4> arrival;  // main years [0]-[1], secondary years [2]-[3]
    std::vector<NativeLanguage> natives;
    NameList male;
    NameList female;
    NameList family;
    NameList family_female;  // feminine forms (Magomedova, Ostrovska); empty if none
    std::vector<Place> places;
};

// Static reference data, built once at start-up from the tables in names_data.cpp and
// catalog.cpp. Read-only afterwards.
class Catalog {
public:
    Catalog();

    [[nodiscard]] const OriginInfo& origin(Origin o) const {
        return origins_[static_cast<std::size_t>(o)];
    }
    [[nodiscard]] const OriginInfo& pick_origin(Rng& rng) const;
    [[nodiscard]] const Town& pick_town(Rng& rng) const;
    [[nodiscard]] const std::vector<Occupation>& occupations() const { return occupations_; }
    [[nodiscard]] const std::vector<std::string_view>& study_fields() const { return fields_; }
    [[nodiscard]] const std::vector<std::string_view>& offices() const { return offices_; }

private:
    std::vector<OriginInfo> origins_;
    std::vector<double> origin_cumulative_;
    std::vector<Town> towns_;
    std::vector<double> town_cumulative_;
    std::vector<Occupation> occupations_;
    std::vector<std::string_view> fields_;
    std::vector<std::string_view> offices_;
};

// Raw name tables (names_data.cpp). Each line: spellings separated by '|', optional
// " *weight", optional " =original script"; a leading '^' marks an Arabic family name that
// takes the article (Al-/El-). Sections start with "@<alpha3> male|female|family|places".
std::string_view name_data();

// Transliteration variants of a canonical spelling (exposed for inspection).
std::vector<std::string> make_spellings(const std::vector<std::string>& listed, Script script);

}  // namespace qreg::gen
