#include "qreg/dedup/normalize.hpp"

#include "normalize_detail.hpp"

#include "qreg/error.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>
#include <vector>

namespace qreg::dedup {
namespace {

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char to_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

using detail::is_vowel;

struct Decoded {
    char32_t code;
    std::size_t size;
};

constexpr char32_t replacement_char = 0xFFFD;

// Lenient: a malformed sequence yields U+FFFD for its first byte, so folding never throws on
// bad bytes (connectors validate encodings; this only has to be total).
Decoded decode_utf8(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    const auto cont = [&](std::size_t k) {
        return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    };
    const auto bits = [&](std::size_t k) {
        return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F);
    };
    if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) {
        return {(static_cast<char32_t>(b0 & 0x1F) << 6) | bits(1), 2};
    }
    if (b0 >= 0xE0 && b0 <= 0xEF && cont(1) && cont(2)) {
        const char32_t c = (static_cast<char32_t>(b0 & 0x0F) << 12) | (bits(1) << 6) | bits(2);
        if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) return {c, 3};
    }
    if (b0 >= 0xF0 && b0 <= 0xF4 && cont(1) && cont(2) && cont(3)) {
        const char32_t c =
            (static_cast<char32_t>(b0 & 0x07) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3);
        if (c >= 0x10000 && c <= 0x10FFFF) return {c, 4};
    }
    return {replacement_char, 1};
}

// Marks that stand for a glottal stop or ayn inside a name (Sa'id, Ja`far, ʿAli) or are typed
// for an apostrophe. In names they vanish instead of splitting the word.
bool is_apostrophe_like(char32_t c) {
    switch (c) {
        case 0x0027:
        case 0x0060:
        case 0x00B4:
        case 0x02B9:
        case 0x02BB:
        case 0x02BC:
        case 0x02BD:
        case 0x02BE:
        case 0x02BF:
        case 0x2018:
        case 0x2019:
        case 0x201B:
        case 0x2032: return true;
        default: return false;
    }
}

// Soft hyphen, zero-width characters and direction marks (common around Arabic names): they
// vanish instead of splitting a word.
bool is_invisible(char32_t c) {
    return c == 0x00AD || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF;
}

// Writes folded output: lower-case alphanumerics, one separator per gap, nothing at either end.
class Emitter {
public:
    Emitter(std::string& out, detail::FoldMode mode) : out_(out), mode_(mode), start_(out.size()) {}

    void put(char c) {
        if (is_alnum(c)) {
            if (gap_ != Gap::none && out_.size() > start_) {
                out_.push_back(gap_ == Gap::hyphen ? '-' : ' ');
            }
            gap_ = Gap::none;
            out_.push_back(to_lower(c));
            return;
        }
        if (mode_ == detail::FoldMode::name) {
            // `?` is what a Windows-1252 export writes for a letter it cannot hold (Ş, ğ).
            if (c == '\'' || c == '`' || c == '?') return;
            if (c == '-') {
                gap_ = Gap::hyphen;
                return;
            }
        }
        if (gap_ == Gap::none) gap_ = Gap::space;
    }

    void put(std::string_view text) {
        for (const char c : text) put(c);
    }

    // A combining diaeresis (decomposed input) after a, o, u is the German transcription `e`.
    void put_diaeresis() {
        if (gap_ == Gap::none && out_.size() > start_) {
            const char last = out_.back();
            if (last == 'a' || last == 'o' || last == 'u') out_.push_back('e');
        }
    }

    void put_gap() { put(' '); }

private:
    enum class Gap { none, space, hyphen };
    std::string& out_;
    detail::FoldMode mode_;
    std::size_t start_;
    Gap gap_ = Gap::none;
};

constexpr const char* transliterator_id = "Any-Latin; Latin-ASCII; Any-Lower";

std::unique_ptr<icu::Transliterator> create_transliterator() {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        icu::UnicodeString::fromUTF8(transliterator_id), UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !t) {
        throw Error(ErrorCode::internal,
                    std::string("cannot create the ICU transliterator for name folding: ") +
                        u_errorName(status));
    }
    return t;
}

// Built once (thread-safe static initialisation) and only read afterwards. ICU transliterators
// are not thread-safe, so each thread works on its own clone of this prototype.
const icu::Transliterator& transliterator_prototype() {
    static const std::unique_ptr<icu::Transliterator> prototype = create_transliterator();
    return *prototype;
}

icu::Transliterator& thread_transliterator() {
    thread_local const std::unique_ptr<icu::Transliterator> clone(
        transliterator_prototype().clone());
    if (!clone) throw Error(ErrorCode::internal, "cannot clone the ICU transliterator");
    return *clone;
}

// Appends ICU's output for a run of code points the tables below do not cover (Arabic,
// Greek beyond the table, CJK, full-width forms...).
void emit_transliterated(Emitter& emit, std::string_view utf8_run) {
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8_run.data(), static_cast<std::int32_t>(utf8_run.size())));
    thread_transliterator().transliterate(text);
    for (std::int32_t i = 0; i < text.length();) {
        const UChar32 c = text.char32At(i);
        i += U16_LENGTH(c);
        if (c < 0x80) {
            emit.put(static_cast<char>(c));
        } else if (is_apostrophe_like(static_cast<char32_t>(c))) {
            emit.put('\'');
        } else {
            emit.put_gap();
        }
    }
}

