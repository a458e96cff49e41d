/* Staging models, in declaration order. */
#include "models/model.h"

const model_def *const staging_models[] = {
	NULL,
};
