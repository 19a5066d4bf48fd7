#include "qreg/dedup/score.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "qreg/dedup/block.hpp"
#include "qreg/dedup/normalize.hpp"
#include "qreg/little_endian.hpp"

namespace qreg::dedup {

namespace {

constexpr std::array<std::string_view, field_count> field_names = {
    "name",         "birth_date",    "sex",      "birthplace",         "birth_country",
    "nationality",  "postcode",      "town",     "street",             "house_number",
    "address_extra", "region",       "azr_number", "ba_customer_number", "bamf_file_number",
    "other_id"};

constexpr auto idx(FieldId f) { return static_cast<std::size_t>(f); }

// Level indexes, per comparator shape.
enum Exactness : std::int8_t { exact = 0, close = 1, different = 2 };

std::int8_t compare_text(std::string_view a, std::string_view b, double fuzzy) {
    if (a.empty() || b.empty()) return missing_level;
    if (a == b) return exact;
    return jaro_winkler(a, b) >= fuzzy ? close : different;
}

std::int8_t compare_equal(std::string_view a, std::string_view b) {
    if (a.empty() || b.empty()) return missing_level;
    return a == b ? 0 : 1;
}

std::int8_t compare_identifier(std::string_view a, std::string_view b) {
    if (a.empty() || b.empty()) return missing_level;
    if (a == b) return exact;
    return damerau_levenshtein(a, b, 1) <= 1 ? close : different;
}

// Birth dates: exact (both full, equal), compatible (both known only to the year, or both to
// the month, and equal as far as that goes; a 01.01. placeholder counts as the year only), near
// (day and month swapped, one digit off, or the year one off), less_precise (equal as far as the
// less precise one goes, but one is known further: one agency knows the full date and the other
// only the year, which for one person is rare while namesakes of one birth year are many),
// disagree.
// True when a and b, written with `width` digits, differ in exactly one digit.
bool one_digit_apart(int a, int b, int width) {
    int differing = 0;
    for (int i = 0; i < width; ++i, a /= 10, b /= 10) differing += (a % 10) != (b % 10);
    return differing == 1;
}

constexpr std::int8_t birth_compatible = 1;
constexpr std::int8_t birth_near = 2;
constexpr std::int8_t birth_less_precise = 3;
constexpr std::int8_t birth_disagree = 4;

std::int8_t compare_birth(const BirthDateParts& a, const BirthDateParts& b) {
    if (a.precision == DatePrecision::none || b.precision == DatePrecision::none) return missing_level;
    const auto effective = [](const BirthDateParts& d) {
        return d.is_placeholder ? DatePrecision::year : d.precision;
    };
    const auto pa = effective(a), pb = effective(b);
    // One year apart, or one digit of it (asked only where it matters: this runs for every pair).
    const auto year_near = [&] {
        return std::abs(a.year - b.year) == 1 || one_digit_apart(a.year, b.year, 4);
    };
    if (pa == DatePrecision::day && pb == DatePrecision::day) {
        if (a.year == b.year && a.month == b.month && a.day == b.day) return 0;
        const bool swapped = a.year == b.year && a.month == b.day && a.day == b.month;
        const bool typo = (a.year == b.year && a.month == b.month && one_digit_apart(a.day, b.day, 2)) ||
                          (a.year == b.year && a.day == b.day && one_digit_apart(a.month, b.month, 2)) ||
                          (a.month == b.month && a.day == b.day && year_near());
        return swapped || typo ? birth_near : birth_disagree;
    }
    const bool month_known = pa != DatePrecision::year && pb != DatePrecision::year;
    if (a.year == b.year && (!month_known || a.month == b.month)) {
        return pa == pb ? birth_compatible : birth_less_precise;
    }
    if (a.year == b.year || year_near()) return birth_near;
    return birth_disagree;
}

std::int8_t compare_sex(Sex a, Sex b) {
    if (a == Sex::unknown || b == Sex::unknown) return missing_level;
    return a == b ? 0 : 1;
}

// Primary name tokens (family and given), the ones the term frequency is about.
template <class Fn>
void for_primary_keys(const RecordFeatures& r, Fn&& fn) {
    for (const auto& t : r.names()) {
        if (t.field == NameField::family || t.field == NameField::given) fn(r.key(t));
    }
}

// Name levels: exact, phonetic, fuzzy (every token agrees), subset (every token of the shorter
// name agrees: a dropped second given name), partial (a given name agrees, e.g. an Eritrean
// father's name in one agency and grandfather's in another), family_only (only the family
// name agrees: siblings look like this), none.
constexpr std::int8_t name_family_only = 5;
constexpr std::int8_t name_none = 6;

std::int8_t name_level(const NameAgreement& n) {
    switch (n.level) {
        case NameLevel::exact: return 0;
        case NameLevel::all_matched_phonetic: return 1;
        case NameLevel::all_matched_fuzzy: return 2;
        case NameLevel::partial: {
            if (n.all_matched) return 3;
            const int matched = n.exact + n.phonetic + n.fuzzy;
            return matched > (n.family_agrees ? 1 : 0) ? 4 : name_family_only;
        }
        case NameLevel::none: return name_none;
        case NameLevel::missing: break;
    }
    return missing_level;
}

// Phonetic keys that differ at most in the final vowel (the key's last place): Ukrainian and
// Russian forms of one name (Kyrylo = Kirill, Dmytro = Dmitrij, Pavlo = Pavel, Vasyl = Wassili).
// Hassan and Hussein (twins' names) differ in the first vowel and stay apart; Karim and Karima
// are told apart by sex.
bool same_but_final_vowel(std::string_view x, std::string_view y) {
    return x.size() == y.size() && x.size() >= 3 && x.substr(0, x.size() - 1) == y.substr(0, y.size() - 1);
}

// True when some given name of a resembles one of b loosely (Jaro-Winkler 0.8: Svetlana and
// Switlana, which neither the phonetic key nor the fuzzy match of the name comparison takes), or
// either side has none.
bool given_names_alike(const RecordFeatures& a, const RecordFeatures& b) {
    const auto given = [](const NameToken& t) {
        return t.field == NameField::given || t.field == NameField::alias_given;
    };
    bool a_has = false, b_has = false;
    for (const auto& x : a.names()) {
        if (!given(x)) continue;
        a_has = true;
        for (const auto& y : b.names()) {
            if (!given(y)) continue;
            b_has = true;
            if (jaro_winkler(a.text(x), b.text(y)) >= 0.8 || same_but_final_vowel(a.key(x), b.key(y))) {
                return true;
            }
        }
    }
    if (!a_has) return true;
    if (!b_has) {
        for (const auto& y : b.names()) b_has = b_has || given(y);
    }
    return !b_has;
}

}  // namespace

std::string_view field_name(FieldId field) { return field_names[idx(field)]; }

std::optional<FieldId> field_from_name(std::string_view name) {
    for (std::size_t i = 0; i < field_count; ++i) {
        if (field_names[i] == name) return static_cast<FieldId>(i);
    }
    return std::nullopt;
}

const std::vector<std::string>& level_names(FieldId field) {
    static const std::vector<std::string> name = {"exact",   "phonetic",    "fuzzy", "subset",
                                                  "partial", "family_only", "none"};
    static const std::vector<std::string> birth = {"exact", "compatible", "near", "less_precise",
                                                   "disagree"};
    static const std::vector<std::string> binary = {"agree", "disagree"};
    static const std::vector<std::string> text = {"exact", "similar", "disagree"};
    static const std::vector<std::string> identifier = {"exact", "one_edit", "disagree"};
    switch (field) {
        case FieldId::name: return name;
        case FieldId::birth_date: return birth;
        case FieldId::sex:
        case FieldId::birth_country:
        case FieldId::nationality:
        case FieldId::house_number:
        case FieldId::region: return binary;
        case FieldId::birthplace:
        case FieldId::town:
        case FieldId::street:
        case FieldId::address_extra: return text;
        case FieldId::postcode:
        case FieldId::azr_number:
        case FieldId::ba_customer_number:
        case FieldId::bamf_file_number:
        case FieldId::other_id: return identifier;
    }
    return binary;
}

Comparison compare(const RecordFeatures& a, const RecordFeatures& b, const FieldMask& enabled) {
    Comparison c;
    c.levels.fill(missing_level);
    const auto on = [&](FieldId f) { return enabled[idx(f)]; };
    const auto set = [&](FieldId f, std::int8_t level) {
        if (on(f)) c.levels[idx(f)] = level;
    };
    if (on(FieldId::name)) {
        c.name = compare_names(a, b);
        c.levels[idx(FieldId::name)] = name_level(c.name);
    }
    set(FieldId::birth_date, compare_birth(a.birth(), b.birth()));
    set(FieldId::sex, compare_sex(a.sex(), b.sex()));
    if (on(FieldId::birthplace) && !a.birthplace().empty() && !b.birthplace().empty()) {
        const bool same_key = !a.birthplace_key().empty() && a.birthplace_key() == b.birthplace_key();
        set(FieldId::birthplace, a.birthplace() == b.birthplace() ? exact
                                 : same_key || jaro_winkler(a.birthplace(), b.birthplace()) >= 0.88
                                     ? close
                                     : different);
    }
    if (a.birth_country().is_known() && b.birth_country().is_known()) {
        set(FieldId::birth_country, a.birth_country() == b.birth_country() ? 0 : 1);
    }
    if (a.nationalities().size > 0 && b.nationalities().size > 0) {
        set(FieldId::nationality, a.nationalities().intersects(b.nationalities()) ? 0 : 1);
    }
    set(FieldId::postcode, compare_identifier(a.postcode(), b.postcode()));
    // A postcode names its town: where both records have one, the town adds nothing but would
    // count one move (or one shared address) twice.
    if (on(FieldId::town) && (a.postcode().empty() || b.postcode().empty())) {
        set(FieldId::town, compare_text(a.town(), b.town(), 0.9));
    }
    if (on(FieldId::street)) set(FieldId::street, compare_text(a.street(), b.street(), 0.88));
    set(FieldId::house_number, compare_equal(a.house_number(), b.house_number()));
    if (on(FieldId::address_extra)) {
        set(FieldId::address_extra, compare_text(a.address_extra(), b.address_extra(), 0.88));
    }
    set(FieldId::region, compare_equal(a.region(), b.region()));
    set(FieldId::azr_number, compare_identifier(a.azr_number(), b.azr_number()));
    set(FieldId::ba_customer_number, compare_identifier(a.ba_customer_number(), b.ba_customer_number()));
    set(FieldId::bamf_file_number, compare_identifier(a.bamf_file_number(), b.bamf_file_number()));
    set(FieldId::other_id, compare_identifier(a.other_id(), b.other_id()));

    const bool azr_conflict = c.levels[idx(FieldId::azr_number)] == different;
    const bool sex_conflict = enabled[idx(FieldId::sex)] &&
                              ((a.sex() == Sex::male && b.sex() == Sex::female) ||
                               (a.sex() == Sex::female && b.sex() == Sex::male));
    // Given names that share nothing (only the family name agrees, or nothing does) mark
    // siblings, twins above all, or strangers of one birth date and address: the weights alone
    // cannot tell them, as among blocked pairs they agree on everything else far more often than
    // the model of independent fields expects. A shared identifier outweighs that.
    const auto name = c.levels[idx(FieldId::name)];
    const bool names_differ = (name == name_family_only || name == name_none) && !given_names_alike(a, b);
    bool identifier_agrees = false;
    for (const auto f : {FieldId::azr_number, FieldId::ba_customer_number, FieldId::bamf_file_number,
                         FieldId::other_id}) {
        identifier_agrees = identifier_agrees || c.levels[idx(f)] == exact || c.levels[idx(f)] == close;
    }
    c.conflict = azr_conflict || sex_conflict;
    c.given_names_differ = names_differ && !identifier_agrees;
    return c;
}

std::vector<std::string_view> tf_keys(const RecordFeatures& record) {
    std::vector<std::string_view> keys;
    for_primary_keys(record, [&](std::string_view key) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    });
    return keys;
}