// Precomputed folding of the Latin, Greek, IPA and punctuation blocks, made with the same ICU
// transform, so that the common non-ASCII letters (Ş, Ç, É, ł) cost one table look-up.
class FoldTable {
public:
    struct Entry {
        std::array<char, 7> text{};
        std::uint8_t size = 0;
        [[nodiscard]] std::string_view view() const { return {text.data(), size}; }
    };

    FoldTable() {
        const auto t = create_transliterator();
        for (const auto& range : ranges) {
            for (char32_t c = range.first; c <= range.last; ++c) entries_.push_back(make(*t, c));
        }
    }

    [[nodiscard]] const Entry* find(char32_t c) const {
        std::size_t offset = 0;
        for (const auto& range : ranges) {
            if (c >= range.first && c <= range.last) return &entries_[offset + (c - range.first)];
            offset += range.last - range.first + 1;
        }
        return nullptr;
    }

private:
    struct Range {
        char32_t first;
        char32_t last;
    };
    static constexpr std::array<Range, 3> ranges = {{
        {0x0080, 0x03FF},  // Latin-1, Latin Extended-A/B, IPA, modifiers, combining, Greek
        {0x1E00, 0x1EFF},  // Latin Extended Additional (Vietnamese and others)
        {0x2000, 0x206F},  // general punctuation: dashes, quotes, spaces
    }};

    static Entry make(icu::Transliterator& t, char32_t c) {
        // German transcription, not diacritic stripping: Öztürk must fold like Oeztuerk.
        switch (c) {
            case 0x00C4:
            case 0x00E4: return entry("ae");
            case 0x00D6:
            case 0x00F6: return entry("oe");
            case 0x00DC:
            case 0x00FC: return entry("ue");
            case 0x00DF:
            case 0x1E9E: return entry("ss");
            default: break;
        }
        if (is_apostrophe_like(c)) return entry("'");
        if (c >= 0x0300 && c <= 0x036F) return entry("");  // combining marks
        if (is_invisible(c)) return entry("");
        icu::UnicodeString text(static_cast<UChar32>(c));
        t.transliterate(text);
        Entry e;
        for (std::int32_t i = 0; i < text.length() && e.size < e.text.size();) {
            const UChar32 u = text.char32At(i);
            i += U16_LENGTH(u);
            e.text[e.size++] = u < 0x80 ? static_cast<char>(u) : ' ';
        }
        return e;
    }

    static Entry entry(std::string_view text) {
        Entry e;
        std::copy(text.begin(), text.end(), e.text.begin());
        e.size = static_cast<std::uint8_t>(text.size());
        return e;
    }

    std::vector<Entry> entries_;
};

const FoldTable& fold_table() {
    static const FoldTable table;
    return table;
}

// Cyrillic by a BGN/PCGN-like table rather than ICU's ISO 9 (which writes я as â, then a):
// the Latin spellings in agency records are of this kind (Shevchenko, Yuriy, Kharchenko).
// Index: code point - 0x0430 (а..я, then ѐ..џ).
constexpr std::array<std::string_view, 48> cyrillic_lower = {
    "a", "b",  "v",  "g", "d",  "e",  "zh", "z",  "i",  "y",    "k",  "l", "m", "n", "o",  "p",
    "r", "s",  "t",  "u", "f",  "kh", "ts", "ch", "sh", "shch", "",   "y", "",  "e", "yu", "ya",
    "e", "yo", "dj", "g", "ye", "dz", "i",  "yi", "j",  "lj",   "nj", "c", "k", "i", "u",  "dz"};

bool is_cyrillic_table(char32_t c) {
    return (c >= 0x0400 && c <= 0x045F) || c == 0x0490 || c == 0x0491;
}

// Ukrainian text (it has і, ї, є or ґ) reads г as h and и as y: Харченко, Дмитро.
bool looks_ukrainian(std::string_view utf8) {
    for (std::size_t i = 0; i + 1 < utf8.size(); ++i) {
        const auto b0 = static_cast<unsigned char>(utf8[i]);
        const auto b1 = static_cast<unsigned char>(utf8[i + 1]);
        if ((b0 == 0xD1 && (b1 == 0x94 || b1 == 0x96 || b1 == 0x97)) ||
            (b0 == 0xD0 && (b1 == 0x84 || b1 == 0x86 || b1 == 0x87)) ||
            (b0 == 0xD2 && (b1 == 0x90 || b1 == 0x91))) {
            return true;
        }
    }
    return false;
}

std::string_view cyrillic_latin(char32_t c, bool ukrainian) {
    if (c == 0x0490 || c == 0x0491) return "g";
    if (c >= 0x0410 && c <= 0x042F) c += 0x20;
    if (c >= 0x0400 && c <= 0x040F) c += 0x50;
    if (ukrainian) {
        if (c == 0x0433) return "h";
        if (c == 0x0438) return "y";
    }
    return cyrillic_lower[c - 0x0430];
}

