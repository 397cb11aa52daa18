/*
 * The Engine.IO v4 codec: packets of one WebSocket frame, HTTP long-polling
 * payloads (packets joined with 0x1e, binary ones as "b" + base64), and the
 * outbound frame that both transports send.
 *
 * Decoding never allocates except for base64 (into a caller's buffer) and
 * never trusts a length: every input is a (pointer, length) pair. Pure code,
 * no I/O: unit-tested in tests/unit/test_eio.c, fuzzed by fuzz_sio.
 */
#ifndef WAQTOR_PUSHD_EIO_H
#define WAQTOR_PUSHD_EIO_H

#include <stddef.h>

enum eio_type {
	EIO_OPEN = 0,
	EIO_CLOSE,
	EIO_PING,
	EIO_PONG,
	EIO_MESSAGE,
	EIO_UPGRADE,
	EIO_NOOP,
	EIO__COUNT
};

#define EIO_SEPARATOR	'\x1e'
#define EIO_SID_LEN	20		/* base64url of 15 random bytes */
/* Headroom before an outbound frame's bytes (libwebsockets' LWS_PRE). */
#define EIO_FRAME_PRE	16

/* One decoded packet; data points into the input (or the caller's buffer). */
struct eio_packet {
	enum eio_type	 type;
	int		 binary;	/* a binary message */
	const char	*data;
	size_t		 len;
};

/*
 * A WebSocket frame from a client. Text: a type digit and its data. Binary:
 * a message. -1 for an empty text frame or an unknown type.
 */
int eio_decode_frame(const char *buf, size_t len, int binary,
    struct eio_packet *p) __attribute__((warn_unused_result));

/*
 * Iterates over the packets of a long-polling payload: call with *off = 0,
 * then again while it returns 1. A binary packet is base64-decoded into
 * scratch (at least len bytes of buf). Returns 1 with a packet, 0 at the
 * end, -1 on a malformed packet (empty, unknown type, bad base64).
 */
int eio_payload_next(const char *buf, size_t len, size_t *off,
    unsigned char *scratch, size_t scratch_len, struct eio_packet *p)
    __attribute__((warn_unused_result));

/*
 * An outbound packet, encoded once and shared (reference-counted) by every
 * session that sends it. data[EIO_FRAME_PRE ...] holds, for text, the type
 * digit and the data; for binary, the raw bytes.
 */
struct eio_frame {
	unsigned	 refs;
	int		 binary;
	size_t		 len;
	unsigned char	 data[];
};

/* A new frame (one reference) of type followed by len bytes of data. */
struct eio_frame *eio_frame_text(enum eio_type type, const char *data,
    size_t len);
/* A new binary message frame holding a copy of len bytes. */
struct eio_frame *eio_frame_binary(const void *data, size_t len);
/* A frame with room for len bytes after the type digit, filled by the caller. */
struct eio_frame *eio_frame_alloc(enum eio_type type, size_t len);
struct eio_frame *eio_frame_ref(struct eio_frame *f);
void eio_frame_unref(struct eio_frame *f);
/* The bytes to send. */
static inline unsigned char *
eio_frame_bytes(struct eio_frame *f)
{
	return f->data + EIO_FRAME_PRE;
}

/*
 * Bytes a frame takes in a long-polling payload (text as is, binary as
 * "b" + base64), and the encoding itself into out (that many bytes free).
 */
size_t eio_payload_size(const struct eio_frame *f);
size_t eio_payload_put(const struct eio_frame *f, char *out);

/* Open packet data: {"sid","upgrades","pingInterval","pingTimeout","maxPayload"}. */
int eio_open_json(char *out, size_t outlen, const char *sid, int can_upgrade,
    long ping_interval, long ping_timeout, long max_payload)
    __attribute__((warn_unused_result));

/* A new random session id into sid[EIO_SID_LEN + 1]. */
void eio_sid_new(char *sid);

#endif
