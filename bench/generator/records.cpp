#include "records.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "text.hpp"

namespace qreg::gen {
namespace {

constexpr std::int64_t day_seconds = 86400;

bool is_ascii_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_upper_ascii(char c) {
    return c >= 'A' && c <= 'Z';
}

// Letters a hurried typist or a mis-hearing officer puts instead of `c`.
char confusable(Rng& rng, char c) {
    const char lower = static_cast<char>(is_upper_ascii(c) ? c + 32 : c);
    static constexpr std::string_view vowels = "aeiou";
    static constexpr std::string_view pairs[] = {"bp", "dt", "gk", "mn", "sz", "fv", "lr",
                                                 "ck", "hk", "yi", "wv", "qk", "xs", "jy"};
    char result = lower;
    if (vowels.find(lower) != std::string_view::npos) {
        do {
            result = vowels[rng.below(5)];
        } while (result == lower);
    } else {
        for (const auto pair : pairs) {
            if (pair[0] == lower) result = pair[1];
            if (pair[1] == lower) result = pair[0];
        }
        if (result == lower) result = static_cast<char>('a' + rng.below(26));
    }
    return is_upper_ascii(c) ? static_cast<char>(result - 32) : result;
}

// One slip of the keyboard in an ASCII letter: replace, drop, double or swap with the next.
void name_typo(Rng& rng, std::string& s) {
    std::size_t letters = 0;
    for (const char c : s) letters += is_ascii_letter(c) ? 1 : 0;
    if (letters < 3) return;
    std::size_t target = rng.below(static_cast<std::uint32_t>(letters));
    std::size_t pos = 0;
    for (; pos < s.size(); ++pos) {
        if (is_ascii_letter(s[pos]) && target-- == 0) break;
    }
    switch (rng.below(4)) {
        case 0: s[pos] = confusable(rng, s[pos]); break;
        case 1: s.erase(pos, 1); break;
        case 2: {
            // doubled letter; keep the case of the letter that follows
            const bool next_lower = pos + 1 < s.size() && s[pos + 1] >= 'a' && s[pos + 1] <= 'z';
            const char c = is_upper_ascii(s[pos]) && next_lower ? static_cast<char>(s[pos] + 32)
                                                                : s[pos];
            s.insert(pos + 1, 1, c);
            break;
        }
        default:
            if (pos + 1 < s.size() && is_ascii_letter(s[pos + 1])) {
                std::swap(s[pos], s[pos + 1]);
            } else {
                s[pos] = confusable(rng, s[pos]);
            }
    }
}

void stray_space(Rng& rng, std::string& s) {
    if (s.empty()) return;
    const auto inner = s.find(' ');
    switch (rng.below(3)) {
        case 0: s.insert(s.begin(), ' '); break;
        case 1: s.push_back(' '); break;
        default:
            if (inner != std::string::npos) {
                s.insert(inner, " ");
            } else {
                s.push_back(' ');
            }
    }
}

void random_case(Rng& rng, std::string& s, double upper, double lower) {
    const double u = rng.unit();
    if (u < upper) {
        s = to_upper(s);
    } else if (u < upper + lower) {
        s = to_lower(s);
    }
}

// BAMF keeps given names as a list; '\x1F' separates its elements until the writer splits
// them, so that a two-word name (Abdul Rahman) stays one element there.
constexpr char list_separator = '\x1F';

void append_given(std::string& given, std::string_view name, char separator = ' ') {
    if (!given.empty()) given.push_back(separator);
    given += name;
}

void put_number(std::string& out, std::uint64_t value) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.assign(buf, res.ptr);
}

std::string_view random_status(Rng& rng) {
    static constexpr std::string_view statuses[] = {"abgeschlossen", "abgebrochen",
                                                    "ohne_nachweis", "laufend"};
    return statuses[rng.below(4)];
}

// Free text that needs quoting or escaping in the exports.
std::string_view special_suffix(Rng& rng) {
    static constexpr std::string_view suffixes[] = {
        "; Meister", " \"Geselle\"", " & Helfer", "\r\nohne Zeugnis", " <Anlernberuf>",
        "; \"Vorarbeiter\" & Ausbilder", " \\ Hilfskraft"};
    return rng.pick(suffixes);
}

}  // namespace