// Lower-case form of ASCII letters and digits; 0 for every other byte.
constexpr std::array<char, 256> ascii_alnum = [] {
    std::array<char, 256> table{};
    for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = static_cast<char>(c);
    for (int c = 'a'; c <= 'z'; ++c) {
        table[static_cast<std::size_t>(c)] = static_cast<char>(c);
        table[static_cast<std::size_t>(c - 'a' + 'A')] = static_cast<char>(c);
    }
    return table;
}();

// The common case, pure ASCII, in one pass without ICU or per-byte appends. Returns false (and
// leaves `out` as it was) at the first non-ASCII byte.
bool fold_ascii(std::string& out, std::string_view s, detail::FoldMode mode) {
    const std::size_t start = out.size();
    out.resize(start + s.size());  // the folded form is never longer
    char* const begin = out.data() + start;
    char* p = begin;
    char gap = 0;  // pending separator: 0, ' ' or '-'
    const bool name = mode == detail::FoldMode::name;
    for (const char c : s) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80) {
            out.resize(start);
            return false;
        }
        if (const char folded = ascii_alnum[byte]; folded != 0) {
            if (gap != 0 && p != begin) *p++ = gap;
            gap = 0;
            *p++ = folded;
        } else if (name && (c == '\'' || c == '`' || c == '?')) {
            // vanish inside a name (see Emitter::put)
        } else if (name && c == '-') {
            gap = '-';
        } else if (gap == 0) {
            gap = ' ';
        }
    }
    out.resize(start + static_cast<std::size_t>(p - begin));
    return true;
}

}  // namespace

namespace detail {

void fold_append(std::string& out, std::string_view utf8, FoldMode mode) {
    if (fold_ascii(out, utf8, mode)) return;
    Emitter emit(out, mode);
    std::size_t run_begin = 0;  // pending bytes for ICU: [run_begin, run_end)
    std::size_t run_end = 0;
    const auto flush = [&] {
        if (run_end > run_begin)
            emit_transliterated(emit, utf8.substr(run_begin, run_end - run_begin));
        run_begin = run_end = 0;
    };
    int ukrainian = -1;  // unknown until the first Cyrillic letter
    for (std::size_t i = 0; i < utf8.size();) {
        const auto byte = static_cast<unsigned char>(utf8[i]);
        if (byte < 0x80) {
            if (run_end > run_begin) flush();
            emit.put(static_cast<char>(byte));
            ++i;
            continue;
        }
        const Decoded d = decode_utf8(utf8, i);
        const char32_t c = d.code;
        const FoldTable::Entry* entry = nullptr;
        const bool cyrillic = is_cyrillic_table(c);
        if (c == 0xFEFF) {  // byte order mark; the table covers the other invisible ones
            if (run_end > run_begin) flush();
            i += d.size;
            continue;
        }
        if (!cyrillic && c != 0x0308 && c != replacement_char) entry = fold_table().find(c);
        if (!cyrillic && entry == nullptr && c != 0x0308 && c != replacement_char) {
            if (run_end == run_begin) run_begin = i;
            run_end = i + d.size;
            i += d.size;
            continue;
        }
        if (run_end > run_begin) flush();
        if (c == 0x0308) {
            emit.put_diaeresis();
        } else if (c == replacement_char) {
            emit.put('?');
        } else if (cyrillic) {
            if (ukrainian < 0) ukrainian = looks_ukrainian(utf8) ? 1 : 0;
            emit.put(cyrillic_latin(c, ukrainian == 1));
        } else {
            emit.put(entry->view());
        }
        i += d.size;
    }
    flush();
}

}  // namespace detail

std::string fold(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    detail::fold_append(out, utf8, detail::FoldMode::plain);
    return out;
}

