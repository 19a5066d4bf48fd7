#include "qreg/dedup/features.hpp"

#include "normalize_detail.hpp"

#include "qreg/dedup/block.hpp"
#include "qreg/dedup/normalize.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace qreg::dedup {
namespace {

char to_upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A bit per byte value (mod 64) that s holds: for a quick bound on how alike two names are.
std::uint64_t letter_mask(std::string_view s) {
    std::uint64_t m = 0;
    for (const char c : s) m |= std::uint64_t{1} << (static_cast<unsigned char>(c) & 63u);
    return m;
}

constexpr std::size_t max_aliases = 4;
constexpr std::size_t max_field_bytes = 1000;
constexpr std::size_t max_text_bytes = 65535;  // TextRef holds 16-bit offsets

// Builds one RecordFeatures' text buffer and name tokens in reused thread-local storage, so
// that the finished record gets exactly two allocations of exactly the right size.
class Builder {
public:
    Builder() { text_.reserve(1024); }

    void reset() {
        text_.clear();
        names_.clear();
    }

    TextRef folded(std::string_view utf8) {
        const std::size_t begin = text_.size();
        detail::fold_append(text_, cut(utf8), detail::FoldMode::plain);
        return ref(begin);
    }

    // Identifiers: digits only, or upper-case letters and digits; zeros only is no identifier.
    TextRef identifier(std::string_view raw, bool letters) {
        const std::size_t begin = text_.size();
        bool zeros = true;
        for (const char c : cut(raw)) {
            if (!is_digit(c) && !(letters && is_letter(c))) continue;
            text_.push_back(to_upper(c));
            zeros = zeros && c == '0';
        }
        if (zeros) text_.resize(begin);
        return ref(begin);
    }

    // `Hauptstraße`, `Hauptstr.`, `Haupt Strasse` -> `hauptstr`.
    TextRef street(std::string_view utf8) {
        scratch_.clear();
        detail::fold_append(scratch_, cut(utf8), detail::FoldMode::plain);
        const std::size_t begin = text_.size();
        const std::string_view folded = scratch_;
        for (std::size_t i = 0; i < folded.size();) {
            std::size_t end = folded.find(' ', i);
            if (end == std::string_view::npos) end = folded.size();
            const std::string_view word = folded.substr(i, end - i);
            i = end + 1;
            const auto known = std::find_if(detail::street_type_words.begin(), detail::street_type_words.end(),
                                            [&](const auto& w) { return w.first == word; });
            if (known != detail::street_type_words.end()) {
                text_ += known->second;
            } else if (word.size() > 7 && word.ends_with("strasse")) {
                text_ += word.substr(0, word.size() - 7);
                text_ += "str";
            } else {
                text_ += word;
            }
        }
        return ref(begin);
    }

    // `12 a` -> `12a`, but `12 14` keeps its gap.
    TextRef house_number(std::string_view utf8) {
        scratch_.clear();
        detail::fold_append(scratch_, cut(utf8), detail::FoldMode::plain);
        const std::size_t begin = text_.size();
        const std::string_view folded = scratch_;
        for (std::size_t i = 0; i < folded.size(); ++i) {
            if (folded[i] != ' ') {
                text_.push_back(folded[i]);
            } else if (i > 0 && i + 1 < folded.size() && is_digit(folded[i - 1]) &&
                       is_digit(folded[i + 1])) {
                text_.push_back(' ');
            }
        }
        return ref(begin);
    }

    void names(std::string_view utf8, NameField field, std::uint8_t alias) {
        if (utf8.empty()) return;
        detail::name_tokens_into(cut(utf8), tokens_);
        for (std::size_t i = 0; i < tokens_.size; ++i) {
            const std::size_t begin = text_.size();
            NameToken token;
            token.text = append(tokens_.text[i]);
            detail::phonetic_key_into(tokens_.text[i], scratch_);
            token.key = append(scratch_);
            if (token.text.size == 0 || (token.key.size == 0 && !scratch_.empty())) {
                text_.resize(begin);  // the buffer is full
                return;
            }
            token.field = field;
            token.alias = alias;
            token.had_article = tokens_.had_article[i];
            names_.push_back(token);
        }
    }