void digit_typo(Rng& rng, std::string& id) {
    std::size_t digits = 0;
    for (const char c : id) digits += (c >= '0' && c <= '9') ? 1 : 0;
    if (digits < 2) return;
    std::size_t target = rng.below(static_cast<std::uint32_t>(digits));
    std::size_t pos = 0;
    for (; pos < id.size(); ++pos) {
        if (id[pos] >= '0' && id[pos] <= '9' && target-- == 0) break;
    }
    const bool next_is_digit = pos + 1 < id.size() && id[pos + 1] >= '0' && id[pos + 1] <= '9';
    if (next_is_digit && id[pos] != id[pos + 1] && rng.chance(0.3)) {
        std::swap(id[pos], id[pos + 1]);
        return;
    }
    const char old = id[pos];
    do {
        id[pos] = static_cast<char>('0' + rng.below(10));
    } while (id[pos] == old);
}

RecordMaker::RecordMaker(const Catalog& catalog, const Knobs& knobs, Date stand_date)
    : catalog_(catalog),
      knobs_(knobs),
      stand_date_(stand_date),
      export_time_(to_unix(stand_date.year, stand_date.month, stand_date.day, 7, 0, 0)) {}

void RecordMaker::copy_id(Rng& rng, std::string& out, std::string_view id) const {
    out = id;
    if (rng.chance(knobs_.id_typo)) digit_typo(rng, out);
}

std::int64_t RecordMaker::pick_stand(Rng& rng, const Person& p, Agency agency,
                                     int which) const {
    const std::int64_t arrival =
        to_unix(p.arrival_year, 1, 1) + static_cast<std::int64_t>(rng.below(365)) * day_seconds;
    const std::int64_t born = to_unix(p.birth.year, std::max(1, p.birth.month),
                                      std::max(1, p.birth.day));
    const std::int64_t latest = export_time_ - 3600;
    std::int64_t lo = 0;
    std::int64_t hi = 0;
    if (agency == Agency::bamf) {
        lo = std::max(arrival, born) + 10 * day_seconds;
        hi = lo + 400 * day_seconds;
        if (which == 1) {
            lo = hi;
            hi = latest;
        } else if (rng.chance(0.3)) {
            hi = latest;  // updated since
        }
    } else {
        const std::int64_t window = (agency == Agency::ba ? 900 : 700) * day_seconds;
        lo = std::max({arrival + 60 * day_seconds, born, export_time_ - window});
        hi = latest;
    }
    hi = std::min(hi, latest);
    if (lo >= hi) lo = hi - day_seconds;
    const std::int64_t day =
        (lo + static_cast<std::int64_t>(rng.below64(static_cast<std::uint64_t>(hi - lo)))) /
        day_seconds * day_seconds;
    // Office hours in German local time.
    const std::int64_t local = day + rng.range(7, 17) * 3600 + rng.range(0, 3599);
    return std::min(local - berlin_offset(local), latest);
}

void RecordMaker::make(Rng& rng, const Person& p, const PersonIds& ids, Agency agency,
                       int which, Record& r) const {
    const auto a = index_of(agency);
    const bool bamf = agency == Agency::bamf;
    r.agency = agency;
    r.id = ids.ids[a][static_cast<std::size_t>(which)];
    r.retracted = rng.chance(which == 1 ? knobs_.retracted_duplicate : knobs_.retracted);
    r.stand = pick_stand(rng, p, agency, which);

    make_names(rng, p, agency, r);
    make_birth(rng, p, agency, r);

    // Place and country of birth.
    r.birth_place.clear();
    if (p.birth_place != nullptr) {
        const auto& spellings = p.birth_place->spellings;
        if (bamf) {
            if (rng.chance(0.9)) r.birth_place = p.birth_place->bamf;
        } else if (rng.chance(agency == Agency::ba ? 0.55 : 0.5)) {
            r.birth_place = rng.chance(0.6) ? spellings[p.place_usual]
                                            : spellings[rng.below(static_cast<std::uint32_t>(
                                                  spellings.size()))];
        }
    } else if (!p.birth_town.empty() && (bamf || rng.chance(0.5))) {
        r.birth_place = bamf ? to_upper(p.birth_town) : std::string(p.birth_town);
    }
    r.birth_country = bamf || rng.chance(0.9) ? p.birth_country : std::string_view{};

    r.sex = rng.chance(0.005) ? 'X' : p.sex;
    r.nationality = p.nationality;
    r.nationality_count = p.nationality_count;
    if (rng.chance(0.005)) {
        r.nationality[0] = "XXX";
        r.nationality_count = 1;
    }

    // Identifiers.
    const double azr_rate = agency == Agency::ba          ? knobs_.azr_in_ba
                            : agency == Agency::jobcenter ? knobs_.azr_in_jobcenter
                                                          : knobs_.azr_in_bamf;
    r.azr.clear();
    if (rng.chance(azr_rate)) {
        const bool mixup = ids.other_azr != 0 && rng.chance(knobs_.id_mixup);
        put_number(r.azr, mixup ? ids.other_azr : p.azr);
        if (rng.chance(knobs_.id_typo)) digit_typo(rng, r.azr);
    }
    r.kdnr.clear();
    r.bamf_az.clear();
    r.bg.clear();
    if (agency == Agency::jobcenter) {
        r.bg = ids.bg[static_cast<std::size_t>(which)];
        if (ids.count[index_of(Agency::ba)] > 0 && rng.chance(knobs_.kdnr_in_jobcenter)) {
            copy_id(rng, r.kdnr, ids.ids[index_of(Agency::ba)][0]);
        } else if (!ids.phantom_kdnr.empty()) {
            r.kdnr = ids.phantom_kdnr;
        }
    } else if (agency == Agency::ba) {
        if (ids.count[index_of(Agency::bamf)] > 0 && rng.chance(knobs_.bamf_az_in_ba)) {
            copy_id(rng, r.bamf_az, ids.ids[index_of(Agency::bamf)][0]);
        }
    }

    const bool moved = p.previous_town != nullptr && rng.chance(knobs_.moved);
    r.town = moved ? p.previous_town->name : p.town->name;
    r.postcode = moved ? p.previous_postcode : p.postcode;

    make_qualifications(rng, p, agency, r);
    r.alias_count = 0;
    if (bamf) make_aliases(rng, p, r);
}