namespace {

// A field made only of these means "no name".
constexpr std::array<std::string_view, 20> placeholder_words = {
    "nn",  "nnn", "n",    "x",     "xx",   "xxx",    "xxxx", "unbekannt", "unbek",   "unknown",
    "fnu", "lnu", "ohne", "keine", "kein", "angabe", "none", "null",      "vorname", "name"};

// These are dropped even next to real tokens (`Mohammed NN`).
constexpr std::array<std::string_view, 9> dropped_placeholders = {
    "nn", "nnn", "xx", "xxx", "xxxx", "unbekannt", "unknown", "fnu", "lnu"};

constexpr std::array<std::string_view, 3> standalone_articles = {"al", "el", "ul"};

// Assimilated article before a sun letter: as-Sayed, ar-Rashid, ash-Shami, ad-Din.
constexpr std::array<std::string_view, 23> sun_articles = {
    "ad", "ar", "as", "at",  "az", "an", "ash", "ath", "adh", "ed", "er", "es",
    "et", "ez", "en", "esh", "ud", "ur", "us",  "ut",  "uz",  "un", "ush"};

// Also ordinary words or names (Vietnamese An, English Ed): an article only with a hyphen.
constexpr std::array<std::string_view, 7> hyphen_only_articles = {"an", "en", "un", "ed",
                                                                  "er", "es", "et"};

// `Abd` + article + name is one name: Abd al-Rahman, Abdul Rahman, Abdel Kader.
constexpr std::array<std::string_view, 10> abd_prefixes = {
    "abd", "abdul", "abdel", "abdal", "abdol", "abdoul", "abdur", "abdus", "abdil", "abdull"};

constexpr std::array<std::string_view, 3> abu_prefixes = {"abu", "abou", "abo"};

constexpr std::array<std::pair<std::string_view, std::string_view>, 3> abbreviations = {
    {{"mhd", "mohammed"}, {"mohd", "mohammed"}, {"muhd", "mohammed"}}};

// Names that begin like a glued article but are not Arabic; kept whole. Both sides of a
// comparison are treated alike, so this list only protects short remainders and readability.
constexpr std::array<std::string_view, 33> article_exceptions = {
    "albert", "alberta", "albertina", "alberto",  "albrecht", "albin",   "albina",
    "alfons", "alfonso", "alfred",    "alfreda",  "alfredo",  "alphons", "alphonse",
    "alvaro", "alwine",  "alderman",  "alderson", "aldous",   "alfreds", "elfriede",
    "elmira", "elvira",  "elwira",    "elrick",   "elphick",  "elchin",  "elshan",
    "elshad", "elnara",  "elsbeth",   "elbert",   "elgin"};

// Size and first letter first: these run for every name token.
template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
    if (word.empty()) return false;
    for (const std::string_view w : list) {
        if (w.size() == word.size() && w[0] == word[0] && w == word) return true;
    }
    return false;
}

struct Piece {
    std::string_view text;
    bool after_hyphen = false;
};

bool starts_with_consonant(std::string_view s) {
    return !s.empty() && s[0] >= 'a' && s[0] <= 'z' && !is_vowel(s[0]) && s[0] != 'y';
}

// The consonant an assimilated article stands for: `ash` -> `sh`, `ad` -> `d`.
bool sun_article_before(std::string_view article, std::string_view next) {
    if (!contains(sun_articles, article)) return false;
    return next.size() > article.size() - 1 && next.starts_with(article.substr(1));
}

// Abdelkader, Abdurrahman, Abdallah, Abdirahman -> `abdul` + the name after the article.
std::string_view abd_remainder(std::string_view token) {
    if (token.size() < 7 || !token.starts_with("abd")) return {};
    std::size_t i = 3;
    if (!is_vowel(token[i])) return {};
    ++i;
    if (token[i - 1] == 'o' && token[i] == 'u') ++i;  // abdou-
    std::string_view rest = token.substr(i);
    if (rest.starts_with('l')) {
        rest.remove_prefix(1);
    } else if (rest.size() >= 2 && rest[0] == rest[1] && !is_vowel(rest[0])) {
        rest.remove_prefix(1);
    }
    return rest.size() >= 2 ? rest : std::string_view{};
}

// Beginnings of European and Turkic names that look like a glued article before a vowel
// (Alexander, Aleksandr = Oleksandr, Elena = Jelena, Elif, Aliyev): kept whole.
constexpr std::array<std::string_view, 20> vowel_article_exceptions = {
    "alek", "alep", "alex", "alen", "alin", "alis", "aliy", "alie", "alij", "alys",
    "alyo", "elen", "elis", "eliz", "elia", "elin", "elif", "elea", "eleo", "elya"};

// Alhassan, Elkhalil -> hassan, khalil; Alomar, Alobaidi, Alali -> omar, obaidi, ali.
// Alina, Elena, Alexander, Allen stay whole.
std::string_view glued_article_remainder(std::string_view token) {
    if (token.size() < 5 || !(token.starts_with("al") || token.starts_with("el"))) return {};
    const std::string_view rest = token.substr(2);
    // Before y and a vowel as before a vowel: Alyasser = Al-Yasser, Alyahya = Al-Yahya.
    const bool glide = rest.size() >= 4 && rest[0] == 'y' && is_vowel(rest[1]);
    if (is_vowel(rest[0]) || glide) {
        if (rest.size() < 3) return {};
        return contains(vowel_article_exceptions, token.substr(0, 4)) ? std::string_view{} : rest;
    }
    if (token.size() < 6 || !starts_with_consonant(rest) || rest[0] == 'l') return {};
    if (contains(article_exceptions, token)) return {};
    return rest;
}

class TokenWriter {
public:
    explicit TokenWriter(detail::TokenBuffer& out) : out_(out) {}

    void add(std::string_view text, bool had_article = false) {
        if (text.empty() || out_.size >= detail::TokenBuffer::capacity) return;
        out_.text[out_.size].assign(text);
        out_.had_article[out_.size] = had_article;
        ++out_.size;
    }

    void add_joined(std::string_view prefix, std::string_view rest) {
        if (out_.size >= detail::TokenBuffer::capacity) return;
        auto& s = out_.text[out_.size];
        s.assign(prefix);
        s.append(rest);
        out_.had_article[out_.size] = false;
        ++out_.size;
    }

private:
    detail::TokenBuffer& out_;
};

}  // namespace