std::uint64_t name_key_hash(std::string_view key) { return hash_text(0x6e616d65, key.data(), key.size()); }

void NameFrequencies::add(const RecordFeatures& record) {
    ++total_;
    for (const auto key : tf_keys(record)) {
        const double before = counts_[name_key_hash(key)]++;
        occurrences_ += 1.0;
        squared_occurrences_ += 2.0 * before + 1.0;
    }
}

void NameFrequencies::add(const NameFrequencies& other) {
    total_ += other.total_;
    occurrences_ += other.occurrences_;
    for (const auto& [key, n] : other.counts_) {
        const double before = std::exchange(counts_[key], counts_[key] + n);
        // (before + n)^2 - before^2 - n^2, added to both parts' sums of squares: integers all,
        // exact in a double, so the result is that of counting in one part.
        squared_occurrences_ += 2.0 * before * n;
    }
    squared_occurrences_ += other.squared_occurrences_;
}

double NameFrequencies::typical_frequency() const {
    if (total_ == 0 || occurrences_ == 0.0) return 1.0;
    return squared_occurrences_ / occurrences_ / static_cast<double>(total_);
}

double NameFrequencies::frequency(std::uint64_t key_hash) const {
    if (total_ == 0) return 1.0;
    const auto it = counts_.find(key_hash);
    const double count = it == counts_.end() ? 1.0 : std::max<double>(1.0, it->second);
    return count / static_cast<double>(total_);
}

