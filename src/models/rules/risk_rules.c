/* Reading the risk rules file. One rule per line, words separated by
 * blanks, '#' starts a comment:
 *   breach rtt_days DAYS | breach grace_days DAYS
 *   target PRIORITY DAYS
 *   points FACTOR OP VALUE POINTS
 *   tier High|Medium|Low >= SCORE
 *   tier PRIORITY High|Medium          (tier override by clinical priority)
 *   minimum response_appointments COUNT
 * Every problem is reported with its line and the column of the offending
 * word, and the whole file is rejected: a half-read rule set would score
 * patients silently differently from what the clinical lead wrote. */
#include "models/rules/risk_rules.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_TOKENS 8
#define TOKEN_MAX 23 /* fits risk_rule.name and .value */

typedef struct token {
	const char *s;
	int len, col;
} token;

typedef struct parser {
	struct risk_rules *r;
	struct risk_errors *err;
	size_t cap;
	int line;
	int nlines;
	int breach_line[2]; /* rtt_days, grace_days: line first set, 0 if not */
	int target_line[PRIO_COUNT];
	int tier_line[TIER_COUNT];
	int tier_col[TIER_COUNT]; /* of the score, where tier errors point */
} parser;

/* Past appointments a "minimum response_appointments" line may ask for. */
#define MIN_APPOINTMENTS_MAX 1000

static const char *const factor_names[RF_COUNT] = {
	"age", "comorbidities", "admissions", "response", "community_care", "priority",
};
static const char *const tier_names[TIER_COUNT] = {"High", "Medium", "Low"};
static const char *const prio_names[PRIO_COUNT] = {"none", "P1a", "P1b", "P2", "P3", "P4"};

/* Accepted threshold range of each numeric factor. */
static const double factor_lo[RF_COUNT] = {0, 0, 0, 0, 0, 0};
static const double factor_hi[RF_COUNT] = {130, 100, 1000, 1, 1, PRIO_P4};

#define POINTS_MAX 50
#define SCORE_MAX 1000
#define DAYS_MAX 3650

const char *risk_factor_name(int f) { return factor_names[f]; }
const char *risk_op_name(cmp_op op) { return cmp_op_text(op, CMP_EQ1); }
const char *risk_tier_name(int t) { return tier_names[t]; }
const char *rtt_priority_name(int p) { return p >= 0 && p < PRIO_COUNT ? prio_names[p] : "none"; }

const char *risk_kind_name(enum risk_kind k)
{
	static const char *const kinds[] = {"breach", "target", "points", "tier", "override", "minimum", "lookback"};
	return kinds[k];
}

