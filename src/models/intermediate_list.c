/* Intermediate models, in declaration order. */
#include "models/model.h"

const model_def *const intermediate_models[] = {
	NULL,
};
