/* The Engine.IO v4 codec: frames, long-polling payloads, outbound frames. */
#include <stdlib.h>
#include <string.h>

#include "eio.h"
#include "tap.h"
#include "util.h"

static int
pkt_is(const struct eio_packet *p, enum eio_type type, int binary,
    const char *data, size_t len)
{
	return p->type == type && p->binary == binary && p->len == len &&
	    memcmp(p->data, data, len) == 0;
}

static void
test_frames(void)
{
	struct eio_packet	p;
	static const char	*types = "0123456";
	char			buf[8];
	int			i;

	for (i = 0; types[i] != '\0'; i++) {
		snprintf(buf, sizeof buf, "%cx", types[i]);
		ok(eio_decode_frame(buf, 2, 0, &p) == 0 &&
		    pkt_is(&p, (enum eio_type)i, 0, "x", 1),
		    "every packet type decodes with its data");
	}
	ok(eio_decode_frame("2probe", 6, 0, &p) == 0 &&
	    pkt_is(&p, EIO_PING, 0, "probe", 5), "2probe");
	ok(eio_decode_frame("3", 1, 0, &p) == 0 && pkt_is(&p, EIO_PONG, 0,
	    "", 0), "a pong without data");
	ok(eio_decode_frame("", 0, 0, &p) == -1, "an empty text frame is refused");
	ok(eio_decode_frame("7", 1, 0, &p) == -1, "type 7 is refused");
	ok(eio_decode_frame("abc", 3, 0, &p) == -1, "a letter is refused");
	ok(eio_decode_frame("/", 1, 0, &p) == -1, "a byte below '0' is refused");
	ok(eio_decode_frame("\x01\x02", 2, 1, &p) == 0 &&
	    pkt_is(&p, EIO_MESSAGE, 1, "\x01\x02", 2),
	    "a binary frame is a binary message");
	ok(eio_decode_frame("", 0, 1, &p) == 0 && p.len == 0,
	    "an empty binary frame is an empty message");
}

static int
payload_all(const char *buf, struct eio_packet *out, int max)
{
	static unsigned char	scratch[256];
	size_t			off = 0, len = strlen(buf);
	int			n = 0, rc;

	while ((rc = eio_payload_next(buf, len, &off, scratch, sizeof scratch,
	    &out[n])) == 1) {
		if (++n == max)
			return -1;
		if (out[n - 1].binary) {
			/* keep the bytes: scratch is reused */
			char *copy = malloc(out[n - 1].len + 1);

			memcpy(copy, out[n - 1].data, out[n - 1].len);
			out[n - 1].data = copy;
		}
	}
	return rc == -1 ? -1 : n;
}

static void
test_payloads(void)
{
	struct eio_packet	p[8];

	ok(payload_all("4hello", p, 8) == 1 &&
	    pkt_is(&p[0], EIO_MESSAGE, 0, "hello", 5), "one packet");
	ok(payload_all("4test1\x1e" "4test2\x1e" "4test3", p, 8) == 3 &&
	    pkt_is(&p[2], EIO_MESSAGE, 0, "test3", 5), "three packets");
	ok(payload_all("4hello\x1e" "bAQIDBA==", p, 8) == 2 &&
	    pkt_is(&p[1], EIO_MESSAGE, 1, "\x01\x02\x03\x04", 4),
	    "text and base64 binary");
	free((void *)p[1].data);
	ok(payload_all("3\x1e" "1", p, 8) == 2 && p[0].type == EIO_PONG &&
	    p[1].type == EIO_CLOSE, "pong then close");
	ok(payload_all("abc", p, 8) == -1, "a bad type is refused");
	ok(payload_all("", p, 8) == -1, "an empty payload is refused");
	ok(payload_all("4a\x1e", p, 8) == -1, "a trailing separator is refused");
	ok(payload_all("4a\x1e\x1e" "4b", p, 8) == -1, "an empty packet is refused");
	ok(payload_all("b!!!", p, 8) == -1, "bad base64 is refused");
	ok(payload_all("bAQI", p, 8) == -1, "unpadded base64 is refused");
}

static void
test_out(void)
{
	struct eio_frame	*t, *b;
	char			 out[64], json[256];
	size_t			 n;

	t = eio_frame_text(EIO_MESSAGE, "2[\"a\"]", 6);
	ok(t->len == 7 && memcmp(eio_frame_bytes(t), "42[\"a\"]", 7) == 0,
	    "a text frame is its type digit and data");
	ok(eio_payload_size(t) == 7, "text goes into a payload as is");
	b = eio_frame_binary("\x01\x02\x03\x04", 4);
	ok(b->binary && b->len == 4, "a binary frame holds its bytes");
	is_int(eio_payload_size(b), 9, "binary payload size is b + base64");
	n = eio_payload_put(b, out);
	out[n] = '\0';
	is_str(out, "bAQIDBA==", "binary is b + base64 in a payload");
	ok(eio_frame_ref(t) == t && t->refs == 2, "frames are shared");
	eio_frame_unref(t);
	eio_frame_unref(t);
	eio_frame_unref(b);
	eio_frame_unref(NULL);

	ok(eio_open_json(json, sizeof json, "abc", 1, 25000, 20000, 1000000)
	    == 0, "open packet fits");
	is_str(json, "{\"sid\":\"abc\",\"upgrades\":[\"websocket\"],"
	    "\"pingInterval\":25000,\"pingTimeout\":20000,"
	    "\"maxPayload\":1000000}", "open packet over polling");
	ok(eio_open_json(json, sizeof json, "abc", 0, 1, 2, 3) == 0 &&
	    strstr(json, "\"upgrades\":[]") != NULL,
	    "no upgrades over websocket");
	ok(eio_open_json(json, 10, "abc", 0, 1, 2, 3) == -1,
	    "a too small buffer is refused");
}

int
main(void)
{
	char	a[EIO_SID_LEN + 1], b[EIO_SID_LEN + 1];

	util_init();
	test_frames();
	test_payloads();
	test_out();
	eio_sid_new(a);
	eio_sid_new(b);
	ok(strlen(a) == EIO_SID_LEN && strcmp(a, b) != 0 &&
	    strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_") == EIO_SID_LEN, "session ids are random base64url");
	return tap_done();
}
