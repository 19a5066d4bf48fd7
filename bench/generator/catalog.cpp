#include "catalog.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "text.hpp"

namespace qreg::gen {
namespace {

// A transliteration habit: substring rules applied together in one left-to-right pass on
// the lower-cased name. '^' at the start of `from` anchors it to the start of a word, '$' at
// the end to the end of a word.
struct Rule {
    std::string_view from;
    std::string_view to;
};
using Style = std::vector<Rule>;

bool is_boundary(std::string_view s, std::size_t i) {
    return i == 0 || i >= s.size() || s[i - 1] == ' ' || s[i - 1] == '-';
}

bool is_word_end(std::string_view s, std::size_t i) {
    return i >= s.size() || s[i] == ' ' || s[i] == '-';
}

std::string apply_style(std::string_view lower_name, const Style& style) {
    std::string out;
    out.reserve(lower_name.size() + 8);
    for (std::size_t i = 0; i < lower_name.size();) {
        bool matched = false;
        for (const auto& rule : style) {
            std::string_view from = rule.from;
            const bool at_start = from.starts_with('^');
            const bool at_end = from.ends_with('$');
            if (at_start) from.remove_prefix(1);
            if (at_end) from.remove_suffix(1);
            if (!lower_name.substr(i).starts_with(from)) continue;
            if (at_start && !is_boundary(lower_name, i)) continue;
            if (at_end && !is_word_end(lower_name, i + from.size())) continue;
            out += rule.to;
            i += from.size();
            matched = true;
            break;
        }
        if (!matched) {
            // copy one whole UTF-8 sequence
            std::size_t len = 1;
            const auto b = static_cast<unsigned char>(lower_name[i]);
            if (b >= 0xF0) {
                len = 4;
            } else if (b >= 0xE0) {
                len = 3;
            } else if (b >= 0xC0) {
                len = 2;
            }
            out.append(lower_name.substr(i, len));
            i += len;
        }
    }
    return out;
}

bool is_vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

// Moves the vowel of the last syllable: Mohammad -> Mohammed, Khalid -> Khaled.
std::string shift_last_vowel(std::string_view lower_name) {
    std::string out(lower_name);
    std::size_t end = out.size();
    while (end > 0 && !is_vowel(out[end - 1])) --end;
    if (end == out.size() && end > 0) {  // ends in a vowel: use the one before
        --end;
        while (end > 0 && !is_vowel(out[end - 1])) --end;
    }
    if (end <= 1) return out;  // never the initial vowel: Ali is not Eli
    char& v = out[end - 1];
    switch (v) {
        case 'a': v = 'e'; break;
        case 'e': v = 'a'; break;
        case 'i': v = 'e'; break;
        case 'o': v = 'u'; break;
        case 'u': v = 'o'; break;
        default: break;
    }
    return out;
}

// Moves the first vowel between o and u: Omar -> Umar, Mohammad -> Muhammad.
std::string shift_first_vowel(std::string_view lower_name) {
    std::string out(lower_name);
    for (char& c : out) {
        if (c == 'o') {
            c = 'u';
            break;
        }
        if (c == 'u') {
            c = 'o';
            break;
        }
        if (is_vowel(c)) break;
    }
    return out;
}

const Style collapse_doubles = {{"mm", "m"}, {"ss", "s"}, {"dd", "d"}, {"ll", "l"},
                                {"nn", "n"}, {"bb", "b"}, {"tt", "t"}, {"rr", "r"},
                                {"kk", "k"}, {"jj", "j"}, {"yy", "y"}, {"ff", "f"}};

struct ScriptStyles {
    std::vector<Style> styles;
    bool vowel_shifts;
};

ScriptStyles styles_for(Script script) {
    switch (script) {
        case Script::arabic:
            return {{
                        // German officer writing what they hear
                        {{"sh", "sch"}, {"kh", "ch"}, {"dj", "dsch"}, {"j", "dsch"},
                         {"ou", "u"}, {"oo", "u"}, {"ee", "i"}, {"^y", "j"}, {"q", "k"},
                         {"dh", "d"}, {"th", "t"}, {"gh", "g"}},
                        // French-style documents (Syria, Lebanon)
                        {{"ou", "ou"}, {"sh", "ch"}, {"j", "dj"}, {"u", "ou"}, {"^w", "ou"}},
                        // Turkish-influenced / Levantine pronunciation
                        {{"kh", "h"}, {"q", "k"}, {"th", "s"}, {"dh", "z"}},
                        collapse_doubles,
                        {{"a$", "ah"}, {"ah$", "a"}, {"ee", "i"}, {"i$", "y"}},
                    },
                    true};
        case Script::persian:
            return {{
                        {{"sh", "sch"}, {"kh", "ch"}, {"j", "dsch"}, {"zh", "sch"},
                         {"oo", "u"}, {"ee", "i"}, {"^y", "j"}, {"w", "w"}},
                        {{"sh", "ch"}, {"j", "dj"}, {"u", "ou"}, {"oo", "ou"}},
                        {{"i$", "y"}, {"zadeh", "zada"}, {"zada", "zadeh"}, {"eh$", "e"}},
                        {{"gh", "q"}, {"q", "gh"}, {"w", "v"}, {"v", "w"}},
                        collapse_doubles,
                    },
                    true};
        case Script::slavic:
            return {{
                        // German (Duden) transliteration
                        {{"shch", "schtsch"}, {"zh", "sch"}, {"kh", "ch"}, {"ch", "tsch"},
                         {"sh", "sch"}, {"ts", "z"}, {"ya", "ja"}, {"yu", "ju"},
                         {"ye", "je"}, {"yi", "ji"}, {"yo", "jo"}, {"iy$", "ij"},
                         {"yy$", "yj"}, {"v", "w"}, {"z", "s"}},
                        // French
                        {{"shch", "chtch"}, {"zh", "j"}, {"ch", "tch"}, {"sh", "ch"},
                         {"ya", "ia"}, {"yu", "iou"}, {"u", "ou"}},
                        // scientific transliteration with the diacritics lost
                        {{"shch", "sc"}, {"zh", "z"}, {"kh", "ch"}, {"ch", "c"}, {"sh", "s"},
                         {"ts", "c"}, {"ya", "ja"}, {"yu", "ju"}, {"ye", "je"}},
                        // Russian-style reading of Ukrainian names
                        {{"kh", "h"}, {"^h", "g"}, {"yi", "i"}, {"y", "i"}, {"iy$", "ii"}},
                        {{"iy$", "y"}, {"ii$", "iy"}, {"ia$", "iya"}, {"yo", "io"}},
                    },
                    false};
        case Script::turkish:
            return {{
                        // plain ASCII
                        {{"ö", "o"}, {"ü", "u"}, {"ş", "s"}, {"ç", "c"}, {"ğ", "g"},
                         {"ı", "i"}},
                        // German umlaut substitution
                        {{"ö", "oe"}, {"ü", "ue"}, {"ş", "s"}, {"ç", "c"}, {"ğ", "g"},
                         {"ı", "i"}},
                        // what fits Windows-1252
                        {{"ş", "s"}, {"ç", "c"}, {"ğ", "g"}, {"ı", "i"}},
                        {{"ş", "sch"}, {"ç", "tsch"}, {"c", "dsch"}, {"ğ", ""}, {"ı", "i"},
                         {"ö", "ö"}, {"ü", "ü"}},
                    },
                    false};
        case Script::tigrinya:
            return {{
                        {{"gh", "g"}, {"ph", "f"}, {"w", "v"}, {"^y", "j"}},
                        {{"^g", "gh"}, {"ay$", "ai"}, {"ai$", "ay"}, {"e$", "ay"}},
                        collapse_doubles,
                        {{"aa", "a"}, {"ie", "ye"}, {"iam", "yam"}, {"ou", "u"}},
                    },
                    true};
        case Script::somali:
            return {{
                        {{"aa", "a"}, {"ii", "i"}, {"uu", "u"}, {"oo", "o"}, {"ee", "e"}},
                        {{"sh", "sch"}, {"kh", "ch"}, {"j", "dsch"}, {"^y", "j"}},
                        collapse_doubles,
                    },
                    true};
        case Script::english:
            return {{collapse_doubles, {{"ph", "f"}, {"^y", "j"}}}, false};
    }
    return {};
}

constexpr std::size_t max_spellings = 9;

void add_unique(std::vector<std::string>& list, std::string value) {
    if (value.empty()) return;
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto pos = s.find(sep, start);
        parts.push_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return parts;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

bool sun_letter_start(std::string_view lower_root) {
    static constexpr std::string_view sun[] = {"th", "sh", "dh", "t", "d", "r", "z", "s", "n"};
    return std::any_of(std::begin(sun), std::end(sun), [&](std::string_view p) {
        return lower_root.starts_with(p);
    });
}

// The article forms agencies write for Arabic family names: Al-Hassan, Al Hassan, Alhassan,
// El Hassan, El-Hassan, and the assimilated As-Sabbagh / Ash-Shami / Ar-Rashid.
NameEntry with_article(const std::vector<std::string>& roots, std::string_view original) {
    NameEntry entry;
    entry.bare = roots;
    for (std::size_t i = 0; i < roots.size() && entry.spellings.size() < 12; ++i) {
        const std::string& r = roots[i];
        const std::string lower = to_lower(r);
        add_unique(entry.spellings, "Al-" + r);
        add_unique(entry.spellings, "Al " + r);
        add_unique(entry.spellings, "Al" + lower);
        if (i == 0) {
            add_unique(entry.spellings, "El " + r);
            add_unique(entry.spellings, "El-" + r);
            if (sun_letter_start(lower)) {
                const std::size_t n = lower.starts_with("th") || lower.starts_with("sh") ||
                                              lower.starts_with("dh")
                                          ? 2
                                          : 1;
                add_unique(entry.spellings, "A" + lower.substr(0, n) + "-" + r);
            }
        }
    }
    if (!original.empty()) entry.original = "ال" + std::string(original);
    return entry;
}

struct ParsedLine {
    bool article = false;
    std::vector<std::string> spellings;
    double percent = 0;  // 0: Zipf by rank
    std::string original;
};

ParsedLine parse_line(std::string_view line) {
    ParsedLine parsed;
    if (const auto eq = line.find(" ="); eq != std::string_view::npos) {
        parsed.original = std::string(trim(line.substr(eq + 2)));
        line = line.substr(0, eq);
    }
    if (const auto star = line.find(" *"); star != std::string_view::npos) {
        parsed.percent = std::stod(std::string(line.substr(star + 2)));
        line = line.substr(0, star);
    }
    line = trim(line);
    if (line.starts_with('^')) {
        parsed.article = true;
        line.remove_prefix(1);
    }
    for (const auto part : split(line, '|')) {
        if (!trim(part).empty()) add_unique(parsed.spellings, std::string(trim(part)));
    }
    return parsed;
}

// Builds the weighted list: explicit percentages first, the rest shared by Zipf on rank.
class ListBuilder {
public:
    ListBuilder(double exponent, double offset) : exponent_(exponent), offset_(offset) {}

    bool add(NameEntry entry, double percent) {
        if (entry.spellings.empty()) return false;
        if (std::any_of(items_.begin(), items_.end(), [&](const Item& item) {
                return item.entry.spellings.front() == entry.spellings.front();
            })) {
            return false;
        }
        items_.push_back({std::move(entry), percent});
        return true;
    }

    [[nodiscard]] bool contains(std::string_view canonical) const {
        return std::any_of(items_.begin(), items_.end(), [&](const Item& item) {
            return item.entry.spellings.front() == canonical;
        });
    }

    NameList build() {
        double explicit_mass = 0;
        double zipf_mass = 0;
        for (std::size_t rank = 0; rank < items_.size(); ++rank) {
            if (items_[rank].percent > 0) {
                explicit_mass += items_[rank].percent / 100.0;
            } else {
                zipf_mass += zipf(rank);
            }
        }
        const double rest = std::max(0.05, 1.0 - explicit_mass);
        NameList list;
        // Weights never rise with rank, so an explicit share on top stays on top.
        double previous = 1.0;
        for (std::size_t rank = 0; rank < items_.size(); ++rank) {
            double w = items_[rank].percent > 0 ? items_[rank].percent / 100.0
                                                : rest * zipf(rank) / zipf_mass;
            w = std::min(w, previous);
            previous = w;
            list.add(std::move(items_[rank].entry), w);
        }
        list.finish();
        items_.clear();
        return list;
    }

private:
    struct Item {
        NameEntry entry;
        double percent;
    };

    [[nodiscard]] double zipf(std::size_t rank) const {
        return 1.0 / std::pow(static_cast<double>(rank) + offset_, exponent_);
    }

    double exponent_;
    double offset_;
    std::vector<Item> items_;
};

std::string capitalize(std::string_view lower) {
    return to_title(lower);
}

// Approximate Ukrainian Cyrillic for a name in the national Latin transliteration.
std::string ukrainian_cyrillic(std::string_view latin) {
    static const Style back = {
        {"shch", "щ"}, {"zh", "ж"}, {"kh", "х"}, {"ts", "ц"}, {"ch", "ч"}, {"sh", "ш"},
        {"^ye", "є"},  {"^yi", "ї"}, {"^yu", "ю"}, {"^ya", "я"}, {"ia", "я"}, {"iu", "ю"},
        {"ie", "є"},   {"iy$", "ій"}, {"yi$", "ий"}, {"yy$", "ий"}, {"a", "а"}, {"b", "б"},
        {"v", "в"},    {"h", "г"},   {"g", "ґ"},   {"d", "д"},   {"e", "е"},   {"z", "з"},
        {"y", "и"},    {"i", "і"},   {"k", "к"},   {"l", "л"},   {"m", "м"},   {"n", "н"},
        {"o", "о"},    {"p", "п"},   {"r", "р"},   {"s", "с"},   {"t", "т"},   {"u", "у"},
        {"f", "ф"},    {"c", "ц"},   {"j", "й"},   {"w", "в"},   {"x", "кс"}};
    return to_title(apply_style(to_lower(latin), back));
}

std::vector<std::string> feminine_forms(const std::vector<std::string>& spellings) {
    std::vector<std::string> out;
    for (const auto& s : spellings) {
        const std::string lower = to_lower(s);
        std::string f = s;
        if (lower.ends_with("ov") || lower.ends_with("ev") || lower.ends_with("ow") ||
            lower.ends_with("ew") || lower.ends_with("in") || lower.ends_with("yn")) {
            f += "a";
        } else if (lower.ends_with("skyi") || lower.ends_with("skyj")) {
            f = s.substr(0, s.size() - 2) + "a";
        } else if (lower.ends_with("sky")) {
            f = s.substr(0, s.size() - 1) + "a";
        } else if (lower.ends_with("off")) {
            f = s.substr(0, s.size() - 2) + "va";
        }
        add_unique(out, f);
    }
    return out;
}

double origin_share(Origin o) {
    switch (o) {
        case Origin::syr: return 0.28;
        case Origin::afg: return 0.17;
        case Origin::irq: return 0.10;
        case Origin::ukr: return 0.18;
        case Origin::tur: return 0.07;
        case Origin::eri: return 0.05;
        case Origin::irn: return 0.05;
        case Origin::som: return 0.03;
        case Origin::nga: return 0.04;
        case Origin::rus: return 0.03;
    }
    return 0;
}

OriginInfo base_info(Origin o) {
    OriginInfo info{};
    info.origin = o;
    info.share = origin_share(o);
    // clang-format off
    switch (o) {
        case Origin::syr:
            info.alpha3 = "SYR"; info.bamf_code = "475"; info.script = Script::arabic;
            info.year_only_rate = 0.10; info.single_name_rate = 0.01; info.school_mean = 9;
            info.training_rate = 0.25; info.study_rate = 0.15; info.english_rate = 0.45;
            info.arrival = {2015, 2016, 2017, 2023};
            info.natives = {{"ar", "", 0.86}, {"ku", "ar", 0.12}, {"ar", "tr", 0.02}};
            break;
        case Origin::afg:
            info.alpha3 = "AFG"; info.bamf_code = "423"; info.script = Script::persian;
            info.year_only_rate = 0.40; info.single_name_rate = 0.08; info.school_mean = 6;
            info.training_rate = 0.15; info.study_rate = 0.06; info.english_rate = 0.30;
            info.arrival = {2015, 2016, 2021, 2024};
            info.natives = {{"fa", "", 0.58}, {"ps", "", 0.32}, {"fa", "ps", 0.10}};
            break;
        case Origin::irq:
            info.alpha3 = "IRQ"; info.bamf_code = "438"; info.script = Script::arabic;
            info.year_only_rate = 0.18; info.single_name_rate = 0.02; info.school_mean = 8;
            info.training_rate = 0.20; info.study_rate = 0.12; info.english_rate = 0.40;
            info.arrival = {2014, 2017, 2018, 2023};
            info.natives = {{"ar", "", 0.62}, {"ku", "", 0.30}, {"ku", "ar", 0.08}};
            break;
        case Origin::ukr:
            info.alpha3 = "UKR"; info.bamf_code = "166"; info.script = Script::slavic;
            info.year_only_rate = 0.01; info.single_name_rate = 0.0; info.school_mean = 12.5;
            info.training_rate = 0.45; info.study_rate = 0.35; info.english_rate = 0.55;
            info.arrival = {2022, 2023, 2024, 2025};
            info.natives = {{"uk", "", 0.55}, {"uk", "ru", 0.30}, {"ru", "", 0.15}};
            break;
        case Origin::tur:
            info.alpha3 = "TUR"; info.bamf_code = "163"; info.script = Script::turkish;
            info.year_only_rate = 0.03; info.single_name_rate = 0.0; info.school_mean = 10;
            info.training_rate = 0.30; info.study_rate = 0.20; info.english_rate = 0.40;
            info.arrival = {2022, 2024, 2016, 2021};
            info.natives = {{"tr", "", 0.65}, {"ku", "tr", 0.35}};
            break;
        case Origin::eri:
            info.alpha3 = "ERI"; info.bamf_code = "224"; info.script = Script::tigrinya;
            info.patronymic = true;
            info.year_only_rate = 0.30; info.single_name_rate = 0.0; info.school_mean = 7;
            info.training_rate = 0.12; info.study_rate = 0.05; info.english_rate = 0.35;
            info.arrival = {2014, 2017, 2018, 2023};
            info.natives = {{"ti", "", 0.85}, {"ti", "ar", 0.15}};
            break;
        case Origin::irn:
            info.alpha3 = "IRN"; info.bamf_code = "439"; info.script = Script::persian;
            info.year_only_rate = 0.05; info.single_name_rate = 0.005; info.school_mean = 11.5;
            info.training_rate = 0.30; info.study_rate = 0.30; info.english_rate = 0.60;
            info.arrival = {2015, 2017, 2018, 2024};
            info.natives = {{"fa", "", 0.85}, {"ku", "fa", 0.10}, {"fa", "tr", 0.05}};
            break;
        case Origin::som:
            info.alpha3 = "SOM"; info.bamf_code = "273"; info.script = Script::somali;
            info.patronymic = true;
            info.year_only_rate = 0.35; info.single_name_rate = 0.0; info.school_mean = 5;
            info.training_rate = 0.08; info.study_rate = 0.04; info.english_rate = 0.35;
            info.arrival = {2014, 2017, 2018, 2023};
            info.natives = {{"so", "", 0.9}, {"so", "ar", 0.1}};
            break;
        case Origin::nga:
            info.alpha3 = "NGA"; info.bamf_code = "232"; info.script = Script::english;
            info.year_only_rate = 0.12; info.single_name_rate = 0.0; info.school_mean = 10.5;
            info.training_rate = 0.25; info.study_rate = 0.15; info.english_rate = 1.0;
            info.arrival = {2016, 2018, 2019, 2024};
            info.natives = {{"yo", "", 0.30}, {"ig", "", 0.30}, {"ha", "", 0.20}, {"en", "", 0.20}};
            break;
        case Origin::rus:
            info.alpha3 = "RUS"; info.bamf_code = "160"; info.script = Script::slavic;
            info.year_only_rate = 0.03; info.single_name_rate = 0.0; info.school_mean = 10.5;
            info.training_rate = 0.35; info.study_rate = 0.25; info.english_rate = 0.30;
            info.arrival = {2013, 2016, 2017, 2023};
            info.natives = {{"ce", "ru", 0.8}, {"ru", "", 0.2}};
            break;
    }
    // clang-format on
    return info;
}

Origin origin_of(std::string_view alpha3) {
    for (std::size_t i = 0; i < origin_count; ++i) {
        const auto o = static_cast<Origin>(i);
        if (base_info(o).alpha3 == alpha3) return o;
    }
    throw std::runtime_error("name data: unknown origin section");
}

NameEntry make_entry(const ParsedLine& line, const OriginInfo& info) {
    NameEntry entry;
    const auto spellings = make_spellings(line.spellings, info.script);
    if (line.article) {
        std::vector<std::string> roots(spellings.begin(),
                                       spellings.begin() + std::min<std::ptrdiff_t>(
                                                               4, std::ssize(spellings)));
        return with_article(roots, line.original);
    }
    entry.spellings = spellings;
    entry.original = line.original;
    if (entry.original.empty() && info.origin == Origin::ukr && !line.spellings.empty()) {
        entry.original = ukrainian_cyrillic(line.spellings.front());
    }
    return entry;
}

// Long tail of family names made from given names, as the naming customs of each origin do.
void add_synthesized_family(ListBuilder& family, const NameList& male, const OriginInfo& info) {
    auto single_word = [](const std::string& s) { return s.find(' ') == std::string::npos; };
    switch (info.script) {
        case Script::arabic:
            for (std::size_t i = 0; i < male.size(); ++i) {
                const auto& g = male.at(i);
                if (!single_word(g.spellings[0])) continue;
                if (family.contains("Al-" + g.spellings[0])) continue;
                std::vector<std::string> roots(
                    g.spellings.begin(),
                    g.spellings.begin() + std::min<std::ptrdiff_t>(3, std::ssize(g.spellings)));
                family.add(with_article(roots, g.original), 0);
            }
            for (std::size_t i = 0; i < std::min<std::size_t>(40, male.size()); ++i) {
                const auto& g = male.at(i);
                NameEntry e;
                for (const auto& s : g.spellings) {
                    add_unique(e.spellings, "Abu " + s);
                    if (e.spellings.size() == 2) add_unique(e.spellings, "Abou " + s);
                }
                add_unique(e.spellings, "Abu" + to_lower(g.spellings[0]));
                if (!g.original.empty()) e.original = "أبو " + g.original;
                family.add(std::move(e), 0);
            }
            break;
        case Script::persian: {
            const std::string_view zada = info.origin == Origin::afg ? "zada" : "zadeh";
            for (std::size_t i = 0; i < male.size(); ++i) {
                const auto& g = male.at(i);
                if (!single_word(g.spellings[0])) continue;
                const std::string lower = to_lower(g.spellings[0]);
                if (lower.ends_with("i") || lower.ends_with("ullah")) continue;
                const std::string stem = lower.ends_with("a") ? lower + "e" : lower;
                ParsedLine line;
                line.spellings = {capitalize(stem + "i")};
                auto e = make_entry(line, info);
                if (!g.original.empty()) e.original = g.original + "ی";
                family.add(std::move(e), 0);
                ParsedLine z;
                z.spellings = {capitalize(lower + std::string(zada))};
                auto ez = make_entry(z, info);
                if (!g.original.empty()) ez.original = g.original + "زاده";
                family.add(std::move(ez), 0);
            }
            break;
        }
        case Script::slavic: {
            static constexpr std::string_view trades[] = {
                "koval", "bondar", "tkach", "honchar", "melnych", "kushnir", "rybak",
                "shvets", "chaban", "kolesnyk", "pasichnyk", "kravets", "kozub", "lytvyn",
                "ostap", "didukh", "hutsul", "kovtun", "moroz", "savyts"};
            static constexpr std::string_view suffixes[] = {"enko", "chuk", "iuk", "ets",
                                                            "yshyn", "ak", "ovych", "ko"};
            std::vector<std::string> stems;
            if (info.origin == Origin::rus) {
                for (std::size_t i = 0; i < male.size(); ++i) {
                    const std::string lower = to_lower(male.at(i).spellings[0]);
                    if (!single_word(lower) || lower.find('-') != std::string::npos) continue;
                    ParsedLine line;
                    line.spellings = {capitalize(lower + (is_vowel(lower.back()) ? "ev" : "ov"))};
                    family.add(make_entry(line, info), 0);
                }
                break;
            }
            for (std::size_t i = 0; i < male.size(); ++i) {
                std::string lower = to_lower(male.at(i).spellings[0]);
                for (std::string_view end : {"iy", "ii", "o", "a", "y"}) {
                    if (lower.ends_with(end) && lower.size() > end.size() + 2) {
                        lower.resize(lower.size() - end.size());
                        break;
                    }
                }
                stems.push_back(lower);
            }
            for (const auto t : trades) stems.emplace_back(t);
            for (const auto suffix : suffixes) {
                for (const auto& stem : stems) {
                    ParsedLine line;
                    line.spellings = {capitalize(stem + std::string(suffix))};
                    family.add(make_entry(line, info), 0);
                }
            }
            break;
        }
        default: break;
    }
}

}  // namespace

void NameList::add(NameEntry entry, double weight) {
    entries_.push_back(std::move(entry));
    cumulative_.push_back((cumulative_.empty() ? 0.0 : cumulative_.back()) + weight);
}

void NameList::finish() {
    if (entries_.empty()) return;
    const double total = cumulative_.back();
    for (auto& c : cumulative_) c /= total;
    cumulative_.back() = 1.0;
}

const NameEntry& NameList::pick(Rng& rng) const {
    const double u = rng.unit();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
    const auto index = std::min<std::size_t>(
        static_cast<std::size_t>(it - cumulative_.begin()), entries_.size() - 1);
    return entries_[index];
}

const NameEntry* NameList::find(std::string_view canonical) const {
    for (const auto& e : entries_) {
        if (e.spellings.front() == canonical) return &e;
    }
    return nullptr;
}

std::vector<std::string> make_spellings(const std::vector<std::string>& listed, Script script) {
    std::vector<std::string> out;
    for (const auto& s : listed) add_unique(out, s);
    if (out.empty()) return out;
    // Habits apply to the canonical spelling only: applied to an already transliterated
    // variant they compound into nonsense (Schewtschenko -> Stschewztschenko).
    const auto styles = styles_for(script);
    const std::string lower = to_lower(listed.front());
    for (const auto& style : styles.styles) {
        if (out.size() >= max_spellings) break;
        add_unique(out, capitalize(apply_style(lower, style)));
    }
    if (styles.vowel_shifts) {
        if (out.size() < max_spellings) add_unique(out, capitalize(shift_last_vowel(lower)));
        if (out.size() < max_spellings) add_unique(out, capitalize(shift_first_vowel(lower)));
    }
    return out;
}

Catalog::Catalog() {
    for (std::size_t i = 0; i < origin_count; ++i) {
        origins_.push_back(base_info(static_cast<Origin>(i)));
    }

    // Parse the name tables section by section.
    std::string_view data = name_data();
    OriginInfo* current = nullptr;
    std::string_view kind;
    std::vector<std::vector<ParsedLine>> male(origin_count), female(origin_count),
        family(origin_count);
    std::size_t pos = 0;
    while (pos < data.size()) {
        auto end = data.find('\n', pos);
        if (end == std::string_view::npos) end = data.size();
        const std::string_view line = trim(data.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty()) continue;
        if (line.starts_with('@')) {
            const auto parts = split(line.substr(1), ' ');
            current = &origins_[static_cast<std::size_t>(origin_of(parts.at(0)))];
            kind = parts.at(1);
            continue;
        }
        if (current == nullptr) throw std::runtime_error("name data: line before a section");
        const auto idx = static_cast<std::size_t>(current->origin);
        if (kind == "places") {
            const auto semi = line.find(" ; ");
            Place place;
            for (const auto part : split(trim(line.substr(0, semi)), '|')) {
                add_unique(place.spellings, std::string(trim(part)));
            }
            place.bamf = semi == std::string_view::npos ? to_upper(place.spellings.front())
                                                         : std::string(trim(line.substr(semi + 3)));
            current->places.push_back(std::move(place));
        } else if (kind == "male") {
            male[idx].push_back(parse_line(line));
        } else if (kind == "female") {
            female[idx].push_back(parse_line(line));
        } else if (kind == "family") {
            family[idx].push_back(parse_line(line));
        } else {
            throw std::runtime_error("name data: unknown section kind");
        }
    }

    for (auto& info : origins_) {
        const auto idx = static_cast<std::size_t>(info.origin);
        ListBuilder m(0.9, 3.0), f(0.9, 3.0), fam(0.8, 5.0);
        for (const auto& line : male[idx]) m.add(make_entry(line, info), line.percent);
        for (const auto& line : female[idx]) f.add(make_entry(line, info), line.percent);
        info.male = m.build();
        info.female = f.build();
        for (const auto& line : family[idx]) {
            fam.add(make_entry(line, info), line.percent);
        }
        add_synthesized_family(fam, info.male, info);
        info.family = fam.build();
        if (info.script == Script::slavic) {
            for (std::size_t i = 0; i < info.family.size(); ++i) {
                const auto& e = info.family.at(i);
                NameEntry fe;
                fe.spellings = feminine_forms(e.spellings);
                if (!e.original.empty()) {
                    fe.original = e.original;
                    if (fe.original.ends_with("ов") || fe.original.ends_with("ев") ||
                        fe.original.ends_with("ин")) {
                        fe.original += "а";
                    }
                }
                const double prev = i == 0 ? 0.0 : info.family.cumulative_at(i - 1);
                info.family_female.add(std::move(fe), info.family.cumulative_at(i) - prev);
            }
            info.family_female.finish();
        }
        if (info.places.empty()) throw std::runtime_error("name data: origin without places");
    }

    double acc = 0;
    for (const auto& info : origins_) {
        acc += info.share;
        origin_cumulative_.push_back(acc);
    }
    for (auto& c : origin_cumulative_) c /= acc;

    // Towns where refugees live (postcodes of the town centre), weighted roughly by the
    // number of protection seekers housed there. Umlauts and ß exercise the encodings.
    towns_ = {
        {"Berlin", {"10115", "10557", "12043", "12435", "13353", "13407"}, 9},
        {"Hamburg", {"20095", "21073", "22111", "22525"}, 5},
        {"München", {"80331", "80939", "81549"}, 4},
        {"Köln", {"50667", "50765", "51103"}, 4},
        {"Frankfurt am Main", {"60311", "60326", "65929"}, 3},
        {"Essen", {"45127", "45326"}, 2.5},
        {"Dortmund", {"44135", "44147"}, 2.5},
        {"Düsseldorf", {"40210", "40233"}, 2.5},
        {"Duisburg", {"47051", "47166"}, 2.2},
        {"Bremen", {"28195", "28237"}, 2.2},
        {"Hannover", {"30159", "30449"}, 2.2},
        {"Leipzig", {"04103", "04315"}, 2},
        {"Dresden", {"01067", "01237"}, 1.5},
        {"Nürnberg", {"90402", "90439"}, 1.8},
        {"Stuttgart", {"70173", "70372"}, 1.8},
        {"Bochum", {"44787", "44866"}, 1.3},
        {"Wuppertal", {"42103", "42275"}, 1.3},
        {"Bielefeld", {"33602", "33647"}, 1.3},
        {"Bonn", {"53111", "53119"}, 1},
        {"Münster", {"48143", "48153"}, 1},
        {"Gelsenkirchen", {"45879", "45881"}, 1.2},
        {"Mönchengladbach", {"41061", "41236"}, 1},
        {"Braunschweig", {"38100", "38126"}, 0.9},
        {"Kiel", {"24103", "24143"}, 0.9},
        {"Chemnitz", {"09111", "09130"}, 0.8},
        {"Magdeburg", {"39104", "39130"}, 0.9},
        {"Halle (Saale)", {"06108", "06128"}, 0.8},
        {"Freiburg im Breisgau", {"79098", "79100", "79102", "79106"}, 0.9},
        {"Krefeld", {"47798", "47803"}, 0.8},
        {"Lübeck", {"23552", "23556"}, 0.8},
        {"Oberhausen", {"46045", "46149"}, 0.8},
        {"Erfurt", {"99084", "99091"}, 0.7},
        {"Mainz", {"55116", "55122"}, 0.7},
        {"Rostock", {"18055", "18107"}, 0.6},
        {"Kassel", {"34117", "34127"}, 0.8},
        {"Hagen", {"58095", "58097"}, 0.8},
        {"Saarbrücken", {"66111", "66113"}, 0.8},
        {"Osnabrück", {"49074", "49088"}, 0.7},
        {"Oldenburg", {"26121", "26125"}, 0.6},
        {"Göttingen", {"37073", "37083"}, 0.6},
        {"Würzburg", {"97070", "97082"}, 0.5},
        {"Gießen", {"35390", "35398"}, 0.6},
        {"Fürth", {"90762", "90763"}, 0.4},
        {"Tübingen", {"72070", "72072"}, 0.3},
        {"Gütersloh", {"33330", "33332"}, 0.4},
        {"Lüneburg", {"21335", "21337"}, 0.3},
        {"Weißenfels", {"06667"}, 0.2},
        {"Neuß", {"41460"}, 0.1},
        {"Neuss", {"41460", "41462"}, 0.5},
        {"Sonneberg", {"96515"}, 0.15},
        {"Merzig", {"66663"}, 0.15},
        {"Sonthofen", {"87527"}, 0.1},
        {"Immenstadt im Allgäu", {"87509"}, 0.1},
        {"Kirchheim unter Teck", {"73230"}, 0.15},
        {"Schweich", {"54338"}, 0.1},
        {"Aschaffenburg", {"63739", "63741"}, 0.3},
        {"Bramsche", {"49565"}, 0.2},
        {"Eisenhüttenstadt", {"15890"}, 0.2},
        {"Suhl", {"98527"}, 0.15},
        {"Pforzheim", {"75172", "75175"}, 0.4},
        {"Cottbus", {"03044", "03046"}, 0.4},
        {"Neumünster", {"24534", "24537"}, 0.3},
        {"Dillingen/Saar", {"66763"}, 0.1},
        {"Frankfurt (Oder)", {"15230", "15232"}, 0.2},
    };
    double town_acc = 0;
    for (const auto& t : towns_) {
        town_acc += t.weight;
        town_cumulative_.push_back(town_acc);
    }
    for (auto& c : town_cumulative_) c /= town_acc;

    // KldB 2010 codes named on the formats page and in the samples.
    occupations_ = {
        {"29302", "Bäcker", "Bäckerei"},
        {"26212", "Elektriker", "Elektroniker"},
        {"81302", "Pflegefachkraft", "Krankenpfleger"},
        {"52122", "Berufskraftfahrer", "Fahrer LKW"},
        {"43412", "Softwareentwickler", "Programmierer"},
        {"11712", "Landwirt", "Landwirtschaft"},
        {"34202", "Anlagenmechaniker SHK", "Installateur"},
        {"63302", "Servicekraft Gastronomie", "Kellner"},
        {"81404", "Arzt", "Ärztin/Arzt"},
        {"32122", "Maurer", "Bauhelfer Maurer"},
        {"24412", "Metallbauer", "Schweißer"},
        {"84114", "Lehrer", "Lehrkraft"},
        {"82312", "Friseur", "Friseurin/Friseur"},
        {"25212", "Kfz-Mechatroniker", "Automechaniker"},
        {"83112", "Erzieher", "Kinderbetreuung"},
        {"22342", "Tischler", "Schreiner"},
        {"51312", "Fachkraft Lagerlogistik", "Lagerarbeiter"},
        {"62102", "Verkäufer", "Einzelhandel"},
    };
    fields_ = {"Maschinenbau",      "Elektrotechnik",    "Informatik",  "Medizin",
               "Pharmazie",         "Bauingenieurwesen", "Betriebswirtschaft",
               "Rechtswissenschaft", "Lehramt",          "Architektur", "Anglistik",
               "Agrarwissenschaft", "Chemie",            "Zahnmedizin", "Arabistik",
               "Wirtschaftswissenschaften"};
    offices_ = {"36102", "36103", "41201", "52105", "72801", "54308", "11001", "11002",
                "20101", "20202", "31501", "33101", "40201", "40402", "43101", "45501",
                "47101", "50101", "51201", "60101", "63101", "66101", "70101", "70302",
                "79101", "80101", "81201", "90101", "93201", "97101", "04101", "01101"};
}

const OriginInfo& Catalog::pick_origin(Rng& rng) const {
    const double u = rng.unit();
    const auto it = std::upper_bound(origin_cumulative_.begin(), origin_cumulative_.end(), u);
    return origins_[std::min<std::size_t>(static_cast<std::size_t>(it - origin_cumulative_.begin()),
                                          origins_.size() - 1)];
}

const Town& Catalog::pick_town(Rng& rng) const {
    const double u = rng.unit();
    const auto it = std::upper_bound(town_cumulative_.begin(), town_cumulative_.end(), u);
    return towns_[std::min<std::size_t>(static_cast<std::size_t>(it - town_cumulative_.begin()),
                                        towns_.size() - 1)];
}

}  // namespace qreg::gen
