/*
 * Text folded for matching what people type (opt-out keywords, SmartBot
 * rules), with ICU: "  STOP! " and "stop" match, and so do Arabic words
 * written with or without diacritics, tatweel or another alef form.
 * - NFKC with case folding (ICU's NFKC_Casefold), then every nonspacing
 *   mark of the decomposed (NFD) text removed: Latin accents (CAFÉ is
 *   cafe), Arabic harakat, and the hamza or madda of a composed letter;
 * - Arabic: harakat and other marks (U+0610..U+061A, U+064B..U+065F,
 *   U+0670, U+06D6..U+06ED) and tatweel (U+0640) removed; alef forms
 *   (U+0622 U+0623 U+0625 U+0671 U+0672 U+0673) become alef U+0627; alef
 *   maqsura U+0649 and Farsi yeh U+06CC become yeh U+064A; teh marbuta
 *   U+0629 becomes heh U+0647; keheh U+06A9 becomes kaf U+0643; hamza on
 *   waw/yeh (U+0624, U+0626) become waw U+0648 / yeh U+064A;
 * - Arabic-Indic and Extended Arabic-Indic digits become ASCII digits;
 * - runs of white space and punctuation (Unicode categories Z*, P*, and
 *   C* controls) become one space; leading and trailing ones are dropped.
 */
#ifndef WAQTOR_TEXTNORM_H
#define WAQTOR_TEXTNORM_H

#include <stddef.h>

/* The folded UTF-8 form of s[0..len) (free it); NULL when s is not valid
 * UTF-8 or holds NUL. */
char *textnorm_fold(const char *s, size_t len);

#endif