static void error_at(parser *p, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void error_at(parser *p, int line, int col, const char *fmt, ...)
{
	struct risk_errors *e = p->err;
	if (e->n < RISK_MAX_ERRORS) {
		struct risk_error *x = &e->v[e->n];
		x->line = line;
		x->col = col;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(x->msg, sizeof x->msg, fmt, ap);
		va_end(ap);
	}
	e->n++;
}

static int tok_is(const token *t, const char *s)
{
	return (size_t)t->len == strlen(s) && memcmp(t->s, s, (size_t)t->len) == 0;
}

/* Index of t in names[0..n), or -1. */
static int tok_lookup(const token *t, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (tok_is(t, names[i]))
			return i;
	return -1;
}

/* A signed decimal integer of at most 9 digits. */
static int tok_int(const token *t, int *out)
{
	int i = t->s[0] == '-' || t->s[0] == '+', v = 0;
	if (i == t->len || t->len - i > 9)
		return -1;
	for (; i < t->len; i++) {
		if (t->s[i] < '0' || t->s[i] > '9')
			return -1;
		v = v * 10 + (t->s[i] - '0');
	}
	*out = t->s[0] == '-' ? -v : v;
	return 0;
}

/* A plain decimal number: digits with an optional fraction, no exponent,
 * so that "1e3", "nan" and "0x10" are rejected rather than half-read. */
static int tok_num(const token *t, double *out)
{
	char buf[TOKEN_MAX + 1];
	int i = t->s[0] == '-' || t->s[0] == '+', digits = 0, dot = 0;
	for (; i < t->len; i++) {
		if (t->s[i] >= '0' && t->s[i] <= '9')
			digits++;
		else if (t->s[i] == '.' && !dot)
			dot = 1;
		else
			return -1;
	}
	if (!digits || t->len > TOKEN_MAX)
		return -1;
	memcpy(buf, t->s, (size_t)t->len);
	buf[t->len] = '\0';
	*out = strtod(buf, NULL);
	return 0;
}

static struct risk_rule *add_rule(parser *p, enum risk_kind kind, const token *name)
{
	struct risk_rules *r = p->r;
	if (r->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		r->rules = xrealloc(r->rules, p->cap * sizeof *r->rules);
	}
	struct risk_rule *k = &r->rules[r->n++];
	memset(k, 0, sizeof *k);
	k->kind = kind;
	k->line = p->line;
	k->factor = -1;
	memcpy(k->name, name->s, (size_t)name->len);
	return k;
}

static void set_text(struct risk_rule *k, const token *tv, int nt)
{
	size_t used = 0;
	for (int i = 0; i < nt && used + (size_t)tv[i].len + 1 < sizeof k->text; i++) {
		if (i)
			k->text[used++] = ' ';
		memcpy(k->text + used, tv[i].s, (size_t)tv[i].len);
		used += (size_t)tv[i].len;
	}
	k->text[used] = '\0';
}

/* Checks the word count of a rule: reports a missing word (at the end of
 * the line) or the first extra one. want counts the kind word itself. */
static int arity(parser *p, const token *tv, int nt, int want, const char *usage, int eol)
{
	if (nt < want) {
		error_at(p, p->line, eol, "incomplete rule: expected '%s'", usage);
		return -1;
	}
	if (nt > want) {
		error_at(p, p->line, tv[want].col, "unexpected '%.*s' after the rule '%s'", tv[want].len, tv[want].s,
			 usage);
		return -1;
	}
	return 0;
}

static int days_value(parser *p, const token *t, int lo, int *out)
{
	if (tok_int(t, out)) {
		error_at(p, p->line, t->col, "'%.*s' is not a whole number of days", t->len, t->s);
		return -1;
	}
	if (*out < lo || *out > DAYS_MAX) {
		error_at(p, p->line, t->col, "%d days is out of range (%d..%d)", *out, lo, DAYS_MAX);
		return -1;
	}
	return 0;
}

static void parse_breach(parser *p, const token *tv, int nt, int eol)
{
	static const char *const settings[] = {"rtt_days", "grace_days"};
	if (arity(p, tv, nt, 3, "breach rtt_days|grace_days DAYS", eol))
		return;
	int s = tok_lookup(&tv[1], settings, 2), days;
	if (s < 0) {
		error_at(p, p->line, tv[1].col, "unknown breach setting '%.*s' (expected rtt_days or grace_days)",
			 tv[1].len, tv[1].s);
		return;
	}
	if (p->breach_line[s]) {
		error_at(p, p->line, tv[1].col, "duplicate 'breach %s': already set on line %d", settings[s],
			 p->breach_line[s]);
		return;
	}
	if (days_value(p, &tv[2], s == 0 ? 1 : 0, &days))
		return;
	p->breach_line[s] = p->line;
	if (s == 0)
		p->r->rtt.rtt_days = days;
	else
		p->r->rtt.grace_days = days;
	struct risk_rule *k = add_rule(p, RK_BREACH, &tv[1]);
	memcpy(k->value, tv[2].s, (size_t)tv[2].len);
	k->threshold = days;
	k->points = days;
	set_text(k, tv, nt);
}

static void parse_target(parser *p, const token *tv, int nt, int eol)
{
	if (arity(p, tv, nt, 3, "target P1a|P1b|P2|P3|P4 DAYS", eol))
		return;
	int prio = tok_lookup(&tv[1], prio_names, PRIO_COUNT), days;
	if (prio <= PRIO_NONE) {
		error_at(p, p->line, tv[1].col, "unknown priority '%.*s' (expected P1a, P1b, P2, P3 or P4)", tv[1].len,
			 tv[1].s);
		return;
	}
	if (p->target_line[prio]) {
		error_at(p, p->line, tv[1].col, "duplicate 'target %s': already set on line %d", prio_names[prio],
			 p->target_line[prio]);
		return;
	}
	if (days_value(p, &tv[2], 0, &days))
		return;
	p->target_line[prio] = p->line;
	int *slot[PRIO_COUNT] = {NULL, &p->r->rtt.p1a_days, &p->r->rtt.p1b_days, &p->r->rtt.p2_days,
				 &p->r->rtt.p3_days, &p->r->rtt.p4_days};
	*slot[prio] = days;
	struct risk_rule *k = add_rule(p, RK_TARGET, &tv[1]);
	memcpy(k->value, tv[2].s, (size_t)tv[2].len);
	k->threshold = days;
	k->points = days;
	set_text(k, tv, nt);
}

/* The set of values a condition matches, for finding rules that an
 * earlier rule of the same factor hides (first match wins). */
typedef struct vset {
	int neg; /* all values but lo */
	double lo, hi;
	int lo_in, hi_in;
} vset;

static vset vset_of(cmp_op op, double t)
{
	vset s = {0, -INFINITY, INFINITY, 0, 0};
	switch (op) {
	case CMP_GE: s.lo = t, s.lo_in = 1; break;
	case CMP_GT: s.lo = t; break;
	case CMP_LE: s.hi = t, s.hi_in = 1; break;
	case CMP_LT: s.hi = t; break;
	case CMP_EQ: s.lo = s.hi = t, s.lo_in = s.hi_in = 1; break;
	case CMP_NE: s.neg = 1, s.lo = t; break;
	}
	return s;
}

static int vset_has(const vset *s, double x)
{
	int in = (x > s->lo || (x == s->lo && s->lo_in)) && (x < s->hi || (x == s->hi && s->hi_in));
	return s->neg ? x != s->lo : in;
}

/* Is every value that a matches also matched by b? */
static int vset_within(const vset *a, const vset *b)
{
	if (a->neg)
		return b->neg && a->lo == b->lo;
	if (b->neg)
		return !vset_has(a, b->lo);
	int lo_ok = b->lo < a->lo || (b->lo == a->lo && (b->lo_in || !a->lo_in));
	int hi_ok = a->hi < b->hi || (a->hi == b->hi && (b->hi_in || !a->hi_in));
	return lo_ok && hi_ok;
}

static void parse_points(parser *p, const token *tv, int nt, int eol)
{
	if (arity(p, tv, nt, 5, "points FACTOR OP VALUE POINTS", eol))
		return;
	int f = tok_lookup(&tv[1], factor_names, RF_COUNT);
	if (f < 0) {
		error_at(p, p->line, tv[1].col,
			 "unknown factor '%.*s' (expected age, comorbidities, admissions, response, community_care "
			 "or priority)",
			 tv[1].len, tv[1].s);
		return;
	}
	cmp_op op; /* the whole token: ">=>" or "==" is no operator */
	size_t oplen = cmp_op_parse(tv[2].s, (size_t)tv[2].len, CMP_EQ1, &op);
	if (!oplen || oplen != (size_t)tv[2].len) {
		error_at(p, p->line, tv[2].col, "bad operator '%.*s' (expected >=, >, <=, <, = or !=)", tv[2].len,
			 tv[2].s);
		return;
	}
	int categorical = f == RF_COMMUNITY || f == RF_PRIORITY;
	if (categorical && op != CMP_EQ && op != CMP_NE) {
		error_at(p, p->line, tv[2].col, "operator '%s' cannot be used with %s (use = or !=)", risk_op_name(op),
			 factor_names[f]);
		return;
	}
	double t;
	if (f == RF_COMMUNITY) {
		static const char *const yn[] = {"no", "yes"};
		int v = tok_lookup(&tv[3], yn, 2);
		if (v < 0) {
			error_at(p, p->line, tv[3].col, "community_care is 'yes' or 'no', not '%.*s'", tv[3].len,
				 tv[3].s);
			return;
		}
		t = v;
	} else if (f == RF_PRIORITY) {
		int v = tok_lookup(&tv[3], prio_names, PRIO_COUNT);
		if (v < 0) {
			error_at(p, p->line, tv[3].col, "unknown priority '%.*s' (expected P1a, P1b, P2, P3, P4 or none)",
				 tv[3].len, tv[3].s);
			return;
		}
		t = v;
	} else if (tok_num(&tv[3], &t)) {
		error_at(p, p->line, tv[3].col, "'%.*s' is not a number", tv[3].len, tv[3].s);
		return;
	} else if (t < factor_lo[f] || t > factor_hi[f]) {
		error_at(p, p->line, tv[3].col, "%s threshold %.*s is out of range (%g..%g)", factor_names[f],
			 tv[3].len, tv[3].s, factor_lo[f], factor_hi[f]);
		return;
	}
	int pts;
	if (tok_int(&tv[4], &pts)) {
		error_at(p, p->line, tv[4].col, "points '%.*s' is not a whole number", tv[4].len, tv[4].s);
		return;
	}
	if (pts < -POINTS_MAX || pts > POINTS_MAX) {
		error_at(p, p->line, tv[4].col, "%d points is out of range (-%d..%d)", pts, POINTS_MAX, POINTS_MAX);
		return;
	}
	vset mine = vset_of(op, t);
	for (size_t i = 0; i < p->r->n; i++) {
		const struct risk_rule *e = &p->r->rules[i];
		if (e->kind != RK_POINTS || e->factor != f)
			continue;
		vset theirs = vset_of(e->op, e->threshold);
		if (vset_within(&mine, &theirs)) {
			error_at(p, p->line, tv[1].col,
				 "this rule never applies: line %d ('%s') already matches every %s it would match "
				 "(the first matching line counts; put the narrower rule first)",
				 e->line, e->text, factor_names[f]);
			return;
		}
	}
	struct risk_rule *k = add_rule(p, RK_POINTS, &tv[1]);
	k->factor = f;
	k->op = op;
	k->threshold = t;
	k->points = pts;
	memcpy(k->value, tv[3].s, (size_t)tv[3].len);
	set_text(k, tv, nt);
}

/* "tier PRIORITY TIER": patients whose most urgent open pathway has the
 * priority are put in that tier at least, whatever their score. */
static void parse_override(parser *p, const token *tv, int nt, int eol)
{
	if (arity(p, tv, nt, 3, "tier P1a|P1b|P2|P3|P4 High|Medium", eol))
		return;
	int prio = tok_lookup(&tv[1], prio_names, PRIO_COUNT);
	if (prio == PRIO_NONE) {
		error_at(p, p->line, tv[1].col,
			 "a tier override needs a clinical priority (P1a, P1b, P2, P3 or P4), not 'none'");
		return;
	}
	int tier = tok_lookup(&tv[2], tier_names, TIER_COUNT);
	if (tier < 0) {
		error_at(p, p->line, tv[2].col, "unknown tier '%.*s' (expected High or Medium)", tv[2].len, tv[2].s);
		return;
	}
	if (tier == TIER_LOW) {
		error_at(p, p->line, tv[2].col,
			 "this override never applies: every patient is in tier Low at least (expected High or Medium)");
		return;
	}
	if (p->r->prio_floor_line[prio]) {
		error_at(p, p->line, tv[1].col, "duplicate tier override for %s: already set on line %d",
			 prio_names[prio], p->r->prio_floor_line[prio]);
		return;
	}
	p->r->prio_floor[prio] = tier;
	p->r->prio_floor_line[prio] = p->line;
	struct risk_rule *k = add_rule(p, RK_OVERRIDE, &tv[1]);
	k->factor = RF_PRIORITY;
	k->threshold = prio;
	k->points = tier;
	memcpy(k->value, tv[2].s, (size_t)tv[2].len);
	set_text(k, tv, nt);
}

static void parse_tier(parser *p, const token *tv, int nt, int eol)
{
	if (nt >= 2 && tok_lookup(&tv[1], prio_names, PRIO_COUNT) >= 0) {
		parse_override(p, tv, nt, eol);
		return;
	}
	int tier = nt >= 2 ? tok_lookup(&tv[1], tier_names, TIER_COUNT) : -1, score;
	if (nt >= 2 && tier < 0) {
		error_at(p, p->line, tv[1].col,
			 "unknown tier '%.*s' (expected High, Medium or Low, or a priority P1a..P4 for an override)",
			 tv[1].len, tv[1].s);
		return;
	}
	if (arity(p, tv, nt, 4, "tier High|Medium|Low >= SCORE", eol))
		return;
	if (!tok_is(&tv[2], ">=")) {
		error_at(p, p->line, tv[2].col, "bad operator '%.*s': a tier is 'tier NAME >= SCORE'", tv[2].len,
			 tv[2].s);
		return;
	}
	if (tok_int(&tv[3], &score)) {
		error_at(p, p->line, tv[3].col, "score '%.*s' is not a whole number", tv[3].len, tv[3].s);
		return;
	}
	if (score < -SCORE_MAX || score > SCORE_MAX) {
		error_at(p, p->line, tv[3].col, "score %d is out of range (-%d..%d)", score, SCORE_MAX, SCORE_MAX);
		return;
	}
	if (p->tier_line[tier]) {
		error_at(p, p->line, tv[1].col, "duplicate tier '%s': already set on line %d", tier_names[tier],
			 p->tier_line[tier]);
		return;
	}
	p->tier_line[tier] = p->line;
	p->tier_col[tier] = tv[3].col;
	p->r->tier_min[tier] = score;
	struct risk_rule *k = add_rule(p, RK_TIER, &tv[1]);
	k->op = CMP_GE;
	k->threshold = score;
	k->points = score;
	memcpy(k->value, tv[3].s, (size_t)tv[3].len);
	set_text(k, tv, nt);
}

/* "minimum response_appointments COUNT". */
static void parse_minimum(parser *p, const token *tv, int nt, int eol)
{
	if (arity(p, tv, nt, 3, "minimum response_appointments COUNT", eol))
		return;
	if (!tok_is(&tv[1], "response_appointments")) {
		error_at(p, p->line, tv[1].col, "unknown minimum '%.*s' (expected response_appointments)", tv[1].len,
			 tv[1].s);
		return;
	}
	if (p->r->response_min_line) {
		error_at(p, p->line, tv[1].col, "duplicate 'minimum response_appointments': already set on line %d",
			 p->r->response_min_line);
		return;
	}
	int n;
	if (tok_int(&tv[2], &n)) {
		error_at(p, p->line, tv[2].col, "'%.*s' is not a whole number of appointments", tv[2].len, tv[2].s);
		return;
	}
	if (n < 1 || n > MIN_APPOINTMENTS_MAX) {
		error_at(p, p->line, tv[2].col, "%d appointments is out of range (1..%d)", n, MIN_APPOINTMENTS_MAX);
		return;
	}
	p->r->response_min_appointments = n;
	p->r->response_min_line = p->line;
	struct risk_rule *k = add_rule(p, RK_MINIMUM, &tv[1]);
	k->factor = RF_RESPONSE;
	k->threshold = n;
	k->points = n;
	memcpy(k->value, tv[2].s, (size_t)tv[2].len);
	set_text(k, tv, nt);
}

/* "lookback admissions_days DAYS". */
static void parse_lookback(parser *p, const token *tv, int nt, int eol)
{
	if (arity(p, tv, nt, 3, "lookback admissions_days DAYS", eol))
		return;
	if (!tok_is(&tv[1], "admissions_days")) {
		error_at(p, p->line, tv[1].col, "unknown lookback '%.*s' (expected admissions_days)", tv[1].len,
			 tv[1].s);
		return;
	}
	if (p->r->admissions_days_line) {
		error_at(p, p->line, tv[1].col, "duplicate 'lookback admissions_days': already set on line %d",
			 p->r->admissions_days_line);
		return;
	}
	int n;
	if (tok_int(&tv[2], &n)) {
		error_at(p, p->line, tv[2].col, "'%.*s' is not a whole number of days", tv[2].len, tv[2].s);
		return;
	}
	if (n < 1 || n > DAYS_MAX) {
		error_at(p, p->line, tv[2].col, "%d days is out of range (1..%d)", n, DAYS_MAX);
		return;
	}
	p->r->admissions_days = n;
	p->r->admissions_days_line = p->line;
	struct risk_rule *k = add_rule(p, RK_LOOKBACK, &tv[1]);
	k->factor = RF_ADMISSIONS;
	k->threshold = n;
	k->points = n;
	memcpy(k->value, tv[2].s, (size_t)tv[2].len);
	set_text(k, tv, nt);
}

static void parse_line(parser *p, const char *s, size_t len)
{
	token tv[MAX_TOKENS];
	int nt = 0;
	size_t i = 0;
	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len || s[i] == '#')
			break;
		size_t b = i;
		while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '#')
			i++;
		if (nt == MAX_TOKENS) {
			error_at(p, p->line, (int)b + 1, "too many words on this line");
			return;
		}
		tv[nt++] = (token){s + b, (int)(i - b), (int)b + 1};
	}
	if (!nt)
		return;
	for (int k = 0; k < nt; k++)
		if (tv[k].len > TOKEN_MAX) {
			error_at(p, p->line, tv[k].col, "'%.*s...' is too long", 12, tv[k].s);
			return;
		}
	/* Where a missing word would have gone: after the last one. */
	int eol = tv[nt - 1].col + tv[nt - 1].len + 1;
	if (tok_is(&tv[0], "breach"))
		parse_breach(p, tv, nt, eol);
	else if (tok_is(&tv[0], "target"))
		parse_target(p, tv, nt, eol);
	else if (tok_is(&tv[0], "points"))
		parse_points(p, tv, nt, eol);
	else if (tok_is(&tv[0], "tier"))
		parse_tier(p, tv, nt, eol);
	else if (tok_is(&tv[0], "minimum"))
		parse_minimum(p, tv, nt, eol);
	else if (tok_is(&tv[0], "lookback"))
		parse_lookback(p, tv, nt, eol);
	else
		error_at(p, p->line, tv[0].col,
			 "unknown rule '%.*s' (expected breach, target, points, tier, minimum or lookback)", tv[0].len,
			 tv[0].s);
}

