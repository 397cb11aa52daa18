/*
 * The Socket.IO v5 codec (the packet inside an Engine.IO message):
 *
 *   <type>[<attachments>-][<namespace>,][<ack id>][<JSON data>]
 *
 * sio_decode() follows socket.io-parser 4: the namespace defaults to "/",
 * the data must be valid for the type (CONNECT: an object or nothing;
 * DISCONNECT: nothing; CONNECT_ERROR: a string or an object; EVENT: an array
 * whose first element is a non-reserved event name; ACK: an array) and
 * placeholders of binary packets must name an announced attachment. JSON
 * goes through jsonx (strict, depth-capped). Pure code: unit-tested in
 * tests/unit/test_sio.c and fuzzed by fuzz_sio.
 */
#ifndef WAQTOR_PUSHD_SIO_H
#define WAQTOR_PUSHD_SIO_H

#include <stddef.h>

#include <json-c/json.h>

enum sio_type {
	SIO_CONNECT = 0,
	SIO_DISCONNECT,
	SIO_EVENT,
	SIO_ACK,
	SIO_CONNECT_ERROR,
	SIO_BINARY_EVENT,
	SIO_BINARY_ACK,
	SIO__COUNT
};

#define SIO_NSP_MAX		64	/* longest namespace, with the NUL */
#define SIO_MAX_ATTACHMENTS	16
#define SIO_MAX_ACK_ID		999999999999999LL
#define SIO_JSON_DEPTH		16

struct sio_packet {
	enum sio_type		 type;
	int			 attachments;
	char			 nsp[SIO_NSP_MAX];
	long long		 id;		/* -1: no ack wanted */
	struct json_object	*data;		/* NULL when absent; owned */
	const char		*json;		/* the data's text in the input */
	size_t			 json_len;
};

/*
 * Decodes buf[0..len). On success fills p (release with sio_packet_clear)
 * and returns 0; -1 with a short reason in err for a malformed packet.
 */
int sio_decode(const char *buf, size_t len, struct sio_packet *p, char *err,
    size_t errlen) __attribute__((warn_unused_result));
void sio_packet_clear(struct sio_packet *p);

/*
 * Encodes a packet into out[0..outlen) (no NUL): json is the data's text
 * (NULL for none), id < 0 for none. Returns the length, or -1 when it does
 * not fit. sio_encoded_len() is the exact size it needs.
 */
size_t sio_encoded_len(enum sio_type type, int attachments, const char *nsp,
    long long id, size_t json_len);
int sio_encode(char *out, size_t outlen, enum sio_type type, int attachments,
    const char *nsp, long long id, const char *json, size_t json_len)
    __attribute__((warn_unused_result));

/* 1 when name is an event name a client may not emit (connect, ...). */
int sio_reserved_event(const char *name);

#endif
