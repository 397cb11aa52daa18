/* libFuzzer target: the multipart parser (avatar and media uploads). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mpart	parts[MULTIPART_MAX_PARTS];
	int		n, i;

	n = multipart_parse("multipart/form-data; boundary=xyz",
	    (const char *)data, size, parts, MULTIPART_MAX_PARTS);
	for (i = 0; i < n; i++) {
		/* every part lies inside the input */
		if (parts[i].data < (const char *)data ||
		    parts[i].data + parts[i].len > (const char *)data + size)
			__builtin_trap();
	}
	(void)multipart_file(parts, n > 0 ? n : 0);
	return 0;
}
