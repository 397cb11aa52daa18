/*
 * A campaign's message, as stored in campaigns.message, and what it becomes
 * for one recipient. The API checks and previews it; the engine renders
 * it for each send. A message is one of:
 *   {"text": "...{{var}}..."}                       a text
 *   {"media": {"type","url","filename"?}, "text"?}  media, text as caption
 *   {"template": {"name","language","components"?}} a Cloud API template;
 *       every "text" string inside components may hold {{var}}
 * Variables are looked up in the recipient's own (per-recipient ones over
 * the contact's attributes), then the campaign's, then the built-ins
 * {{name}} (the recipient's name) and {{phone}} (+E.164).
 */
#ifndef WAQTOR_CAMPAIGN_MSG_H
#define WAQTOR_CAMPAIGN_MSG_H

#include <stddef.h>

#include <json-c/json.h>

#define CAMPAIGN_TEXT_MAX	4096	/* bytes of a rendered text */

struct campaign_vars {
	struct json_object	*recipient;	/* object, or NULL */
	struct json_object	*campaign;	/* object, or NULL */
	const char		*name;		/* or NULL */
	const char		*phone;		/* digits */
};

/* Adds to names (a JSON array of strings) each variable the message uses
 * that is not there yet. */
void campaign_msg_names(struct json_object *message, struct json_object *names);
/*
 * Renders message for one recipient: 0 with *type (static, or borrowed
 * from message) and *content
 * (new) set, or -1 with the missing variable in missing ("" when the text
 * would be too long).
 */
int campaign_msg_render(struct json_object *message,
    const struct campaign_vars *vars, const char **type,
    struct json_object **content, char *missing, size_t missing_len)
    __attribute__((warn_unused_result));

#endif