    // Phonetic keys of the place's name tokens, space-separated.
    TextRef place_key(std::string_view utf8) {
        const std::size_t begin = text_.size();
        if (utf8.empty()) return {};
        detail::name_tokens_into(cut(utf8), tokens_);
        for (std::size_t i = 0; i < tokens_.size; ++i) {
            if (i > 0) text_.push_back(' ');
            detail::phonetic_key_into(tokens_.text[i], scratch_);
            text_ += scratch_;
        }
        return ref(begin);
    }

    void finish(std::string& text, std::vector<NameToken>& names) const {
        text.assign(text_);
        names.assign(names_.begin(), names_.end());
        const auto slice = [&](TextRef r) { return std::string_view(text).substr(r.offset, r.size); };
        const auto hash = [](std::string_view s) {
            return static_cast<std::uint32_t>(hash_text(0x746f6b, s.data(), s.size()));
        };
        for (auto& t : names) {
            t.text_hash = hash(slice(t.text));
            t.key_hash = hash(slice(t.key));
            t.letters = letter_mask(slice(t.text));
        }
    }

private:
    static std::string_view cut(std::string_view s) { return s.substr(0, max_field_bytes); }

    TextRef append(std::string_view s) {
        const std::size_t begin = text_.size();
        text_ += s;
        return ref(begin);
    }

    // The text appended since `begin`, or nothing (and it is removed) when it does not fit.
    TextRef ref(std::size_t begin) {
        if (text_.size() > max_text_bytes) {
            text_.resize(begin);
            return {};
        }
        return {static_cast<std::uint16_t>(begin),
                static_cast<std::uint16_t>(text_.size() - begin)};
    }

    std::string text_;
    std::string scratch_;
    std::vector<NameToken> names_;
    detail::TokenBuffer tokens_;
};

}  // namespace

CountryCode country_code(std::string_view alpha3) {
    while (!alpha3.empty() && alpha3.front() == ' ') alpha3.remove_prefix(1);
    while (!alpha3.empty() && alpha3.back() == ' ') alpha3.remove_suffix(1);
    if (alpha3.size() != 3 || !std::all_of(alpha3.begin(), alpha3.end(), is_letter)) return {};
    std::uint32_t value = 0;
    for (const char c : alpha3) value = (value << 8) | static_cast<std::uint8_t>(to_upper(c));
    constexpr std::uint32_t unspecified = ('X' << 16) | ('X' << 8) | 'X';
    if (value == unspecified) return {};
    return CountryCode{value};
}

std::string to_string(CountryCode code) {
    if (!code.is_known()) return {};
    return {static_cast<char>((code.value >> 16) & 0xFF),
            static_cast<char>((code.value >> 8) & 0xFF), static_cast<char>(code.value & 0xFF)};
}

bool CountrySet::contains(CountryCode code) const {
    return std::find(codes.begin(), codes.begin() + size, code) != codes.begin() + size;
}

bool CountrySet::intersects(const CountrySet& other) const {
    for (std::size_t i = 0; i < size; ++i) {
        if (other.contains(codes[i])) return true;
    }
    return false;
}

