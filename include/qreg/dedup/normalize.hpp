#pragma once

#include <string>
#include <string_view>
#include <vector>

// Text normalisation for matching: folding, name tokens, transliteration-tolerant phonetic keys
// and string similarity. Pure functions; all are safe to call from several threads at once.
namespace qreg::dedup {

// Lower-case ASCII letters and digits; every other run of characters becomes one space, trimmed.
// German transcriptions first (ä→ae, ö→oe, ü→ue, ß→ss, upper case too), then diacritics go and
// other scripts are transliterated to Latin by ICU (Cyrillic by a BGN-like table: ш→sh, ч→ch).
// Pure ASCII input never touches ICU. Throws qreg::Error{internal} if ICU cannot be loaded.
[[nodiscard]] std::string fold(std::string_view utf8);

// Folded name tokens. Apostrophes and `?` (a lost letter) are removed, not split on. Arabic
// articles are not tokens: `Al-Hassan`, `Al Hassan`, `El Hassan`, `Alhassan` all give `hassan`
// (a glued al/el goes when at least 4 letters follow and the next letter is a consonant other
// than l; a few names such as Albert or Elvira are kept whole). `ad-`, `as-`, `ar-`... go before
// a word starting with their consonant. `Abd al Rahman`, `Abdel Rahman`, `Abdurrahman` give
// `abdulrahman`; `Abu Bakr` gives `abubakr`. A name made only of placeholders (`NN`, `N.N.`,
// `XXX`, `unbekannt`, `unknown`, `FNU`) gives no tokens.
[[nodiscard]] std::vector<std::string> name_tokens(std::string_view utf8);

// A key that German, English, French and stripped-diacritic spellings of one name share.
// Equivalence classes (table in normalize.cpp): h=g=kh=ch=tsch=tch=cz=c(e,i,y)=c(-uk); s=z=ss=
// sh=sch=zh=ts=tz; j=y=dj=dsch=dzh; v=w=f=ph; k=q=gh=ck=c; x=ks; t=th; Chr/Chl at the start=Kr/Kl.
// Initial je/ye is e; Oleks-, Olen-, Ekat- are Aleks-, Elen-, Kat-. j/y between vowels after e
// or i is dropped, next to a consonant or at the end it is the vowel i. Final h or g after a
// vowel goes; a final d/b is t/p; doubled classes collapse. Key: the class of an initial vowel
// (a | e=i | o=u), the consonant classes (upper case), the first vowel after the first consonant
// (a=e=i | o=u), the final vowel (a=e, i, o=u); `_` for none: Mohammed, Muhamad: MHMTu_;
// Mahmoud: MHMTa_; Ahmed, Achmad: aHMTa_; Ali: aLai; Alia: aLaa. The price: Savchenko and
// Shevchenko, Amir and Ammar share a key (bench/RESULTS.md, matching quality: F1 rose at 250k and
// 1M people with precision).
[[nodiscard]] std::string phonetic_key(std::string_view folded_token);

// Jaro-Winkler similarity in [0, 1] on bytes: prefix scale 0.1, at most 4 prefix characters,
// boost applied when the Jaro similarity exceeds 0.7. No allocation up to 64 bytes per side.
[[nodiscard]] double jaro_winkler(std::string_view a, std::string_view b);

// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions) on
// bytes; returns max + 1 as soon as the distance is known to exceed `max` (max >= 0).
// No allocation up to 64 bytes per side.
[[nodiscard]] int damerau_levenshtein(std::string_view a, std::string_view b, int max);

}  // namespace qreg::dedup
