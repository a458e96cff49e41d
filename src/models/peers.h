/* Peer comparison of Trusts: competition ranks with ties, the median of a
 * handful of figures and the sentences that say where a Trust stands
 * (fct_trust_peers, docs/kpis.md#peer-comparison). Pure functions, so that
 * the unit tests can check them on numbers worked out by hand. */
#ifndef MM_PEERS_H
#define MM_PEERS_H
#include <stddef.h>

/* Competition ranks ("1224") of v[0..n): rank 1 is the best, the highest
 * value when higher_better, else the lowest. Equal values share a rank,
 * the next value skips the places they fill; tied[i] is how many values
 * share v[i]'s rank (1 = no tie). A NAN value is not ranked: rank and tied
 * 0. Returns the number of values ranked. The result depends on the
 * values only, never on their order. */
size_t peer_rank(const double *v, size_t n, int higher_better, int *rank, int *tied);

/* The median of the values of v[0..n) that are not NAN: the middle one,
 * or the mean of the middle two for an even count. NAN when there is none. */
double peer_median(const double *v, size_t n);

/* "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", ... */
void peer_ordinal(int k, char *out, size_t n);

/* "3rd of 4 in AREA", "joint 2nd of 4 in AREA" (tied > 1), "the only
 * Trust in AREA" (of == 1). */
void peer_position(int rank, int tied, int of, const char *area, char *out, size_t n);

typedef enum peer_unit { PEER_PCT, PEER_PER_100, PEER_WEEKS } peer_unit;

/* The distance from the median in words, both rounded to one decimal
 * first: "2.1 points below the ICS median of 63.5% (worse)", "1.5 weeks
 * longer than the national median of 14.1 weeks (worse)", "level with the
 * ICS median of 12.0 per 100". what names the median ("ICS",
 * "national"). */
void peer_distance(double value, double median, peer_unit unit, int higher_better, const char *what, char *out,
		   size_t n);

#endif
