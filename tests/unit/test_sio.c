/* The Socket.IO v5 codec: every packet type, namespaces, acks, binary. */
#include <string.h>

#include "jsonx.h"
#include "sio.h"
#include "tap.h"

static int
dec(const char *s, struct sio_packet *p)
{
	char	err[160];

	return sio_decode(s, strlen(s), p, err, sizeof err);
}

static void
test_decode(void)
{
	struct sio_packet	p;

	ok(dec("0", &p) == 0 && p.type == SIO_CONNECT &&
	    strcmp(p.nsp, "/") == 0 && p.data == NULL && p.id == -1,
	    "CONNECT to / without auth");
	ok(dec("0/status,{\"token\":\"x\"}", &p) == 0 &&
	    strcmp(p.nsp, "/status") == 0 &&
	    strcmp(jsonx_get_str(p.data, "token"), "x") == 0,
	    "CONNECT with a namespace and auth");
	sio_packet_clear(&p);
	ok(dec("0/status,", &p) == 0 && p.data == NULL,
	    "CONNECT with a namespace and nothing after the comma");
	ok(dec("0/status", &p) == 0 && strcmp(p.nsp, "/status") == 0,
	    "CONNECT with a namespace and no comma");
	ok(dec("0/status,[1]", &p) == -1, "CONNECT with an array is refused");
	ok(dec("0/status,\"s\"", &p) == -1, "CONNECT with a string is refused");
	ok(dec("1/status,", &p) == 0 && p.type == SIO_DISCONNECT,
	    "DISCONNECT");
	ok(dec("1/status,{}", &p) == -1, "DISCONNECT with data is refused");
	ok(dec("2[\"ping\"]", &p) == 0 && p.type == SIO_EVENT && p.id == -1,
	    "EVENT on /");
	sio_packet_clear(&p);
	ok(dec("2/status,12[\"ping\",{\"a\":1}]", &p) == 0 && p.id == 12 &&
	    json_object_array_length(p.data) == 2, "EVENT with an ack id");
	sio_packet_clear(&p);
	ok(dec("2[]", &p) == -1, "an EVENT without a name is refused");
	ok(dec("2[{}]", &p) == -1, "an EVENT named by an object is refused");
	ok(dec("2[\"connect\"]", &p) == -1, "a reserved event name is refused");
	ok(dec("2[\"disconnecting\"]", &p) == -1, "disconnecting is reserved");
	ok(dec("2{\"a\":1}", &p) == -1, "an EVENT with an object is refused");
	ok(dec("2", &p) == -1, "an EVENT without data is refused");
	ok(dec("3/status,7[]", &p) == 0 && p.type == SIO_ACK && p.id == 7,
	    "ACK");
	sio_packet_clear(&p);
	ok(dec("3/status,7{}", &p) == -1, "an ACK with an object is refused");
	ok(dec("4{\"message\":\"m\"}", &p) == 0 && p.type ==
	    SIO_CONNECT_ERROR, "CONNECT_ERROR with an object");
	sio_packet_clear(&p);
	ok(dec("4\"m\"", &p) == 0, "CONNECT_ERROR with a string");
	sio_packet_clear(&p);
	ok(dec("51-[\"echo\",{\"_placeholder\":true,\"num\":0}]", &p) == 0 &&
	    p.type == SIO_BINARY_EVENT && p.attachments == 1,
	    "BINARY_EVENT with one attachment");
	sio_packet_clear(&p);
	ok(dec("52-/status,3[\"echo\",{\"_placeholder\":true,\"num\":1},"
	    "{\"_placeholder\":true,\"num\":0}]", &p) == 0 && p.id == 3 &&
	    p.attachments == 2 && strcmp(p.nsp, "/status") == 0,
	    "BINARY_EVENT with a namespace, an id and two attachments");
	sio_packet_clear(&p);
	ok(dec("51-[\"echo\",{\"_placeholder\":true,\"num\":1}]", &p) == -1,
	    "a placeholder past the attachments is refused");
	ok(dec("51-[\"echo\",{\"_placeholder\":true,\"num\":\"0\"}]", &p) == -1,
	    "a placeholder with a string num is refused");
	ok(dec("5[\"echo\"]", &p) == -1, "BINARY_EVENT without a count is refused");
	ok(dec("5x-[\"echo\"]", &p) == -1, "a non-numeric count is refused");
	ok(dec("599-[\"echo\"]", &p) == -1, "too many attachments are refused");
	ok(dec("61-/status,4[{\"_placeholder\":true,\"num\":0}]", &p) == 0 &&
	    p.type == SIO_BINARY_ACK && p.id == 4, "BINARY_ACK");
	sio_packet_clear(&p);
	ok(dec("", &p) == -1, "an empty packet is refused");
	ok(dec("7", &p) == -1, "type 7 is refused");
	ok(dec("x", &p) == -1, "a letter is refused");
	ok(dec("2[\"a\"", &p) == -1, "truncated JSON is refused");
	ok(dec("2['a']", &p) == -1, "single quotes are refused");
	ok(dec("2[\"a\",NaN]", &p) == -1, "NaN is refused");
	ok(dec("2[\"\xff\"]", &p) == -1, "invalid UTF-8 is refused");
	ok(dec("21234567890123456[\"a\"]", &p) == -1, "a huge ack id is refused");
	ok(dec("0/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaa,", &p) == -1, "a too long namespace is refused");
	ok(dec("2[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"a\"]]]]]]]]]]]]]]]]]]]"
	    "]]]]]]]]]]]]]]]]]]]", &p) == -1, "deep nesting is refused");
	ok(sio_reserved_event("newListener") && !sio_reserved_event("ping"),
	    "reserved names");
}