namespace detail {

void name_tokens_into(std::string_view utf8, TokenBuffer& out) {
    out.size = 0;
    std::string& folded = out.scratch;
    folded.clear();
    fold_append(folded, utf8, FoldMode::name);

    constexpr std::size_t max_pieces = 32;
    std::array<Piece, max_pieces> pieces;
    std::size_t count = 0;
    bool hyphen = false;
    for (std::size_t i = 0; i < folded.size() && count < max_pieces;) {
        if (folded[i] == ' ' || folded[i] == '-') {
            hyphen = folded[i] == '-';
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < folded.size() && folded[end] != ' ' && folded[end] != '-') ++end;
        pieces[count++] = {std::string_view(folded).substr(i, end - i), hyphen};
        hyphen = false;
        i = end;
    }
    const bool all_placeholders =
        std::all_of(pieces.begin(), pieces.begin() + count,
                    [](const Piece& p) { return contains(placeholder_words, p.text); });
    if (all_placeholders) return;

    const auto is_article_before = [&](std::size_t i) {
        if (i + 1 >= count) return false;  // a lone `Al` at the end may be a name (FEBRL)
        const std::string_view word = pieces[i].text;
        if (word.size() > 3) return false;
        if (contains(standalone_articles, word)) return true;
        if (!sun_article_before(word, pieces[i + 1].text)) return false;
        return pieces[i + 1].after_hyphen || (i > 0 && !contains(hyphen_only_articles, word));
    };

    TokenWriter writer(out);
    for (std::size_t i = 0; i < count; ++i) {
        std::string_view word = pieces[i].text;
        if (contains(dropped_placeholders, word)) continue;
        if (is_article_before(i)) continue;
        if (word.size() <= 4 && word[0] == 'm') {
            for (const auto& [abbreviation, full] : abbreviations) {
                if (word == abbreviation) word = full;
            }
        }
        const bool ab = word.starts_with("ab");
        const bool abd = ab && contains(abd_prefixes, word);
        if (abd || (ab && contains(abu_prefixes, word))) {
            std::size_t next = i + 1;
            while (next < count && is_article_before(next)) ++next;
            if (next < count) {
                std::string_view rest = pieces[next].text;
                if (abd) {
                    const std::string_view glued = glued_article_remainder(rest);
                    if (!glued.empty()) rest = glued;
                }
                writer.add_joined(abd ? "abdul" : "abu", rest);
                i = next;
                continue;
            }
        }
        if (ab) {
            if (const std::string_view rest = abd_remainder(word); !rest.empty()) {
                writer.add_joined("abdul", rest);
                continue;
            }
            if (word.size() >= 7 && word.starts_with("abou")) {
                writer.add_joined("abu", word.substr(4));
                continue;
            }
        }
        if (const std::string_view rest = glued_article_remainder(word); !rest.empty()) {
            writer.add(rest, true);
            continue;
        }
        writer.add(word);
    }
}

}  // namespace detail

std::vector<std::string> name_tokens(std::string_view utf8) {
    detail::TokenBuffer buffer;
    detail::name_tokens_into(utf8, buffer);
    std::vector<std::string> tokens;
    tokens.reserve(buffer.size);
    for (std::size_t i = 0; i < buffer.size; ++i) tokens.push_back(std::move(buffer.text[i]));
    return tokens;
}

