-- Contacts, contact lists and the opt-out (suppression) list: who a tenant
-- writes to and who asked not to be written to. Phones are E.164 digits
-- without "+" (lib/phone.h), one contact per phone per tenant.

-- Times as the API shows them (RFC 3339, UTC, milliseconds), for JSON built
-- in SQL; the same form as api_add_time() in fcgi/api.c.
CREATE FUNCTION api_time(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

CREATE TABLE contacts (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	phone		text NOT NULL CHECK (phone ~ '^[1-9][0-9]{7,14}$'),
	name		text CHECK (length(name) <= 200),
	attributes	jsonb NOT NULL DEFAULT '{}'
			CHECK (jsonb_typeof(attributes) = 'object'),
	tags		text[] NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (tenant_id, phone)
);
CREATE INDEX contacts_page_idx ON contacts (tenant_id, created_at DESC, id DESC);
CREATE INDEX contacts_tags_idx ON contacts USING gin (tags);

CREATE TABLE contact_lists (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	description	text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (tenant_id, name)
);

-- (tenant_id is the list's: no foreign key of its own, which would cost an
-- imported row a tenth of its time)
CREATE TABLE contact_list_members (
	tenant_id	uuid NOT NULL,
	list_id		uuid NOT NULL REFERENCES contact_lists(id) ON DELETE CASCADE,
	contact_id	uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	added_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (list_id, contact_id)
);
CREATE INDEX contact_list_members_contact_idx ON contact_list_members (contact_id);

-- Numbers that asked not to be written to: every campaign skips them.
CREATE TABLE opt_outs (
	tenant_id	uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	phone		text NOT NULL CHECK (phone ~ '^[1-9][0-9]{7,14}$'),
	source		text NOT NULL CHECK (source IN ('keyword', 'api', 'import')),
	reason		text CHECK (length(reason) <= 500),
	instance_id	uuid REFERENCES instances(id) ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (tenant_id, phone)
);
CREATE INDEX opt_outs_page_idx ON opt_outs (tenant_id, created_at DESC, phone);

-- Messaging settings (default country code, opt-out keywords and replies):
-- their own group, beside the branding in settings.
ALTER TABLE tenant_settings ADD COLUMN messaging jsonb NOT NULL DEFAULT '{}';

SELECT waqtor_tenant_table(t::regclass) FROM unnest(ARRAY['contacts',
	'contact_lists', 'contact_list_members', 'opt_outs']) AS t;

-- The JSON of a contact, as every endpoint shows it.
CREATE FUNCTION contact_json(c contacts) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', c.id, 'phone', c.phone, 'name', c.name,
	    'attributes', c.attributes, 'tags', to_json(c.tags),
	    'optedOut', EXISTS (SELECT 1 FROM opt_outs o
	        WHERE o.tenant_id = c.tenant_id AND o.phone = c.phone),
	    'createdAt', api_time(c.created_at),
	    'updatedAt', api_time(c.updated_at))
$$;

CREATE FUNCTION contact_list_json(l contact_lists) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', l.id, 'name', l.name,
	    'description', l.description,
	    'memberCount', (SELECT count(*) FROM contact_list_members m
	        WHERE m.list_id = l.id),
	    'createdAt', api_time(l.created_at),
	    'updatedAt', api_time(l.updated_at))
$$;

CREATE FUNCTION opt_out_json(o opt_outs) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('phone', o.phone, 'source', o.source,
	    'reason', o.reason, 'instanceId', o.instance_id,
	    'createdAt', api_time(o.created_at))
$$;
