#include "qreg/dedup/score.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <utility>

#include "qreg/dedup/engine.hpp"

namespace d = qreg::dedup;

namespace {

qreg::Record person(const char* family, const char* given, int y, int m, int day) {
    qreg::Record r;
    r.family_name = family;
    r.given_names = given;
    r.birth_date.year = y;
    r.birth_date.month = m;
    r.birth_date.day = day;
    r.birth_date.precision = day ? qreg::DatePrecision::day
                             : m ? qreg::DatePrecision::month
                                 : qreg::DatePrecision::year;
    r.birth_date.is_placeholder = m == 1 && day == 1;
    r.sex = qreg::Sex::male;
    return r;
}

d::FieldMask all() {
    d::FieldMask mask;
    mask.fill(true);
    return mask;
}

std::string level(const qreg::Record& a, const qreg::Record& b, d::FieldId field) {
    const auto c = d::compare(d::extract_features(a), d::extract_features(b), all());
    const auto l = c.levels[static_cast<std::size_t>(field)];
    return l < 0 ? "missing" : d::level_names(field)[static_cast<std::size_t>(l)];
}

}  // namespace

TEST_SUITE("dedup.score") {

TEST_CASE("name levels tell a dropped given name from siblings sharing a family name") {
    const auto full = person("Haddad", "Omar Khaled", 1990, 3, 15);
    CHECK(level(full, person("Haddad", "Omar Khaled", 1990, 3, 15), d::FieldId::name) == "exact");
    CHECK(level(full, person("Omar Khaled", "Haddad", 1990, 3, 15), d::FieldId::name) == "exact");
    CHECK(level(full, person("Hadad", "Omar Chaled", 1990, 3, 15), d::FieldId::name) == "phonetic");
    CHECK(level(full, person("Haddad", "Omar", 1990, 3, 15), d::FieldId::name) == "subset");
    CHECK(level(full, person("Haddad", "Youssef", 1990, 3, 15), d::FieldId::name) == "family_only");
    CHECK(level(full, person("Nasser", "Ibrahim", 1990, 3, 15), d::FieldId::name) == "none");
}

TEST_CASE("a 01.01. placeholder or a year alone is only compatible, never an exact date") {
    const auto full = person("A", "B", 1990, 3, 15);
    CHECK(level(full, person("A", "B", 1990, 3, 15), d::FieldId::birth_date) == "exact");
    CHECK(level(person("A", "B", 1990, 1, 1), person("A", "B", 1990, 1, 1), d::FieldId::birth_date) ==
          "compatible");
    CHECK(level(person("A", "B", 1990, 1, 1), person("A", "B", 1990, 0, 0), d::FieldId::birth_date) ==
          "compatible");  // BA's placeholder, BAMF's year alone
    CHECK(level(person("A", "B", 1990, 0, 0), person("A", "B", 1991, 0, 0), d::FieldId::birth_date) ==
          "near");
    CHECK(level(full, person("A", "B", 1990, 15, 3), d::FieldId::birth_date) == "near");  // swapped
    CHECK(level(full, person("A", "B", 1990, 3, 16), d::FieldId::birth_date) == "near");
    CHECK(level(full, person("A", "B", 1991, 3, 15), d::FieldId::birth_date) == "near");
    CHECK(level(full, person("A", "B", 1975, 8, 2), d::FieldId::birth_date) == "disagree");
}

TEST_CASE("a full date against the same year alone is less precise: one agency knows more") {
    const auto full = person("A", "B", 1990, 3, 15);
    CHECK(level(full, person("A", "B", 1990, 1, 1), d::FieldId::birth_date) == "less_precise");
    CHECK(level(full, person("A", "B", 1990, 0, 0), d::FieldId::birth_date) == "less_precise");
    CHECK(level(full, person("A", "B", 1990, 3, 0), d::FieldId::birth_date) == "less_precise");  // month
    CHECK(level(person("A", "B", 1990, 3, 0), person("A", "B", 1990, 0, 0), d::FieldId::birth_date) ==
          "less_precise");
    CHECK(level(person("A", "B", 1990, 3, 0), person("A", "B", 1990, 3, 0), d::FieldId::birth_date) ==
          "compatible");
    CHECK(level(person("A", "B", 1990, 3, 0), person("A", "B", 1990, 4, 0), d::FieldId::birth_date) ==
          "near");
    CHECK(level(full, person("A", "B", 1984, 0, 0), d::FieldId::birth_date) == "disagree");
}

TEST_CASE("different AZR numbers or different sex are a conflict, a one-digit typo is not") {
    auto a = person("A", "B", 1990, 3, 15);
    auto b = a;
    a.ids.azr_number = "123456789012";
    b.ids.azr_number = "123456789013";
    CHECK_FALSE(d::compare(d::extract_features(a), d::extract_features(b), all()).conflict);
    b.ids.azr_number = "999999999999";
    CHECK(d::compare(d::extract_features(a), d::extract_features(b), all()).conflict);
    b = a;
    b.sex = qreg::Sex::female;
    CHECK(d::compare(d::extract_features(a), d::extract_features(b), all()).conflict);
}

TEST_CASE("given names that share nothing, not even a loose likeness, are flagged unless an identifier agrees") {
    const auto given_differ = [](const qreg::Record& a, const qreg::Record& b) {
        return d::compare(d::extract_features(a), d::extract_features(b), all()).given_names_differ;
    };
    const auto omar = person("Haddad", "Omar", 2005, 4, 2);
    CHECK(given_differ(omar, person("Haddad", "Youssef", 2005, 4, 2)));  // twins
    CHECK(given_differ(omar, person("Nasser", "Ibrahim", 2005, 4, 2)));  // strangers
    CHECK_FALSE(given_differ(omar, person("Haddad", "Omar", 2005, 4, 2)));
    CHECK_FALSE(given_differ(omar, person("Haddad", "", 2005, 4, 2)));  // nothing to compare
    // Transliterations the phonetic key and the fuzzy match both miss.
    CHECK_FALSE(given_differ(person("Wolodymyrtschuk", "Svetlana", 1971, 11, 17),
                             person("Wolodymyrtschuk", "Switlana", 1971, 11, 17)));
    // Ukrainian and Russian forms that differ in the final vowel alone.
    for (const auto& [x, y] : {std::pair{"Kyrylo", "Kirill"}, {"Dmytro", "Dmitrij"}, {"Pavlo", "Pawel"}}) {
        CAPTURE(x);
        CHECK_FALSE(given_differ(person("Antonenko", x, 1980, 1, 2), person("Antonenko", y, 1980, 1, 2)));
    }
    // Twins' names that differ in the first vowel stay different.
    CHECK(given_differ(person("Haddad", "Hassan", 2005, 4, 2), person("Haddad", "Hussein", 2005, 4, 2)));
    auto twin = person("Haddad", "Youssef", 2005, 4, 2);
    auto other = omar;
    twin.ids.azr_number = other.ids.azr_number = "123456789012";
    CHECK_FALSE(given_differ(other, twin));

    d::ScoreSettings settings;
    settings.parameters = d::default_parameters();
    settings.enabled = all();
    const d::NameFrequencies no_tf;
    const auto a = d::extract_features(omar);
    const auto b = d::extract_features(person("Haddad", "Youssef", 2005, 4, 2));
    auto c = d::compare(a, b, all());
    const double flagged = d::total_weight(settings, c, 0.0);
    c.given_names_differ = false;
    CHECK(flagged == doctest::Approx(d::total_weight(settings, c, 0.0) + settings.given_names_differ_weight));
    const auto explained = d::explain(settings, no_tf, a, b);
    CHECK(explained.total == doctest::Approx(flagged));
    // The explanation shows the penalty, so that its rows add up to the total.
    CHECK(explained.given_names_penalty == doctest::Approx(settings.given_names_differ_weight));
    double rows = explained.given_names_penalty;
    for (const auto& f : explained.fields) rows += f.weight + f.tf_adjustment;
    CHECK(rows == doctest::Approx(explained.total));
}

TEST_CASE("the town counts only where a postcode is missing: a postcode names its town") {
    auto a = person("Haddad", "Omar", 1990, 3, 15);
    auto b = a;
    a.postcode = "47798";
    a.town = "Krefeld";
    b.postcode = "47799";
    b.town = "Krefeld";
    CHECK(level(a, b, d::FieldId::town) == "missing");
    CHECK(level(a, b, d::FieldId::postcode) == "one_edit");
    b.postcode.clear();
    CHECK(level(a, b, d::FieldId::town) == "exact");
    b.town = "Duisburg";
    CHECK(level(a, b, d::FieldId::town) == "disagree");
}

TEST_CASE("a name as common as a typical one gets no term-frequency adjustment") {
    d::ScoreSettings settings;
    settings.parameters = d::default_parameters();
    settings.enabled = all();
    // Every family and given name equally common: each is typical.
    std::vector<d::RecordFeatures> records;
    const char* families[] = {"Haddad", "Nasser", "Karimi", "Popescu"};
    const char* givens[] = {"Omar", "Lina", "Reza", "Ana"};
    for (int i = 0; i < 16; ++i) records.push_back(d::extract_features(person(families[i % 4], givens[i / 4], 1990, 1, 2)));
    const auto tf = d::name_frequencies(records);
    CHECK(tf.typical_frequency() == doctest::Approx(0.25));
    CHECK(d::explain(settings, tf, records[0], records[0]).fields[0].tf_adjustment == doctest::Approx(0.0));
    // One record more with a name of its own: rarer than typical by about log2(0.25 * 17) bits per token.
    records.push_back(d::extract_features(person("Zarghunwal", "Baryalai", 1990, 1, 2)));
    const auto tf2 = d::name_frequencies(records);
    const double adjustment = d::explain(settings, tf2, records[16], records[16]).fields[0].tf_adjustment;
    CHECK(adjustment == doctest::Approx(2.0 * std::log2(tf2.typical_frequency() * 17.0)));
    CHECK(adjustment > 3.0);
    // A share of the rarity counts where the configuration says so (the tokens' rarities are
    // summed as if independent), still within the cap.
    settings.tf_scale = 0.25;
    CHECK(d::explain(settings, tf2, records[16], records[16]).fields[0].tf_adjustment ==
          doctest::Approx(0.25 * adjustment));
    settings.max_tf_adjustment = 0.5;
    CHECK(d::explain(settings, tf2, records[16], records[16]).fields[0].tf_adjustment ==
          doctest::Approx(0.5));
}

TEST_CASE("agreeing on a rare name weighs more than agreeing on a common one") {
    d::ScoreSettings settings;
    settings.parameters = d::default_parameters();
    settings.enabled = all();
    std::vector<d::RecordFeatures> records;
    for (int i = 0; i < 200; ++i) records.push_back(d::extract_features(person("Ahmadi", "Mohammad", 2000, 1, 1)));
    records.push_back(d::extract_features(person("Zarghunwal", "Baryalai", 2000, 1, 1)));
    const auto tf = d::name_frequencies(records);
    const auto common = d::explain(settings, tf, records[0], records[1]);
    const auto rare = d::explain(settings, tf, records[200], records[200]);
    CHECK(rare.total > common.total + 5.0);
    CHECK(common.fields[0].tf_adjustment < 0.0);
    CHECK(rare.fields[0].tf_adjustment > 0.0);
}

TEST_CASE("with partial_scale, a partial name weighs by the rarity of the given names that agree") {
    d::ScoreSettings settings;
    settings.parameters = d::default_parameters();
    settings.enabled = all();
    settings.tf_scale = 0.25;
    // Many records of a common given name, a few of rare ones, over many family names.
    std::vector<d::RecordFeatures> records;
    const char* families[] = {"Haddad", "Nasser", "Karimi", "Popescu",
                              "Kovalenko", "Yilmaz", "Tesfaye", "Abdi"};
    for (int i = 0; i < 160; ++i) {
        records.push_back(d::extract_features(person(families[i % 8], "Mohammad", 1990, 1, 2)));
    }
    for (int i = 0; i < 40; ++i) {
        const char* given = i % 2 == 0 ? "Oleksandra" : "Tsegereda";
        records.push_back(d::extract_features(person(families[i % 8], given, 1990, 1, 2)));
    }
    const auto tf = d::name_frequencies(records);
    // The same given name, another family name: `partial`.
    const auto common_a = d::extract_features(person("Haddad", "Mohammad", 1990, 1, 2));
    const auto common_b = d::extract_features(person("Zarghunwal", "Mohammad", 1990, 1, 2));
    const auto rare_a = d::extract_features(person("Haddad", "Tsegereda", 1990, 1, 2));
    const auto rare_b = d::extract_features(person("Zarghunwal", "Tsegereda", 1990, 1, 2));
    const auto adjustment = [&](const d::RecordFeatures& a, const d::RecordFeatures& b) {
        const auto e = d::explain(settings, tf, a, b);
        REQUIRE(e.fields[0].level == d::name_partial_level);
        return e.fields[0].tf_adjustment;
    };
    CHECK(adjustment(common_a, common_b) == 0.0);  // off by default
    CHECK(adjustment(rare_a, rare_b) == 0.0);
    settings.partial_tf_scale = 0.25;
    CHECK(adjustment(common_a, common_b) < 0.0);
    CHECK(adjustment(rare_a, rare_b) > 0.0);
    // Only the tokens that agree count: the rare family names of b do not.
    const double typical = std::log2(tf.typical_frequency());
    const auto given = d::name_key_hash(rare_a.key(rare_a.names()[1]));
    const double tsegereda = typical - std::log2(tf.frequency(given));
    CHECK(adjustment(rare_a, rare_b) == doctest::Approx(0.25 * tsegereda));
    // The weight bound allows for it.
    const d::WeightBound bound(settings);
    const auto summary = [&](const d::RecordFeatures& r) {
        return d::WeightBound::summarize(r, d::name_rarity(tf, r));
    };
    CHECK(bound(summary(rare_a), summary(rare_b), rare_a, rare_b) >=
          d::explain(settings, tf, rare_a, rare_b).total);
}

TEST_CASE("u from random pairs makes agreement on a name rare among different people") {
    std::vector<d::RecordFeatures> records;
    const char* families[] = {"Haddad", "Nasser", "Karimi", "Popescu", "Kovalenko", "Yilmaz"};
    const char* givens[] = {"Omar", "Lina", "Reza", "Ana", "Oleh", "Emre", "Sara"};
    for (int i = 0; i < 600; ++i) {
        records.push_back(d::extract_features(person(families[i % 6], givens[i % 7], 1960 + i % 40, 1 + i % 12, 1 + i % 28)));
    }
    d::MatchSettings settings;
    settings.score.parameters = d::default_parameters();
    settings.score.enabled = all();
    const auto p = d::estimate_u(records, settings, 20000);
    const auto& name = p.fields[static_cast<std::size_t>(d::FieldId::name)];
    CHECK(name.u[0] < 0.05);  // the same full name: 1 in 42 combinations
    CHECK(name.u[6] > 0.6);   // nothing in common
}

}  // TEST_SUITE("dedup.score")

