/*
 * Per-plan quotas of a tenant (settings of three numbers, for the free,
 * pro and business plans; a lapsed plan counts as free): instances, live
 * API keys, members (users and pending invitations) and stored media.
 */
#ifndef WAQTOR_QUOTA_H
#define WAQTOR_QUOTA_H

struct req;

enum quota_kind {
	QUOTA_INSTANCES,
	QUOTA_API_KEYS,
	QUOTA_MEMBERS,
	QUOTA_MEDIA_BYTES,
};

/*
 * 0 when the tenant may add `adding` more of kind. Else answers 409
 * quota_exceeded naming the limit, its maximum and the plan, and returns
 * -1. Takes the tenant's quota lock for the rest of the transaction, so
 * concurrent creations are counted one after the other. When the addition
 * fills the quota (media: 90 % of it), the admins are notified.
 */
int quota_check(struct req *r, enum quota_kind kind, long long adding)
    __attribute__((warn_unused_result));

#endif
