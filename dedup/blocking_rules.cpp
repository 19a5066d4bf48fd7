#include "qreg/dedup/blocking_rules.hpp"

#include "normalize_detail.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

namespace qreg::dedup {

namespace {

constexpr std::array<std::string_view, 13> rule_names = {
    "azr_number", "ba_customer_number", "bamf_file_number", "other_id", "name_key_birth_year",
    "name_key_pair", "name_key_postcode", "birth_date", "birth_date_postcode",
    "family_key_birth_year", "street_house_number", "identifier_digits_postcode",
    "name_key_birth_date"};

// A number as std::to_string writes it, without a string.
std::string_view decimal(int number, std::array<char, 12>& buffer) {
    const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number).ptr;
    return {buffer.data(), static_cast<std::size_t>(end - buffer.data())};
}

// Builds a key from parts separated by a byte that no part contains (hashed as they come).
class KeyBuilder {
public:
    explicit KeyBuilder(BlockRule rule) : hash_(static_cast<std::uint64_t>(rule) + 1) {}
    KeyBuilder& add(std::string_view part) {
        hash_.add(part).add('\x1f');
        return *this;
    }
    KeyBuilder& add(int number) {
        std::array<char, 12> buffer{};
        return add(decimal(number, buffer));
    }
    [[nodiscard]] std::uint64_t hash() const { return hash_.value(); }

private:
    TextHash hash_;
};

std::uint64_t refine_of(std::string_view a, int b = 0) {
    std::array<char, 12> buffer{};
    return TextHash(99).add(a).add('|').add(decimal(b, buffer)).value();
}

// The name part of a street (RecordFeatures::street: folded, type words abbreviated, no spaces)
// for blocking: a type word at the end dropped, written out or abbreviated (`colebatchplace` and
// `colebatchpl` are both `colebatch`), and doubled letters written once (`jerrabomberra`,
// `jerrabombera`). Comparison still sees the street as written.
std::string street_stem(std::string_view street) {
    // Written out first: `...street` loses `street`, not only its `st`.
    const auto strip = [&](auto form) {
        for (const auto& words : detail::street_type_words) {
            const std::string_view word = form(words);
            if (street.size() >= word.size() + 3 && street.ends_with(word)) {
                street.remove_suffix(word.size());
                return true;
            }
        }
        return false;
    };
    if (!strip([](const auto& w) { return w.first; })) strip([](const auto& w) { return w.second; });
    std::string out;
    for (const char c : street) {
        if (out.empty() || out.back() != c) out.push_back(c);
    }
    return out;
}

bool full_date(const BirthDateParts& b) {
    return b.precision == DatePrecision::day && !b.is_placeholder;
}

}  // namespace

std::optional<BlockRule> block_rule_from_name(std::string_view name) {
    for (std::size_t i = 0; i < rule_names.size(); ++i) {
        if (rule_names[i] == name) return static_cast<BlockRule>(i);
    }
    return std::nullopt;
}

bool trains_model(BlockRule rule) {
    return rule != BlockRule::identifier_digits_postcode && rule != BlockRule::name_key_birth_date;
}

std::string_view block_rule_name(BlockRule rule) { return rule_names[static_cast<std::size_t>(rule)]; }

std::int64_t block_keys_print(std::span<const BlockRule> rules) {
    // Raise the version when a rule's keys are made differently (the phonetic key, the name
    // tokens included), or a summary kept with them (encode_summary): the match index is then
    // made again by the next matching.
    constexpr std::string_view key_version = "block keys 3 (vowel classes, articles, origin spellings)";
    TextHash hash(17);
    hash.add(key_version);
    for (const auto rule : rules) hash.add('|').add(block_rule_name(rule));
    return static_cast<std::int64_t>((hash.value() >> 2) | (std::uint64_t{1} << 61));
}

