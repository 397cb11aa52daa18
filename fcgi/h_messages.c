/*
 * Messages: sending (the seed's sendText/sendMedia, plus interactive and
 * template messages) and reading. A send inserts an outbox row and wakes the
 * engine (NOTIFY) in one transaction, and answers 202 at once; the engine
 * moves the row through pending → sent → delivered → read (or failed), each
 * change published as message.sent. An Idempotency-Key header makes a
 * retried POST return the first answer and send once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "handlers.h"
#include "jsonx.h"
#include "media.h"
#include "multipart.h"
#include "token.h"
#include "util.h"
#include "validate.h"
#include "xmalloc.h"

#define IDEMPOTENCY_KEY_MAX	128
#define MESSAGES_PAGE_MAX	200
#define CHATS_PAGE_MAX		200

/* The chat id ("<digits>@c.us") of "to" (E.164, + optional) or "chatId". */
static int
recipient(struct req *r, struct json_object *in, char *chat, size_t len)
{
	const char		*to = jsonx_get_str(in, "to");
	const char		*id = jsonx_get_str(in, "chatId");
	struct json_object	*details;
	size_t			 digits;

	if ((to == NULL) == (id == NULL)) {
		details = json_object_new_object();
		jsonx_add_str(details, "to", "give either to or chatId");
		validate_fail(r, details);
		return -1;
	}
	if (to != NULL && *to == '+')
		to++;
	if (to == NULL)
		to = id;
	digits = strspn(to, "0123456789");
	if (digits < 7 || digits > 15 || (id == NULL && to[digits] != '\0') ||
	    (id != NULL && strcmp(to + digits, "@c.us") != 0)) {
		details = json_object_new_object();
		jsonx_add_str(details, id != NULL ? "chatId" : "to", id != NULL ?
		    "must look like 966501234567@c.us" :
		    "must be a phone number in E.164 form, e.g. +966501234567");
		validate_fail(r, details);
		return -1;
	}
	snprintf(chat, len, "%.*s@c.us", (int)digits, to);
	return 0;
}

static int
url_ok(const char *s)
{
	return s != NULL && (strncmp(s, "https://", 8) == 0 ||
	    strncmp(s, "http://", 7) == 0) && strlen(s) <= 2048 &&
	    strpbrk(s, " \t\r\n\"<>") == NULL;
}

/*
 * Looks up Idempotency-Key: 1 when the first answer was sent again (or a
 * reuse with another request refused), 0 to go on (with key and the
 * request's hash set when a key was given), -1 when answered otherwise.
 */
