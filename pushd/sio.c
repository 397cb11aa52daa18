#include "sio.h"

#include <stdio.h>
#include <string.h>

#include "jsonx.h"

static const char *const sio_reserved[] = {
	"connect", "connect_error", "disconnect", "disconnecting",
	"newListener", "removeListener",
};

int
sio_reserved_event(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof sio_reserved / sizeof sio_reserved[0]; i++) {
		if (strcmp(sio_reserved[i], name) == 0)
			return 1;
	}
	return 0;
}

/* Every {"_placeholder":true,"num":N} must have N < attachments. */
static int
sio_placeholders_ok(struct json_object *v, int attachments, int depth)
{
	struct json_object	*ph, *num;
	size_t			 i, n;

	if (depth > SIO_JSON_DEPTH)
		return 0;
	switch (json_object_get_type(v)) {
	case json_type_object:
		if (json_object_object_get_ex(v, "_placeholder", &ph) &&
		    json_object_get_boolean(ph)) {
			if (!json_object_object_get_ex(v, "num", &num) ||
			    !json_object_is_type(num, json_type_int))
				return 0;
			return json_object_get_int64(num) >= 0 &&
			    json_object_get_int64(num) < attachments;
		}
		json_object_object_foreach(v, key, child) {
			(void)key;
			if (!sio_placeholders_ok(child, attachments,
			    depth + 1))
				return 0;
		}
		return 1;
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			if (!sio_placeholders_ok(json_object_array_get_idx(v,
			    i), attachments, depth + 1))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

static int
sio_data_valid(const struct sio_packet *p)
{
	struct json_object	*d = p->data, *first;
	enum json_type		 t = d != NULL ? json_object_get_type(d) :
				    json_type_null;

	switch (p->type) {
	case SIO_CONNECT:
		return d == NULL || t == json_type_object;
	case SIO_DISCONNECT:
		return p->json == NULL;
	case SIO_CONNECT_ERROR:
		return t == json_type_string || t == json_type_object;
	case SIO_EVENT:
	case SIO_BINARY_EVENT:
		if (t != json_type_array || json_object_array_length(d) == 0)
			return 0;
		first = json_object_array_get_idx(d, 0);
		if (json_object_is_type(first, json_type_int))
			return 1;
		return json_object_is_type(first, json_type_string) &&
		    !sio_reserved_event(json_object_get_string(first));
	case SIO_ACK:
	case SIO_BINARY_ACK:
		return t == json_type_array;
	default:
		return 0;
	}
}

int
sio_decode(const char *buf, size_t len, struct sio_packet *p, char *err,
    size_t errlen)
{
	size_t	i = 1, start;
	char	jerr[128];
	int	n;

	memset(p, 0, sizeof *p);
	p->id = -1;
	if (len == 0 || buf[0] < '0' || buf[0] >= '0' + SIO__COUNT) {
		snprintf(err, errlen, "unknown packet type");
		return -1;
	}
	p->type = (enum sio_type)(buf[0] - '0');

	if (p->type == SIO_BINARY_EVENT || p->type == SIO_BINARY_ACK) {
		for (n = 0; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
			n = n * 10 + (buf[i] - '0');
			if (n > SIO_MAX_ATTACHMENTS)
				break;
		}
		if (i == 1 || i >= len || buf[i] != '-' ||
		    n > SIO_MAX_ATTACHMENTS) {
			snprintf(err, errlen, "illegal attachments");
			return -1;
		}
		p->attachments = n;
		i++;
	}

	if (i < len && buf[i] == '/') {
		for (start = i; i < len && buf[i] != ','; i++)
			;
		if (i - start >= SIO_NSP_MAX) {
			snprintf(err, errlen, "namespace too long");
			return -1;
		}
		memcpy(p->nsp, buf + start, i - start);
		p->nsp[i - start] = '\0';
		if (i < len)
			i++;	/* the comma */
	} else
		strcpy(p->nsp, "/");

	if (i < len && buf[i] >= '0' && buf[i] <= '9') {
		for (p->id = 0; i < len && buf[i] >= '0' && buf[i] <= '9';
		    i++) {
			p->id = p->id * 10 + (buf[i] - '0');
			if (p->id > SIO_MAX_ACK_ID) {
				snprintf(err, errlen, "ack id too large");
				return -1;
			}
		}
	}

	if (i < len) {
		p->json = buf + i;
		p->json_len = len - i;
		if (jsonx_parse(p->json, p->json_len, SIO_JSON_DEPTH, &p->data,
		    jerr, sizeof jerr) == -1) {
			snprintf(err, errlen, "invalid payload: %s", jerr);
			return -1;
		}
	}
	if (!sio_data_valid(p)) {
		snprintf(err, errlen, "invalid payload");
		goto fail;
	}
	if (p->attachments > 0 && !sio_placeholders_ok(p->data,
	    p->attachments, 0)) {
		snprintf(err, errlen, "illegal attachments");
		goto fail;
	}
	return 0;
fail:
	sio_packet_clear(p);
	return -1;
}

void
sio_packet_clear(struct sio_packet *p)
{
	json_object_put(p->data);
	p->data = NULL;
}

size_t
sio_encoded_len(enum sio_type type, int attachments, const char *nsp,
    long long id, size_t json_len)
{
	char	tmp[32];
	size_t	n = 1;

	if (type == SIO_BINARY_EVENT || type == SIO_BINARY_ACK)
		n += (size_t)snprintf(tmp, sizeof tmp, "%d-", attachments);
	if (strcmp(nsp, "/") != 0)
		n += strlen(nsp) + 1;
	if (id >= 0)
		n += (size_t)snprintf(tmp, sizeof tmp, "%lld", id);
	return n + json_len;
}

int
sio_encode(char *out, size_t outlen, enum sio_type type, int attachments,
    const char *nsp, long long id, const char *json, size_t json_len)
{
	size_t	need = sio_encoded_len(type, attachments, nsp, id, json_len);
	size_t	i = 0;
	char	tmp[32];
	int	n;

	if (need > outlen)
		return -1;
	out[i++] = (char)('0' + type);
	if (type == SIO_BINARY_EVENT || type == SIO_BINARY_ACK) {
		n = snprintf(tmp, sizeof tmp, "%d-", attachments);
		memcpy(out + i, tmp, (size_t)n);
		i += (size_t)n;
	}
	if (strcmp(nsp, "/") != 0) {
		memcpy(out + i, nsp, strlen(nsp));
		i += strlen(nsp);
		out[i++] = ',';
	}
	if (id >= 0) {
		n = snprintf(tmp, sizeof tmp, "%lld", id);
		memcpy(out + i, tmp, (size_t)n);
		i += (size_t)n;
	}
	if (json_len > 0)
		memcpy(out + i, json, json_len);
	return (int)need;
}
