/*
 * openapi.c - the OpenAPI 3 description of the API, made from the schema's
 * table of kinds and fields, so that it cannot drift from what the server
 * accepts.
 */
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "qm/schema.h"

static json_t *error_response(const char *what)
{
	return json_pack("{s:s,s:{s:{s:{s:s}}}}", "description", what, "content", "application/json",
		"schema", "$ref", "#/components/schemas/Error");
}

static json_t *field_schema(const struct qm_field *f)
{
	json_t *s;
	switch (f->type) {
	case QM_T_QUANTITY:
	case QM_T_PRIORITY:
	case QM_T_YEAR:
		s = json_pack("{s:s}", "type", "integer");
		break;
	case QM_T_ENUM: {
		json_t *e = json_array();
		for (const char *const *c = f->choices; *c; c++)
			json_array_append_new(e, json_string(*c));
		s = json_pack("{s:s,s:o}", "type", "string", "enum", e);
		break;
	}
	case QM_T_DATE:
		s = json_pack("{s:s,s:s}", "type", "string", "format", "date");
		break;
	case QM_T_BOOL:
		s = json_pack("{s:s,s:[s,s]}", "type", "string", "enum", "yes", "no");
		break;
	default:
		s = json_pack("{s:s}", "type", "string");
	}
	json_object_set_new(s, "description", json_string(f->help));
	json_object_set_new(s, "nullable", json_true());
	return s;
}

static json_t *kind_schema(const struct qm_kind *k)
{
	json_t *props = json_object(), *req = json_array();
	for (int i = 0; i < k->nfields; i++) {
		json_object_set_new(props, k->fields[i].name, field_schema(&k->fields[i]));
		if (k->fields[i].flags & QM_F_REQUIRED)
			json_array_append_new(req, json_string(k->fields[i].name));
	}
	return json_pack("{s:s,s:o,s:o,s:b}", "type", "object", "properties", props, "required", req,
		"additionalProperties", 0);
}

static json_t *ref(const char *name)
{
	char buf[96];
	snprintf(buf, sizeof(buf), "#/components/schemas/%s", name);
	return json_pack("{s:s}", "$ref", buf);
}

static json_t *body_of(const char *name)
{
	return json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content", "application/json", "schema",
		ref(name));
}

static json_t *ok(const char *what, json_t *schema)
{
	return json_pack("{s:s,s:{s:{s:o}}}", "description", what, "content", "application/json",
		"schema", schema);
}

static void errors(json_t *responses, const char *codes)
{
	static const struct {
		const char *code, *what;
	} all[] = {{"400", "malformed JSON or query"}, {"401", "not signed in"},
		{"403", "not allowed for this role, or a cookie write from another origin"},
		{"404", "no such record"}, {"409", "the key exists"}, {"413", "body over 1 MiB"},
		{"415", "body not application/json"}, {"422", "the record breaks a rule"},
		{"429", "too many failed logins"},
		{"503", "the database is out of reach; try again (Retry-After)"}};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strstr(codes, all[i].code))
			json_object_set_new(responses, all[i].code, error_response(all[i].what));
}

/* An operation; any of them may meet the database out of reach (503). */
static json_t *op(const char *summary, json_t *responses, const char *codes)
{
	errors(responses, codes);
	errors(responses, "503");
	return json_pack("{s:s,s:o}", "summary", summary, "responses", responses);
}

/* ?as_of=DATE&committed_only=1 of the plan and the training views */
static json_t *plan_params(void)
{
	return json_pack("[{s:s,s:s,s:{s:s,s:s},s:s},{s:s,s:s,s:{s:s,s:[s,s]},s:s}]", "name", "as_of",
		"in", "query", "schema", "type", "string", "format", "date", "description",
		"plan with pledges and deliveries up to this date", "name", "committed_only", "in",
		"query", "schema", "type", "string", "enum", "0", "1", "description",
		"1: leave out announced pledges and courses");
}

static json_t *integer(void)
{
	return json_pack("{s:s}", "type", "integer");
}

static json_t *string(void)
{
	return json_pack("{s:s}", "type", "string");
}