static int
idempotency_replay(struct req *r, const char **key, char *hash, size_t hashlen)
{
	const char	*params[2];
	char		*request;
	PGresult	*res;

	*key = http_param(r, "HTTP_IDEMPOTENCY_KEY");
	if (*key == NULL)
		return 0;
	if (**key == '\0' || strlen(*key) > IDEMPOTENCY_KEY_MAX ||
	    strspn(*key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._:-") != strlen(*key)) {
		http_respond_error(r, 400, "bad_request", "Idempotency-Key must "
		    "be 1 to 128 letters, digits or ._:-", NULL);
		return -1;
	}
	/* the same key with another endpoint or body is a client bug */
	request = xasprintf("%s\n%s", r->path, r->body != NULL ? r->body : "");
	token_hash_bytea(request, hash, hashlen);
	free(request);
	params[0] = *key;
	params[1] = hash;
	if ((res = api_query(r, "SELECT status, response, request_hash = "
	    "$2::bytea FROM idempotency_keys WHERE key = $1", 2, params)) == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	if (strcmp(PQgetvalue(res, 0, 2), "t") != 0)
		http_respond_error(r, 422, "idempotency_mismatch", "this "
		    "Idempotency-Key was used with another request", NULL);
	else if (http_add_header(r, "Idempotent-Replayed", "true") == 0)
		http_respond_raw(r, atoi(PQgetvalue(res, 0, 0)),
		    "application/json", PQgetvalue(res, 0, 1),
		    (size_t)PQgetlength(res, 0, 1));
	PQclear(res);
	return 1;
}

/*
 * Queues one outbound message of type with content (taken over) and
 * answers 202 {"messageId","timestamp","status":"pending"}.
 */
static void
enqueue(struct req *r, struct json_object *in, const char *type,
    struct json_object *content)
{
	const char		*key, *params[5];
	char			 chat[32], hash[2 * TOKEN_HASH_LEN + 3];
	struct json_object	*body;
	PGresult		*res;
	int			 replay;

	if ((replay = idempotency_replay(r, &key, hash, sizeof hash)) != 0 ||
	    recipient(r, in, chat, sizeof chat) == -1)
		goto out;
	params[0] = jsonx_get_str(in, "instanceId");
	params[1] = chat;
	params[2] = type;
	params[3] = jsonx_string(content);
	if ((res = api_query(r, "WITH i AS (SELECT id, tenant_id FROM instances "
	    "WHERE id = $1::uuid), m AS (INSERT INTO messages (tenant_id, instance_id, "
	    "direction, chat_id, type, content) SELECT tenant_id, id, 'out', $2, "
	    "$3, $4 FROM i RETURNING id, created_at) SELECT m.id, m.created_at, "
	    "pg_notify('waqtor_outbox', $1::text) FROM m", 4, params)) == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		PQclear(res);
		http_respond_error(r, 404, "not_found", "no such instance", NULL);
		goto out;
	}
	body = json_object_new_object();
	jsonx_add_str(body, "messageId", PQgetvalue(res, 0, 0));
	api_add_time(body, "timestamp", PQgetvalue(res, 0, 1));
	jsonx_add_str(body, "status", "pending");
	PQclear(res);
	if (key != NULL) {
		params[0] = key;
		params[1] = hash;
		params[2] = jsonx_string(body);
		if ((res = api_query_conflict(r, "a request with this "
		    "Idempotency-Key is in progress", "INSERT INTO "
		    "idempotency_keys (tenant_id, key, request_hash, status, "
		    "response) VALUES (current_setting('waqtor.tenant_id')::uuid, "
		    "$1, $2::bytea, 202, $3)", 3, params)) == NULL) {
			json_object_put(body);
			goto out;
		}
		PQclear(res);
	}
	http_respond_json(r, 202, body);
out:
	json_object_put(content);
}

#define RECIPIENT_FIELDS \
	{ "instanceId", V_UUID, 1, 0, 0, NULL }, \
	{ "to", V_STRING, 0, 1, 20, NULL }, \
	{ "chatId", V_STRING, 0, 1, 40, NULL }

void
h_send_text(struct req *r)
{
	static const struct vfield fields[] = {
		RECIPIENT_FIELDS,
		{ "text", V_TEXT, 1, 1, 4096, NULL },
		{ "quotedMessageId", V_STRING, 0, 1, 200, NULL },
		{ "mentionedIds", V_STRINGS, 0, 0, 50, NULL },
	};
	struct json_object	*in, *content, *v;

	if (validate_body(r, fields, 6, &in) == -1)
		return;
	content = json_object_new_object();
	jsonx_add_str(content, "text", jsonx_get_str(in, "text"));
	if (json_object_object_get_ex(in, "quotedMessageId", &v))
		json_object_object_add(content, "quotedMessageId",
		    json_object_get(v));
	if (json_object_object_get_ex(in, "mentionedIds", &v))
		json_object_object_add(content, "mentionedIds",
		    json_object_get(v));
	enqueue(r, in, "text", content);
	json_object_put(in);
}

/*
 * The multipart form of send-media: text fields plus a "file" part. The file
 * is checked by its bytes, stored, and sent by its public URL. Builds the
 * same object the JSON form carries; NULL when answered.
 */
static struct json_object *
media_form(struct req *r)
{
	static const char *const names[] = { "instanceId", "to", "chatId",
	    "type", "caption", "filename", NULL };
	struct mpart		 parts[MULTIPART_MAX_PARTS];
	const struct mpart	*file, *type;
	struct json_object	*in, *details;
	const char		*ctype;
	char			 url[512], field[1100];
	size_t			 max;
	int			 n, i;

	n = multipart_parse(http_param(r, "CONTENT_TYPE"), r->body, r->body_len,
	    parts, MULTIPART_MAX_PARTS);
	if (n == -1 || (file = multipart_find(parts, n, "file")) == NULL ||
	    (type = multipart_find(parts, n, "type")) == NULL) {
		http_respond_error(r, 400, "bad_request", "send the form fields "
		    "and the file in a part named \"file\"", NULL);
		return NULL;
	}
	in = json_object_new_object();
	for (i = 0; names[i] != NULL; i++) {
		const struct mpart *p = multipart_find(parts, n, names[i]);

		if (p == NULL)
			continue;
		if (p->len >= sizeof field ||
		    !jsonx_utf8_valid(p->data, p->len) ||
		    memchr(p->data, '\0', p->len) != NULL) {
			details = json_object_new_object();
			jsonx_add_str(details, names[i], "is too long or not text");
			validate_fail(r, details);
			json_object_put(in);
			return NULL;
		}
		snprintf(field, sizeof field, "%.*s", (int)p->len, p->data);
		jsonx_add_str(in, names[i], field);
	}
	snprintf(field, sizeof field, "%.*s", (int)type->len, type->data);
	if ((ctype = media_check(field, file->data, file->len, &max)) == NULL) {
		json_object_put(in);
		if (max > 0 && file->len > max)
			http_respond_error(r, 413, "payload_too_large",
			    "the file is over the size WhatsApp takes for this "
			    "type", NULL);
		else
			http_respond_error(r, 415, "unsupported_media_type",
			    "the file is not of a kind WhatsApp takes for this "
			    "type", NULL);
		return NULL;
	}
	if (jsonx_get_str(in, "filename") == NULL && file->filename[0] != '\0')
		jsonx_add_str(in, "filename", file->filename);
	if (media_store(r, ctype, jsonx_get_str(in, "filename"), file->data,
	    file->len, url, sizeof url) == -1) {
		json_object_put(in);
		return NULL;
	}
	jsonx_add_str(in, "url", url);
	return in;
}

void
h_send_media(struct req *r)
{
	static const char *const types[] = { "image", "video", "audio",
	    "document", "sticker", NULL };
	static const struct vfield fields[] = {
		RECIPIENT_FIELDS,
		{ "type", V_ENUM, 1, 0, 0, types },
		{ "url", V_STRING, 1, 1, 2048, NULL },
		{ "caption", V_TEXT, 0, 0, 1024, NULL },
		{ "filename", V_STRING, 0, 1, 240, NULL },
	};
	const char		*ct = http_param(r, "CONTENT_TYPE");
	struct json_object	*in, *content, *details;

	if (ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0) {
		if ((in = media_form(r)) == NULL)
			return;
		details = json_object_new_object();
		if (validate_object(in, fields, 7, "", details) == -1) {
			validate_fail(r, details);
			json_object_put(in);
			return;
		}
		json_object_put(details);
	} else if (validate_body(r, fields, 7, &in) == -1)
		return;
	if (!url_ok(jsonx_get_str(in, "url"))) {
		details = json_object_new_object();
		jsonx_add_str(details, "url", "must be an http(s) URL");
		validate_fail(r, details);
		json_object_put(in);
		return;
	}
	content = json_object_new_object();
	jsonx_add_str(content, "url", jsonx_get_str(in, "url"));
	if (jsonx_get_str(in, "caption") != NULL)
		jsonx_add_str(content, "caption", jsonx_get_str(in, "caption"));
	if (jsonx_get_str(in, "filename") != NULL)
		jsonx_add_str(content, "filename", jsonx_get_str(in, "filename"));
	enqueue(r, in, jsonx_get_str(in, "type"), content);
	json_object_put(in);
}

void
h_send_interactive(struct req *r)
{
	static const struct vfield fields[] = {
		RECIPIENT_FIELDS,
		{ "interactive", V_OBJECT, 1, 0, 0, NULL },
	};
	static const char *const kinds[] = { "button", "list", NULL };
	static const struct vfield interactive[] = {
		{ "type", V_ENUM, 1, 0, 0, kinds },
		{ "body", V_OBJECT, 1, 0, 0, NULL },
		{ "action", V_OBJECT, 1, 0, 0, NULL },
		{ "header", V_OBJECT, 0, 0, 0, NULL },
		{ "footer", V_OBJECT, 0, 0, 0, NULL },
	};
	struct json_object	*in, *obj, *details;

	if (validate_body(r, fields, 4, &in) == -1)
		return;
	json_object_object_get_ex(in, "interactive", &obj);
	details = json_object_new_object();
	if (validate_object(obj, interactive, 5, "interactive.", details) == -1) {
		validate_fail(r, details);
		json_object_put(in);
		return;
	}
	json_object_put(details);
	enqueue(r, in, "interactive", json_object_get(obj));
	json_object_put(in);
}

void
h_send_template(struct req *r)
{
	static const struct vfield fields[] = {
		RECIPIENT_FIELDS,
		{ "template", V_OBJECT, 1, 0, 0, NULL },
	};
	static const struct vfield tmpl[] = {
		{ "name", V_STRING, 1, 1, 512, NULL },
		{ "language", V_STRING, 1, 2, 15, NULL },
		{ "components", V_ARRAY, 0, 0, 10, NULL },
	};
	struct json_object	*in, *obj, *details;

	if (validate_body(r, fields, 4, &in) == -1)
		return;
	json_object_object_get_ex(in, "template", &obj);
	details = json_object_new_object();
	if (validate_object(obj, tmpl, 3, "template.", details) == -1) {
		validate_fail(r, details);
		json_object_put(in);
		return;
	}
	json_object_put(details);
	enqueue(r, in, "template", json_object_get(obj));
	json_object_put(in);
}

#define MESSAGE_COLUMNS "id, instance_id, chat_id, direction, type, content, " \
	"status, provider_id, error, created_at, updated_at, sent_at, " \
	"delivered_at, read_at, contact_name"

static struct json_object *
message_json(PGresult *res, int i)
{
	struct json_object	*m = json_object_new_object(), *v = NULL;
	char			 err[32];
	static const char *const times[] = { "createdAt", "updatedAt",
	    "sentAt", "deliveredAt", "readAt" };
	int			 k;

	jsonx_add_str(m, "id", PQgetvalue(res, i, 0));
	jsonx_add_str(m, "instanceId", PQgetvalue(res, i, 1));
	jsonx_add_str(m, "chatId", PQgetvalue(res, i, 2));
	jsonx_add_str(m, "direction", PQgetvalue(res, i, 3));
	jsonx_add_str(m, "type", PQgetvalue(res, i, 4));
	if (jsonx_parse(PQgetvalue(res, i, 5), (size_t)PQgetlength(res, i, 5),
	    JSONX_MAX_DEPTH, &v, err, sizeof err) == -1)
		v = json_object_new_object();
	json_object_object_add(m, "content", v);
	jsonx_add_str(m, "status", PQgetvalue(res, i, 6));
	jsonx_add_str(m, "providerId", api_value(res, i, 7));
	v = NULL;
	if (!PQgetisnull(res, i, 8) && jsonx_parse(PQgetvalue(res, i, 8),
	    (size_t)PQgetlength(res, i, 8), JSONX_MAX_DEPTH, &v, err,
	    sizeof err) == -1)
		v = NULL;
	json_object_object_add(m, "error", v);
	for (k = 0; k < 5; k++)
		api_add_time(m, times[k], api_value(res, i, 9 + k));
	jsonx_add_str(m, "contactName", api_value(res, i, 14));
	return m;
}

void
h_messages_get(struct req *r)
{
	const char	*params[1];
	PGresult	*res;

	if ((params[0] = api_uuid_param(r, "id", "message")) == NULL)
		return;
	if ((res = api_query(r, "SELECT " MESSAGE_COLUMNS " FROM messages "
	    "WHERE id = $1", 1, params)) == NULL)
		return;
	if (PQntuples(res) != 1)
		http_respond_error(r, 404, "not_found", "no such message", NULL);
	else
		http_respond_json(r, 200, message_json(res, 0));
	PQclear(res);
}

static int
is_direction(const char *s)
{
	return strcmp(s, "in") == 0 || strcmp(s, "out") == 0;
}

/* a chat filter: "<1 to 20 digits>@c.us" */
static int
is_chat_id(const char *s)
{
	size_t	digits = strspn(s, "0123456789");

	return digits >= 1 && digits <= 20 && strcmp(s + digits, "@c.us") == 0;
}

static int
is_status(const char *s)
{
	static const char *const all[] = { "pending", "sent", "delivered",
	    "read", "failed", "received", NULL };
	int	i;

	for (i = 0; all[i] != NULL; i++) {
		if (strcmp(all[i], s) == 0)
			return 1;
	}
	return 0;
}

void
h_messages_list(struct req *r)
{
	char			 inst[40], chat[48], dir[8], status[12];
	char			 since[40], until[40], cursor[40], limit[8];
	char			 since_utc[40], until_utc[40];
	const char		*params[8];
	struct json_object	*body, *items;
	PGresult		*res;
	long			 n;
	int			 i;

	if (query_filter(r, "instanceId", inst, sizeof inst, util_is_uuid) == 1 ||
	    query_filter(r, "chatId", chat, sizeof chat, is_chat_id) == 1 ||
	    query_filter(r, "direction", dir, sizeof dir, is_direction) == 1 ||
	    query_filter(r, "status", status, sizeof status, is_status) == 1 ||
	    query_filter(r, "since", since, sizeof since, util_is_rfc3339) == 1 ||
	    query_filter(r, "until", until, sizeof until, util_is_rfc3339) == 1 ||
	    query_filter(r, "cursor", cursor, sizeof cursor, util_is_uuid) == 1 ||
	    (n = query_long(r, "limit", 50, MESSAGES_PAGE_MAX)) == -1)
		return;
	params[0] = http_query(r, "instanceId", inst, sizeof inst) == 0 ? inst : NULL;
	params[1] = http_query(r, "chatId", chat, sizeof chat) == 0 ? chat : NULL;
	params[2] = http_query(r, "direction", dir, sizeof dir) == 0 ? dir : NULL;
	params[3] = http_query(r, "status", status, sizeof status) == 0 ? status : NULL;
	/* in UTC: PostgreSQL refuses offsets RFC 3339 allows (beyond 15:59) */
	params[4] = http_query(r, "since", since, sizeof since) == 0 &&
	    util_rfc3339_utc(since, since_utc, sizeof since_utc) == 0 ? since_utc : NULL;
	params[5] = http_query(r, "until", until, sizeof until) == 0 &&
	    util_rfc3339_utc(until, until_utc, sizeof until_utc) == 0 ? until_utc : NULL;
	params[6] = http_query(r, "cursor", cursor, sizeof cursor) == 0 ? cursor : NULL;
	snprintf(limit, sizeof limit, "%ld", n);
	params[7] = limit;
	if ((res = api_query(r, "SELECT " MESSAGE_COLUMNS " FROM messages WHERE "
	    "($1::uuid IS NULL OR instance_id = $1) AND "
	    "($2::text IS NULL OR chat_id = $2) AND "
	    "($3::text IS NULL OR direction = $3) AND "
	    "($4::text IS NULL OR status = $4) AND "
	    "($5::timestamptz IS NULL OR created_at >= $5) AND "
	    "($6::timestamptz IS NULL OR created_at < $6) AND "
	    "($7::uuid IS NULL OR (created_at, id) < (SELECT created_at, id "
	    "FROM messages WHERE id = $7)) "
	    "ORDER BY created_at DESC, id DESC LIMIT $8::int", 8,
	    params)) == NULL)
		return;
	items = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, message_json(res, i));
	body = json_object_new_object();
	json_object_object_add(body, "messages", items);
	jsonx_add_str(body, "nextCursor", PQntuples(res) == n ?
	    PQgetvalue(res, PQntuples(res) - 1, 0) : NULL);
	PQclear(res);
	http_respond_json(r, 200, body);
}

void
h_chats_list(struct req *r)
{
	char			 inst[40], search[512], digits[32], cursor[40];
	char			 limit[8];
	const char		*params[5];
	struct json_object	*body, *items;
	PGresult		*res;
	long			 n;
	int			 i;

	if (query_filter(r, "instanceId", inst, sizeof inst, util_is_uuid) == 1 ||
	    query_filter(r, "search", search, sizeof search, api_is_search) == 1 ||
	    query_filter(r, "cursor", cursor, sizeof cursor, util_is_uuid) == 1 ||
	    (n = query_long(r, "limit", 50, CHATS_PAGE_MAX)) == -1)
		return;
	params[0] = http_query(r, "instanceId", inst, sizeof inst) == 0 ? inst : NULL;
	params[1] = http_query(r, "search", search, sizeof search) == 0 &&
	    *search != '\0' ? search : NULL;
	api_search_digits(params[1] != NULL ? search : "", digits, sizeof digits);
	params[2] = *digits != '\0' ? digits : NULL;
	params[3] = http_query(r, "cursor", cursor, sizeof cursor) == 0 ?
	    cursor : NULL;
	snprintf(limit, sizeof limit, "%ld", n);
	params[4] = limit;
	/* the cursor is the last chat's last message: where that chat stood */
	if ((res = api_query(r, "SELECT c.instance_id, c.chat_id, m.id, "
	    "m.direction, m.type, m.content, m.status, m.created_at, c.unread, "
	    "c.name FROM chats c JOIN messages m ON m.id = c.last_id WHERE "
	    "($1::uuid IS NULL OR c.instance_id = $1) AND "
	    "($2::text IS NULL OR strpos(lower(c.name), lower($2)) > 0 OR "
	    "($3::text IS NOT NULL AND strpos(c.chat_id, $3) > 0)) AND "
	    "($4::uuid IS NULL OR (c.last_at, c.instance_id, c.chat_id) < "
	    "(SELECT created_at, instance_id, chat_id FROM messages WHERE id = "
	    "$4)) ORDER BY c.last_at DESC, c.instance_id DESC, c.chat_id DESC "
	    "LIMIT $5::int", 5, params)) == NULL)
		return;
	items = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		struct json_object	*c = json_object_new_object();
		struct json_object	*last = json_object_new_object(), *v = NULL;
		char			 err[32];

		jsonx_add_str(c, "instanceId", PQgetvalue(res, i, 0));
		jsonx_add_str(c, "chatId", PQgetvalue(res, i, 1));
		jsonx_add_str(last, "id", PQgetvalue(res, i, 2));
		jsonx_add_str(last, "direction", PQgetvalue(res, i, 3));
		jsonx_add_str(last, "type", PQgetvalue(res, i, 4));
		if (jsonx_parse(PQgetvalue(res, i, 5), (size_t)PQgetlength(res,
		    i, 5), JSONX_MAX_DEPTH, &v, err, sizeof err) == -1)
			v = json_object_new_object();
		json_object_object_add(last, "content", v);
		jsonx_add_str(last, "status", PQgetvalue(res, i, 6));
		api_add_time(last, "createdAt", PQgetvalue(res, i, 7));
		json_object_object_add(c, "lastMessage", last);
		jsonx_add_int(c, "unreadCount", atoll(PQgetvalue(res, i, 8)));
		jsonx_add_str(c, "name", api_value(res, i, 9));
		json_object_array_add(items, c);
	}
	body = json_object_new_object();
	json_object_object_add(body, "chats", items);
	jsonx_add_str(body, "nextCursor", PQntuples(res) == n ?
	    PQgetvalue(res, PQntuples(res) - 1, 2) : NULL);
	PQclear(res);
	http_respond_json(r, 200, body);
}

void
h_chats_read(struct req *r)
{
	char			 chat[48], inst[40];
	const char		*raw = route_param(&r->match, "chatId");
	const char		*params[2];
	struct json_object	*body;
	PGresult		*res;

	if (http_unescape(raw, strlen(raw), chat, sizeof chat) == -1 ||
	    strcmp(chat + strspn(chat, "0123456789"), "@c.us") != 0) {
		http_respond_error(r, 404, "not_found", "no such chat", NULL);
		return;
	}
	if (query_filter(r, "instanceId", inst, sizeof inst, util_is_uuid) == 1)
		return;
	params[0] = chat;
	params[1] = http_query(r, "instanceId", inst, sizeof inst) == 0 ? inst : NULL;
	if ((res = api_query(r, "UPDATE messages SET read_by_us = true "
	    "WHERE chat_id = $1 AND direction = 'in' AND NOT read_by_us AND "
	    "($2::uuid IS NULL OR instance_id = $2)", 2, params)) == NULL)
		return;
	body = json_object_new_object();
	jsonx_add_str(body, "chatId", chat);
	jsonx_add_int(body, "marked", atoll(PQcmdTuples(res)));
	PQclear(res);
	http_respond_json(r, 200, body);
}