/* Lowest score any patient can get: a factor may match no rule (0), or
 * any one of its rules. */
static int lowest_score(const struct risk_rules *r)
{
	int lo[RF_COUNT] = {0}, sum = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->rules[i].kind == RK_POINTS && r->rules[i].points < lo[r->rules[i].factor])
			lo[r->rules[i].factor] = r->rules[i].points;
	for (int f = 0; f < RF_COUNT; f++)
		sum += lo[f];
	return sum;
}

/* What only the whole file can tell: every setting present, tiers that
 * classify every possible score. Reported at the last line. */
static void check_complete(parser *p)
{
	static const char *const what[2] = {"breach rtt_days DAYS (the RTT standard, 126)",
					    "breach grace_days DAYS (the grace period, 7)"};
	int last = p->nlines > 0 ? p->nlines : 1;
	for (int s = 0; s < 2; s++)
		if (!p->breach_line[s])
			error_at(p, last, 1, "missing '%s'", what[s]);
	for (int k = PRIO_P1A; k < PRIO_COUNT; k++)
		if (!p->target_line[k])
			error_at(p, last, 1, "missing 'target %s DAYS'", prio_names[k]);
	int all_tiers = 1;
	for (int t = 0; t < TIER_COUNT; t++)
		if (!p->tier_line[t]) {
			error_at(p, last, 1, "missing 'tier %s >= SCORE'", tier_names[t]);
			all_tiers = 0;
		}
	if (!all_tiers)
		return;
	const int *m = p->r->tier_min;
	for (int t = 1; t < TIER_COUNT; t++)
		if (m[t] >= m[t - 1]) {
			error_at(p, p->tier_line[t], p->tier_col[t],
				 "tier %s >= %d must start below tier %s >= %d (line %d), or it is never used",
				 tier_names[t], m[t], tier_names[t - 1], m[t - 1], p->tier_line[t - 1]);
			return;
		}
	int low = lowest_score(p->r);
	if (m[TIER_LOW] > low)
		error_at(p, p->tier_line[TIER_LOW], p->tier_col[TIER_LOW],
			 "tier Low >= %d leaves scores from %d to %d unclassified (the lowest possible score is %d)",
			 m[TIER_LOW], low, m[TIER_LOW] - 1, low);
}