namespace {

// Phoneme alphabet of the rewrite table: upper case = consonant class, a e i o u = vowel,
// `h` = a written h (may be silent), `Y` = j or y (consonant, vowel or nothing, by context).
enum class At : std::uint8_t { any, start, end };

struct Rule {
    std::string_view pattern;
    std::string_view output;
    At at = At::any;
};

// Grouped by first letter; within a letter the first matching rule wins (longest first).
// Classes: H = h, g, kh, ch, tsch, tch, cz, c before e/i/y, c in -cuk (stripped Ukrainian č);
// S = s, z, sh, sch, zh, ts, tz; J = dsch, dzh, initial dj (and j/y as consonants); F = f, v, w,
// ph; K = k, q, ck, gh, other c; T = t, th; D = d, dh.
constexpr auto rules = std::to_array<Rule>({
    {"a", "a"},
    {"b", "B"},
    {"chr", "KR", At::start},  // Christina = Kristina
    {"chl", "KL", At::start},
    {"ch", "H"},
    {"ck", "K"},
    {"cz", "H"},
    {"cuk", "HuK", At::end},  // Tkacuk = Tkachuk (Ukrainian -čuk, caron stripped)
    {"cyk", "HYK", At::end},
    {"ce", "He"},
    {"ci", "Hi"},
    {"cy", "HY"},
    {"c", "K"},
    {"dsch", "J"},
    {"dzh", "J"},
    {"dj", "J", At::start},  // Djamal; inside a word (Nadja) it is d + glide
    {"dh", "D"},
    {"d", "D"},
    {"ee", "i"},
    {"e", "e"},
    {"f", "F"},
    {"gh", "K"},  // Persian writes q as gh: Sadeghi = Sadeqi
    {"g", "h"},   // Russian g = Ukrainian h: Oleg = Oleh, Galina = Halyna, Gusein = Hussein
    {"h", "h"},
    {"i", "i"},
    {"j", "Y"},
    {"kh", "H"},
    {"k", "K"},
    {"l", "L"},
    {"m", "M"},
    {"n", "N"},
    {"oo", "u"},
    {"ou", "u"},
    {"oe", "o"},
    {"o", "o"},
    {"ph", "F"},
    {"p", "P"},
    {"q", "K"},
    {"r", "R"},
    {"sch", "S"},
    {"sh", "S"},
    {"s", "S"},
    {"tsch", "H"},
    {"tch", "H"},
    {"th", "T"},
    {"ts", "S"},
    {"tz", "S"},
    {"t", "T"},
    {"ue", "u"},
    {"u", "u"},
    {"vic", "FiH", At::end},  // Jovanovic = Jovanovich = Jovanowitsch
    {"v", "F"},
    {"w", "F"},
    {"x", "KS"},
    {"y", "Y"},
    {"zh", "S"},
    {"z", "S"},
});

struct RuleIndex {
    std::array<std::uint8_t, 27> begin{};  // rules of letter L: [begin[L], begin[L + 1])
    // Per letter, the second letters of its longer patterns: any other next letter goes
    // straight to the letter's one-letter rule, which is always the last of its group.
    std::array<std::uint32_t, 26> second{};
};

constexpr RuleIndex make_rule_index() {
    RuleIndex index;
    std::size_t r = 0;
    for (std::size_t letter = 0; letter < 26; ++letter) {
        index.begin[letter] = static_cast<std::uint8_t>(r);
        while (r < rules.size() && static_cast<std::size_t>(rules[r].pattern[0] - 'a') == letter) {
            if (rules[r].pattern.size() > 1) {
                index.second[letter] |= std::uint32_t{1} << (rules[r].pattern[1] - 'a');
            }
            ++r;
        }
    }
    index.begin[26] = static_cast<std::uint8_t>(r);
    return index;
}

constexpr RuleIndex rule_index = make_rule_index();
static_assert(rule_index.begin[26] == rules.size(), "rules must be grouped by first letter a..z");
static_assert(
    [] {
        for (std::size_t letter = 0; letter < 26; ++letter) {
            const Rule& last = rules[rule_index.begin[letter + 1] - 1u];
            if (rule_index.begin[letter + 1] == rule_index.begin[letter] ||
                last.pattern.size() != 1 || last.at != At::any) {
                return false;
            }
        }
        return true;
    }(),
    "every letter needs a one-letter rule, last in its group");

constexpr std::size_t max_phonemes = 64;

struct Phonemes {
    std::array<char, max_phonemes> p;  // only the first n are set
    std::size_t n = 0;
    void push(char c) {
        if (n < max_phonemes) p[n++] = c;
    }
};

Phonemes to_phonemes(std::string_view token) {
    std::array<char, max_phonemes> word;
    std::size_t size = 0;
    for (const char c : token) {
        if (size < word.size() && is_alnum(c)) word[size++] = to_lower(c);
    }
    // Prefix rewrites: Jekaterina/Yekaterina = Ekaterina. Ukrainian and Russian forms of one
    // name: Oleksandr = Aleksandr, Olena = Elena, Kateryna = Ekaterina (= Katharina).
    std::size_t begin = 0;
    if (size > 2 && (word[0] == 'j' || word[0] == 'y') && word[1] == 'e') begin = 1;
    std::string_view w(word.data() + begin, size - begin);
    if (w.starts_with("oleks") || w.starts_with("olex")) word[begin] = 'a';
    if (w.starts_with("olen")) word[begin] = 'e';
    if (w.starts_with("ekat")) w.remove_prefix(1);
    // French spellings: initial ou before a vowel is w (Ouissam = Wissam, Ouael = Wael); i before
    // a, o, u is y (Iouri = Yury, Iosif = Yosyp, Iana = Yana).
    const auto vowel_at = [&](std::size_t i) { return i < w.size() && is_vowel(w[i]); };
    if (w.starts_with("ou") && vowel_at(2) && w[2] != 'u') {
        w.remove_prefix(1);
        word[begin + 1] = 'w';
    } else if (w.size() > 2 && w[0] == 'i' && (w[1] == 'a' || w[1] == 'o' || w[1] == 'u')) {
        word[begin] = 'y';
    }

    Phonemes out;
    for (std::size_t i = 0; i < w.size();) {
        const char c = w[i];
        if (c < 'a' || c > 'z') {
            out.push(c);  // a digit: its own class
            ++i;
            continue;
        }
        const auto letter = static_cast<std::size_t>(c - 'a');
        std::size_t r = rule_index.begin[letter];
        const std::size_t end = rule_index.begin[letter + 1];
        const char next = i + 1 < w.size() ? w[i + 1] : '\0';
        if (next < 'a' || next > 'z' || ((rule_index.second[letter] >> (next - 'a')) & 1u) == 0) {
            r = end - 1;
        }
        for (; r < end; ++r) {
            const Rule& rule = rules[r];
            const std::string_view pattern = rule.pattern;  // pattern[0] == c
            if (i + pattern.size() > w.size()) continue;
            std::size_t k = 1;
            while (k < pattern.size() && w[i + k] == pattern[k]) ++k;
            if (k < pattern.size()) continue;
            if (rule.at == At::start && i != 0) continue;
            if (rule.at == At::end && i + pattern.size() != w.size()) continue;
            for (const char o : rule.output) out.push(o);
            i += pattern.size();
            break;
        }
    }
    return out;
}

// j/y: consonant before a vowel at the start and between vowels after a, o, u (Ayoub, Maya);
// nothing between vowels after e, i (Marija = Maria, Hüseyin = Hussein); the vowel i elsewhere
// (Iryna, Natalja, Sergej, Jurij). In place: the output is never longer than the input.
void resolve_glides(Phonemes& ph) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < ph.n; ++i) {
        const char c = ph.p[i];
        if (c != 'Y') {
            ph.p[n++] = c;
            continue;
        }
        if (i > 0 && ph.p[i - 1] == 'Y') continue;  // yy
        std::size_t next_index = i + 1;
        while (next_index < ph.n && ph.p[next_index] == 'Y') ++next_index;
        const bool next_vowel = next_index < ph.n && is_vowel(ph.p[next_index]);
        if (n == 0) {
            ph.p[n++] = next_vowel ? 'J' : 'i';
        } else if (is_vowel(ph.p[n - 1]) && next_vowel) {
            if (ph.p[n - 1] != 'e' && ph.p[n - 1] != 'i') ph.p[n++] = 'J';
        } else {
            ph.p[n++] = 'i';
        }
    }
    ph.n = n;
}

