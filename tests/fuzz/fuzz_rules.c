/* libFuzzer target: the risk rules parser (src/models/rules/risk_rules.c).
 *
 * Each input is a rules file (data/risk_rules.txt format). When it parses,
 * the rules are applied: the RTT settings copied out and a few patients
 * scored and tiered, including unknown values. */
#include <math.h>
#include <stdint.h>
#include "core/table.h"
#include "models/rules/risk_rules.h"
#include "util/diag.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	diag_quiet = 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct risk_errors err;
	struct risk_rules *r = risk_rules_parse((const char *)data, size, "fuzz_rules.txt", &err);
	if (!r)
		return 0;
	rtt_rules rtt;
	risk_rules_apply_rtt(r, &rtt);
	static const struct risk_inputs pts[] = {
		{.age = 85, .comorbidities = 3, .admissions = 2, .response = 0.2, .community_care = 1, .priority = PRIO_P2},
		{.age = 30, .comorbidities = 0, .admissions = 0, .response = 0.9, .community_care = 0, .priority = PRIO_NONE},
		{.age = INT_NULL, .comorbidities = -1, .admissions = 1000000, .response = 1.0, .community_care = -1, .priority = PRIO_P1A},
	};
	for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
		struct risk_inputs in = pts[i];
		int p[RF_COUNT], matched[RF_COUNT];
		risk_tier_of(r, risk_score_patient(r, &in, p, matched));
	}
	struct risk_inputs nan_in = {.age = 50, .response = NAN, .community_care = -1, .priority = PRIO_P4};
	int p[RF_COUNT];
	risk_tier_of(r, risk_score_patient(r, &nan_in, p, NULL));
	risk_rules_free(r);
	return 0;
}