namespace {
NameVariants variants_of(const RecordFeatures& f);  // below, beside compare_names

// Spelling habits of a record's origin that letters alone do not reveal: in Arabic, Persian
// and Somali names a j inside a word is the sound German records write dsch (Khadija =
// Chadidscha, Ajmal = Adschmal, Haj = Hadsch), where in Slavic names it is a y (Marija,
// Sergej); Somali spelling writes the ayn c (Cabdi = Abdi, Cumar = Umar), h-like x (Xasan =
// Hassan, Maxamed = Mohamed) and long vowels twice (Cismaan = Osman); Turkish c is dsch (Can =
// Dschan, Acar = Adschar) and ç tsch, also where the cedilla was lost (Cakir = Tschakir). French
// spellings write sh as ch (Aicha = Aisha, Rachid = Rashid, Chevtchenko = Shevchenko), where
// German ones write kh as ch (Chalid = Khalid, Michail = Mikhail): a second reading. Tigrinya
// names end in -ay where other records write -e (Teklay = Tekle, Hailay = Haile).
//
// The origins whose habits qreg knows, in the order that decides where a record names several
// countries (the last wins), and the readings of a name they give.
enum class Origin : std::uint8_t { none, slavic, turkish, tigrinya, arabic, somali };
enum class Reading : std::uint8_t {
    arabic, arabic_french, somali, turkish, turkish_cedilla, slavic_french, tigrinya };

constexpr std::array<std::string_view, 20> arabic_script_countries = {
    "AFG", "ARE", "DZA", "EGY", "IRN", "IRQ", "JOR", "KWT", "LBN", "LBY",
    "MAR", "OMN", "PAK", "PSE", "QAT", "SAU", "SDN", "SYR", "TUN", "YEM"};

Origin origin_of(const Record& record) {
    Origin origin = Origin::none;
    const auto consider = [&](std::string_view code) {
        Origin o = Origin::none;
        if (code == "SOM") {
            o = Origin::somali;
        } else if (std::find(arabic_script_countries.begin(), arabic_script_countries.end(), code) !=
                   arabic_script_countries.end()) {
            o = Origin::arabic;
        } else if (code == "TUR") {
            o = Origin::turkish;
        } else if (code == "UKR" || code == "RUS" || code == "BLR") {
            o = Origin::slavic;
        } else if (code == "ERI" || code == "ETH") {
            o = Origin::tigrinya;
        }
        origin = std::max(origin, o);
    };
    consider(record.birth_country);
    for (const auto& n : record.nationalities) consider(n);
    return origin;
}

// A name folded for the readings (hyphens kept: an-Nur), once per record; for a Turkish
// origin ç and Ç written tch first (tsch: the loop in respelled keeps a c before h).
struct FoldedName {
    std::string text;
    bool cedilla = false;  // a ç was written out: the text differs from the name as folded
};

FoldedName fold_for_readings(std::string_view name, bool turkish) {
    FoldedName out;
    std::string cedillas;
    if (turkish && name.find('\xC3') != std::string_view::npos) {
        cedillas.assign(name);
        for (std::size_t at = 0; (at = cedillas.find('\xC3', at)) != std::string::npos;) {
            if (at + 1 < cedillas.size() && (cedillas[at + 1] == '\xA7' || cedillas[at + 1] == '\x87')) {
                cedillas.replace(at, 2, "tch");
                out.cedilla = true;
            } else {
                ++at;
            }
        }
    }
    detail::fold_append(out.text, out.cedilla ? std::string_view(cedillas) : name, detail::FoldMode::name);
    return out;
}

// The folded name as `reading` reads it; empty when that changes nothing.
std::string respelled(const FoldedName& name, Reading reading) {
    const bool turkish = reading == Reading::turkish || reading == Reading::turkish_cedilla;
    const bool french = reading == Reading::arabic_french || reading == Reading::slavic_french;
    const bool somali = reading == Reading::somali;
    const bool j_is_dsch = reading == Reading::arabic || reading == Reading::arabic_french || somali;
    const std::string& folded = name.text;
    std::string out;
    out.reserve(folded.size() + 8);
    std::size_t word_begin = 0;  // where the current word starts in `out`
    for (std::size_t i = 0; i < folded.size(); ++i) {
        const char c = folded[i];
        const bool word_start = i == 0 || folded[i - 1] == ' ' || folded[i - 1] == '-';
        const char next = i + 1 < folded.size() ? folded[i + 1] : '\0';
        const char before = i > 0 ? folded[i - 1] : '\0';
        if (word_start) word_begin = out.size();
        const bool ends_after_next =
            i + 2 == folded.size() || folded[i + 2] == ' ' || folded[i + 2] == '-';
        if (c == 'j' && !word_start && j_is_dsch) {
            out += "dsch";
        } else if (french && c == 'c' && next == 'h' && before != 's' && before != 't') {
            out += 's';  // ch read as sh (sch, tch stay)
        } else if (reading == Reading::tigrinya && c == 'a' && (next == 'y' || next == 'i') &&
                   ends_after_next && out.size() - word_begin >= 3) {
            out += 'e';  // a final -ay / -ai after three letters or more
            ++i;
        } else if (turkish && c == 'c' && next != 'h') {
            out += reading == Reading::turkish ? "dsch" : "tch";
        } else if (somali && c == 'x') {
            out += 'h';
        } else if (somali && c == 'c' && next != 'h' && next != 'k') {
            // the ayn: no letter
        } else if (somali && !out.empty() && out.back() == c && detail::is_vowel(c)) {
            // a long vowel, written once
        } else {
            out += c;
        }
    }
    return out == folded && !name.cedilla ? std::string() : out;
}
}  // namespace