namespace {

// Bits by which a name key (by name_key_hash) is rarer than a typical one (log2 of the typical
// frequency, `typical`).
double key_rarity(const NameFrequencies& tf, double typical, std::uint64_t key_hash) {
    return typical - std::log2(tf.frequency(key_hash));
}

void add_key(NameRarity& out, double bits) {
    out.bits += bits;
    out.rarer_bits += std::max(0.0, bits);
    ++out.tokens;
}

}  // namespace

// Both term for term alike: a summary decoded from the registry bounds the weight exactly as
// the record itself would.
NameRarity name_rarity(const NameFrequencies& tf, const RecordFeatures& r) {
    NameRarity out;
    if (tf.total() == 0) return out;
    const double typical = std::log2(tf.typical_frequency());
    for_primary_keys(r, [&](std::string_view key) {
        add_key(out, key_rarity(tf, typical, name_key_hash(key)));
    });
    return out;
}

NameRarity name_rarity(const NameFrequencies& tf, std::span<const std::uint64_t> primary_keys) {
    NameRarity out;
    if (tf.total() == 0) return out;
    const double typical = std::log2(tf.typical_frequency());
    for (const auto key : primary_keys) add_key(out, key_rarity(tf, typical, key));
    return out;
}

double pair_tf_adjustment(const ScoreSettings& settings, const NameFrequencies& tf, const RecordFeatures& a,
                          const RecordFeatures& b, NameRarity ra, NameRarity rb, const Comparison& c) {
    const auto level = c.levels[idx(FieldId::name)];
    if (level != name_partial_level) return name_tf_adjustment(settings, ra, rb, level);
    if (!settings.name_tf || settings.partial_tf_scale == 0.0 || tf.total() == 0) return 0.0;
    const double typical = std::log2(tf.typical_frequency());
    const auto agreeing = [&](const RecordFeatures& r, std::uint64_t matched) {
        double bits = 0.0;
        const auto names = r.names();
        for (std::size_t i = 0; i < names.size() && i < 64; ++i) {
            const auto& t = names[i];
            const bool primary = t.field == NameField::family || t.field == NameField::given;
            if ((matched >> i & 1) == 0 || !primary) continue;
            bits += key_rarity(tf, typical, name_key_hash(r.key(t)));
        }
        return bits;
    };
    const double bits = std::min(agreeing(a, c.name.matched_a), agreeing(b, c.name.matched_b));
    const double cap = settings.max_tf_adjustment;
    return std::clamp(bits * settings.partial_tf_scale, -cap, cap);
}

