#ifndef NORMLAB_RUNNING_STATS_H
#define NORMLAB_RUNNING_STATS_H
#include <stddef.h>

/* Update channel c of the running buffers (either may be NULL). */
void nl_update_running(float *running_mean, float *running_var, size_t c, double mean,
                       double unbiased_var, double momentum);
#endif