void RecordMaker::make_names(Rng& rng, const Person& p, Agency agency, Record& r) const {
    const bool bamf = agency == Agency::bamf;
    const double f = bamf ? knobs_.bamf_noise : 1.0;
    const double variant = knobs_.name_variant * f;
    const char sep = bamf ? list_separator : ' ';
    r.family.clear();
    r.given.clear();
    r.birth_name.clear();
    r.original.clear();

    const auto spell = [&](NameSlot s) -> const std::string& {
        const auto& sp = s.entry->spellings;
        if (sp.size() > 1 && rng.chance(variant)) {
            return sp[rng.below(static_cast<std::uint32_t>(sp.size()))];
        }
        // BAMF transliterates by its own rules more often than it copies a document.
        if (bamf && rng.chance(0.35)) return sp[0];
        return sp[s.usual];
    };

    bool all_original = true;
    const auto add_original = [&](NameSlot s) {
        if (s.empty() || s.entry->original.empty()) {
            all_original = false;
            return;
        }
        append_given(r.original, s.entry->original);
    };

    if (p.origin->patronymic) {
        // Own name, father's name, grandfather's name: agencies disagree on which of the
        // latter two is the family name.
        const std::string& own = spell(p.given[0]);
        const std::string& father = spell(p.given[1]);
        const std::string& grand = spell(p.given[2]);
        if (rng.chance(bamf ? 0.7 : knobs_.grandfather_name)) {
            r.family = grand;
            append_given(r.given, own, sep);
            if (bamf || rng.chance(0.5)) append_given(r.given, father, sep);
        } else {
            r.family = father;
            append_given(r.given, own);
        }
        all_original = false;
    } else if (p.single_name) {
        const std::string& name = spell(p.given[0]);
        const double u = rng.unit();
        if (bamf) {
            r.family = name;
            if (u < 0.2) r.given = name;
        } else if (u < 0.45) {
            r.family = name;
            r.given = "NN";
        } else if (u < 0.75) {
            r.family = name;
        } else if (u < 0.9) {
            r.family = "NN";
            r.given = name;
        } else {
            r.family = name;
            r.given = name;
        }
        add_original(p.given[0]);
    } else {
        int count = p.given_count;
        if (count > 1 && rng.chance(knobs_.drop_second_given * f)) count = 1;
        for (int i = 0; i < count; ++i) {
            append_given(r.given, spell(p.given[static_cast<std::size_t>(i)]), sep);
            add_original(p.given[static_cast<std::size_t>(i)]);
        }
        const auto& bare = p.family.entry->bare;
        if (!bare.empty() && rng.chance(knobs_.drop_article * f)) {
            r.family = bare[rng.chance(0.7) ? 0 : rng.below(static_cast<std::uint32_t>(bare.size()))];
        } else {
            r.family = spell(p.family);
        }
        add_original(p.family);
        if (count > 1 && rng.chance(knobs_.merge_names * f)) {
            // The last given name ends up in the family name field.
            const auto last = r.given.rfind(sep);
            r.family = r.given.substr(last + 1) + " " + r.family;
            r.given.resize(last);
        }
        if (agency == Agency::ba && !p.maiden.empty() && rng.chance(0.5)) {
            r.birth_name = spell(p.maiden);
        }
    }
    if (!all_original || !rng.chance(0.6)) r.original.clear();

    if (rng.chance(knobs_.swap_names * f)) {
        std::swap(r.family, r.given);
        std::replace(r.family.begin(), r.family.end(), list_separator, ' ');
    }
    if (rng.chance(knobs_.name_typo * f)) {
        name_typo(rng, r.given.empty() || rng.chance(0.5) ? r.family : r.given);
    }
    if (bamf) {
        r.family = to_upper(r.family);
        r.given = to_upper(r.given);
    } else {
        random_case(rng, r.family, knobs_.upper_case, knobs_.lower_case);
        random_case(rng, r.given, knobs_.upper_case, knobs_.lower_case);
        if (!r.birth_name.empty()) random_case(rng, r.birth_name, knobs_.upper_case, 0);
        if (rng.chance(knobs_.stray_space)) stray_space(rng, r.family);
        if (rng.chance(knobs_.stray_space)) stray_space(rng, r.given);
    }
}

