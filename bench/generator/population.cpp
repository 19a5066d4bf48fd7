#include "population.hpp"

#include <algorithm>
#include <cmath>

namespace qreg::gen {
namespace {

constexpr std::uint64_t azr_base = 100'000'000'000ULL;  // 12 digits, no leading zero
constexpr std::uint64_t azr_range = 900'000'000'000ULL;

// Adults: most between 18 and 40.
int adult_age(Rng& rng) {
    return 18 + static_cast<int>(47.0 * std::pow(rng.unit(), 1.7));
}

// Roughly normal around mean with the given spread (sum of three uniforms).
double around(Rng& rng, double mean, double spread) {
    return mean + (rng.unit() + rng.unit() + rng.unit() - 1.5) * spread;
}

std::size_t pick_index(Rng& rng, const NameList& list) {
    const NameEntry& e = list.pick(rng);
    return static_cast<std::size_t>(&e - &list.at(0));
}

NameSlot slot(Rng& rng, const NameList& list) {
    const NameEntry& e = list.pick(rng);
    return {&e, pick_usual(rng, e.spellings.size())};
}

const NameList& given_list(const OriginInfo& o, char sex) {
    return sex == 'W' ? o.female : o.male;
}

double second_given_rate(Script s) {
    switch (s) {
        case Script::arabic: return 0.45;
        case Script::persian: return 0.35;
        case Script::english: return 0.40;
        case Script::turkish: return 0.20;
        case Script::slavic: return 0.05;
        default: return 0.0;
    }
}

bool wife_takes_name(const OriginInfo& o) {
    return o.script == Script::slavic || o.script == Script::turkish ||
           o.script == Script::english;
}

int cefr_level(Rng& rng) {
    // A1 .15, A2 .25, B1 .25, B2 .18, C1 .12, C2 .05
    const double u = rng.unit();
    if (u < 0.15) return 1;
    if (u < 0.40) return 2;
    if (u < 0.65) return 3;
    if (u < 0.83) return 4;
    if (u < 0.95) return 5;
    return 6;
}

}  // namespace

std::uint8_t pick_usual(Rng& rng, std::size_t spelling_count) {
    if (spelling_count <= 1 || rng.chance(0.6)) return 0;
    const auto n = static_cast<std::uint32_t>(spelling_count - 1);
    return static_cast<std::uint8_t>(1 + std::min(rng.below(n), rng.below(n)));
}

Population::Population(const Catalog& catalog, const Knobs& knobs, std::uint64_t seed,
                       Date stand_date)
    : catalog_(catalog),
      knobs_(knobs),
      stand_date_(stand_date),
      azr_ids_(azr_range, mix64(seed ^ 0x415A52ULL)) {}

Person& Population::add_member(Household& h, const OriginInfo& o, char sex, int age, Rng& rng) {
    Person& p = h.members.emplace_back();
    p.number = next_person_++;
    p.origin = &o;
    p.sex = sex;
    p.age = std::max(0, age);
    p.azr = azr_base + azr_ids_(p.number);
    p.birth_country = o.alpha3;
    p.nationality[0] = nationality_;
    p.nationality_count = 1;
    p.town = town_;
    p.postcode = postcode_;
    p.arrival_year = arrival_;
    fill_names(rng, p, o);
    fill_birth(rng, p, p.age);
    if (rng.chance(0.95)) {
        p.birth_place = rng.chance(0.6) ? home_place_ : &rng.pick(o.places);
        p.place_usual = pick_usual(rng, p.birth_place->spellings.size());
    }
    // Children born after arrival were born in Germany.
    if (p.birth.year > arrival_ || (p.birth.year == arrival_ && rng.chance(0.3))) {
        p.birth_place = nullptr;
        p.birth_town = town_->name;
        p.birth_country = "DEU";
        if (p.known != DateKnown::full) {
            p.known = DateKnown::full;
            p.birth.month = rng.range(1, 12);
            p.birth.day = rng.range(1, days_in_month(p.birth.year, p.birth.month));
        }
    }
    return p;
}

void Population::fill_names(Rng& rng, Person& p, const OriginInfo& o) const {
    const NameList& own = given_list(o, p.sex);
    p.given[0] = slot(rng, own);
    p.given_count = 1;
    if (o.patronymic) {
        p.given[1] = slot(rng, o.male);
        p.given[2] = slot(rng, o.male);
        p.given_count = 3;
        return;
    }
    if (rng.chance(o.single_name_rate * knobs_.single_name_scale)) {
        p.single_name = true;
        return;
    }
    if (rng.chance(second_given_rate(o.script))) {
        // Arab names often carry the father's name second; others a second own name.
        const bool fathers = o.script == Script::arabic;
        p.given[p.given_count++] = slot(rng, fathers ? o.male : own);
        if (o.script == Script::arabic && rng.chance(0.08)) {
            p.given[p.given_count++] = slot(rng, o.male);
        }
    }
    const bool female_form = p.sex == 'W' && o.family_female.size() == o.family.size() &&
                             o.family_female.size() > 0;
    p.female_form = female_form;
    const NameList& fam = female_form ? o.family_female : o.family;
    p.family = slot(rng, fam);
}

void Population::fill_birth(Rng& rng, Person& p, int age) const {
    int year = stand_date_.year - age;
    const int month = rng.range(1, 12);
    const int day = rng.range(1, days_in_month(year, month));
    if (month > stand_date_.month || (month == stand_date_.month && day > stand_date_.day)) {
        --year;
    }
    p.birth = {year, month, std::min(day, days_in_month(year, month))};
    const OriginInfo& o = *p.origin;
    const double u = rng.unit();
    const double year_only = o.year_only_rate * knobs_.year_only_scale;
    if (u < year_only) {
        p.known = DateKnown::year_only;
        p.birth.month = 0;
        p.birth.day = 0;
    } else if (u < year_only + 0.03) {
        p.known = DateKnown::month_year;
        p.birth.day = 0;
    } else {
        p.known = DateKnown::full;
        // Afghan documents often carry 01.01. as the real, documented date (tazkira).
        if (o.origin == Origin::afg && rng.chance(0.15)) p.birth = {year, 1, 1};
    }
}

void Population::fill_qualifications(Rng& rng, Person& p) const {
    Qualifications& q = p.qual;
    q = {};
    const OriginInfo& o = *p.origin;
    const auto& occupations = catalog_.occupations();

    // Native languages first, then others.
    double total = 0;
    for (const auto& n : o.natives) total += n.weight;
    double u = rng.unit() * total;
    const NativeLanguage* native = &o.natives.back();
    for (const auto& n : o.natives) {
        if (u < n.weight) {
            native = &n;
            break;
        }
        u -= n.weight;
    }
    q.languages[q.language_count++] = {native->code, 0};
    if (!native->second.empty()) {
        q.languages[q.language_count++] = {native->second, rng.chance(0.5) ? 0 : 5};
    }
    const int years_here = std::max(0, stand_date_.year - p.arrival_year);
    if (p.age < 6) {
        q.german = p.age >= 3 && years_here >= 2 && rng.chance(0.5) ? 1 : 0;
        return;
    }

    int school = static_cast<int>(std::lround(around(rng, o.school_mean, 6.0)));
    school = std::clamp(school, 0, 18);
    if (p.age < 19) school = std::clamp(p.age - 6 - rng.range(0, 1), 0, school + 2);
    q.school_years = school;
    q.isced = school == 0 ? 0 : school <= 6 ? 1 : school <= 9 ? 2 : school <= 11 && rng.chance(0.5) ? 2 : 3;

    if (p.age >= 18) {
        if (rng.chance(o.training_rate)) {
            q.training = &rng.pick(occupations);
            const double s = rng.unit();
            q.training_status = s < 0.55   ? "abgeschlossen"
                                : s < 0.70 ? "abgebrochen"
                                : s < 0.90 ? "ohne_nachweis"
                                           : "laufend";
        }
        if (p.age >= 20 && rng.chance(o.study_rate)) {
            const double s = rng.unit();
            q.study = s < 0.5 ? 'B' : s < 0.7 ? 'M' : s < 0.73 ? 'P' : 'S';
            q.study_field = rng.pick(catalog_.study_fields());
        }
        if (rng.chance(0.6)) {
            q.experience = q.training != nullptr && rng.chance(0.5) ? q.training
                                                                    : &rng.pick(occupations);
            const double max_years = std::min(30.0, static_cast<double>(p.age - 16));
            q.experience_years = std::round((0.1 + rng.unit() * max_years) * 10.0) / 10.0;
        }
        if ((q.training != nullptr || q.experience != nullptr) && rng.chance(0.5)) {
            const double s = rng.unit();
            q.target = s < 0.4 && q.training != nullptr     ? q.training
                       : s < 0.8 && q.experience != nullptr ? q.experience
                                                            : &rng.pick(occupations);
        }
        const bool qualified = (q.training != nullptr && q.training_status == "abgeschlossen") ||
                               q.study == 'B' || q.study == 'M' || q.study == 'P';
        if (qualified && rng.chance(0.3)) {
            const double s = rng.unit();
            q.recognition = s < 0.35   ? "beantragt"
                            : s < 0.55 ? "gleichwertig"
                            : s < 0.85 ? "teilweise_gleichwertig"
                                       : "nicht_gleichwertig";
            const std::int64_t from = days_from_civil(p.arrival_year + 1, 1, 1);
            const std::int64_t to = days_from_civil(stand_date_.year, stand_date_.month,
                                                    stand_date_.day);
            q.recognition_day = from < to ? from + static_cast<std::int64_t>(rng.below64(
                                                       static_cast<std::uint64_t>(to - from)))
                                          : to;
        }
    }

    // German improves with years in Germany, levelling off; children learn faster.
    const double pace = p.age < 18 ? 0.6 : 0.35;
    const double expected = 0.8 + std::min(years_here, 8) * pace;
    const int german = static_cast<int>(std::lround(around(rng, expected, 3.0)));
    q.german = std::clamp(german, 0, 6);
    q.german_certificate = q.german >= 2 && rng.chance(0.5);

    const bool english_native = q.languages[0].code == "en";
    if (!english_native && rng.chance(o.english_rate) && q.language_count < 4) {
        q.languages[q.language_count++] = {"en", o.origin == Origin::nga ? rng.range(4, 6)
                                                                         : cefr_level(rng)};
    }
    if (o.origin == Origin::ukr && q.languages[0].code == "uk" && q.language_count < 4 &&
        (q.language_count < 2 || q.languages[1].code != "ru") && rng.chance(0.6)) {
        q.languages[q.language_count++] = {"ru", rng.range(4, 6)};
    }
    if (q.language_count < 4 && rng.chance(0.04)) {
        q.languages[q.language_count++] = {"fr", cefr_level(rng)};
    }

    if (p.age >= 16 && rng.chance(0.6)) {
        const double s = rng.unit();
        if (s < 0.6) {
            q.course_status = "abgeschlossen";
            q.course_result = rng.chance(0.35) ? 2 : 3;
        } else if (s < 0.9) {
            q.course_status = "laufend";
            q.course_result = rng.range(1, 3);
        } else {
            q.course_status = "abgebrochen";
            q.course_result = rng.range(1, 2);
        }
    }
}

void Population::next(Rng& rng, Household& h, std::size_t max_people) {
    h.members.clear();
    // Pointers into members stay valid: a household never exceeds 8 people.
    h.members.reserve(8);
    if (max_people == 0) return;
    h.index = next_household_++;
    const OriginInfo& o = catalog_.pick_origin(rng);
    town_ = &catalog_.pick_town(rng);
    postcode_ = rng.pick(town_->postcodes);
    arrival_ = rng.chance(0.75) ? rng.range(o.arrival[0], o.arrival[1])
                                : rng.range(o.arrival[2], o.arrival[3]);
    arrival_ = std::min(arrival_, stand_date_.year);
    nationality_ = o.alpha3;
    if ((o.origin == Origin::syr || o.origin == Origin::irq) && rng.chance(0.04)) {
        nationality_ = "XXA";  // stateless: Palestinians from Syria, Ajanib Kurds
    }
    home_place_ = &rng.pick(o.places);
    // Patronymic origins have no family name list.
    const std::size_t family_index = o.family.size() > 0 ? pick_index(rng, o.family) : 0;
    const std::uint8_t family_usual =
        o.family.size() > 0 ? pick_usual(rng, o.family.at(family_index).spellings.size()) : 0;

    enum class Kind { single, couple, siblings, family };
    const double r = rng.unit();
    const Kind kind = r < knobs_.household_single                               ? Kind::single
                      : r < knobs_.household_single + knobs_.household_couple   ? Kind::couple
                      : r < knobs_.household_single + knobs_.household_couple +
                                knobs_.household_siblings
                          ? Kind::siblings
                          : Kind::family;

    // Shares the household's family name (and, for patronymic origins, father and
    // grandfather) with member p.
    const auto share_family = [&](Person& p, const Person* father) {
        if (o.patronymic) {
            if (father != nullptr) {
                p.given[1] = {father->given[0].entry, father->given[0].usual};
                p.given[2] = {father->given[1].entry, father->given[1].usual};
            }
            return;
        }
        if (p.single_name) return;
        const NameList& fam = p.female_form ? o.family_female : o.family;
        const NameEntry& entry = fam.at(family_index);
        // Feminine forms can have fewer distinct spellings than the masculine ones.
        std::uint8_t usual = rng.chance(0.85) ? family_usual
                                              : pick_usual(rng, entry.spellings.size());
        if (usual >= entry.spellings.size()) usual = 0;
        p.family = {&entry, usual};
    };

    Person* head = nullptr;
    switch (kind) {
        case Kind::single:
            head = &add_member(h, o, rng.chance(0.68) ? 'M' : 'W', adult_age(rng), rng);
            break;
        case Kind::couple:
        case Kind::family: {
            const bool single_parent = kind == Kind::family && rng.chance(knobs_.single_parent);
            const char head_sex = single_parent && rng.chance(0.8) ? 'W' : 'M';
            const int head_age = kind == Kind::family ? rng.range(24, 55) : adult_age(rng);
            head = &add_member(h, o, head_sex, head_age, rng);
            // A mother keeps her own family name where wives do not take the husband's.
            if (head_sex == 'M' || wife_takes_name(o)) share_family(*head, nullptr);
            if (!single_parent && h.members.size() < max_people) {
                Person& spouse =
                    add_member(h, o, 'W', std::max(18, head_age - rng.range(-2, 8)), rng);
                if (wife_takes_name(o) && !spouse.single_name) {
                    spouse.maiden = spouse.family;
                    share_family(spouse, nullptr);
                }
            }
            if (kind == Kind::couple) break;
            const double c = rng.unit();
            const int children = c < 0.25 ? 1 : c < 0.53 ? 2 : c < 0.75 ? 3 : c < 0.89 ? 4 : c < 0.96 ? 5 : 6;
            const Person* father = head->sex == 'M' ? head : nullptr;
            // A single mother's children carry their absent father's names.
            Person absent_father;
            if (father == nullptr) {
                absent_father.given[0] = slot(rng, o.male);
                absent_father.given[1] = slot(rng, o.male);
                father = &absent_father;
            }
            const int oldest = std::min(head_age - 18, 25);
            int age = rng.range(0, std::max(0, oldest));
            for (int i = 0; i < children && h.members.size() < max_people; ++i) {
                const bool twin = i > 0 && rng.chance(knobs_.twins);
                const std::size_t prev = h.members.size() - 1;
                if (i > 0 && !twin) age -= rng.range(1, 3);
                if (age < 0) break;
                Person& child = add_member(h, o, rng.chance(0.5) ? 'M' : 'W', age, rng);
                if (o.patronymic) {
                    share_family(child, father);
                } else {
                    share_family(child, nullptr);
                    // Arab and Persian children often carry the father's name second.
                    if ((o.script == Script::arabic || o.script == Script::persian) &&
                        !child.single_name && rng.chance(0.5)) {
                        child.given[1] = {father->given[0].entry, father->given[0].usual};
                        child.given_count = 2;
                    }
                }
                if (twin) {
                    const Person& sibling = h.members[prev];
                    child.birth = sibling.birth;
                    child.known = sibling.known;
                    child.birth_place = sibling.birth_place;
                    child.place_usual = sibling.place_usual;
                    child.birth_town = sibling.birth_town;
                    child.birth_country = sibling.birth_country;
                }
            }
            break;
        }
        case Kind::siblings: {
            const int n = rng.chance(0.7) ? 2 : 3;
            const int base = rng.range(18, 35);
            Person father;
            father.given[0] = slot(rng, o.male);
            father.given[1] = slot(rng, o.male);
            for (int i = 0; i < n && h.members.size() < max_people; ++i) {
                Person& s = add_member(h, o, rng.chance(0.65) ? 'M' : 'W',
                                       std::max(18, base - rng.range(0, 8)), rng);
                share_family(s, &father);
                if (head == nullptr) head = &s;
            }
            break;
        }
    }

    for (Person& p : h.members) {
        if (rng.chance(0.01)) {
            p.nationality[1] = o.origin == Origin::ukr   ? "RUS"
                               : o.origin == Origin::rus ? "UKR"
                                                         : "TUR";
            p.nationality_count = 2;
        }
        if (rng.chance(0.25)) {
            p.previous_town = &catalog_.pick_town(rng);
            p.previous_postcode = rng.pick(p.previous_town->postcodes);
        }
        fill_qualifications(rng, p);
    }
}

}  // namespace qreg::gen
