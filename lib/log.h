/*
 * Structured logging: one logfmt line per event on stderr,
 *   ts=2026-11-26T00:40:00.123Z level=info proc=api pid=42 req=... msg="..."
 * with control characters escaped. The level is checked before any
 * formatting. Never pass secrets (tokens, passwords, URLs with credentials:
 * see url_redact()).
 */
#ifndef WAQTOR_LOG_H
#define WAQTOR_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

extern enum log_level log_min_level;

void log_init(const char *process, enum log_level min);
/* Parses "debug", "info", "warn" or "error"; -1 if unknown. */
int log_level_parse(const char *name, enum log_level *out)
    __attribute__((warn_unused_result));
/* Context printed on every line until changed; NULL clears a field. */
void log_set_request(const char *request_id);
void log_set_tenant(const char *tenant_id);
void log_write(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Escapes s into out (logfmt quoted-string rules), always terminated. */
void log_escape(const char *s, char *out, size_t outlen);

#define log_at(lvl, ...) do {					\
	if ((lvl) >= log_min_level)				\
		log_write((lvl), __VA_ARGS__);			\
} while (0)
#define log_debug(...)	log_at(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)	log_at(LOG_INFO, __VA_ARGS__)
#define log_warn(...)	log_at(LOG_WARN, __VA_ARGS__)
#define log_error(...)	log_at(LOG_ERROR, __VA_ARGS__)

#endif