char initial_vowel_class(char v) {
    if (v == 'a') return 'a';
    if (v == 'e' || v == 'i') return 'e';
    return 'o';
}

// Front and back only: a, e and i of a short syllable are what transliterations disagree on
// most (Zainab = Zeinab, Reza = Riza, Haidar = Heider); o and u too (Omar = Umar).
char slot_vowel_class(char v) {
    return v == 'o' || v == 'u' ? 'u' : 'a';
}

char final_vowel_class(char v) {
    if (v == 'e') return 'a';
    if (v == 'o') return 'u';
    return v;
}

}  // namespace

namespace detail {

void phonetic_key_into(std::string_view folded_token, std::string& out) {
    out.clear();
    Phonemes ph = to_phonemes(folded_token);
    // A written h (or g) after a vowel at the end is silent: Abdullah = Abdulla, Fatemeh =
    // Fatima, Oleh = Oleg.
    if (ph.n >= 2 && ph.p[ph.n - 1] == 'h' && is_vowel(ph.p[ph.n - 2])) --ph.n;
    for (std::size_t i = 0; i < ph.n; ++i) {
        if (ph.p[i] == 'h') ph.p[i] = 'H';
    }
    resolve_glides(ph);
    if (ph.n == 0) return;

    // Doubled classes collapse (Mohammed, Hassan, Tkatschuk's tsch after t).
    std::size_t n = 0;
    for (std::size_t i = 0; i < ph.n; ++i) {
        if (n > 0 && ph.p[n - 1] == ph.p[i] && !is_vowel(ph.p[i])) continue;
        ph.p[n++] = ph.p[i];
    }
    ph.n = n;

    // Final devoicing: Ahmed = Ahmet, Eyüb = Eyüp.
    char& last = ph.p[ph.n - 1];
    if (last == 'D') last = 'T';
    if (last == 'B') last = 'P';

    std::array<char, max_phonemes + 3> key;
    std::size_t size = 0;
    const bool vowel_initial = is_vowel(ph.p[0]);
    if (vowel_initial) key[size++] = initial_vowel_class(ph.p[0]);
    std::size_t first_consonant = ph.n;
    for (std::size_t i = 0; i < ph.n; ++i) {
        if (is_vowel(ph.p[i])) continue;
        if (first_consonant == ph.n) first_consonant = i;
        key[size++] = ph.p[i];
    }
    char slot = '_';
    for (std::size_t i = first_consonant; i < ph.n; ++i) {
        if (is_vowel(ph.p[i])) {
            slot = slot_vowel_class(ph.p[i]);
            break;
        }
    }
    key[size++] = slot;
    key[size++] = is_vowel(ph.p[ph.n - 1]) ? final_vowel_class(ph.p[ph.n - 1]) : '_';
    out.assign(key.data(), size);
}

}  // namespace detail

std::string phonetic_key(std::string_view folded_token) {
    std::string key;
    detail::phonetic_key_into(folded_token, key);
    return key;
}

