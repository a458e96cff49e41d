/* The rules file in words (see rules_text.h). */
#include "models/rules/rules_text.h"
#include "util/subst.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rules_duration_words(int days, char *out, size_t n)
{
	if (days != 0 && days % 7 == 0)
		snprintf(out, n, "%d %s", days / 7, days == 7 || days == -7 ? "week" : "weeks");
	else
		snprintf(out, n, "%d %s", days, days == 1 || days == -1 ? "day" : "days");
}

/* The first word of a rule as written: "breach", "target", "points" ... */
static void kind_word(const struct risk_rule *k, char *out, size_t n)
{
	size_t i = 0;
	while (k->text[i] && k->text[i] != ' ' && i + 1 < n) {
		out[i] = k->text[i];
		i++;
	}
	out[i] = '\0';
}

/* Breach settings and targets are days; so is any other setting named
 * ..._days (a look-back window a later rules file may add). */
static int is_duration(const char *word, const char *name)
{
	size_t n = strlen(name);
	return !strcmp(word, "breach") || !strcmp(word, "target") || (n > 5 && !strcmp(name + n - 5, "_days"));
}

/* A duration's days: as parsed for breach and target lines, else as written. */
static int duration_days(const char *word, const struct risk_rule *k)
{
	return !strcmp(word, "breach") || !strcmp(word, "target") ? k->points : atoi(k->value);
}

/* "aged 80 or over", "3 or more long-term condition groups" ... */
static void points_test(const struct risk_rule *k, char *out, size_t n)
{
	static const struct {
		const char *factor, *pre, *noun;
	} f[] = {
		{"age", "aged ", ""},
		{"comorbidities", "", " long-term condition groups"},
		{"admissions", "", " recent unplanned admissions"},
		{"response", "a likelihood of attending ", ""},
	};
	const char *v = k->value, *op = k->text;
	/* the operator as written is the third word: "points age >= 80 3" */
	char opw[4] = "";
	const char *p = strchr(op, ' ');
	p = p ? strchr(p + 1, ' ') : NULL;
	if (p) {
		size_t i = 0;
		for (p++; *p && *p != ' ' && i + 1 < sizeof opw; p++)
			opw[i++] = *p;
		opw[i] = '\0';
	}
	if (!strcmp(k->name, "community_care")) {
		int yes = !strcmp(v, "yes");
		int eq = !strcmp(opw, "=");
		snprintf(out, n, "%s", yes == eq ? "an active community care plan" : "no active community care plan");
		return;
	}
	if (!strcmp(k->name, "priority")) {
		snprintf(out, n, "%s %s", !strcmp(opw, "!=") ? "a clinical priority other than" : "clinical priority", v);
		return;
	}
	const char *pre = "", *noun = "";
	int counted = 0, found = 0;
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (!strcmp(k->name, f[i].factor)) {
			pre = f[i].pre;
			noun = f[i].noun;
			counted = *noun != '\0';
			found = 1;
		}
	if (!found) { /* a factor this file does not know yet: the rule as written */
		snprintf(out, n, "%s %s %s", k->name, opw, v);
		return;
	}
	if (!strcmp(opw, ">="))
		snprintf(out, n, counted ? "%s%s or more%s" : "%s%s or over%s", pre, v, noun);
	else if (!strcmp(opw, ">"))
		snprintf(out, n, counted ? "%smore than %s%s" : "%sover %s%s", pre, v, noun);
	else if (!strcmp(opw, "<="))
		snprintf(out, n, counted ? "%s%s or fewer%s" : "%s%s or under%s", pre, v, noun);
	else if (!strcmp(opw, "<"))
		snprintf(out, n, counted ? "%sfewer than %s%s" : "%sbelow %s%s", pre, v, noun);
	else if (!strcmp(opw, "!="))
		snprintf(out, n, "%sother than %s%s", pre, v, noun);
	else
		snprintf(out, n, counted ? "%sexactly %s%s" : "%s%s%s", pre, v, noun);
}

static void points_words(int points, char *out, size_t n)
{
	snprintf(out, n, "%d %s", points, points == 1 || points == -1 ? "point" : "points");
}

/* One points line in words: "aged 80 or over: 3 points". */
static void points_line(const struct risk_rule *k, char *out, size_t n)
{
	char test[200], pts[32];
	points_test(k, test, sizeof test);
	points_words(k->points, pts, sizeof pts);
	snprintf(out, n, "%s: %s", test, pts);
}

/* The reason for an unknown key: the keys this file has. */
static void known_keys(const struct risk_rules *r, char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	if (!r) {
		snprintf(out, n, "no rules file is loaded");
		return;
	}
	used += (size_t)snprintf(out, n, "the rules file has ");
	char last_factor[24] = "";
	for (size_t i = 0; i < r->n && used + 1 < n; i++) {
		const struct risk_rule *k = &r->rules[i];
		char w[24], item[80];
		kind_word(k, w, sizeof w);
		if (!strcmp(w, "points")) {
			if (!strcmp(last_factor, k->name))
				continue;
			snprintf(last_factor, sizeof last_factor, "%s", k->name);
			snprintf(item, sizeof item, "points.%s[.N]", k->name);
		} else
			snprintf(item, sizeof item, "%s.%s", w, k->name);
		int k2 = snprintf(out + used, n - used, "%s%s", used > 19 ? ", " : "", item);
		if (k2 < 0 || (size_t)k2 >= n - used) {
			out[n - 1] = '\0';
			return;
		}
		used += (size_t)k2;
	}
}