double name_tf_adjustment(const ScoreSettings& settings, NameRarity a, NameRarity b, std::int8_t name_level) {
    // Only for names that agree in full: exact, phonetic, fuzzy or subset.
    if (!settings.name_tf || name_level < 0 || name_level >= name_tf_levels) return 0.0;
    if (a.tokens == 0 || b.tokens == 0) return 0.0;
    // The side with fewer tokens is the one fully matched; on a tie, the commoner reading.
    const double bits = a.tokens < b.tokens ? a.bits : b.tokens < a.tokens ? b.bits : std::min(a.bits, b.bits);
    return std::clamp(bits * settings.tf_scale, -settings.max_tf_adjustment, settings.max_tf_adjustment);
}

namespace {

// The best weight of levels [from, to) of a field, or the lowest possible without any.
double best_weight(const FieldParameters& field, std::size_t from = 0, std::size_t to = 255) {
    double best = -1e300;
    for (std::size_t l = from; l < std::min(to, field.m.size()); ++l) {
        best = std::max(best, level_weight(field, static_cast<std::int8_t>(l)));
    }
    return best;
}

bool has_name(const RecordFeatures& r) {
    const auto& v = r.name_variants();
    for (std::size_t i = 0; i < v.size; ++i) {
        if (v.items[i].size > 0) return true;
    }
    return false;
}

enum Present : std::uint8_t { p_name = 1, p_birthplace = 2, p_town = 4, p_street = 8, p_extra = 16, p_postcode = 32 };
constexpr std::array code_fields = {FieldId::postcode,         FieldId::azr_number, FieldId::ba_customer_number,
                                    FieldId::bamf_file_number, FieldId::other_id,   FieldId::house_number,
                                    FieldId::region};
// The codes compared by text come first; the others are compared by hash alone.
static_assert(code_fields.size() == WeightBound::Summary::text_codes + 2 &&
              code_fields[WeightBound::Summary::text_codes] == FieldId::house_number &&
              code_fields[WeightBound::Summary::text_codes + 1] == FieldId::region);

std::string_view code_text(const RecordFeatures& r, std::size_t i) {
    switch (i) {
        case 0: return r.postcode();
        case 1: return r.azr_number();
        case 2: return r.ba_customer_number();
        case 3: return r.bamf_file_number();
        case 4: return r.other_id();
        case 5: return r.house_number();
        default: return r.region();
    }
}

}  // namespace

