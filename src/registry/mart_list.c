/* Mart models, in declaration order. */
#include "registry/model.h"

extern const model_def model_dim_organisation;
extern const model_def model_dim_risk_rules;
extern const model_def model_dim_risk_cohort;
extern const model_def model_fct_risk_sensitivity;
extern const model_def model_fct_overdue_cases;
extern const model_def model_fct_capacity_audit;
extern const model_def model_fct_capacity_demand;
extern const model_def model_fct_waitlist_trend;
extern const model_def model_fct_waitlist_change;
extern const model_def model_fct_delay_causes;
extern const model_def model_fct_equity;
extern const model_def model_fct_trust_peers;
extern const model_def model_kpi_summary;

const model_def *const mart_models[] = {
	&model_dim_organisation,
	&model_dim_risk_rules,
	&model_dim_risk_cohort,
	&model_fct_risk_sensitivity,
	&model_fct_overdue_cases,
	&model_fct_capacity_audit,
	&model_fct_capacity_demand,
	&model_fct_waitlist_trend,
	&model_fct_waitlist_change,
	&model_fct_delay_causes,
	&model_fct_equity,
	&model_fct_trust_peers,
	&model_kpi_summary,
	NULL,
};