/* The words of one duration rule in a form. */
static int duration_form(int days, const char *form, char *out, size_t n)
{
	if (!form || !*form)
		rules_duration_words(days, out, n);
	else if (!strcmp(form, "days"))
		snprintf(out, n, "%d %s", days, days == 1 ? "day" : "days");
	else if (!strcmp(form, "weeks") || !strcmp(form, "weeks-number")) {
		char num[32];
		if (days % 7 == 0)
			snprintf(num, sizeof num, "%d", days / 7);
		else
			snprintf(num, sizeof num, "%.1f", days / 7.0);
		if (!strcmp(form, "weeks"))
			snprintf(out, n, "%s %s", num, days == 7 ? "week" : "weeks");
		else
			snprintf(out, n, "%s", num);
	} else if (!strcmp(form, "number"))
		snprintf(out, n, "%d", days);
	else
		return -2;
	return 0;
}

static int form_error(const char *key, const char *form, const char *allowed, char *out, size_t n)
{
	snprintf(out, n, "the rule '%s' has no form ':%s' (it takes %s)", key, form, allowed);
	return -2;
}

int rules_words(const struct risk_rules *r, const char *spec, char *out, size_t n)
{
	char key[128], why[400];
	const char *colon = strchr(spec, ':');
	size_t klen = colon ? (size_t)(colon - spec) : strlen(spec);
	const char *form = colon ? colon + 1 : "";
	if (klen >= sizeof key) {
		snprintf(out, n, "the rule key is too long");
		return -1;
	}
	memcpy(key, spec, klen);
	key[klen] = '\0';
	/* KIND.NAME[.N[.PART]] */
	char word[24] = "", name[24] = "", part[24] = "";
	int idx = 0;
	const char *d1 = strchr(key, '.');
	if (d1 && (size_t)(d1 - key) < sizeof word) {
		memcpy(word, key, (size_t)(d1 - key));
		word[d1 - key] = '\0';
		const char *d2 = strchr(d1 + 1, '.');
		size_t nl = d2 ? (size_t)(d2 - d1 - 1) : strlen(d1 + 1);
		if (nl < sizeof name) {
			memcpy(name, d1 + 1, nl);
			name[nl] = '\0';
		}
		if (d2) {
			char *end;
			long v = strtol(d2 + 1, &end, 10);
			idx = end != d2 + 1 && v > 0 && v < 1000 ? (int)v : -1;
			if (*end == '.' && strlen(end + 1) < sizeof part)
				snprintf(part, sizeof part, "%s", end + 1);
			else if (*end)
				idx = -1;
		}
	}
	if (r && *word && *name && idx >= 0) {
		int seen = 0;
		char list[RULES_TEXT_MAX] = "";
		size_t used = 0;
		for (size_t i = 0; i < r->n; i++) {
			const struct risk_rule *k = &r->rules[i];
			char w[24];
			kind_word(k, w, sizeof w);
			if (strcmp(w, word) || strcmp(k->name, name))
				continue;
			seen++;
			if (!strcmp(word, "points")) {
				if (idx == 0) { /* the whole factor */
					if (*form)
						return form_error(key, form, "no form", out, n);
					char line[256];
					points_line(k, line, sizeof line);
					int m = snprintf(list + used, sizeof list - used, "%s%s", used ? "; " : "", line);
					if (m > 0 && (size_t)m < sizeof list - used)
						used += (size_t)m;
					continue;
				}
				if (seen != idx)
					continue;
				if (!*part) {
					if (*form)
						return form_error(key, form, "no form", out, n);
					points_line(k, out, n);
				} else if (!strcmp(part, "value")) {
					if (*form && strcmp(form, "number"))
						return form_error(key, form, ":number", out, n);
					snprintf(out, n, "%s", k->value);
				} else if (!strcmp(part, "points")) {
					if (!strcmp(form, "number"))
						snprintf(out, n, "%d", k->points);
					else if (!*form)
						points_words(k->points, out, n);
					else
						return form_error(key, form, ":number", out, n);
				} else if (!strcmp(part, "test")) {
					if (*form)
						return form_error(key, form, "no form", out, n);
					points_test(k, out, n);
				} else {
					snprintf(out, n, "'%s' is not a part of a points rule (value, points or test)", part);
					return -1;
				}
				return 0;
			}
			if (idx != 0 || *part)
				break;
			if (is_duration(word, name)) {
				if (duration_form(duration_days(word, k), form, out, n))
					return form_error(key, form, ":days, :weeks, :weeks-number or :number", out, n);
				return 0;
			}
			int tier_cut = !strcmp(word, "tier") && k->kind == RK_TIER;
			if (!strcmp(form, "number") || (!*form && !tier_cut))
				snprintf(out, n, "%s", k->value);
			else if (!*form)
				snprintf(out, n, "a score of %s or more", k->value);
			else
				return form_error(key, form, ":number", out, n);
			return 0;
		}
		if (idx == 0 && used) {
			snprintf(out, n, "%s", list);
			return 0;
		}
	}
	known_keys(r, why, sizeof why);
	snprintf(out, n, "unknown rule '%s': %s", key, why);
	return -1;
}

/* Rule words for "{{rule:KEY}}"; anything else, or a key the rules do not
 * have, is kept as written. */
static const char *rule_look(void *arg, const char *name, char *out, size_t n)
{
	if (strncmp(name, "rule:", 5) != 0)
		return NULL;
	return rules_words(arg, name + 5, out, n) == 0 ? out : NULL;
}

char *rules_expand(const struct risk_rules *r, const char *s)
{
	return subst_braces(s, rule_look, (void *)r);
}