RecordFeatures extract_features(const Record& record) {
    thread_local Builder b;  // reused buffers only; no state survives a call
    b.reset();
    RecordFeatures f;

    b.names(record.family_name, NameField::family, 0);
    b.names(record.given_names, NameField::given, 0);
    b.names(record.birth_name, NameField::birth, 0);
    const std::size_t aliases = std::min(record.aliases.size(), max_aliases);
    for (std::size_t k = 0; k < aliases; ++k) {
        const auto alias = static_cast<std::uint8_t>(k);
        b.names(record.aliases[k].family_name, NameField::alias_family, alias);
        b.names(record.aliases[k].given_names, NameField::alias_given, alias);
    }
    // The name as the origin's spelling habits read it, as more variants (aliases): the name
    // as written stays what it is, for search and for records of other origins. Turkish has two
    // readings of a c (one for a lost cedilla), Arabic a German and a French one of ch.
    const Origin origin = origin_of(record);
    FoldedName folded_family, folded_given;
    if (origin != Origin::none) {
        folded_family = fold_for_readings(record.family_name, origin == Origin::turkish);
        folded_given = fold_for_readings(record.given_names, origin == Origin::turkish);
    }
    std::size_t variants = aliases;
    const auto add_reading = [&](Reading reading) {
        if (variants >= max_aliases) return;
        std::string family = respelled(folded_family, reading);
        std::string given = respelled(folded_given, reading);
        if (family.empty() && given.empty()) return;
        const auto alias = static_cast<std::uint8_t>(variants++);
        b.names(family.empty() ? record.family_name : family, NameField::alias_family, alias);
        b.names(given.empty() ? record.given_names : given, NameField::alias_given, alias);
    };
    switch (origin) {
        case Origin::none: break;
        case Origin::slavic: add_reading(Reading::slavic_french); break;
        case Origin::turkish:
            add_reading(Reading::turkish);
            add_reading(Reading::turkish_cedilla);
            break;
        case Origin::arabic:
            add_reading(Reading::arabic);
            add_reading(Reading::arabic_french);
            break;
        case Origin::tigrinya: add_reading(Reading::tigrinya); break;
        case Origin::somali: add_reading(Reading::somali); break;
    }

    const auto& date = record.birth_date;
    f.birth_ = {static_cast<std::int16_t>(date.year), static_cast<std::int8_t>(date.month),
                static_cast<std::int8_t>(date.day), date.precision, date.is_placeholder};
    f.sex_ = record.sex;
    f.birthplace_ = b.folded(record.birthplace);
    f.birthplace_key_ = b.place_key(record.birthplace);
    f.birth_country_ = country_code(record.birth_country);
    for (const auto& nationality : record.nationalities) {
        const CountryCode code = country_code(nationality);
        auto& set = f.nationalities_;
        if (!code.is_known() || set.contains(code) || set.size == set.codes.size()) continue;
        set.codes[set.size++] = code;
        std::sort(set.codes.begin(), set.codes.begin() + set.size);
    }

    f.postcode_ = b.identifier(record.postcode, true);
    f.town_ = b.folded(record.town);
    f.street_ = b.street(record.street);
    f.house_number_ = b.house_number(record.house_number);
    f.address_extra_ = b.folded(record.address_extra);
    f.region_ = b.folded(record.region);

    f.ba_customer_number_ = b.identifier(record.ids.ba_customer_number, true);
    f.bamf_file_number_ = b.identifier(record.ids.bamf_file_number, false);
    f.azr_number_ = b.identifier(record.ids.azr_number, false);
    f.other_id_ = b.identifier(record.ids.other_id, true);
    f.bg_number_ = b.identifier(record.ids.bg_number, true);

    b.finish(f.text_, f.names_);
    f.variants_ = variants_of(f);
    return f;
}

