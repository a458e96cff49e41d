/* stg_patients: one row per patient, typed and normalised. Names and
 * addresses are never carried past this point. */
#include "registry/model.h"
#include "models/staging/stg_util.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const upstream[] = {"patients", NULL};

static const model_col cols[] = {
	{"patient_id", T_STR, "Patient identifier (Synthea UUID)", "unique not_null", "patients.Id", CR_ID},
	{"birth_date", T_DATE, "Date of birth", "not_null range(1880-01-01..)", "patients.BIRTHDATE", CR_ID},
	{"death_date", T_DATE, "Date of death; null while alive", "range(1880-01-01..)", "patients.DEATHDATE", CR_ID},
	{"age_at_census", T_INT, "Age in whole years at the census date (at death, if that came first); null if born after it",
	 "range(0..130)", "patients.BIRTHDATE, patients.DEATHDATE, census", CR_YEARS},
	{"age_band", T_STR, "Age group at the census", "accepted(0-17|18-39|40-59|60-69|70-79|80+)",
	 "stg_patients.age_at_census", CR_CODE},
	{"sex", T_STR, "Sex as recorded", "not_null accepted(Male|Female)", "patients.GENDER", CR_CODE},
	{"ethnicity", T_STR,
	 "ONS ethnic group (5 groups, or Not stated); Synthea US race categories are mapped to the nearest group",
	 "not_null accepted(White|Mixed|Asian or Asian British|Black or Black British|Other ethnic group|Not stated)",
	 "patients.ETHNICITY, patients.RACE", CR_CODE},
	{"imd_decile", T_INT, "Deprivation decile, 1 = most deprived: the IMD decile, else the income decile of the population",
	 "range(1..10)", "patients.IMD_DECILE, patients.INCOME", CR_SCORE},
	{"deprivation_source", T_STR, "Where imd_decile came from: IMD, INCOME or none", "not_null accepted(IMD|INCOME|none)",
	 "patients.IMD_DECILE, patients.INCOME", CR_CODE},
	{"town", T_STR, "Town or city of residence", "", "patients.CITY", CR_AREA},
};

static const char *const tests[] = {
	"expr(death_date >= birth_date)",
	NULL,
};

/* Ethnicity: UK data carries an ONS category (e.g. "White: British",
 * "Asian or Asian British: Indian"); Synthea US data carries RACE (white,
 * black, asian, native, hawaiian, other) and ETHNICITY (hispanic,
 * nonhispanic). The ONS text wins when there is one; "hispanic" is not an
 * ONS group, so then RACE decides: white -> White, black -> Black or Black
 * British, asian -> Asian or Asian British, native, hawaiian and other ->
 * Other ethnic group. Nothing usable -> Not stated. Order matters: "Mixed:
 * White and Asian" is Mixed, "Any other Asian background" is Asian,
 * "American Indian" is not Asian. */
static const char *ons_group(const char *s)
{
	static const struct {
		const char *word, *group;
	} rules[] = {
		{"not stated", "Not stated"}, {"not known", "Not stated"}, {"unknown", "Not stated"},
		{"prefer not", "Not stated"}, {"mixed", "Mixed"}, {"multiple", "Mixed"},
		{"white and", "Mixed"}, {"white", "White"}, {"caucasian", "White"},
		{"american indian", "Other ethnic group"}, {"alaska", "Other ethnic group"},
		{"black", "Black or Black British"},
		{"african", "Black or Black British"}, {"caribbean", "Black or Black British"},
		{"asian", "Asian or Asian British"}, {"indian", "Asian or Asian British"},
		{"pakistani", "Asian or Asian British"}, {"bangladeshi", "Asian or Asian British"},
		{"chinese", "Asian or Asian British"}, {"arab", "Other ethnic group"},
		{"native", "Other ethnic group"}, {"hawaiian", "Other ethnic group"},
		{"other", "Other ethnic group"},
	};
	if (!s || !*s)
		return NULL;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (stg_contains(s, rules[i].word))
			return rules[i].group;
	return NULL;
}

static const char *const band_names[6] = {"0-17", "18-39", "40-59", "60-69", "70-79", "80+"};

static int age_band(int age)
{
	return age < 18 ? 0 : age < 40 ? 1 : age < 60 ? 2 : age < 70 ? 3 : age < 80 ? 4 : 5;
}

/* Income deciles of the population (lowest income = decile 1, like IMD's
 * most deprived): 1 + 10 * (position in income order) / (patients with an
 * income), equal incomes sharing the position of the first of them, so
 * the decile depends on the income alone. decile[r] = 0 without one. */
