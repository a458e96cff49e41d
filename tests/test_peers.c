/* The peer comparison of Trusts (models/peers.h, fct_trust_peers): ranks
 * with ties, the median of an even and an odd number of Trusts, a Trust
 * alone in its ICS, and the words of the distance from the median. Every
 * expected value is worked out by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "models/peers.h"

Test(peers, ranks_higher_is_better_with_ties)
{
	/* 60, 70, 60, 50: 70 is 1st, the two 60s share 2nd, 50 is 4th (not 3rd). */
	double v[] = {60.0, 70.0, 60.0, 50.0};
	int rank[4], tied[4];
	cr_assert_eq(peer_rank(v, 4, 1, rank, tied), 4);
	int er[] = {2, 1, 2, 4}, et[] = {2, 1, 2, 1};
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(rank[i], er[i], "rank of %g", v[i]);
		cr_assert_eq(tied[i], et[i], "tied of %g", v[i]);
	}
}

Test(peers, ranks_lower_is_better_skip_null_and_order_free)
{
	/* Waits 14.1, NAN (not ranked), 12.0, 14.1, 9.5: 9.5 1st, 12.0 2nd,
	 * the two 14.1s joint 3rd; 4 ranked. Reversing the input gives each
	 * value the same rank. */
	double v[] = {14.1, NAN, 12.0, 14.1, 9.5};
	double w[] = {9.5, 14.1, 12.0, NAN, 14.1};
	int rank[5], tied[5], rw[5], tw[5];
	cr_assert_eq(peer_rank(v, 5, 0, rank, tied), 4);
	cr_assert_eq(peer_rank(w, 5, 0, rw, tw), 4);
	int er[] = {3, 0, 2, 3, 1}, et[] = {2, 0, 1, 2, 1};
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(rank[i], er[i]);
		cr_assert_eq(tied[i], et[i]);
		cr_assert_eq(rw[4 - i], er[i], "same value, same rank in any order");
	}
}

Test(peers, median_even_odd_and_empty)
{
	double even[] = {58.7, 58.0, 59.3, 62.1}; /* middle two 58.7 and 59.3 -> 59.0 */
	cr_assert_float_eq(peer_median(even, 4), 59.0, 1e-9);
	double odd[] = {3.0, NAN, 1.0, 2.0}; /* NAN left out: 1 2 3 -> 2 */
	cr_assert_float_eq(peer_median(odd, 4), 2.0, 1e-9);
	double none[] = {NAN};
	cr_assert(isnan(peer_median(none, 1)));
	double one[] = {12.5};
	cr_assert_float_eq(peer_median(one, 1), 12.5, 1e-9);
}

Test(peers, single_trust_ics)
{
	double v[] = {64.4};
	int rank[1], tied[1];
	cr_assert_eq(peer_rank(v, 1, 1, rank, tied), 1);
	cr_assert_eq(rank[0], 1);
	cr_assert_eq(tied[0], 1);
	char out[128];
	peer_position(1, 1, 1, "Fennick ICS", out, sizeof out);
	cr_assert_str_eq(out, "the only Trust in Fennick ICS");
}

Test(peers, ordinals_and_positions)
{
	char out[128];
	const int k[] = {1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111};
	const char *e[] = {"1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		peer_ordinal(k[i], out, sizeof out);
		cr_assert_str_eq(out, e[i]);
	}
	peer_position(3, 1, 4, "North Wexford ICS", out, sizeof out);
	cr_assert_str_eq(out, "3rd of 4 in North Wexford ICS");
	peer_position(2, 2, 4, "North Wexford ICS", out, sizeof out);
	cr_assert_str_eq(out, "joint 2nd of 4 in North Wexford ICS");
}

Test(peers, distance_words)
{
	char out[160];
	/* 56.9 against a median of 59.0: 2.1 points below, worse when higher is better. */
	peer_distance(56.9, 59.0, PEER_PCT, 1, "ICS", out, sizeof out);
	cr_assert_str_eq(out, "2.1 points below the ICS median of 59.0% (worse)");
	/* Over 52 weeks, lower is better: below the median is better. */
	peer_distance(2.3, 4.95, PEER_PCT, 0, "ICS", out, sizeof out);
	cr_assert_str_eq(out, "2.7 points below the ICS median of 5.0% (better)");
	peer_distance(19.9, 14.0, PEER_WEEKS, 0, "national", out, sizeof out);
	cr_assert_str_eq(out, "5.9 weeks longer than the national median of 14.0 weeks (worse)");
	peer_distance(34.5, 42.9, PEER_PER_100, 0, "ICS", out, sizeof out);
	cr_assert_str_eq(out, "8.4 per 100 below the ICS median of 42.9 per 100 (better)");
	/* Equal once rounded to one decimal: level, neither better nor worse. */
	peer_distance(57.14, 57.1, PEER_PCT, 1, "ICS", out, sizeof out);
	cr_assert_str_eq(out, "level with the ICS median of 57.1%");
}