static json_t *date(void)
{
	return json_pack("{s:s,s:s}", "type", "string", "format", "date");
}

static json_t *object_of(json_t *props)
{
	json_t *req = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(props, k, v) json_array_append_new(req, json_string(k));
	return json_pack("{s:s,s:o,s:o}", "type", "object", "properties", props, "required", req);
}

/* GET /api/v1/training: qm_training_to_json's object (docs/plan.md#training) */
static json_t *training_schema(void)
{
	json_t *course = object_of(json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:{s:s,s:b},s:o,s:o,s:{s:s,s:s},"
		"s:{s:s,s:s}}", "id", string(), "provider", string(), "skill", string(), "seats", integer(),
		"start", date(), "end", date(), "location", "type", "string", "nullable", 1, "status",
		string(), "assigned", integer(), "fill_percent", "type", "number", "description",
		"assigned / seats, in percent with one decimal", "upcoming", "type", "boolean",
		"description", "starts today or within upcoming_days"));
	json_t *provider = object_of(json_pack("{s:o,s:o,s:o,s:o,s:{s:s}}", "provider", string(),
		"courses", integer(), "seats", integer(), "used", integer(), "fill_percent", "type",
		"number"));
	json_t *skill = object_of(json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "skill", string(), "seats",
		integer(), "needed", integer(), "crew_needed", integer(), "assigned", integer(), "short",
		integer()));
	json_t *t = object_of(json_pack("{s:o,s:o,s:{s:s,s:o},s:{s:s,s:o},s:{s:s,s:o},s:{s:s,s:o,s:s}}",
		"today", date(), "upcoming_days", integer(), "courses", "type", "array", "items", course,
		"providers", "type", "array", "items", provider, "skills", "type", "array", "items", skill,
		"upcoming", "type", "array", "items", string(), "description",
		"ids of the courses starting within upcoming_days"));
	json_object_set_new(t, "description", json_string("courses by start and id (cancelled ones "
		"too, assigned 0); providers by code, counting courses not cancelled; skills from the "
		"plan's second stage: seats offered, trainees needed (of which crews of planned "
		"equipment), assigned and short"));
	return t;
}