void RecordMaker::make_birth(Rng& rng, const Person& p, Agency agency, Record& r) const {
    const double f = agency == Agency::bamf ? knobs_.bamf_noise : 1.0;
    Date d = p.birth;
    r.zero_padded_date = false;
    if (p.known == DateKnown::year_only) {
        const double placeholder =
            agency == Agency::bamf ? knobs_.placeholder_0101 * 0.6 : knobs_.placeholder_0101;
        if (rng.chance(placeholder)) {
            d = {d.year, 1, 1};
        } else {
            d = {d.year, 0, 0};
            r.zero_padded_date = agency == Agency::jobcenter && rng.chance(0.15);
        }
    }
    if (d.day > 0 && d.day <= 12 && d.day != d.month && rng.chance(knobs_.swap_day_month * f)) {
        std::swap(d.day, d.month);
    }
    if (rng.chance(knobs_.date_typo * f)) {
        const double u = rng.unit();
        if (u < 0.4 || d.day == 0) {
            d.year += rng.chance(0.5) ? 1 : -1;
        } else if (u < 0.8) {
            // one digit of the day
            const int tens = d.day / 10;
            int ones = d.day % 10;
            ones = (ones + 1 + static_cast<int>(rng.below(9))) % 10;
            d.day = std::clamp(tens * 10 + ones, 1, 28);
        } else {
            d.month = d.month % 12 + 1;
        }
        if (d.month > 0 && d.day > 0) d.day = std::min(d.day, days_in_month(d.year, d.month));
    }
    r.birth = d;
}