static void income_deciles(const mm_table *p, int c_inc, unsigned char *decile)
{
	uint32_t *order = stg_order(p, (const char *const[]){"INCOME", NULL});
	size_t lo = 0, n = p->nrows;
	while (lo < n && tbl_isnull(p, c_inc, order[lo]))
		lo++; /* nulls sort first */
	size_t first = lo, with = n - lo;
	for (size_t i = lo; i < n; i++) {
		if (tbl_int(p, c_inc, order[i]) != tbl_int(p, c_inc, order[first]))
			first = i;
		decile[order[i]] = (unsigned char)((first - lo) * 10 / with + 1);
	}
	free(order);
}

static int build(run_ctx *ctx, mm_table *out)
{
	const mm_table *p = ctx_table(ctx, "patients");
	int s_id = col(p, "Id"), s_birth = col(p, "BIRTHDATE"), s_death = col(p, "DEATHDATE"),
	    s_gender = col(p, "GENDER"), s_race = col(p, "RACE"), s_eth = col(p, "ETHNICITY"),
	    s_city = col(p, "CITY"), s_inc = col(p, "INCOME"), s_imd = col(p, "IMD_DECILE");
	int c_id = col(out, "patient_id"), c_birth = col(out, "birth_date"), c_death = col(out, "death_date"),
	    c_age = col(out, "age_at_census"), c_band = col(out, "age_band"), c_sex = col(out, "sex"),
	    c_eth = col(out, "ethnicity"), c_imd = col(out, "imd_decile"), c_src = col(out, "deprivation_source"),
	    c_town = col(out, "town");

	unsigned char *inc_decile = xcalloc(p->nrows ? p->nrows : 1, 1);
	income_deciles(p, s_inc, inc_decile);
	uint32_t bands[6];
	for (int k = 0; k < 6; k++)
		bands[k] = stg_sid(ctx->sp, band_names[k]);
	uint32_t gender_f = stg_sid(ctx->sp, "F");
	uint32_t sid_m = stg_sid(ctx->sp, "Male"), sid_f = stg_sid(ctx->sp, "Female");
	uint32_t sid_imd = stg_sid(ctx->sp, "IMD"), sid_inc = stg_sid(ctx->sp, "INCOME"),
		 sid_none = stg_sid(ctx->sp, "none");
	hmap eth_cache; /* (ETHNICITY, RACE) string ids -> group string id */
	hmap_init(&eth_cache, 64);
	tbl_reserve(out, p->nrows);
	uint32_t *order = stg_order(p, (const char *const[]){"Id", NULL});
	for (size_t k = 0; k < p->nrows; k++) {
		if (k + STG_AHEAD < p->nrows)
			stg_prefetch_row(p, order[k + STG_AHEAD]);
		size_t r = order[k], o = tbl_add_row(out);
		int32_t birth = tbl_date(p, s_birth, r), death = tbl_date(p, s_death, r);
		tbl_set_sid(out, c_id, o, tbl_sid(p, s_id, r));
		tbl_set_date(out, c_birth, o, birth);
		tbl_set_date(out, c_death, o, death);
		int32_t at = death != I32_NULL && death < ctx->census ? death : ctx->census;
		int age = stg_age_years(birth, at);
		if (age >= 0) {
			tbl_set_int(out, c_age, o, age);
			tbl_set_sid(out, c_band, o, bands[age_band(age)]);
		}
		tbl_set_sid(out, c_sex, o, tbl_sid(p, s_gender, r) == gender_f ? sid_f : sid_m);
		uint64_t key = (uint64_t)tbl_sid(p, s_eth, r) << 32 | tbl_sid(p, s_race, r);
		uint32_t eth = hmap_get(&eth_cache, key);
		if (eth == HMAP_NONE) {
			const char *g = ons_group(tbl_str(p, s_eth, r));
			if (!g)
				g = ons_group(tbl_str(p, s_race, r));
			eth = stg_sid(ctx->sp, g ? g : "Not stated");
			hmap_put(&eth_cache, key, eth);
		}
		tbl_set_sid(out, c_eth, o, eth);
		if (!tbl_isnull(p, s_imd, r)) {
			tbl_set_int(out, c_imd, o, tbl_int(p, s_imd, r));
			tbl_set_sid(out, c_src, o, sid_imd);
		} else if (inc_decile[r]) {
			tbl_set_int(out, c_imd, o, inc_decile[r]);
			tbl_set_sid(out, c_src, o, sid_inc);
		} else {
			tbl_set_sid(out, c_src, o, sid_none);
		}
		tbl_set_sid(out, c_town, o, tbl_sid(p, s_city, r));
	}
	hmap_free(&eth_cache);
	free(inc_decile);
	free(order);
	return 0;
}

const model_def model_stg_patients = {
	.name = "stg_patients",
	.layer = LAYER_STAGING,
	.description = "Patients: one row each, with age at the census, age band, sex, ONS ethnic group and a "
		       "deprivation decile. Names and addresses are left out.",
	.upstream = upstream,
	.cols = cols,
	.ncols = NCOLS(cols),
	.flags = MODEL_PATIENT_LEVEL,
	.tests = tests,
	.build = build,
};
