/*
 * libFuzzer target: the multipart parsers (avatar and media uploads, and
 * the streamed one of CSV imports). The streamed parser, fed the input in
 * pieces, must find what the whole-body one finds whenever that one
 * succeeds: the same parts with the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "multipart.h"

#define CT	"multipart/form-data; boundary=xyz"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	const struct mpart	*parts;
	int			 n;
	int			 at;	/* part being read */
	size_t			 off;	/* bytes of it so far */
};

static int
check(void *arg, const struct mpart *p, const char *d, size_t len, int last)
{
	struct seen	*s = arg;

	if (s->at >= s->n || strcmp(p->name, s->parts[s->at].name) != 0 ||
	    strcmp(p->filename, s->parts[s->at].filename) != 0)
		__builtin_trap();
	if (last) {
		if (s->off != s->parts[s->at].len)
			__builtin_trap();
		s->at++;
		s->off = 0;
		return 0;
	}
	if (s->off + len > s->parts[s->at].len ||
	    memcmp(d, s->parts[s->at].data + s->off, len) != 0)
		__builtin_trap();
	s->off += len;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mpart	 parts[MULTIPART_MAX_PARTS];
	struct mpstream	*ms;
	struct seen	 seen;
	size_t		 off, step;
	int		 n, i, rc = 0;

	n = multipart_parse(CT, (const char *)data, size, parts,
	    MULTIPART_MAX_PARTS);
	for (i = 0; i < n; i++) {
		/* every part lies inside the input */
		if (parts[i].data < (const char *)data ||
		    parts[i].data + parts[i].len > (const char *)data + size)
			__builtin_trap();
	}
	(void)multipart_file(parts, n > 0 ? n : 0);
	if (n < 0)
		return 0;
	/* pieces of 1 to 64 bytes, sized by the input itself */
	memset(&seen, 0, sizeof seen);
	seen.parts = parts;
	seen.n = n;
	ms = mpstream_new(CT, check, &seen);
	for (off = 0; off < size && rc == 0; off += step) {
		step = size > 0 ? (size_t)data[off] % 64 + 1 : 1;
		if (step > size - off)
			step = size - off;
		rc = mpstream_feed(ms, (const char *)data + off, step);
	}
	if (rc != 0 || mpstream_finish(ms) != 0 || seen.at != n)
		__builtin_trap();
	mpstream_free(ms);
	return 0;
}
