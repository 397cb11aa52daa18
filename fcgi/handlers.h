/* Endpoint handlers, grouped by resource (h_<resource>.c); see routes.c. */
#ifndef WAQTOR_HANDLERS_H
#define WAQTOR_HANDLERS_H

#include "http.h"

/* h_system.c */
void h_health(struct req *);
void h_version(struct req *);
/* h_auth.c */
void h_signup(struct req *);
void h_login(struct req *);
void h_logout(struct req *);
void h_me(struct req *);
void h_me_update(struct req *);
void h_me_password(struct req *);
void h_me_avatar(struct req *);
void h_avatar_get(struct req *);
void h_realtime_token(struct req *);
/* h_members.c */
void h_members_list(struct req *);
void h_members_invite(struct req *);
void h_members_delete(struct req *);
void h_invitation_accept(struct req *);
void h_invitation_revoke(struct req *);
/* h_apikeys.c */
void h_apikeys_list(struct req *);
void h_apikeys_create(struct req *);
void h_apikeys_delete(struct req *);
/* h_instances.c */
void h_instances_list(struct req *);
void h_instances_create(struct req *);
void h_instances_get(struct req *);
void h_instances_update(struct req *);
void h_instances_delete(struct req *);
/* h_settings.c */
void h_settings_get(struct req *);
void h_settings_update(struct req *);
void h_settings_logo_upload(struct req *);
void h_settings_logo_get(struct req *);
void h_settings_logo_delete(struct req *);
/* h_subscription.c */
void h_subscription_get(struct req *);
void h_subscription_redeem(struct req *);
/* h_inbound.c */
void h_inbound_list(struct req *);
void h_inbound_get(struct req *);
void h_inbound_retry(struct req *);
/* h_audit.c */
void h_audit_list(struct req *);
void h_me_activity(struct req *);
/* h_messages.c */
void h_send_text(struct req *);
void h_send_media(struct req *);
void h_send_interactive(struct req *);
void h_send_template(struct req *);
void h_messages_list(struct req *);
void h_messages_get(struct req *);
void h_chats_list(struct req *);
void h_chats_read(struct req *);
/* h_sessions.c */
void h_instance_state(struct req *);
void h_instance_logout(struct req *);
void h_instance_restart(struct req *);
void h_sandbox_pair(struct req *);
void h_sandbox_unlink(struct req *);
void h_sandbox_inbound(struct req *);
/* h_media.c */
void h_media_get(struct req *);
/* h_contacts.c */
void h_contacts_list(struct req *);
void h_contacts_create(struct req *);
void h_contacts_get(struct req *);
void h_contacts_update(struct req *);
void h_contacts_delete(struct req *);
void h_lists_list(struct req *);
void h_lists_create(struct req *);
void h_lists_get(struct req *);
void h_lists_update(struct req *);
void h_lists_delete(struct req *);
void h_list_members(struct req *);
void h_list_members_add(struct req *);
void h_list_member_delete(struct req *);
/* h_import.c */
void h_list_import(struct req *);
void h_list_export(struct req *);
/* h_optouts.c */
void h_optouts_list(struct req *);
void h_optouts_create(struct req *);
void h_optouts_delete(struct req *);
/* h_campaigns.c */
void h_campaigns_list(struct req *);
void h_campaigns_create(struct req *);
void h_campaigns_preview(struct req *);
void h_campaigns_get(struct req *);
void h_campaigns_delete(struct req *);
void h_campaign_recipients(struct req *);
void h_campaign_recipients_export(struct req *);
void h_campaign_start(struct req *);
void h_campaign_pause(struct req *);
void h_campaign_resume(struct req *);
void h_campaign_cancel(struct req *);
void h_campaign_retry_failed(struct req *);
void h_campaign_duplicate(struct req *);
void h_smartbot_rules_list(struct req *);
void h_smartbot_rules_create(struct req *);
void h_smartbot_rules_reorder(struct req *);
void h_smartbot_rules_get(struct req *);
void h_smartbot_rules_update(struct req *);
void h_smartbot_rules_delete(struct req *);
void h_smartbot_test(struct req *);
void h_endpoints_list(struct req *);
void h_endpoints_create(struct req *);
void h_endpoints_get(struct req *);
void h_endpoints_update(struct req *);
void h_endpoints_delete(struct req *);
void h_endpoints_rotate(struct req *);
void h_events_list(struct req *);
void h_deliveries_list(struct req *);
void h_deliveries_redeliver(struct req *);
void h_endpoints_replay(struct req *);
void h_endpoints_test(struct req *);
/* h_reports.c */
void h_report_summary(struct req *);
void h_report_timeseries(struct req *);
void h_report_campaign(struct req *);
/* h_notifications.c */
void h_notifications_list(struct req *);
void h_notifications_count(struct req *);
void h_notifications_read(struct req *);
void h_notifications_read_all(struct req *);
void h_notifications_delete(struct req *);
void h_notifications_prefs_get(struct req *);
void h_notifications_prefs_update(struct req *);
/* h_webhook.c */
void h_webhook_verify(struct req *);
void h_webhook_receive(struct req *);

#endif
