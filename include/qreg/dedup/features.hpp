#pragma once

#include "qreg/model/record.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Per-record comparison features, computed once per record so that the tens of millions of
// pair comparisons only read precomputed, normalised values and never allocate. All texts of a
// record live in one buffer (two heap blocks per record in all), which keeps 2,000,000 records
// in a few hundred megabytes.
namespace qreg::dedup {

enum class NameField : std::uint8_t { family, given, birth, alias_family, alias_given };

// A slice of one RecordFeatures' text buffer; read it through that RecordFeatures.
struct TextRef {
    std::uint16_t offset = 0;
    std::uint16_t size = 0;
};

struct NameToken {
    TextRef text;  // folded (see name_tokens)
    TextRef key;   // phonetic_key(text)
    // Hashes of text and key, so that comparing tokens of different names rarely reads them.
    std::uint32_t text_hash = 0;
    std::uint32_t key_hash = 0;
    std::uint64_t letters = 0;  // which letters text holds (a bit per byte value mod 64)
    NameField field = NameField::family;
    std::uint8_t alias = 0;    // index into Record::aliases for the alias fields
    bool had_article = false;  // a glued article was split off (Alhassan -> hassan)
};

// ISO 3166-1 alpha-3 packed into one integer; 0 when unknown. `XXX` (unspecified) is unknown.
struct CountryCode {
    std::uint32_t value = 0;

    [[nodiscard]] bool is_known() const { return value != 0; }
    friend bool operator==(CountryCode, CountryCode) = default;
    friend auto operator<=>(CountryCode, CountryCode) = default;
};

// Upper-cases and packs a three-letter code; anything else (or `XXX`) gives the unknown code.
[[nodiscard]] CountryCode country_code(std::string_view alpha3);
[[nodiscard]] std::string to_string(CountryCode code);

// Up to four distinct codes, sorted; further nationalities are dropped.
struct CountrySet {
    std::array<CountryCode, 4> codes{};
    std::uint8_t size = 0;

    [[nodiscard]] bool contains(CountryCode code) const;
    [[nodiscard]] bool intersects(const CountrySet& other) const;
};

struct BirthDateParts {
    std::int16_t year = 0;  // 0 when unknown
    std::int8_t month = 0;  // 0 when unknown
    std::int8_t day = 0;    // 0 when unknown
    DatePrecision precision = DatePrecision::none;
    bool is_placeholder = false;  // 01.01.YYYY stand-in: only the year is known
};

// One way of writing a person's name (primary, birth name, an alias): token indices into
// RecordFeatures::names(). Made once per record, for compare_names.
struct NameVariant {
    static constexpr std::size_t max_tokens = 16;
    std::array<std::uint8_t, max_tokens> index{};
    std::uint8_t size = 0;

    void add(std::size_t i) {
        if (size < max_tokens) index[size++] = static_cast<std::uint8_t>(i);
    }
    void add_all(const NameVariant& other) {
        for (std::size_t i = 0; i < other.size; ++i) add(other.index[i]);
    }
};

struct NameVariants {
    static constexpr std::size_t max = 6;  // primary, birth name, up to four aliases
    std::array<NameVariant, max> items{};
    std::size_t size = 0;
};

class RecordFeatures {
public:
    // Family, given, birth name, then each alias (family before given). compare_names compares
    // tokens regardless of order and field, but keeps the variants (primary, birth name, each
    // alias) apart.
    [[nodiscard]] std::span<const NameToken> names() const { return names_; }
    [[nodiscard]] std::string_view text(const NameToken& token) const { return view(token.text); }
    [[nodiscard]] std::string_view key(const NameToken& token) const { return view(token.key); }
    // The ways of writing the name that compare_names compares (the first: the primary one).
    [[nodiscard]] const NameVariants& name_variants() const { return variants_; }

    [[nodiscard]] const BirthDateParts& birth() const { return birth_; }
    [[nodiscard]] Sex sex() const { return sex_; }
    [[nodiscard]] std::string_view birthplace() const { return view(birthplace_); }  // folded
    // Phonetic keys of the birthplace's name tokens, space-separated.
    [[nodiscard]] std::string_view birthplace_key() const { return view(birthplace_key_); }
    [[nodiscard]] CountryCode birth_country() const { return birth_country_; }
    [[nodiscard]] const CountrySet& nationalities() const { return nationalities_; }