struct risk_rules *risk_rules_parse(const char *text, size_t len, const char *name, struct risk_errors *err)
{
	parser p = {0};
	memset(err, 0, sizeof *err);
	p.err = err;
	p.r = xcalloc(1, sizeof *p.r);
	p.r->path = xstrdup(name ? name : "");
	p.r->response_min_appointments = RISK_RESPONSE_MIN_DEFAULT;
	p.r->admissions_days = RISK_ADMISSIONS_DAYS_DEFAULT;
	for (int k = 0; k < PRIO_COUNT; k++)
		p.r->prio_floor[k] = -1;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) { /* UTF-8 byte-order mark */
		text += 3;
		len -= 3;
	}
	size_t i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		size_t n = e - i;
		if (n && text[i + n - 1] == '\r')
			n--;
		p.line++;
		parse_line(&p, text + i, n);
		i = e + 1;
	}
	p.nlines = p.line;
	if (!err->n)
		check_complete(&p);
	if (err->n) {
		risk_rules_free(p.r);
		return NULL;
	}
	return p.r;
}

/* A rules file is a page or two of text; anything far larger is not one. */
#define RISK_RULES_MAX_BYTES (1 << 20)

struct risk_rules *risk_rules_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag(DIAG_ERROR, path, 0, 0, "cannot read the risk rules: %s", strerror(errno));
		return NULL;
	}
	size_t cap = 4096, len = 0, got;
	char *buf = xmalloc(cap);
	int big = 0;
	while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len > RISK_RULES_MAX_BYTES) {
			big = 1; /* e.g. /dev/zero: stop rather than read until memory runs out */
			break;
		}
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	int bad = ferror(f);
	fclose(f);
	if (big) {
		diag(DIAG_ERROR, path, 0, 0, "the risk rules are larger than %d bytes; this is not a rules file",
		     RISK_RULES_MAX_BYTES);
		free(buf);
		return NULL;
	}
	if (bad) {
		diag(DIAG_ERROR, path, 0, 0, "cannot read the risk rules");
		free(buf);
		return NULL;
	}
	struct risk_errors *err = xmalloc(sizeof *err);
	struct risk_rules *r = risk_rules_parse(buf, len, path, err);
	for (int k = 0; k < err->n && k < RISK_MAX_ERRORS; k++)
		diag(DIAG_ERROR, path, err->v[k].line, err->v[k].col, "%s", err->v[k].msg);
	if (err->n > RISK_MAX_ERRORS)
		diag(DIAG_NOTE, path, 0, 0, "%d more errors not shown", err->n - RISK_MAX_ERRORS);
	free(err);
	free(buf);
	return r;
}