namespace {

constexpr std::size_t max_variant_tokens = NameVariant::max_tokens;
constexpr std::size_t max_variants = NameVariants::max;
static_assert(max_variants == 2 + max_aliases);
using Variant = NameVariant;
using Variants = NameVariants;

bool is_family_side(NameField field) {
    return field == NameField::family || field == NameField::birth ||
           field == NameField::alias_family;
}

// Primary (family + given), birth name + given, and per alias its family + given names (the
// primary given names when the alias has none). Tokens come ordered by field (see
// extract_features), which this relies on.
Variants variants_of(const RecordFeatures& f) {
    const auto names = f.names();
    const std::size_t n = std::min<std::size_t>(names.size(), 255);
    Variants out;
    Variant& primary = out.items[out.size++];
    Variant family;
    Variant given;
    Variant birth;
    std::size_t i = 0;
    for (; i < n && names[i].field == NameField::family; ++i) {
        primary.add(i);
        family.add(i);
    }
    for (; i < n && names[i].field == NameField::given; ++i) {
        primary.add(i);
        given.add(i);
    }
    for (; i < n && names[i].field == NameField::birth; ++i) birth.add(i);
    if (birth.size > 0) {
        bool same_as_family = birth.size == family.size;
        for (std::size_t k = 0; same_as_family && k < birth.size; ++k) {
            same_as_family = f.text(names[birth.index[k]]) == f.text(names[family.index[k]]);
        }
        if (!same_as_family) {
            Variant& v = out.items[out.size++];
            v.add_all(birth);
            v.add_all(given);
        }
    }
    while (i < n && out.size < max_variants) {
        const std::uint8_t alias = names[i].alias;
        Variant& v = out.items[out.size++];
        bool has_given = false;
        for (; i < n && names[i].alias == alias; ++i) {
            v.add(i);
            has_given = has_given || names[i].field == NameField::alias_given;
        }
        if (!has_given) v.add_all(given);
    }
    return out;
}

constexpr double fuzzy_jaro_winkler = 0.88;

// An upper bound of jaro_winkler(x, y) from which letters the two share, so that most
// unrelated pairs skip the quadratic computation. Letters are hashed to 64 bits; a collision
// only loosens the bound. First in O(1) from the letter sets alone (each letter one side lacks
// takes at least one character out of the matches), then, where that is not enough to rule
// the pair out, by counting the characters the other side's letters cover.
double jaro_winkler_bound(std::string_view x, std::uint64_t x_letters, std::string_view y,
                          std::uint64_t y_letters) {
    std::size_t prefix = 0;
    while (prefix < 4 && prefix < x.size() && prefix < y.size() && x[prefix] == y[prefix]) ++prefix;
    const auto bound = [&](std::size_t matches) {
        const auto m = static_cast<double>(matches);
        const double jaro =
            (m / static_cast<double>(x.size()) + m / static_cast<double>(y.size()) + 1.0) / 3.0;
        return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
    };
    const auto at_most = [](std::string_view s, std::uint64_t own, std::uint64_t other) {
        const auto missing = static_cast<std::size_t>(std::popcount(own & ~other));
        return s.size() > missing ? s.size() - missing : 0;
    };
    const double quick = bound(std::min(at_most(x, x_letters, y_letters), at_most(y, y_letters, x_letters)));
    if (quick < fuzzy_jaro_winkler) return quick;
    const auto present = [](std::string_view s, std::uint64_t m) {
        std::size_t n = 0;
        for (const char c : s) n += (m >> (static_cast<unsigned char>(c) & 63u)) & 1u;
        return n;
    };
    return bound(std::min(present(x, y_letters), present(y, x_letters)));
}

bool fuzzy_match(std::string_view x, std::uint64_t x_letters, std::string_view y, std::uint64_t y_letters,
                 bool both_had_article, double& score) {
    score = 0.0;
    if (x.empty() || y.empty()) return false;
    if (jaro_winkler_bound(x, x_letters, y, y_letters) >= fuzzy_jaro_winkler) {
        score = jaro_winkler(x, y);
        if (score >= fuzzy_jaro_winkler) return true;
    }
    // Both lost the same glued article: count it, so Alderson/Aldersen stay long enough.
    const std::size_t shorter = std::min(x.size(), y.size()) + (both_had_article ? 2 : 0);
    const std::size_t longer = std::max(x.size(), y.size());
    if (shorter < 5 || longer - std::min(x.size(), y.size()) > 1) return false;
    // One edit changes at most two letters of the letter sets (a substitution: one out, one in).
    if (std::popcount(x_letters ^ y_letters) > 2) return false;
    if (damerau_levenshtein(x, y, 1) > 1) return false;
    if (score == 0.0) score = jaro_winkler(x, y);  // ranks candidates
    return true;
}

NameAgreement compare_variants(const RecordFeatures& a, const Variant& va, const RecordFeatures& b,
                               const Variant& vb) {
    NameAgreement r;
    r.tokens_a = va.size;
    r.tokens_b = vb.size;
    if (va.size == 0 || vb.size == 0) return r;

    const auto na = a.names();
    const auto nb = b.names();
    std::array<bool, max_variant_tokens> used_a{};
    std::array<bool, max_variant_tokens> used_b{};
    bool long_match = false;
    bool a_family_b_given = false;
    bool a_given_b_family = false;
    const auto take = [&](std::size_t i, std::size_t j) {
        used_a[i] = used_b[j] = true;
        if (va.index[i] < 64) r.matched_a |= std::uint64_t{1} << va.index[i];
        if (vb.index[j] < 64) r.matched_b |= std::uint64_t{1} << vb.index[j];
        const NameToken& x = na[va.index[i]];
        const NameToken& y = nb[vb.index[j]];
        if (x.text.size >= 3 && y.text.size >= 3) long_match = true;
        const bool fx = is_family_side(x.field);
        const bool fy = is_family_side(y.field);
        if (fx && fy) r.family_agrees = true;
        if (fx && !fy) a_family_b_given = true;
        if (!fx && fy) a_given_b_family = true;
    };

    // Exact first, then by key, then fuzzily: each token is used once, so the best kinds of
    // match claim tokens before weaker ones can.
    for (std::size_t i = 0; i < va.size; ++i) {
        const NameToken& x = na[va.index[i]];
        for (std::size_t j = 0; j < vb.size; ++j) {
            const NameToken& y = nb[vb.index[j]];
            if (used_b[j] || x.text_hash != y.text_hash || a.text(x) != b.text(y)) continue;
            take(i, j);
            ++r.exact;
            break;
        }
    }
    for (std::size_t i = 0; i < va.size; ++i) {
        if (used_a[i]) continue;
        const NameToken& x = na[va.index[i]];
        if (x.key.size == 0) continue;
        for (std::size_t j = 0; j < vb.size; ++j) {
            const NameToken& y = nb[vb.index[j]];
            if (used_b[j] || x.key_hash != y.key_hash || a.key(x) != b.key(y)) continue;
            take(i, j);
            ++r.phonetic;
            break;
        }
    }
    for (std::size_t i = 0; i < va.size; ++i) {
        if (used_a[i]) continue;
        const NameToken& x = na[va.index[i]];
        std::size_t best = vb.size;
        double best_score = 0.0;
        for (std::size_t j = 0; j < vb.size; ++j) {
            if (used_b[j]) continue;
            const NameToken& y = nb[vb.index[j]];
            double score = 0.0;
            if (!fuzzy_match(a.text(x), x.letters, b.text(y), y.letters, x.had_article && y.had_article, score)) {
                continue;
            }
            if (best == vb.size || score > best_score) {
                best = j;
                best_score = score;
            }
        }
        if (best == vb.size) continue;
        take(i, best);
        ++r.fuzzy;
    }

    const int matched = r.exact + r.phonetic + r.fuzzy;
    r.all_matched = matched == std::min(va.size, vb.size);
    r.swapped = a_family_b_given && a_given_b_family;
    if (va.size == vb.size && r.exact == va.size) {
        r.level = NameLevel::exact;
    } else if (va.size == vb.size && r.all_matched) {
        r.level = r.fuzzy > 0 ? NameLevel::all_matched_fuzzy : NameLevel::all_matched_phonetic;
    } else {
        r.level = long_match ? NameLevel::partial : NameLevel::none;
    }
    return r;
}

bool better(const NameAgreement& x, const NameAgreement& y) {
    if (x.level != y.level) return x.level < y.level;
    const int mx = x.exact + x.phonetic + x.fuzzy;
    const int my = y.exact + y.phonetic + y.fuzzy;
    if (mx != my) return mx > my;
    if (x.exact != y.exact) return x.exact > y.exact;
    return x.phonetic > y.phonetic;
}

}  // namespace

NameAgreement compare_names(const RecordFeatures& a, const RecordFeatures& b) {
    const Variants& va = a.name_variants();
    const Variants& vb = b.name_variants();
    NameAgreement best = compare_variants(a, va.items[0], b, vb.items[0]);
    for (std::size_t i = 0; i < va.size; ++i) {
        for (std::size_t j = 0; j < vb.size; ++j) {
            if (i == 0 && j == 0) continue;
            const NameAgreement r = compare_variants(a, va.items[i], b, vb.items[j]);
            if (better(r, best)) best = r;
        }
    }
    return best;
}

}  // namespace qreg::dedup