    [[nodiscard]] std::string_view postcode() const { return view(postcode_); }  // upper alnum
    [[nodiscard]] std::string_view town() const { return view(town_); }          // folded
    // Folded, street type words abbreviated (strasse -> str, street -> st), no spaces.
    [[nodiscard]] std::string_view street() const { return view(street_); }
    // Folded, no spaces between a number and a letter: `12 a` -> `12a`.
    [[nodiscard]] std::string_view house_number() const { return view(house_number_); }
    [[nodiscard]] std::string_view address_extra() const { return view(address_extra_); }
    [[nodiscard]] std::string_view region() const { return view(region_); }

    // Person identifiers, normalised so that formatting does not matter; an identifier of
    // zeros only is absent (empty).
    [[nodiscard]] std::string_view ba_customer_number() const { return view(ba_customer_number_); }
    [[nodiscard]] std::string_view bamf_file_number() const { return view(bamf_file_number_); }
    [[nodiscard]] std::string_view azr_number() const { return view(azr_number_); }  // digits
    [[nodiscard]] std::string_view other_id() const { return view(other_id_); }      // upper alnum
    // The household (Bedarfsgemeinschaft), not the person: 36102BG0012345.
    [[nodiscard]] std::string_view bg_number() const { return view(bg_number_); }

    // Asks the CPU for the record's texts and name tokens ahead of use, for callers that visit
    // records scattered over a large index (search).
    void prefetch() const {
        __builtin_prefetch(text_.data());
        __builtin_prefetch(names_.data());
    }

private:
    friend RecordFeatures extract_features(const Record& record);

    [[nodiscard]] std::string_view view(TextRef ref) const {
        return std::string_view(text_).substr(ref.offset, ref.size);
    }

    std::string text_;  // every text below, back to back
    std::vector<NameToken> names_;
    NameVariants variants_;
    BirthDateParts birth_;
    Sex sex_ = Sex::unknown;
    CountryCode birth_country_;
    CountrySet nationalities_;
    TextRef birthplace_;
    TextRef birthplace_key_;
    TextRef postcode_;
    TextRef town_;
    TextRef street_;
    TextRef house_number_;
    TextRef address_extra_;
    TextRef region_;
    TextRef ba_customer_number_;  // upper-case letters and digits: 962D071234
    TextRef bamf_file_number_;    // digits only: 8123456475
    TextRef azr_number_;
    TextRef other_id_;
    TextRef bg_number_;
};

// Pure; safe to call from several threads at once. Texts beyond 1,000 bytes per field are cut.
[[nodiscard]] RecordFeatures extract_features(const Record& record);

enum class NameLevel : std::uint8_t {
    exact,                 // the same token multiset
    all_matched_phonetic,  // same number of tokens, each matched exactly or by phonetic key
    all_matched_fuzzy,     // same number of tokens, each matched, at least one only fuzzily
    partial,               // at least one matched token of 3 or more letters on both sides
    none,                  // nothing (of 3 or more letters) matched
    missing,               // one side has no name tokens
};

struct NameAgreement {
    NameLevel level = NameLevel::missing;
    std::uint8_t tokens_a = 0;  // tokens in the compared name variant of a
    std::uint8_t tokens_b = 0;
    // Matched token pairs (one-to-one), by the best way they matched.
    std::uint8_t exact = 0;
    std::uint8_t phonetic = 0;
    std::uint8_t fuzzy = 0;      // Jaro-Winkler >= 0.88, or edit distance 1 on 5 or more letters
    bool all_matched = false;    // every token of the side with fewer tokens is matched
    bool swapped = false;        // a's family matched b's given names and a's given b's family
    bool family_agrees = false;  // a family token of a matched a family token of b
    // The matched tokens, as bits of their indices into names() of a and of b (the first 64).
    std::uint64_t matched_a = 0;
    std::uint64_t matched_b = 0;
};

// Compares every name variant of a (family + given, birth name + given, each alias with its
// given names or else the primary ones) with every variant of b; returns the best agreement.
// Allocation-free.
[[nodiscard]] NameAgreement compare_names(const RecordFeatures& a, const RecordFeatures& b);

}  // namespace qreg::dedup
