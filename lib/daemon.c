#include "daemon.h"

#include <stdio.h>

#include "config.h"
#include "log.h"
#include "util.h"

int
daemon_config(const char *process, char *err, size_t errlen)
{
	enum log_level	level;

	log_init(process, LOG_INFO);
	if (config_load(err, errlen) == -1)
		return -1;
	if (log_level_parse(config_str(CFG_LOG_LEVEL), &level) == -1) {
		snprintf(err, errlen, "WAQTOR_LOG_LEVEL: expected debug, info, "
		    "warn or error");
		return -1;
	}
	log_init(process, level);
	util_init();
	return 0;
}