TEST_SUITE("dedup.blocking_rules") {

TEST_CASE("the family-name rule keys on family names and the birth year, not on given names") {
    const std::vector<d::BlockRule> rules = {d::BlockRule::family_key_birth_year};
    const auto keys = [&](const char* family, const char* given, int year) {
        return d::block_keys(d::extract_features(person(family, given, year, 0, 0)), rules);
    };
    const auto shares = [](const std::vector<d::BlockKey>& a, const std::vector<d::BlockKey>& b) {
        for (const auto& x : a) {
            for (const auto& y : b) {
                if (x.key == y.key) return true;
            }
        }
        return false;
    };
    CHECK(shares(keys("Schewtschenko", "Iryna", 1980), keys("Shevchenko", "Oksana", 1980)));
    CHECK_FALSE(shares(keys("Schewtschenko", "Iryna", 1980), keys("Shevchenko", "Iryna", 1981)));
    CHECK_FALSE(shares(keys("Haddad", "Mohammad", 1990), keys("Nasser", "Mohammad", 1990)));
}

TEST_CASE("the street rule keys on street and house number, where a record has both") {
    const std::vector<d::BlockRule> rules = {d::BlockRule::street_house_number};
    const auto keys = [&](const char* street, const char* house, int year) {
        auto r = person("Neumann", "Michaela", year, 11, 11);
        r.street = street;
        r.house_number = house;
        return d::block_keys(d::extract_features(r), rules);
    };
    REQUIRE(keys("Stanley Street", "8", 1951).size() == 1);
    // The street's spelling is folded; the birth year only refines a block too large.
    CHECK(keys("Stanley Street", "8", 1951)[0].key == keys("stanley st", "8", 1915)[0].key);
    CHECK(keys("Stanley Street", "8", 1951)[0].key != keys("Stanley Street", "18", 1951)[0].key);
    // Blocking takes the street's stem: type word dropped, doubled letters once (FEBRL's typos).
    CHECK(keys("Jerrabomberra Avenue", "7", 1938)[0].key == keys("jerrabombera avenue", "7", 1980)[0].key);
    CHECK(keys("Jerrabomberra Avenue", "7", 1938)[0].key == keys("jerrabombera av", "7", 1980)[0].key);
    CHECK(keys("Colebatch Place", "12", 1980)[0].key == keys("colebatchplace", "12", 1928)[0].key);
    CHECK(keys("Colebatch Place", "12", 1980)[0].key == keys("Colebatch", "12", 1980)[0].key);
    CHECK(keys("Colebatch Place", "12", 1980)[0].key != keys("Colebatch Place", "21", 1980)[0].key);
    CHECK(keys("Hauptstrasse", "3", 1980)[0].key == keys("Hauptstr.", "3", 1980)[0].key);
    CHECK(keys("Hauptstrasse", "3", 1980)[0].key != keys("Hauptallee", "3", 1980)[0].key);
    CHECK(keys("", "8", 1951).empty());
    CHECK(keys("Stanley Street", "", 1951).empty());
}

TEST_CASE("the identifier digits rule meets an identifier with two digits swapped at one postcode") {
    const std::vector<d::BlockRule> rules = {d::BlockRule::identifier_digits_postcode};
    const auto keys = [&](const char* azr, const char* ba, const char* postcode) {
        auto r = person("Neumann", "Michaela", 1980, 11, 11);
        r.ids.azr_number = azr;
        r.ids.ba_customer_number = ba;
        r.postcode = postcode;
        return d::block_keys(d::extract_features(r), rules);
    };
    REQUIRE(keys("123456789012", "", "47798").size() == 1);
    CHECK(keys("123456789012", "", "47798")[0].key == keys("123456879012", "", "47798")[0].key);
    CHECK(keys("123456789012", "", "47798")[0].key != keys("123456789013", "", "47798")[0].key);
    CHECK(keys("123456789012", "", "47798")[0].key != keys("123456879012", "", "47799")[0].key);
    // An AZR number does not meet a BA customer number of the same digits.
    CHECK(keys("123456789012", "", "47798")[0].key != keys("", "123456789012", "47798")[0].key);
    CHECK(keys("123456789012", "", "").empty());
    CHECK(keys("", "", "47798").empty());
    // It only brings pairs to compare: training leaves its pairs out.
    CHECK_FALSE(d::trains_model(d::BlockRule::identifier_digits_postcode));
    CHECK(d::trains_model(d::BlockRule::azr_number));
}

TEST_CASE("the name key and full birth date rule meets a record without postcode, not a placeholder") {
    const std::vector<d::BlockRule> rules = {d::BlockRule::name_key_birth_date};
    const auto keys = [&](const char* family, int month, int day, const char* postcode) {
        auto r = person(family, "", 1990, month, day);
        r.postcode = postcode;
        return d::block_keys(d::extract_features(r), rules);
    };
    REQUIRE(keys("Mohammed", 3, 16, "28195").size() == 1);
    // The key is name and date: a record without postcode, or at another one, shares it.
    CHECK(keys("Mohammed", 3, 16, "28195")[0].key == keys("Muhammad", 3, 16, "")[0].key);
    CHECK(keys("Mohammed", 3, 16, "28195")[0].key == keys("Mohammed", 3, 16, "47051")[0].key);
    CHECK(keys("Mohammed", 3, 16, "28195")[0].key != keys("Mohammed", 3, 17, "28195")[0].key);
    CHECK(keys("Mohammed", 3, 16, "28195")[0].key != keys("Hassan", 3, 16, "28195")[0].key);
    // No key for a 01.01. placeholder (it is the year only).
    auto placeholder = person("Mohammed", "", 1990, 1, 1);
    placeholder.birth_date.is_placeholder = true;
    CHECK(d::block_keys(d::extract_features(placeholder), rules).empty());
    // It only brings pairs to compare: training leaves its pairs out.
    CHECK_FALSE(d::trains_model(d::BlockRule::name_key_birth_date));
}

TEST_CASE("every configured rule name is known and round-trips") {
    for (const char* name : {"azr_number", "ba_customer_number", "bamf_file_number", "other_id",
                             "name_key_birth_year", "name_key_pair", "name_key_postcode",
                             "birth_date", "birth_date_postcode", "family_key_birth_year",
                             "street_house_number", "identifier_digits_postcode",
                             "name_key_birth_date"}) {
        const auto rule = d::block_rule_from_name(name);
        REQUIRE(rule);
        CHECK(d::block_rule_name(*rule) == name);
    }
    CHECK_FALSE(d::block_rule_from_name("surname"));
}

}  // TEST_SUITE("dedup.blocking_rules")
