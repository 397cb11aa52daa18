/*
 * A message object of lib/campaign_msg.h's format (a text, media with an
 * optional caption, or a template), checked for the API: a campaign's
 * message and SmartBot's replies.
 */
#ifndef WAQTOR_MESSAGE_CHECK_H
#define WAQTOR_MESSAGE_CHECK_H

#include <json-c/json.h>

/* Adds "<prefix>.<field>": reason to details for each problem of msg (an
 * object); templates 0 refuses a template. */
void message_check(struct json_object *msg, const char *prefix, int templates,
    struct json_object *details);

#endif
