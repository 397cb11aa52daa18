/*
 * Every endpoint of the API, one line each. docs/openapi.yaml describes the
 * same list; tests/integration/test_api.py fails when the two disagree.
 * Auth: NONE public, SESSION dashboard login only, APIKEY key only, EITHER.
 * Role: the least role that may call it (fcgi/auth.c, ROLES: member <
 * admin < owner; an API key acts as an admin); below it, 403 forbidden.
 * Flags: ROUTE_DB / ROUTE_REDIS answer 503 while that service is down;
 * ROUTE_PREMIUM answers 402 without an active plan; ROUTE_STREAM leaves
 * the body to the handler; ROUTE_BULK lets its statements run longer.
 */
#include "handlers.h"
#include "image.h"
#include "router.h"

#define DB	ROUTE_DB
#define DBR	(ROUTE_DB | ROUTE_REDIS)
#define UPLOAD_BODY	(16 * 1024 * 1024)		/* nginx's limit too */
#define IMPORT_BODY	(64 * 1024 * 1024)		/* and nginx's for it */
#define CAMPAIGN_BODY	(16 * 1024 * 1024)		/* a million recipients */
#define DBP		(ROUTE_DB | ROUTE_PREMIUM)

const struct route route_table[] = {
/* method    pattern                           handler                auth          role         flags              body_max */
{ "GET",    "/api/v1/health",                 h_health,              AUTH_NONE,    ROLE_ANY,    ROUTE_UNLIMITED,   0 },
{ "GET",    "/api/v1/version",                h_version,             AUTH_NONE,    ROLE_ANY,    ROUTE_UNLIMITED,   0 },
{ "POST",   "/api/v1/auth/signup",            h_signup,              AUTH_NONE,    ROLE_ANY,    DBR,               0 },
{ "POST",   "/api/v1/auth/login",             h_login,               AUTH_NONE,    ROLE_ANY,    DBR,               0 },
{ "POST",   "/api/v1/auth/logout",            h_logout,              AUTH_SESSION, ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/me",                     h_me,                  AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "PATCH",  "/api/v1/me",                     h_me_update,           AUTH_SESSION, ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/me/password",            h_me_password,         AUTH_SESSION, ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/me/avatar",              h_me_avatar,           AUTH_SESSION, ROLE_MEMBER, DB,                IMAGE_BODY_MAX },
{ "GET",    "/api/v1/avatars/{userId}",       h_avatar_get,          AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/realtime/token",         h_realtime_token,      AUTH_SESSION, ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/members",                h_members_list,        AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/members",                h_members_invite,      AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "DELETE", "/api/v1/members/{id}",           h_members_delete,      AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "DELETE", "/api/v1/invitations/{id}",       h_invitation_revoke,   AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "POST",   "/api/v1/invitations/accept",     h_invitation_accept,   AUTH_NONE,    ROLE_ANY,    DBR,               0 },
{ "GET",    "/api/v1/api-keys",               h_apikeys_list,        AUTH_SESSION, ROLE_ADMIN,  DB,                0 },
{ "POST",   "/api/v1/api-keys",               h_apikeys_create,      AUTH_SESSION, ROLE_ADMIN,  DB,                0 },
{ "DELETE", "/api/v1/api-keys/{id}",          h_apikeys_delete,      AUTH_SESSION, ROLE_ADMIN,  DB,                0 },
{ "GET",    "/api/v1/instances",              h_instances_list,      AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/instances",              h_instances_create,    AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "GET",    "/api/v1/instances/{id}",         h_instances_get,       AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "PATCH",  "/api/v1/instances/{id}",         h_instances_update,    AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "DELETE", "/api/v1/instances/{id}",         h_instances_delete,    AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "GET",    "/api/v1/instances/{id}/state",   h_instance_state,      AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/instances/{id}/logout",  h_instance_logout,     AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "POST",   "/api/v1/instances/{id}/restart", h_instance_restart,    AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "POST",   "/api/v1/instances/{id}/sandbox/pair", h_sandbox_pair,        AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "POST",   "/api/v1/instances/{id}/sandbox/unlink", h_sandbox_unlink,    AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "POST",   "/api/v1/instances/{id}/sandbox/inbound", h_sandbox_inbound,     AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/messages/send-text",     h_send_text,           AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/messages/send-media",    h_send_media,          AUTH_EITHER,  ROLE_MEMBER, DB,                UPLOAD_BODY },
{ "GET",    "/api/v1/media/{token}",          h_media_get,           AUTH_NONE,    ROLE_ANY,    DB | ROUTE_UNLIMITED, 0 },
{ "POST",   "/api/v1/messages/send-interactive", h_send_interactive,    AUTH_EITHER,  ROLE_MEMBER, DB | ROUTE_PREMIUM, 0 },
{ "POST",   "/api/v1/messages/send-template", h_send_template,       AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/messages",               h_messages_list,       AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/messages/{id}",          h_messages_get,        AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/chats",                  h_chats_list,          AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/chats/{chatId}/read",    h_chats_read,          AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/providers/cloud/{instanceId}/webhook", h_webhook_verify,      AUTH_NONE,    ROLE_ANY,    DB | ROUTE_UNLIMITED, 0 },
{ "POST",   "/api/v1/providers/cloud/{instanceId}/webhook", h_webhook_receive,     AUTH_NONE,    ROLE_ANY,    DB | ROUTE_UNLIMITED, 0 },
{ "GET",    "/api/v1/settings",               h_settings_get,        AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "PATCH",  "/api/v1/settings",               h_settings_update,     AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/subscription",           h_subscription_get,    AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/subscription/redeem",    h_subscription_redeem, AUTH_EITHER,  ROLE_OWNER,  DBR,               0 },
{ "GET",    "/api/v1/audit",                  h_audit_list,          AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "GET",    "/api/v1/inbound-events",         h_inbound_list,        AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "GET",    "/api/v1/inbound-events/{eventId}", h_inbound_get,         AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "POST",   "/api/v1/inbound-events/{eventId}/retry", h_inbound_retry,       AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "GET",    "/api/v1/contacts",               h_contacts_list,       AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/contacts",               h_contacts_create,     AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/contacts/{id}",          h_contacts_get,        AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "PATCH",  "/api/v1/contacts/{id}",          h_contacts_update,     AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "DELETE", "/api/v1/contacts/{id}",          h_contacts_delete,     AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/contact-lists",          h_lists_list,          AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/contact-lists",          h_lists_create,        AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/contact-lists/{id}",     h_lists_get,           AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "PATCH",  "/api/v1/contact-lists/{id}",     h_lists_update,        AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "DELETE", "/api/v1/contact-lists/{id}",     h_lists_delete,        AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/contact-lists/{id}/members", h_list_members,        AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/contact-lists/{id}/members", h_list_members_add,    AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "DELETE", "/api/v1/contact-lists/{id}/members/{contactId}", h_list_member_delete,  AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/contact-lists/{id}/import", h_list_import,         AUTH_EITHER,  ROLE_MEMBER, DB | ROUTE_STREAM | ROUTE_BULK, IMPORT_BODY },
{ "GET",    "/api/v1/contact-lists/{id}/export", h_list_export,         AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/opt-outs",               h_optouts_list,        AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/opt-outs",               h_optouts_create,      AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "DELETE", "/api/v1/opt-outs/{phone}",       h_optouts_delete,      AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "GET",    "/api/v1/campaigns",              h_campaigns_list,      AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/campaigns",              h_campaigns_create,    AUTH_EITHER,  ROLE_MEMBER, DBP | ROUTE_BULK,  CAMPAIGN_BODY },
{ "POST",   "/api/v1/campaigns/preview",      h_campaigns_preview,   AUTH_EITHER,  ROLE_MEMBER, DBP | ROUTE_BULK,  CAMPAIGN_BODY },
{ "GET",    "/api/v1/campaigns/{id}",         h_campaigns_get,       AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "DELETE", "/api/v1/campaigns/{id}",         h_campaigns_delete,    AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/campaigns/{id}/recipients", h_campaign_recipients, AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/campaigns/{id}/recipients/export", h_campaign_recipients_export, AUTH_EITHER,  ROLE_MEMBER, DB, 0 },
{ "POST",   "/api/v1/campaigns/{id}/start",   h_campaign_start,      AUTH_EITHER,  ROLE_MEMBER, DBP,               0 },
{ "POST",   "/api/v1/campaigns/{id}/pause",   h_campaign_pause,      AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/campaigns/{id}/resume",  h_campaign_resume,     AUTH_EITHER,  ROLE_MEMBER, DBP,               0 },
{ "POST",   "/api/v1/campaigns/{id}/cancel",  h_campaign_cancel,     AUTH_EITHER,  ROLE_MEMBER, DB | ROUTE_BULK,   0 },
{ "POST",   "/api/v1/campaigns/{id}/retry-failed", h_campaign_retry_failed, AUTH_EITHER,  ROLE_MEMBER, DBP | ROUTE_BULK,  0 },
{ "POST",   "/api/v1/campaigns/{id}/duplicate", h_campaign_duplicate,  AUTH_EITHER,  ROLE_MEMBER, DBP | ROUTE_BULK,  0 },
{ "GET",    "/api/v1/smartbot/rules",         h_smartbot_rules_list, AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/smartbot/rules",         h_smartbot_rules_create, AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/smartbot/rules/reorder", h_smartbot_rules_reorder, AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/smartbot/rules/{id}",    h_smartbot_rules_get,  AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "PATCH",  "/api/v1/smartbot/rules/{id}",    h_smartbot_rules_update, AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "DELETE", "/api/v1/smartbot/rules/{id}",    h_smartbot_rules_delete, AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/smartbot/test",          h_smartbot_test,       AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/webhooks",               h_endpoints_list,      AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "POST",   "/api/v1/webhooks",               h_endpoints_create,    AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "GET",    "/api/v1/webhooks/{id}",          h_endpoints_get,       AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "PATCH",  "/api/v1/webhooks/{id}",          h_endpoints_update,    AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "DELETE", "/api/v1/webhooks/{id}",          h_endpoints_delete,    AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "POST",   "/api/v1/webhooks/{id}/rotate-secret", h_endpoints_rotate,    AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "POST",   "/api/v1/webhooks/{id}/test",     h_endpoints_test,      AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "POST",   "/api/v1/webhooks/{id}/replay",   h_endpoints_replay,    AUTH_EITHER,  ROLE_ADMIN,  DB | ROUTE_BULK,   0 },
{ "GET",    "/api/v1/webhooks/{id}/deliveries", h_deliveries_list,   AUTH_EITHER,  ROLE_ADMIN,  DB,                0 },
{ "POST",   "/api/v1/webhooks/{id}/deliveries/{eventId}/redeliver", h_deliveries_redeliver, AUTH_EITHER, ROLE_ADMIN, DB, 0 },
{ "GET",    "/api/v1/events",                 h_events_list,         AUTH_EITHER,  ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/notifications",          h_notifications_list,  AUTH_SESSION, ROLE_MEMBER, DB,                0 },
{ "GET",    "/api/v1/notifications/count",    h_notifications_count, AUTH_SESSION, ROLE_MEMBER, DB,                0 },
{ "POST",   "/api/v1/notifications/mark-read/{id}", h_notifications_read, AUTH_SESSION, ROLE_MEMBER, DB,              0 },
{ "POST",   "/api/v1/notifications/mark-all-read", h_notifications_read_all, AUTH_SESSION, ROLE_MEMBER, DB,           0 },
{ "DELETE", "/api/v1/notifications/{id}",     h_notifications_delete, AUTH_SESSION, ROLE_MEMBER, DB,               0 },
{ "GET",    "/api/v1/notifications/preferences", h_notifications_prefs_get, AUTH_SESSION, ROLE_MEMBER, DB,         0 },
{ "PATCH",  "/api/v1/notifications/preferences", h_notifications_prefs_update, AUTH_SESSION, ROLE_MEMBER, DB,      0 },
{ "GET",    "/api/v1/reports/summary",        h_report_summary,      AUTH_EITHER,  ROLE_MEMBER, DB | ROUTE_PREMIUM, 0 },
{ "GET",    "/api/v1/reports/timeseries",     h_report_timeseries,   AUTH_EITHER,  ROLE_MEMBER, DB | ROUTE_PREMIUM, 0 },
{ "GET",    "/api/v1/reports/campaigns/{id}", h_report_campaign,     AUTH_EITHER,  ROLE_MEMBER, DB | ROUTE_PREMIUM, 0 },
};

const size_t route_table_len = sizeof route_table / sizeof route_table[0];