WeightBound::Summary WeightBound::summarize(const RecordFeatures& r, NameRarity rarity) {
    Summary s;
    s.birth = r.birth();
    s.sex = r.sex();
    s.birth_country = r.birth_country();
    s.nationalities = r.nationalities();
    s.rarity = rarity;
    const auto bit = [&](bool on, Present p) {
        if (on) s.present |= p;
    };
    bit(has_name(r), p_name);
    bit(!r.birthplace().empty(), p_birthplace);
    bit(!r.town().empty(), p_town);
    bit(!r.street().empty(), p_street);
    bit(!r.address_extra().empty(), p_extra);
    bit(!r.postcode().empty(), p_postcode);
    for (std::size_t i = 0; i < code_fields.size(); ++i) {
        const auto text = code_text(r, i);
        if (text.empty()) continue;
        const auto h = static_cast<std::uint32_t>(hash_text(0x636f6465, text.data(), text.size()));
        s.codes[i] = h == 0 ? 1 : h;
        if (i >= Summary::text_codes) continue;
        if (text.size() > Summary::code_capacity) {
            s.code_size[i] = Summary::long_code;
        } else {
            s.code_size[i] = static_cast<std::uint8_t>(text.size());
            std::copy(text.begin(), text.end(), s.code_chars[i].begin());
        }
    }
    return s;
}

