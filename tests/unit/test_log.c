/* Log escaping and level parsing. */
#include "log.h"
#include "tap.h"

int
main(void)
{
	char		buf[64];
	enum log_level	lvl;

	log_escape("plain text", buf, sizeof buf);
	is_str(buf, "plain text", "plain text unchanged");
	log_escape("a\"b\\c\nd\x01" "e\x7f", buf, sizeof buf);
	is_str(buf, "a\\\"b\\\\c\\nd\\x01e\\x7f", "quotes, newlines, controls escaped");
	log_escape("0123456789abcdef", buf, 8);
	is_str(buf, "0123456", "truncated to the buffer");
	log_escape("ab\ncd", buf, 4);
	is_str(buf, "ab", "an escape is never cut in half");
	ok(log_level_parse("warn", &lvl) == 0 && lvl == LOG_WARN, "parses warn");
	ok(log_level_parse("verbose", &lvl) == -1, "rejects an unknown level");
	return tap_done();
}