std::vector<BlockKey> block_keys(const RecordFeatures& r, std::span<const BlockRule> rules,
                                 std::span<const std::uint32_t> max_block) {
    std::vector<BlockKey> out;
    // Distinct phonetic keys of every name variant, in a stable order.
    std::vector<std::string_view> keys;
    for (const auto& t : r.names()) {
        if (r.key(t).size() >= 2) keys.push_back(r.key(t));
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    // Family-name keys only: common given names (Mohammad) would make huge blocks.
    std::vector<std::string_view> family_keys;
    for (const auto& t : r.names()) {
        const bool family = t.field == NameField::family || t.field == NameField::birth ||
                            t.field == NameField::alias_family;
        if (family && r.key(t).size() >= 2) family_keys.push_back(r.key(t));
    }
    std::sort(family_keys.begin(), family_keys.end());
    family_keys.erase(std::unique(family_keys.begin(), family_keys.end()), family_keys.end());
    const int year = r.birth().year;
    const int month_day = r.birth().is_placeholder ? 0 : r.birth().month * 100 + r.birth().day;

    const auto identifier = [&](BlockRule rule, std::string_view id) {
        if (!id.empty()) out.push_back({KeyBuilder(rule).add(id).hash(), refine_of("", year)});
    };
    for (std::size_t rule_index = 0; rule_index < rules.size(); ++rule_index) {
        const auto rule = rules[rule_index];
        const std::size_t first = out.size();
        switch (rule) {
            case BlockRule::azr_number: identifier(rule, r.azr_number()); break;
            case BlockRule::ba_customer_number: identifier(rule, r.ba_customer_number()); break;
            case BlockRule::bamf_file_number: identifier(rule, r.bamf_file_number()); break;
            case BlockRule::other_id: identifier(rule, r.other_id()); break;
            case BlockRule::name_key_birth_year:
                for (const auto k : keys) {
                    out.push_back({KeyBuilder(rule).add(k).add(year).hash(),
                                   refine_of(r.postcode(), month_day)});
                }
                break;
            case BlockRule::name_key_pair:
                for (std::size_t i = 0; i < keys.size(); ++i) {
                    for (std::size_t j = i + 1; j < keys.size(); ++j) {
                        out.push_back({KeyBuilder(rule).add(keys[i]).add(keys[j]).hash(),
                                       refine_of("", year)});
                    }
                }
                break;
            case BlockRule::name_key_postcode:
                if (r.postcode().empty()) break;
                for (const auto k : keys) {
                    out.push_back({KeyBuilder(rule).add(k).add(r.postcode()).hash(), refine_of("", year)});
                }
                break;
            case BlockRule::name_key_birth_date:
                if (!full_date(r.birth())) break;
                for (const auto k : keys) {
                    out.push_back({KeyBuilder(rule).add(k).add(year).add(month_day).hash(),
                                   refine_of(r.postcode())});
                }
                break;
            case BlockRule::birth_date:
                if (full_date(r.birth())) {
                    out.push_back({KeyBuilder(rule).add(year).add(month_day).hash(),
                                   refine_of(r.postcode(), static_cast<int>(r.sex()))});
                }
                break;
            case BlockRule::family_key_birth_year:
                for (const auto k : family_keys) {
                    out.push_back({KeyBuilder(rule).add(k).add(year).hash(),
                                   refine_of(r.postcode(), month_day)});
                }
                break;
            case BlockRule::birth_date_postcode:
                if (full_date(r.birth()) && !r.postcode().empty()) {
                    out.push_back({KeyBuilder(rule).add(year).add(month_day).add(r.postcode()).hash(),
                                   refine_of("", static_cast<int>(r.sex()))});
                }
                break;
            case BlockRule::street_house_number:
                if (!r.street().empty() && !r.house_number().empty()) {
                    out.push_back({KeyBuilder(rule).add(street_stem(r.street())).add(r.house_number()).hash(),
                                   refine_of(r.town(), year)});
                }
                break;
            case BlockRule::identifier_digits_postcode:
                if (r.postcode().empty()) break;
                // The identifier's kind (its place here) keeps apart an AZR and a BA number.
                for (int kind = 0; const auto id : {r.azr_number(), r.ba_customer_number(),
                                                    r.bamf_file_number(), r.other_id()}) {
                    ++kind;
                    if (id.empty()) continue;
                    std::string sorted(id);
                    std::sort(sorted.begin(), sorted.end());
                    out.push_back({KeyBuilder(rule).add(kind).add(sorted).add(r.postcode()).hash(),
                                   refine_of("", year)});
                }
                break;
        }
        for (std::size_t k = first; k < out.size(); ++k) {
            out[k].rule = static_cast<std::uint8_t>(rule_index);
            if (rule_index < max_block.size()) out[k].max_block = max_block[rule_index];
        }
    }
    return out;
}

}  // namespace qreg::dedup