void risk_rules_free(struct risk_rules *r)
{
	if (!r)
		return;
	free(r->rules);
	free(r->path);
	free(r);
}

void risk_rules_apply_rtt(const struct risk_rules *r, rtt_rules *out)
{
	*out = r->rtt;
}

const struct risk_rules *risk_rules_of(run_ctx *ctx)
{
	if (ctx->risk)
		return ctx->risk;
	if (!ctx->rules_path) {
		diag(DIAG_ERROR, NULL, 0, 0, "no risk rules file was given");
		return NULL;
	}
	ctx->risk = risk_rules_load(ctx->rules_path);
	if (ctx->risk)
		risk_rules_apply_rtt(ctx->risk, &ctx->rtt);
	return ctx->risk;
}

/* Scoring. */

int risk_score_patient(const struct risk_rules *r, const struct risk_inputs *in, int pts[RF_COUNT],
		       int matched[RF_COUNT])
{
	double v[RF_COUNT] = {
		(double)in->age, (double)in->comorbidities, (double)in->admissions,
		in->response, in->community_care, in->priority,
	};
	int known[RF_COUNT] = {
		in->age != INT_NULL, in->comorbidities != INT_NULL, in->admissions != INT_NULL,
		!isnan(in->response) && in->appointments != INT_NULL &&
			in->appointments >= r->response_min_appointments,
		in->community_care >= 0, in->priority >= 0 && in->priority < PRIO_COUNT,
	};
	int hit[RF_COUNT], total = 0;
	for (int f = 0; f < RF_COUNT; f++) {
		hit[f] = -1;
		pts[f] = 0;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct risk_rule *k = &r->rules[i];
		if (k->kind != RK_POINTS || hit[k->factor] >= 0 || !known[k->factor])
			continue;
		if (cmp_holds(k->op, v[k->factor], k->threshold)) {
			hit[k->factor] = (int)i;
			pts[k->factor] = k->points;
		}
	}
	for (int f = 0; f < RF_COUNT; f++) {
		total += pts[f];
		if (matched)
			matched[f] = hit[f];
	}
	return total;
}

int risk_tier_of(const struct risk_rules *r, int score)
{
	for (int t = 0; t < TIER_COUNT - 1; t++)
		if (score >= r->tier_min[t])
			return t;
	return TIER_LOW; /* the file check guarantees Low covers the rest */
}

int risk_tier_final(const struct risk_rules *r, int score, int priority, int *overridden)
{
	int tier = risk_tier_of(r, score), up = 0;
	if (priority >= 0 && priority < PRIO_COUNT && r->prio_floor[priority] >= 0 && r->prio_floor[priority] < tier) {
		tier = r->prio_floor[priority]; /* TIER_HIGH is 0: a lower number is a higher tier */
		up = 1;
	}
	if (overridden)
		*overridden = up;
	return tier;
}

/* The RTT breach rule. */

int rtt_priority_code(const char *s)
{
	if (!s || !*s)
		return PRIO_NONE;
	for (int k = PRIO_P1A; k < PRIO_COUNT; k++)
		if (strcmp(s, prio_names[k]) == 0)
			return k;
	return -1;
}