namespace {

// Reads little-endian numbers off the front of a text, failing once it runs short.
struct Reader {
    std::string_view& in;
    bool ok = true;
    std::uint64_t le(std::size_t bytes) {
        if (in.size() < bytes) {
            ok = false;
            return 0;
        }
        const std::uint64_t v = get_le(in, 0, bytes);
        in.remove_prefix(bytes);
        return v;
    }
};

}  // namespace

// Little-endian: present bits, sex, birth year (2 bytes), month, day, precision with the
// placeholder flag (bit 4), birth country (4), nationality count and codes (4 each), a bit per
// code present, then per code its hash (4) and, for the texts, its size (long_code: no text) and
// text; the primary name key count (2) and hashes (8 each).
void encode_summary(const RecordFeatures& record, std::string& out) {
    using S = WeightBound::Summary;
    const auto s = WeightBound::summarize(record, {});
    put_le(out, s.present, 1);
    put_le(out, static_cast<std::uint64_t>(s.sex), 1);
    put_le(out, static_cast<std::uint16_t>(s.birth.year), 2);
    put_le(out, static_cast<std::uint8_t>(s.birth.month), 1);
    put_le(out, static_cast<std::uint8_t>(s.birth.day), 1);
    put_le(out, static_cast<std::uint64_t>(s.birth.precision) | (s.birth.is_placeholder ? 16u : 0u), 1);
    put_le(out, s.birth_country.value, 4);
    put_le(out, s.nationalities.size, 1);
    for (std::size_t i = 0; i < s.nationalities.size; ++i) put_le(out, s.nationalities.codes[i].value, 4);
    std::uint8_t mask = 0;
    for (std::size_t i = 0; i < s.codes.size(); ++i) mask |= s.codes[i] != 0 ? (1u << i) : 0u;
    put_le(out, mask, 1);
    for (std::size_t i = 0; i < s.codes.size(); ++i) {
        if (s.codes[i] == 0) continue;
        put_le(out, s.codes[i], 4);
        if (i >= S::text_codes) continue;
        put_le(out, s.code_size[i], 1);
        if (s.code_size[i] != S::long_code) out.append(s.code_chars[i].data(), s.code_size[i]);
    }
    const auto count_at = out.size();
    put_le(out, 0, 2);
    std::uint16_t keys = 0;
    for_primary_keys(record, [&](std::string_view key) {
        put_le(out, name_key_hash(key), 8);
        ++keys;
    });
    out[count_at] = static_cast<char>(keys & 0xff);
    out[count_at + 1] = static_cast<char>(keys >> 8);
}

std::optional<WeightBound::Summary> decode_summary(std::string_view& in, const NameFrequencies& tf) {
    using S = WeightBound::Summary;
    Reader r{in};
    S s;
    s.present = static_cast<std::uint8_t>(r.le(1));
    const auto sex = r.le(1);
    s.birth.year = static_cast<std::int16_t>(r.le(2));
    s.birth.month = static_cast<std::int8_t>(r.le(1));
    s.birth.day = static_cast<std::int8_t>(r.le(1));
    const auto precision = r.le(1);
    s.birth_country.value = static_cast<std::uint32_t>(r.le(4));
    s.nationalities.size = static_cast<std::uint8_t>(r.le(1));
    if (!r.ok || sex > static_cast<std::uint64_t>(Sex::diverse) || (precision & 15) > 3 ||
        s.nationalities.size > s.nationalities.codes.size()) {
        return std::nullopt;
    }
    s.sex = static_cast<Sex>(sex);
    s.birth.precision = static_cast<DatePrecision>(precision & 15);
    s.birth.is_placeholder = (precision & 16) != 0;
    for (std::size_t i = 0; i < s.nationalities.size; ++i) {
        s.nationalities.codes[i].value = static_cast<std::uint32_t>(r.le(4));
    }
    const auto mask = r.le(1);
    for (std::size_t i = 0; i < s.codes.size(); ++i) {
        if ((mask & (1u << i)) == 0) continue;
        s.codes[i] = static_cast<std::uint32_t>(r.le(4));
        if (i >= S::text_codes) continue;
        s.code_size[i] = static_cast<std::uint8_t>(r.le(1));
        if (s.code_size[i] == S::long_code) continue;
        if (s.code_size[i] > S::code_capacity || in.size() < s.code_size[i]) return std::nullopt;
        std::copy_n(in.begin(), s.code_size[i], s.code_chars[i].begin());
        in.remove_prefix(s.code_size[i]);
    }
    const auto keys = r.le(2);
    if (!r.ok || in.size() < keys * 8) return std::nullopt;
    std::array<std::uint64_t, 16> few{};  // most names: no allocation
    std::vector<std::uint64_t> many;
    if (keys > few.size()) many.resize(keys);
    const auto hashes = keys > few.size() ? std::span(many) : std::span(few).first(keys);
    for (auto& h : hashes) h = r.le(8);
    s.rarity = name_rarity(tf, hashes);
    return s;
}

