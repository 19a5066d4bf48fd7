#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

// Allocation-avoiding forms of the functions in qreg/dedup/normalize.hpp, for feature
// extraction. Private to the dedup module.
namespace qreg::dedup::detail {

// A lower-case ASCII vowel (folded text).
inline bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

enum class FoldMode {
    plain,  // every non-alphanumeric run is one space
    name,   // apostrophes and `?` vanish; a run containing a hyphen becomes `-`
};

// Appends the folded form of `utf8` to `out` (see fold()).
void fold_append(std::string& out, std::string_view utf8, FoldMode mode);

// Name tokens of one field, written into reusable strings (their capacity is kept).
struct TokenBuffer {
    static constexpr std::size_t capacity = 16;  // further tokens of one field are dropped
    std::array<std::string, capacity> text;
    std::array<bool, capacity> had_article{};  // a glued article (Alhassan) was split off
    std::size_t size = 0;
    std::string scratch;
};

void name_tokens_into(std::string_view utf8, TokenBuffer& out);

// Writes the phonetic key of a folded token to `out` (cleared first).
void phonetic_key_into(std::string_view folded_token, std::string& out);

// Street type words, written out and abbreviated, German and Australian (FEBRL): a street's
// feature has the abbreviation (features.cpp), its blocking key neither (blocking_rules.cpp).
constexpr std::array<std::pair<std::string_view, std::string_view>, 18> street_type_words = {
    {{"strasse", "str"},
     {"street", "st"},
     {"road", "rd"},
     {"avenue", "ave"},
     {"av", "ave"},
     {"place", "pl"},
     {"platz", "pl"},
     {"drive", "dr"},
     {"crescent", "cres"},
     {"circuit", "cct"},
     {"court", "ct"},
     {"close", "cl"},
     {"parade", "pde"},
     {"terrace", "tce"},
     {"lane", "ln"},
     {"highway", "hwy"},
     {"square", "sq"},
     {"boulevard", "blvd"}}};

}  // namespace qreg::dedup::detail
