/* Uploaded images: the type from the bytes, and what image_read answers. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http.h"
#include "image.h"
#include "tap.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

#define PNG	"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"

static const struct {
	const char	*bytes;
	size_t		 len;
	const char	*type;	/* NULL: refused */
} cases[] = {
	{ PNG, sizeof PNG - 1, "image/png" },
	{ "\xff\xd8\xff\xe0\0\x10JFIF", 10, "image/jpeg" },
	{ "GIF87a\1\0\1\0", 10, "image/gif" },
	{ "GIF89a\1\0\1\0", 10, "image/gif" },
	{ "RIFF\0\0\0\0WEBPVP8 ", 16, "image/webp" },
	{ "<svg onload=alert(1)>", 21, NULL },
	{ "<?xml version=\"1.0\"?><svg/>", 27, NULL },
	{ "\x89PNG\r\n\x1a", 7, NULL },		/* cut short */
	{ "\xff\xd8", 2, NULL },
	{ "GIF90a", 6, NULL },
	{ "RIFF\0\0\0\0WAVE", 12, NULL },
	{ "RIFF\0\0\0\0WEB", 11, NULL },
	{ "", 0, NULL },
};

/* A request with this Content-Type and body, as the worker makes one. */
struct fake {
	FCGX_Request	 fcgi;
	char		 ct[160];
	char		*envp[2];
	struct req	 r;
};

static struct req *
fake_req(struct fake *f, const char *content_type, const char *body,
    size_t len)
{
	memset(f, 0, sizeof *f);
	snprintf(f->ct, sizeof f->ct, "CONTENT_TYPE=%s", content_type);
	f->envp[0] = content_type != NULL ? f->ct : NULL;
	f->fcgi.envp = f->envp;
	f->r.fcgi = &f->fcgi;
	f->r.body = (char *)body;
	f->r.body_len = len;
	return &f->r;
}

/* image_read's answer: 0 for an image read, else the status it answered. */
static int
read_status(const char *content_type, const char *body, size_t len,
    const char **type)
{
	struct fake	 f;
	struct image	 img;
	struct req	*r = fake_req(&f, content_type, body, len);
	int		 status;

	if (image_read(r, "a test image", &img) == 0) {
		*type = img.type;
		status = img.b64 != NULL && !r->responded ? 0 : -1;
		image_free(&img);
		return status;
	}
	*type = NULL;
	status = r->responded ? r->status : -1;
	free(r->resp_body);
	return status;
}

int
main(void)
{
	const char	*type;
	char		 name[80], mp[512], *big;
	size_t		 i, n;

	if (sodium_init() < 0)
		return 1;
	for (i = 0; i < nitems(cases); i++) {
		snprintf(name, sizeof name, "case %zu: %s", i,
		    cases[i].type != NULL ? cases[i].type : "refused");
		if (cases[i].type != NULL)
			is_str(image_type((const unsigned char *)cases[i].bytes,
			    cases[i].len), cases[i].type, name);
		else
			ok(image_type((const unsigned char *)cases[i].bytes,
			    cases[i].len) == NULL, name);
	}

	is_int(read_status("image/png", PNG, sizeof PNG - 1, &type), 0,
	    "a raw image/png body is read");
	is_str(type, "image/png", "typed from its bytes");
	is_int(read_status("IMAGE/JPEG", "GIF89a\1\0\1\0", 10, &type), 0,
	    "the declared type is not believed");
	is_str(type, "image/gif", "so GIF bytes are a GIF");
	is_int(read_status("image/svg+xml", "<svg onload=alert(1)>", 21,
	    &type), 415, "an SVG is 415");
	is_int(read_status("text/plain", PNG, sizeof PNG - 1, &type), 415,
	    "a body not sent as an image is 415");
	is_int(read_status(NULL, PNG, sizeof PNG - 1, &type), 415,
	    "a body without a type is 415");
	is_int(read_status("image/png", "", 0, &type), 400,
	    "an empty body is 400");

	n = (size_t)snprintf(mp, sizeof mp, "--b\r\nContent-Disposition: "
	    "form-data; name=\"note\"\r\n\r\nhello\r\n--b\r\n"
	    "Content-Disposition: form-data; name=\"file\"; "
	    "filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n");
	memcpy(mp + n, PNG, sizeof PNG - 1);
	n += sizeof PNG - 1;
	n += (size_t)snprintf(mp + n, sizeof mp - n, "\r\n--b--\r\n");
	is_int(read_status("multipart/form-data; boundary=b", mp, n, &type), 0,
	    "multipart: the first part with a filename is the image");
	is_str(type, "image/png", "and typed from its bytes");
	n = (size_t)snprintf(mp, sizeof mp, "--b\r\nContent-Disposition: "
	    "form-data; name=\"note\"\r\n\r\nhello\r\n--b--\r\n");
	is_int(read_status("multipart/form-data; boundary=b", mp, n, &type),
	    400, "multipart without a file is 400");
	is_int(read_status("multipart/form-data; boundary=b", "--x\r\n\r\n",
	    7, &type), 400, "malformed multipart is 400");

	if ((big = calloc(1, IMAGE_MAX + 1)) == NULL)
		return 1;
	memcpy(big, PNG, sizeof PNG - 1);
	is_int(read_status("image/png", big, IMAGE_MAX, &type), 0,
	    "an image of IMAGE_MAX bytes is read");
	is_int(read_status("image/png", big, IMAGE_MAX + 1, &type), 413,
	    "one byte more is 413");
	free(big);
	return tap_done();
}