namespace {

constexpr std::size_t stack_limit = 64;

// `size` values on the stack, or on the heap when there are more than stack_limit.
template <class T>
class SmallBuffer {
public:
    SmallBuffer(std::size_t size, T value) : size_(size) {
        if (size > stack_limit) {
            heap_.assign(size, value);
        } else {
            std::fill_n(stack_.begin(), size, value);
        }
    }
    T* data() { return size_ > stack_limit ? heap_.data() : stack_.data(); }

private:
    std::size_t size_;
    std::array<T, stack_limit> stack_;  // only the first size_ values are set
    std::vector<T> heap_;
};

// 0, 1, or 2 for "more than one": the common question (is this a one-letter typo?) in O(n).
int distance_up_to_one(std::string_view a, std::string_view b) {
    if (a == b) return 0;
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > 1) return 2;
    std::size_t i = 0;
    while (i < a.size() && a[i] == b[i]) ++i;
    if (a.size() < b.size()) return a.substr(i) == b.substr(i + 1) ? 1 : 2;
    if (a.substr(i + 1) == b.substr(i + 1)) return 1;  // substitution
    const bool swapped = i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i];
    return swapped && a.substr(i + 2) == b.substr(i + 2) ? 1 : 2;
}

}  // namespace

namespace {

// Matched-position flags: one machine word for names, a vector for anything longer.
struct BitFlags {
    std::uint64_t bits = 0;
    explicit BitFlags(std::size_t /*size*/) {}
    [[nodiscard]] bool test(std::size_t i) const { return ((bits >> i) & 1u) != 0; }
    void set(std::size_t i) { bits |= std::uint64_t{1} << i; }
};

struct VectorFlags {
    std::vector<char> flags;  // char, not bool: plain loads and stores
    explicit VectorFlags(std::size_t size) : flags(size, 0) {}
    [[nodiscard]] bool test(std::size_t i) const { return flags[i] != 0; }
    void set(std::size_t i) { flags[i] = 1; }
};

template <class Flags>
double jaro_winkler_with(std::string_view a, std::string_view b) {
    Flags a_matched(a.size());
    Flags b_matched(b.size());
    const std::size_t window = std::max(a.size(), b.size()) / 2;
    const std::size_t range = window > 0 ? window - 1 : 0;
    std::size_t matches = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::size_t lo = i > range ? i - range : 0;
        const std::size_t hi = std::min(b.size(), i + range + 1);
        for (std::size_t j = lo; j < hi; ++j) {
            if (b_matched.test(j) || a[i] != b[j]) continue;
            a_matched.set(i);
            b_matched.set(j);
            ++matches;
            break;
        }
    }
    if (matches == 0) return 0.0;
    std::size_t half_transpositions = 0;
    for (std::size_t i = 0, j = 0; i < a.size(); ++i) {
        if (!a_matched.test(i)) continue;
        while (!b_matched.test(j)) ++j;
        if (a[i] != b[j]) ++half_transpositions;
        ++j;
    }
    const double m = static_cast<double>(matches);
    const double t = static_cast<double>(half_transpositions / 2);
    const double jaro =
        (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) + (m - t) / m) / 3.0;
    if (jaro <= 0.7) return jaro;
    std::size_t prefix = 0;
    while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
    return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

}  // namespace

double jaro_winkler(std::string_view a, std::string_view b) {
    if (a == b) return 1.0;
    if (a.empty() || b.empty()) return 0.0;
    if (a.size() <= 64 && b.size() <= 64) return jaro_winkler_with<BitFlags>(a, b);
    return jaro_winkler_with<VectorFlags>(a, b);
}

int damerau_levenshtein(std::string_view a, std::string_view b, int max) {
    max = std::max(max, 0);
    if (max <= 1) return std::min(distance_up_to_one(a, b), max + 1);
    const auto la = static_cast<int>(a.size());
    const auto lb = static_cast<int>(b.size());
    if (std::abs(la - lb) > max) return max + 1;
    if (la == 0 || lb == 0) return std::max(la, lb);
    const auto width = static_cast<std::size_t>(lb) + 1;
    SmallBuffer<int> r0(width, 0);
    SmallBuffer<int> r1(width, 0);
    SmallBuffer<int> r2(width, 0);
    int* before = r0.data();    // row i - 2
    int* previous = r1.data();  // row i - 1
    int* current = r2.data();
    for (int j = 0; j <= lb; ++j) previous[j] = j;
    for (int i = 1; i <= la; ++i) {
        current[0] = i;
        int row_min = i;
        for (int j = 1; j <= lb; ++j) {
            const int cost =
                a[static_cast<std::size_t>(i - 1)] == b[static_cast<std::size_t>(j - 1)] ? 0 : 1;
            int d = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 &&
                a[static_cast<std::size_t>(i - 1)] == b[static_cast<std::size_t>(j - 2)] &&
                a[static_cast<std::size_t>(i - 2)] == b[static_cast<std::size_t>(j - 1)]) {
                d = std::min(d, before[j - 2] + 1);
            }
            current[j] = d;
            row_min = std::min(row_min, d);
        }
        // Every cell of the next row costs at least the minimum of this one.
        if (row_min > max) return max + 1;
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return std::min(previous[lb], max + 1);
}

}  // namespace qreg::dedup