void RecordMaker::make_qualifications(Rng& rng, const Person& p, Agency agency,
                                      Record& r) const {
    Qualifications& q = r.qual;
    q = p.qual;
    const auto missing = [&] { return rng.chance(knobs_.field_missing); };
    const auto noisy = [&] { return rng.chance(knobs_.qual_noise); };
    r.education_country = p.birth_country == "DEU" ? std::string_view{"DEU"} : p.origin->alpha3;

    if (q.school_years >= 0) {
        if (missing()) {
            q.school_years = -1;
        } else if (noisy()) {
            q.school_years = std::max(0, q.school_years + (rng.chance(0.5) ? 1 : -1));
        }
        if (rng.chance(knobs_.field_missing * 0.5)) q.isced = -1;
    }
    if (q.training != nullptr) {
        if (missing()) {
            q.training = nullptr;
        } else if (noisy()) {
            q.training_status = random_status(rng);
        }
    }
    if (q.study != 0 && missing()) q.study = 0;
    if (q.experience != nullptr) {
        if (missing()) {
            q.experience = nullptr;
        } else if (noisy()) {
            const double y = q.experience_years + (rng.unit() - 0.5) * 3.0;
            q.experience_years = std::round(std::max(0.1, y) * 10.0) / 10.0;
        }
    }
    if (q.target != nullptr && missing()) q.target = nullptr;
    if (noisy()) q.german = std::clamp(q.german + (rng.chance(0.5) ? 1 : -1), 0, 6);
    int kept = 0;
    for (int i = 0; i < q.language_count; ++i) {
        Language l = q.languages[static_cast<std::size_t>(i)];
        if (l.level > 0) {
            if (missing()) continue;
            if (noisy()) l.level = std::clamp(l.level + (rng.chance(0.5) ? 1 : -1), 1, 6);
        }
        q.languages[static_cast<std::size_t>(kept++)] = l;
    }
    q.language_count = kept;
    if (!q.recognition.empty() && missing()) q.recognition = {};
    if (!q.course_status.empty() && missing()) q.course_status = {};

    r.has_soko = false;
    if (agency == Agency::bamf) {
        // What was said at the asylum interview, soon after arrival.
        q.german = rng.chance(0.7) ? 0 : 1;
        q.german_certificate = false;
        q.recognition = {};
        q.course_status = {};
        q.target = nullptr;
        if (q.training != nullptr && q.training_status == "laufend") q.training = nullptr;
        r.has_soko = p.age >= 16 ? rng.chance(0.75) : p.age >= 6 && rng.chance(0.3);
    }

    r.ba_school = {};
    if (agency == Agency::ba && q.isced >= 0) {
        const double u = rng.unit();
        if (u < 0.25) {
            r.ba_school = "AU";  // foreign certificate, not yet assessed
        } else if (q.isced <= 1) {
            r.ba_school = "KA";
        } else if (q.isced == 2) {
            r.ba_school = u < 0.85 ? "HS" : "MR";
        } else {
            r.ba_school = u < 0.75 ? "AH" : u < 0.88 ? "FH" : "MR";
        }
    }

    r.training_text.clear();
    if (q.training != nullptr) {
        r.training_text = rng.chance(0.25) ? q.training->alt_text : q.training->text;
        if (rng.chance(knobs_.special_chars)) r.training_text += special_suffix(rng);
    }
    r.study_field.clear();
    if (q.study != 0) {
        r.study_field = q.study_field;
        if (rng.chance(knobs_.special_chars)) r.study_field += special_suffix(rng);
    }
}

void RecordMaker::make_aliases(Rng& rng, const Person& p, Record& r) const {
    if (!rng.chance(knobs_.bamf_alias)) return;
    const int n = rng.chance(0.75) ? 1 : 2;
    const auto any_spelling = [&](NameSlot s) -> const std::string& {
        const auto& sp = s.entry->spellings;
        return sp[rng.below(static_cast<std::uint32_t>(sp.size()))];
    };
    for (int i = 0; i < n; ++i) {
        Alias& alias = r.aliases[static_cast<std::size_t>(i)];
        alias.family.clear();
        alias.given.clear();
        if (p.origin->patronymic) {
            alias.family = to_upper(any_spelling(p.given[rng.chance(0.5) ? 1 : 2]));
            alias.given = to_upper(any_spelling(p.given[0]));
        } else if (p.single_name) {
            alias.family = to_upper(any_spelling(p.given[0]));
        } else {
            const auto& bare = p.family.entry->bare;
            alias.family = to_upper(!bare.empty() && rng.chance(0.3)
                                        ? bare[rng.below(static_cast<std::uint32_t>(bare.size()))]
                                        : any_spelling(p.family));
            alias.given = to_upper(any_spelling(p.given[0]));
        }
        ++r.alias_count;
    }
}

void RecordMaker::older_version(Rng& rng, const Person& p, const Record& current,
                                Record& out) const {
    out = current;
    out.retracted = false;
    const std::int64_t earliest = to_unix(p.arrival_year, 1, 1);
    const std::int64_t back = (30 + static_cast<std::int64_t>(rng.below(700))) * day_seconds;
    out.stand = std::max(earliest + day_seconds, current.stand - back);
    if (out.stand >= current.stand) out.stand = current.stand - day_seconds;
    if (p.previous_town != nullptr && rng.chance(0.4)) {
        out.town = p.previous_town->name;
        out.postcode = p.previous_postcode;
    }
    if (rng.chance(0.3)) out.qual.german = std::max(0, out.qual.german - 1);
    if (rng.chance(0.3) && !p.family.empty()) {
        // The spelling was corrected since.
        const auto& sp = p.family.entry->spellings;
        out.family = sp[rng.below(static_cast<std::uint32_t>(sp.size()))];
        if (current.agency == Agency::bamf) out.family = to_upper(out.family);
    }
    if (rng.chance(0.2)) {
        out.qual.experience = nullptr;
        out.qual.target = nullptr;
    }
}

}  // namespace qreg::gen