WeightBound::WeightBound(const ScoreSettings& settings) : settings_(settings) {
    for (std::size_t f = 0; f < field_count; ++f) {
        if (!settings.enabled[f]) continue;
        const auto& field = settings.parameters.fields[f];
        for (std::size_t l = 0; l < std::min(field.m.size(), max_levels); ++l) {
            weights_[f][l] = level_weight(field, static_cast<std::int8_t>(l));
        }
        // Used only where both sides have the field, so that it is compared.
        best_[f] = best_weight(settings.parameters.fields[f]);
    }
    if (settings.enabled[idx(FieldId::name)]) {
        const auto& name = settings.parameters.fields[idx(FieldId::name)];
        name_with_tf_ = best_weight(name, 0, name_tf_levels);
        name_without_tf_ = best_weight(name, name_tf_levels);
        name_partial_ = best_weight(name, name_partial_level, name_partial_level + 1);
    }
}

double WeightBound::bound(const Summary& a, const Summary& b, const RecordFeatures* ra,
                          const RecordFeatures* rb) const {
    const auto& fields = settings_.parameters.fields;
    const auto on = [&](FieldId f) { return settings_.enabled[idx(f)]; };
    // Weights from the table made once (log2 per field and pair was most of the bound's time).
    const auto weight = [&](FieldId f, std::int8_t level) {
        if (!on(f) || level < 0) return 0.0;
        const auto l = static_cast<std::size_t>(level);
        return l < max_levels ? weights_[idx(f)][l] : level_weight(fields[idx(f)], level);
    };
    double bound = weight(FieldId::birth_date, compare_birth(a.birth, b.birth));
    bound += weight(FieldId::sex, compare_sex(a.sex, b.sex));
    if (a.birth_country.is_known() && b.birth_country.is_known()) {
        bound += weight(FieldId::birth_country, a.birth_country == b.birth_country ? 0 : 1);
    }
    if (a.nationalities.size > 0 && b.nationalities.size > 0) {
        bound += weight(FieldId::nationality, a.nationalities.intersects(b.nationalities) ? 0 : 1);
    }
    // Codes by hash: equal hashes almost surely the same text, taken at the field's best level
    // all the same; different ones are different texts, whose level (one edit apart, or not)
    // needs the texts themselves: a typo in an identifier weighs nearly as much as agreeing.
    for (std::size_t i = 0; i < code_fields.size(); ++i) {
        if (a.codes[i] == 0 || b.codes[i] == 0) continue;
        const auto f = code_fields[i];
        if (a.codes[i] == b.codes[i]) {
            bound += best_[idx(f)];
        } else if (i >= Summary::text_codes) {  // house number, region: equal or not
            bound += weight(f, 1);
        } else if ((a.code_size[i] == Summary::long_code && !ra) ||
                   (b.code_size[i] == Summary::long_code && !rb)) {
            bound += best_[idx(f)];  // its text not at hand
        } else {
            const auto text = [&](const Summary& s, const RecordFeatures* r) {
                return s.code_size[i] == Summary::long_code ? code_text(*r, i)
                                                            : std::string_view(s.code_chars[i].data(), s.code_size[i]);
            };
            bound += weight(f, compare_identifier(text(a, ra), text(b, rb)));
        }
    }
    const auto both = [&](std::uint8_t bit) { return (a.present & bit) != 0 && (b.present & bit) != 0; };
    if (on(FieldId::name) && both(p_name)) {
        // Both have a name, so it is compared: the term-frequency adjustment (negative for a
        // common name) comes with the levels of a name that agrees in full, not the others.
        double name =
            std::max(name_with_tf_ + name_tf_adjustment(settings_, a.rarity, b.rarity, 0), name_without_tf_);
        if (settings_.name_tf && settings_.partial_tf_scale != 0.0) {
            // The tokens that agree are at most the rarer-than-typical ones.
            const double rarer = std::min(a.rarity.rarer_bits, b.rarity.rarer_bits);
            const double most = std::clamp(rarer * settings_.partial_tf_scale, -settings_.max_tf_adjustment,
                                           settings_.max_tf_adjustment);
            name = std::max(name, name_partial_ + most);
        }
        bound += name;
    }
    bound += std::max(0.0, settings_.given_names_differ_weight);  // a penalty: 0 at best
    if (both(p_birthplace)) bound += best_[idx(FieldId::birthplace)];
    if (!both(p_postcode) && both(p_town)) bound += best_[idx(FieldId::town)];
    if (both(p_street)) bound += best_[idx(FieldId::street)];
    if (both(p_extra)) bound += best_[idx(FieldId::address_extra)];
    return bound;
}