static void
enc_is(enum sio_type t, int att, const char *nsp, long long id,
    const char *json, const char *want, const char *name)
{
	char	out[256];
	size_t	n = sio_encoded_len(t, att, nsp, id, json ? strlen(json) : 0);
	int	rc = sio_encode(out, sizeof out, t, att, nsp, id, json,
		    json ? strlen(json) : 0);

	ok(rc >= 0 && (size_t)rc == n, "encoded length matches");
	out[rc >= 0 ? rc : 0] = '\0';
	is_str(out, want, name);
}

static void
test_encode(void)
{
	char	small[4];

	enc_is(SIO_CONNECT, 0, "/status", -1, "{\"sid\":\"a\"}",
	    "0/status,{\"sid\":\"a\"}", "CONNECT answer");
	enc_is(SIO_CONNECT, 0, "/", -1, "{}", "0{}", "CONNECT on /");
	enc_is(SIO_DISCONNECT, 0, "/campaigns", -1, NULL, "1/campaigns,",
	    "DISCONNECT");
	enc_is(SIO_EVENT, 0, "/status", -1, "[\"pong\",{}]",
	    "2/status,[\"pong\",{}]", "EVENT");
	enc_is(SIO_ACK, 0, "/status", 42, "[1]", "3/status,42[1]", "ACK");
	enc_is(SIO_CONNECT_ERROR, 0, "/nope", -1,
	    "{\"message\":\"Invalid namespace\"}",
	    "4/nope,{\"message\":\"Invalid namespace\"}", "CONNECT_ERROR");
	enc_is(SIO_BINARY_EVENT, 2, "/status", -1, "[\"e\"]",
	    "52-/status,[\"e\"]", "BINARY_EVENT");
	enc_is(SIO_BINARY_ACK, 1, "/", 0, "[]", "61-0[]", "BINARY_ACK");
	ok(sio_encode(small, sizeof small, SIO_EVENT, 0, "/status", -1, "[]",
	    2) == -1, "a too small buffer is refused");
}

int
main(void)
{
	test_decode();
	test_encode();
	return tap_done();
}
