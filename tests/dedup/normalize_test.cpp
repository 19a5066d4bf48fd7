#include "qreg/dedup/normalize.hpp"  // first: proves the header is self-contained

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

namespace d = qreg::dedup;

namespace {

using Strings = std::vector<std::string>;

// The key of a single-token name, as the scorer sees it.
std::string key_of(std::string_view name) {
    const auto tokens = d::name_tokens(name);
    REQUIRE(tokens.size() == 1);
    return d::phonetic_key(tokens.front());
}

}  // namespace

TEST_SUITE("dedup.normalize") {

TEST_CASE("folding lower-cases ASCII and turns every other run into one space") {
    CHECK(d::fold("  Abu   Bakr ") == "abu bakr");
    CHECK(d::fold("AL-HASSAN") == "al hassan");
    CHECK(d::fold("O'Neil, Mary-Ann.") == "o neil mary ann");
    CHECK(d::fold("Route 66") == "route 66");
    CHECK(d::fold(" -- ").empty());
    CHECK(d::fold("").empty());
}

TEST_CASE("German letters fold to their transcriptions, in either case") {
    CHECK(d::fold("Öztürk") == "oeztuerk");
    CHECK(d::fold("OEZTUERK") == "oeztuerk");
    CHECK(d::fold("ÖZTÜRK") == "oeztuerk");
    CHECK(d::fold("Straße") == "strasse");
    CHECK(d::fold("Mäßig") == "maessig");
    CHECK(d::fold("ẞ") == "ss");
}

TEST_CASE("decomposed umlauts fold like precomposed ones") {
    CHECK(d::fold("O\xCC\x88ztu\xCC\x88rk") == "oeztuerk");  // O + U+0308, u + U+0308
    CHECK(d::fold("Jose\xCC\x81") == "jose");                // e + combining acute
}

TEST_CASE("other diacritics are removed") {
    CHECK(d::fold("Şahin Çelik") == "sahin celik");
    CHECK(d::fold("ÉLODIE") == "elodie");
    CHECK(d::fold("Ğül İpek ılık") == "guel ipek ilik");  // ü is ue in any language
    CHECK(d::fold("Łódź Ærø") == "lodz aero");
    CHECK(d::fold("Nguyễn Văn") == "nguyen van");
}

TEST_CASE("Cyrillic folds to an English-style transliteration") {
    CHECK(d::fold("Шевченко") == "shevchenko");
    CHECK(d::fold("ЖАННА") == "zhanna");
    CHECK(d::fold("Юрій Харченко") == "yuriy kharchenko");  // Ukrainian: г -> h, и -> y
    CHECK(d::fold("Дмитро") == "dmitro");                   // no Ukrainian-only letter: и -> i
    CHECK(d::fold("Дмитрій") == "dmytriy");
}

TEST_CASE("Arabic script is transliterated to Latin letters on a best-effort basis") {
    const std::string folded = d::fold("محمد علي");
    CHECK_FALSE(folded.empty());
    CHECK(folded.find_first_not_of("abcdefghijklmnopqrstuvwxyz ") == std::string::npos);
    CHECK(folded.find(' ') != std::string::npos);
}

TEST_CASE("invisible characters vanish without splitting a word") {
    CHECK(d::fold("Ab\u00ADdul") == "abdul");           // soft hyphen
    CHECK(d::fold("\u200FHassan\u200E") == "hassan");   // direction marks
    CHECK(d::fold("\uFEFFAli") == "ali");               // byte order mark
    CHECK(d::fold("Hans\u00A0Peter") == "hans peter");  // a no-break space is a space
    CHECK(d::fold("Al\u2010Hassan") == "al hassan");    // so is a Unicode hyphen
    CHECK(d::fold("ＭＯＨＡＭＭＥＤ") == "mohammed");   // full-width letters
}

TEST_CASE("malformed UTF-8 folds without throwing") {
    CHECK(d::fold("Ab\xFF"
                  "cd") == "ab cd");
    CHECK(d::fold("\xC3").empty());
}

TEST_CASE("name tokens are folded words") {
    CHECK(d::name_tokens("  Mohammed   ALI ") == Strings{"mohammed", "ali"});
    CHECK(d::name_tokens("Mary-Ann").size() == 2);
    CHECK(d::name_tokens("").empty());
    CHECK(d::name_tokens(" - ").empty());
}

TEST_CASE("apostrophes and lost letters do not split a name") {
    CHECK(d::name_tokens("Sa'id") == Strings{"said"});
    CHECK(d::name_tokens("Sa\xCA\xBF"
                         "id") == Strings{"said"});  // U+02BF ayn
    CHECK(d::name_tokens("O\xE2\x80\x99"
                         "Brien") == Strings{"obrien"});
    CHECK(d::name_tokens("Ba?ar") == Strings{"baar"});
}

TEST_CASE("the Arabic article is not a token, whether separate, hyphenated or glued") {
    const Strings hassan{"hassan"};
    CHECK(d::name_tokens("Al-Hassan") == hassan);
    CHECK(d::name_tokens("Al Hassan") == hassan);
    CHECK(d::name_tokens("AL-HASSAN") == hassan);
    CHECK(d::name_tokens("El Hassan") == hassan);
    CHECK(d::name_tokens("Alhassan") == hassan);
    CHECK(d::name_tokens("el-Khalil") == Strings{"khalil"});
    CHECK(d::name_tokens("Elkhalil") == Strings{"khalil"});
    CHECK(d::name_tokens("MAJID AL ALI") == Strings{"majid", "ali"});
    // Before a vowel too: Alomar = Al-Omar, Alobaidi = Al-Obaidi, Alali = Al-Ali.
    CHECK(d::name_tokens("Alomar") == d::name_tokens("Al-Omar"));
    CHECK(d::name_tokens("Alomar") == Strings{"omar"});
    CHECK(d::name_tokens("ALOBAIDI") == Strings{"obaidi"});
    CHECK(d::name_tokens("Alali") == d::name_tokens("AL-ALI"));
    CHECK(d::name_tokens("Elomari") == Strings{"omari"});
    CHECK(d::name_tokens("Alyasser") == d::name_tokens("Al-Yasser"));
}

TEST_CASE("assimilated articles go only before their own consonant") {
    CHECK(d::name_tokens("as-Sayed") == Strings{"sayed"});
    CHECK(d::name_tokens("Nur ad-Din") == Strings{"nur", "din"});
    CHECK(d::name_tokens("Saif ad Din") == Strings{"saif", "din"});
    CHECK(d::name_tokens("An Nguyen") == Strings{"an", "nguyen"});
    CHECK(d::name_tokens("John Ed Davis") == Strings{"john", "ed", "davis"});
    CHECK(d::name_tokens("Ahmad As") == Strings{"ahmad", "as"});
}

TEST_CASE("names that merely begin like an article stay whole") {
    for (const std::string_view name : {"Alina", "Elena", "Alexander", "Allen", "Ella", "Albert",
                                        "Elvira", "Alyssa", "Alia", "Ali", "Elias", "Alaa",
                                        "Aleksandr", "Elif", "Aliyev", "Elisabeth", "Aleppo",
                                        "Alyona", "Elyas"}) {
        CAPTURE(name);
        const auto tokens = d::name_tokens(name);
        REQUIRE(tokens.size() == 1);
        CHECK(tokens.front() == d::fold(name));
    }
}

TEST_CASE("a lone article at the end of a field is kept") {
    CHECK(d::name_tokens("Al") == Strings{"al"});
    CHECK(d::name_tokens("Hassan Al") == Strings{"hassan", "al"});
}

TEST_CASE("Abd and Abu compounds become one token however they are written") {
    const Strings abdulrahman{"abdulrahman"};
    CHECK(d::name_tokens("Abdul Rahman") == abdulrahman);
    CHECK(d::name_tokens("Abdulrahman") == abdulrahman);
    CHECK(d::name_tokens("Abd al-Rahman") == abdulrahman);
    CHECK(d::name_tokens("Abdel Rahman") == abdulrahman);
    CHECK(d::name_tokens("Abdelrahman") == abdulrahman);
    CHECK(d::name_tokens("Abdurrahman") == abdulrahman);
    CHECK(d::name_tokens("Abdirahman") == abdulrahman);
    CHECK(d::name_tokens("Abdallah") == d::name_tokens("Abdullah"));
    CHECK(d::name_tokens("Abu Bakr") == Strings{"abubakr"});
    CHECK(d::name_tokens("Abou Bakr") == Strings{"abubakr"});
    CHECK(d::name_tokens("Aboubakr") == Strings{"abubakr"});
    CHECK(d::name_tokens("Abdi Mohamed") == Strings{"abdi", "mohamed"});
}

TEST_CASE("a name made only of placeholders has no tokens") {
    for (const std::string_view name :
         {"NN", "N.N.", "n. n.", "XXX", "xx", "unbekannt", "UNKNOWN", "FNU", "ohne Angabe"}) {
        CAPTURE(name);
        CHECK(d::name_tokens(name).empty());
    }
}

TEST_CASE("placeholders next to real tokens are dropped, initials are kept") {
    CHECK(d::name_tokens("Mohammed NN") == Strings{"mohammed"});
    CHECK(d::name_tokens("XXX Ali") == Strings{"ali"});
    CHECK(d::name_tokens("N. Ali") == Strings{"n", "ali"});
}

TEST_CASE("the abbreviation Mhd stands for Mohammed") {
    CHECK(d::name_tokens("Mhd Ali") == Strings{"mohammed", "ali"});
}

TEST_CASE("transliterations of one name share a phonetic key") {
    const std::vector<Strings> groups = {
        {"Mohammed", "Muhammad", "Mohamad", "Mohammad", "Muhamed", "Mohamed", "Mouhamad",
         "MUHAMMED"},
        {"Chalid", "Khaled", "Khalid", "Chaled"},
        {"Schewtschenko", "Shevchenko", "Sevcenko", "Schewchenko", "Ševčenko", "Шевченко"},
        {"Sawtschenko", "Savchenko", "Savtchenko", "SAWTSCHENKO", "Савченко"},
        {"Tkachuk", "Tkatschuk", "Tkacuk", "Tkačuk"},
        {"Öztürk", "Oeztuerk", "Ozturk", "OEZTUERK"},
        {"Hussein", "Hossein", "Husein", "Hussain", "Husayn", "Hüseyin", "Huseyin"},
        {"Jekaterina", "Yekaterina", "Ekaterina", "Екатерина"},
        {"Jurij", "Yuri", "Yurii", "Yuriy", "Юрій"},
        {"Achmed", "Ahmad", "Ahmed", "Achmad", "Ahmet"},
        {"Aleksandr", "Alexander", "Oleksandr", "Aleksander", "Olexandr"},
        {"Magomedow", "Magomedov"},
        {"Resa", "Reza"},
        {"Moustafa", "Mustafa", "Mostafa"},
        {"Dmitro", "Dmytro", "Дмитро"},
        {"Harchenko", "Kharchenko", "Charchenko", "Chartschenko", "Харченко"},
        {"Irina", "Iryna", "Ирина"},
        {"Youssef", "Yusuf", "Jussuf", "Yousef", "Jusuf"},
        {"Abdullah", "Abdulla", "Abdallah"},
        {"Fatima", "Fatme", "Fatemeh", "Fatma"},
        {"Ali", "Aly"},
        {"Omar", "Umar", "Omer"},
        {"Natalia", "Natalja", "Natalya", "Nataliya"},
        {"Maria", "Marija", "Mariya"},
        {"Sergej", "Sergey", "Sergei"},
        {"Jovanovic", "Jovanovich", "Jowanowitsch"},
        {"Christina", "Kristina"},
        {"Zaitsev", "Saizew"},
        {"Schanna", "Zhanna", "Жанна"},
        {"Karim", "Kareem"},
        {"Oleg", "Oleh", "Олег"},
        {"Olga", "Olha", "Ольга"},
        {"Galina", "Halyna", "Halina", "Галина"},
        {"Sadeqi", "Sadeghi"},
        {"Olena", "Elena", "Jelena", "Yelena", "Олена"},
        {"Ekaterina", "Kateryna", "Katharina", "Catherine"},
        // a, e and i of the first syllable are one class: short vowels that transliterations
        // write as they hear them (Zainab = Zeinab, Reza = Riza, Haidar = Heider).
        {"Zainab", "Zeinab", "Zaynab"},
        {"Reza", "Riza", "Raza"},
        {"Maryam", "Meryem", "Mariam"},
        {"Haidar", "Heider", "Hayder"},
        {"Mina", "Mena"},
        {"Leila", "Laila", "Leyla"},
        // French spellings: initial ou before a vowel is w, i before a, o, u is y.
        {"Wissam", "Ouissam"},
        {"Wael", "Ouael"},
        {"Yury", "Iouri", "Iurii", "Jurij"},
        {"Yana", "Iana", "Jana"},
    };
    for (const auto& group : groups) {
        const std::string first = key_of(group.front());
        for (const auto& name : group) {
            CAPTURE(name);
            CHECK(key_of(name) == first);
        }
    }
}

TEST_CASE("clearly different names keep different phonetic keys") {
    const std::vector<std::pair<std::string, std::string>> pairs = {
        {"Ahmad", "Mahmoud"},  {"Mohammed", "Mahmoud"},     {"Ali", "Alia"},
        {"Hassan", "Hussein"}, {"Khaled", "Khalil"},        {"Omar", "Amr"},
        {"Irina", "Arina"},    {"Omar", "Ammar"},
        {"Hassan", "Ghassan"}, {"Aleksandr", "Aleksandra"},
        {"Said", "Sayed"},     {"Jamal", "Kamal"},          {"Mohammed", "Mehmet"},
        {"Nadia", "Nadim"},    {"Yusuf", "Yunus"}};
    for (const auto& [x, y] : pairs) {
        CAPTURE(x);
        CAPTURE(y);
        CHECK(key_of(x) != key_of(y));
    }
}

TEST_CASE("phonetic keys have the documented shape") {
    CHECK(d::phonetic_key("mohammed") == "MHMTu_");
    CHECK(d::phonetic_key("mahmoud") == "MHMTa_");
    CHECK(d::phonetic_key("ahmad") == "aHMTa_");
    CHECK(d::phonetic_key("ali") == "aLai");
    CHECK(d::phonetic_key("alia") == "aLaa");
    CHECK(d::phonetic_key("yonas") == "JNSu_");
    CHECK(d::phonetic_key("hassan") == "HSNa_");
    CHECK(d::phonetic_key("").empty());
}

TEST_CASE("Jaro-Winkler gives the published values") {
    CHECK(d::jaro_winkler("MARTHA", "MARHTA") == doctest::Approx(0.961).epsilon(0.001));
    CHECK(d::jaro_winkler("DWAYNE", "DUANE") == doctest::Approx(0.840).epsilon(0.001));
    CHECK(d::jaro_winkler("DIXON", "DICKSONX") == doctest::Approx(0.813).epsilon(0.001));
    CHECK(d::jaro_winkler("same", "same") == 1.0);
    CHECK(d::jaro_winkler("abc", "xyz") == 0.0);
    CHECK(d::jaro_winkler("", "abc") == 0.0);
}

TEST_CASE("Jaro-Winkler is symmetric and works beyond the stack buffer") {
    CHECK(d::jaro_winkler("khaled", "khalid") ==
          doctest::Approx(d::jaro_winkler("khalid", "khaled")));
    const std::string long_a(100, 'a');
    std::string long_b = long_a;
    long_b[50] = 'b';
    const double jw = d::jaro_winkler(long_a, long_b);
    CHECK(jw > 0.98);
    CHECK(jw < 1.0);
}

TEST_CASE("edit distance counts substitutions, insertions, deletions and transpositions") {
    CHECK(d::damerau_levenshtein("hassan", "hassan", 3) == 0);
    CHECK(d::damerau_levenshtein("hassan", "hasan", 3) == 1);
    CHECK(d::damerau_levenshtein("hassan", "hasson", 3) == 1);
    CHECK(d::damerau_levenshtein("marhta", "martha", 3) == 1);
    CHECK(d::damerau_levenshtein("kitten", "sitting", 5) == 3);
    CHECK(d::damerau_levenshtein("", "abc", 5) == 3);
    CHECK(d::damerau_levenshtein("ca", "abc", 5) == 3);  // optimal string alignment, not true DL
}

TEST_CASE("edit distance within one edit is found at every position") {
    CHECK(d::damerau_levenshtein("hassan", "hasasn", 1) == 1);  // transposition
    CHECK(d::damerau_levenshtein("hassan", "ahssan", 1) == 1);
    CHECK(d::damerau_levenshtein("hassan", "hassna", 1) == 1);
    CHECK(d::damerau_levenshtein("hassan", "xassan", 1) == 1);  // substitution
    CHECK(d::damerau_levenshtein("hassan", "hassax", 1) == 1);
    CHECK(d::damerau_levenshtein("hasan", "hassan", 1) == 1);  // insertion
    CHECK(d::damerau_levenshtein("hassan", "hassanx", 1) == 1);
    CHECK(d::damerau_levenshtein("hassan", "xhassan", 1) == 1);
    CHECK(d::damerau_levenshtein("abc", "bca", 1) == 2);
    CHECK(d::damerau_levenshtein("abcd", "badc", 1) == 2);
    CHECK(d::damerau_levenshtein("abc", "abc", 0) == 0);
    CHECK(d::damerau_levenshtein("abc", "abd", 0) == 1);
}

TEST_CASE("edit distance stops at max plus one") {
    CHECK(d::damerau_levenshtein("kitten", "sitting", 1) == 2);
    CHECK(d::damerau_levenshtein("abcdef", "uvwxyz", 2) == 3);
    CHECK(d::damerau_levenshtein("a", "abcdefgh", 2) == 3);
    CHECK(d::damerau_levenshtein("ab", "ba", 0) == 1);
    const std::string long_a(100, 'a');
    std::string long_b = long_a;
    long_b[10] = 'b';
    CHECK(d::damerau_levenshtein(long_a, long_b, 3) == 1);
}

}  // TEST_SUITE("dedup.normalize")
