/* Colours for charts and diagrams: NHS identity colours for the frame and
 * a colour-blind-safe series palette (Okabe & Ito, 2008). */
#ifndef MM_PALETTE_H
#define MM_PALETTE_H
#include <stddef.h>
#include <stdint.h>

typedef uint32_t colour; /* 0xRRGGBB */
#define COLOUR_NONE 0xFFFFFFFFu

/* NHS identity colours (NHS England digital service manual). */
#define NHS_BLUE 0x005EB8u
#define NHS_DARK_BLUE 0x003087u
#define NHS_LIGHT_BLUE 0x41B6E6u
#define NHS_GREEN 0x007F3Bu
#define NHS_WARM_YELLOW 0xFFB81Cu
#define NHS_TEXT 0x212B32u        /* body text */
#define NHS_TEXT_SECONDARY 0x4C6272u
#define NHS_MID_GREY 0x768692u
#define NHS_BORDER 0xAEB7BDu      /* axis lines, diagram edges */
#define NHS_GRID 0xD8DDE0u        /* gridlines */
#define NHS_PALE_GREY 0xF0F4F5u   /* page background, empty cells */
#define NHS_WHITE 0xFFFFFFu

#define PALETTE_SERIES 7 /* distinct series colours before "Other" grey */

/* Colour of series i of n: NHS Blue when n == 1, else the Okabe-Ito
 * colours in a fixed order (blue, orange, bluish green, reddish purple,
 * sky blue, vermillion, yellow); i >= PALETTE_SERIES gets mid grey. */
colour palette_series(size_t i, size_t n);

/* Colours that stand for categories, so that a category has the same
 * colour on every chart (docs/charts.md lists them):
 *  - not recorded (NULL, "", "Not recorded", "Unknown", "Not known",
 *    "None", "(none)", "N/A", any case): neutral mid grey;
 *  - "Other" (small series folded together): dark grey;
 *  - clinical priorities P1a, P1b, P2, P3, P4: vermillion, orange,
 *    reddish purple, sky blue, blue (urgent warm, routine cool);
 *  - risk tiers High, Medium, Low: vermillion, orange, blue;
 *  - sides of a cancellation: "Patient did not attend" vermillion,
 *    "Patient" orange, "Hospital" blue, "Hospital (whole session)" sky
 *    blue;
 *  - appointment attendance: "Attended" bluish green, "Did not attend"
 *    vermillion, "Cancelled by patient" orange, "Cancelled by hospital"
 *    blue.
 * Returns COLOUR_NONE for any other label. */
colour palette_category_fixed(const char *label);
/* Colour of labels[i] among the n series of one chart: its fixed colour,
 * else an Okabe-Ito colour picked by a hash of the label (FNV-1a) that no
 * fixed or earlier label of the chart has taken (the next free one in
 * palette order if taken; yellow, weak on white, only when the other six
 * are). So a label keeps its colour wherever it appears, unless a chart
 * holds labels that collide. */
colour palette_category(const char *const *labels, size_t n, size_t i);
#define PALETTE_NOT_RECORDED NHS_MID_GREY
#define PALETTE_OTHER 0x425563u /* NHS dark grey */
/* Sequential single-hue (blue) scale for heatmaps, t in [0, 1]. */
colour palette_seq(double t);
/* WCAG relative luminance, 0 (black) .. 1 (white). */
double colour_luminance(colour c);
/* NHS_TEXT or white, whichever contrasts more with background bg. */
colour palette_text_on(colour bg);

#endif