json_t *openapi_document(void)
{
	json_t *paths = json_object(), *schemas = json_object();
	json_object_set_new(schemas, "Error", json_pack("{s:s,s:{s:{s:s,s:{s:{s:s},s:{s:s},"
		"s:{s:s,s:b}}}}}", "type", "object", "properties", "error", "type", "object", "properties",
		"status", "type", "integer", "message", "type", "string", "field", "type", "string",
		"nullable", 1));
	for (int id = 0; id < QM_KIND_COUNT; id++) {
		const struct qm_kind *k = qm_kind(id);
		char path[96], one[112], name[48];
		snprintf(name, sizeof(name), "%s", k->singular);
		for (char *p = name; *p; p++)
			if (*p == ' ')
				*p = '_';
		json_object_set_new(schemas, name, kind_schema(k));
		snprintf(path, sizeof(path), "/api/v1/%s", k->name);
		snprintf(one, sizeof(one), "/api/v1/%s/{key}", k->name);
		json_t *list = json_pack("{s:s,s:{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s,s:o}}}",
			"type", "object", "properties", "kind", "type", "string", "total", "type", "integer",
			"limit", "type", "integer", "offset", "type", "integer", "items", "type", "array",
			"items", ref(name));
		json_t *params = json_array();
		static const char *const qs[] = {"donor", "status", "item", "from", "to", "q", "sort",
			"limit", "offset"};
		for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
			json_array_append_new(params, json_pack("{s:s,s:s,s:{s:s}}", "name", qs[i], "in",
				"query", "schema", "type", i >= 7 ? "integer" : "string"));
		json_t *get_list = op("list", json_pack("{s:o}", "200", ok("a page of records", list)),
			"400 401");
		json_object_set_new(get_list, "parameters", params);
		json_t *post = op("create (checked as an import checks it)",
			json_pack("{s:o}", "201", ok("the record as stored", ref(name))),
			"400 401 403 409 413 415 422");
		json_object_set_new(post, "requestBody", body_of(name));
		json_object_set_new(paths, path, json_pack("{s:o,s:o}", "get", get_list, "post", post));
		json_t *patch = op("revise the fields given",
			json_pack("{s:o}", "200", ok("the record as stored", ref(name))),
			"400 401 403 404 413 415 422");
		json_object_set_new(patch, "requestBody", body_of(name));
		json_t *key = json_pack("[{s:s,s:s,s:b,s:{s:s},s:s}]", "name", "key", "in", "path",
			"required", 1, "schema", "type", "string", "description",
			"the record's key; key fields joined with |");
		json_object_set_new(paths, one, json_pack("{s:o,s:o,s:o}", "parameters", key, "get",
			op("one record", json_pack("{s:o}", "200", ok("the record", ref(name))), "401 404"),
			"patch", patch));
	}
	json_t *any = json_pack("{s:s}", "type", "object");
	json_t *plan = op("the plan (qm plan --json): per requirement its units and, for crewed "
		"equipment, crew_needed, crew_assigned, crew_unmet and ready; assignments, "
		"seat_assignments and training_objective", json_pack("{s:o}", "200", ok("the plan",
			json_deep_copy(any))), "400 401");
	json_object_set_new(plan, "parameters", plan_params());
	json_object_set_new(paths, "/api/v1/plan", json_pack("{s:o}", "get", plan));
	json_object_set_new(schemas, "Training", training_schema());
	json_t *training = op("training: seats, trainees and fill per course, provider and skill; "
		"the courses starting within 90 days (qm training --json)", json_pack("{s:o}", "200",
			ok("the training picture", ref("Training"))), "400 401");
	json_object_set_new(training, "parameters", plan_params());
	json_object_set_new(paths, "/api/v1/training", json_pack("{s:o}", "get", training));
	json_object_set_new(paths, "/api/v1/burden", json_pack("{s:o}", "get",
		op("burden sharing (qm burden --json)", json_pack("{s:o}", "200", ok("burden sharing",
			json_deep_copy(any))), "400 401 404 422")));
	json_object_set_new(paths, "/api/v1/report", json_pack("{s:o}", "get",
		op("the coordination report (qm report --json)", json_pack("{s:o}", "200",
			ok("the report", json_deep_copy(any))), "400 401")));
	json_object_set_new(paths, "/api/v1/journal", json_pack("{s:o}", "get",
		op("journal entries, newest first", json_pack("{s:o}", "200", ok("a page of entries",
			json_deep_copy(any))), "400 401")));
	json_object_set_new(paths, "/api/v1/login", json_pack("{s:o}", "post",
		op("sign in; sets the session cookie", json_pack("{s:o}", "200", ok("the user",
			json_deep_copy(any))), "400 401 415 422 429")));
	json_object_set_new(paths, "/api/v1/logout", json_pack("{s:o}", "post",
		op("sign out", json_pack("{s:o}", "200", ok("signed out", json_deep_copy(any))), "403")));
	json_t *health = op("for load balancers, without credentials: whether the database answers",
		json_pack("{s:o}", "200", ok("status ok, the database's kind and whether the server is"
			" read-only", json_deep_copy(any))), "");
	json_object_set_new(health, "security", json_array());
	json_object_set_new(paths, "/api/v1/health", json_pack("{s:o}", "get", health));
	json_object_set_new(paths, "/api/v1/me", json_pack("{s:o}", "get",
		op("who is signed in", json_pack("{s:o}", "200", ok("the user", any)), "401")));
	return json_pack("{s:s,s:{s:s,s:s,s:s},s:o,s:{s:o,s:{s:{s:s,s:s},s:{s:s,s:s,s:s}}},"
		"s:[{s:[]},{s:[]}]}", "openapi", "3.0.3", "info", "title", "Quartermaster API",
		"version", QM_VERSION, "description", "docs/api.md", "paths", paths, "components",
		"schemas", schemas, "securitySchemes", "bearer", "type", "http", "scheme", "bearer",
		"cookie", "type", "apiKey", "in", "cookie", "name", "qm_session", "security", "bearer",
		"cookie");
}
