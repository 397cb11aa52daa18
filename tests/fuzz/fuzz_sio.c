/*
 * libFuzzer target for the decoders of outside input in waqtor-pushd: the
 * first byte picks the Engine.IO websocket frame decoder (text or binary)
 * or the long-polling payload iterator; every text message found is also
 * decoded as a Socket.IO packet.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eio.h"
#include "sio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_sio(const struct eio_packet *p)
{
	struct sio_packet	pk;
	char			err[160];

	if (p->type != EIO_MESSAGE || p->binary)
		return;
	if (sio_decode(p->data, p->len, &pk, err, sizeof err) == 0)
		sio_packet_clear(&pk);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eio_packet	 p;
	const char		*buf = (const char *)data + 1;
	unsigned char		*scratch;
	size_t			 len, off = 0;

	if (size < 1)
		return 0;
	len = size - 1;
	switch (data[0] % 3) {
	case 0:
	case 1:
		if (eio_decode_frame(buf, len, data[0] % 3, &p) == 0)
			fuzz_sio(&p);
		break;
	default:
		scratch = malloc(len + 1);
		while (eio_payload_next(buf, len, &off, scratch, len + 1,
		    &p) == 1)
			fuzz_sio(&p);
		free(scratch);
		break;
	}
	return 0;
}