double total_weight(const ScoreSettings& settings, const Comparison& comparison, double tf_adjustment) {
    double total = tf_adjustment + (comparison.given_names_differ ? settings.given_names_differ_weight : 0.0);
    for (std::size_t f = 0; f < field_count; ++f) {
        total += level_weight(settings.parameters.fields[f], comparison.levels[f]);
    }
    return total;
}

PairExplanation explain(const ScoreSettings& settings, const NameFrequencies& tf,
                        const RecordFeatures& a, const RecordFeatures& b) {
    const auto c = compare(a, b, settings.enabled);
    PairExplanation out;
    out.conflict = c.conflict;
    const double adjustment =
        pair_tf_adjustment(settings, tf, a, b, name_rarity(tf, a), name_rarity(tf, b), c);
    for (std::size_t f = 0; f < field_count; ++f) {
        if (!settings.enabled[f]) continue;
        FieldScore s;
        s.field = static_cast<FieldId>(f);
        s.level = c.levels[f];
        s.weight = level_weight(settings.parameters.fields[f], c.levels[f]);
        if (s.field == FieldId::name) s.tf_adjustment = adjustment;
        out.fields.push_back(s);
    }
    if (c.given_names_differ) out.given_names_penalty = settings.given_names_differ_weight;
    out.total = total_weight(settings, c, adjustment);
    out.probability = match_probability(settings.parameters.prior, out.total);
    return out;
}

FsParameters default_parameters() {
    FsParameters p;
    p.prior = 0.01;
    for (std::size_t f = 0; f < field_count; ++f) {
        const auto id = static_cast<FieldId>(f);
        FieldParameters field;
        field.name = std::string(field_name(id));
        field.levels = level_names(id);
        const auto k = field.levels.size();
        // Agreement likely for the same person, unlikely by chance; the rest spread out.
        for (std::size_t l = 0; l < k; ++l) {
            const bool last = l + 1 == k;
            field.m.push_back(l == 0 ? 0.8 : last ? 0.02 : 0.18 / static_cast<double>(k - 2));
            field.u.push_back(l == 0 ? 0.02 : last ? 0.9 : 0.08 / static_cast<double>(k - 2));
        }
        p.fields.push_back(std::move(field));
    }
    return p;
}

}  // namespace qreg::dedup
