/* timeline.c - the record in the order things happened: actions starting and
 * ending, the stages of a march, demands won or lost, incidents, detentions and
 * releases, hearings and verdicts; for one action or all, over a date range. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct tl_item {
	char date[24]; /* YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ: sorts as text */
	size_t seq;
	int last; /* an ending: after everything else on its day */
	json_t *o;
};

struct tl_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *e;
	const char *from, *to; /* YYYY-MM-DD or NULL */
	int64_t action;        /* 0 = all */
	int public_only;
	struct fs_hcache *cache; /* handling ranks looked up */
	struct fs_imap incidents; /* incidents of the action (with action) */
	struct fs_imap cases;     /* cases of those incidents */
	struct tl_item *items;
	size_t n, cap;
	int rc;
};

static const char *col(struct tl_ud *u, const struct fs_value *v, const char *field)
{
	return fs_col_text(u->e, v, field);
}

static int64_t col_int(struct tl_ud *u, const struct fs_value *v, const char *field)
{
	const struct fs_value *x = &v[u->e->col_of[fs_field_index(u->e, field)]];
	return x->type == FS_VINT ? x->i : 0;
}

/* Not public when only public events are asked, or not readable by the
 * principal's role (handling.c: the record's level and its parents'). */
static int hidden(struct tl_ud *u, const struct fs_value *v)
{
	return !fs_row_shown(u->ctx, u->e, v, u->public_only, u->cache);
}

/* Add one event on date (NULL: none) unless outside the range; takes o. */
static int emit(struct tl_ud *u, const char *date, json_t *o)
{
	if (!o)
		return u->rc = FS_ENOMEM, 1;
	if (!date || (u->from && strncmp(date, u->from, 10) < 0) || (u->to && strncmp(date, u->to, 10) > 0)) {
		json_decref(o);
		return 0;
	}
	char day[11];
	snprintf(day, sizeof(day), "%s", date);
	if (json_object_set_new(o, "date", json_string(day)) || (strlen(date) > 10 && json_object_set_new(o, "at", json_string(date))) ||
	    fs_grow(&u->items, &u->cap, u->n, sizeof(*u->items), 256)) {
		json_decref(o);
		return u->rc = FS_ENOMEM, 1;
	}
	struct tl_item *it = &u->items[u->n];
	snprintf(it->date, sizeof(it->date), "%s", date);
	it->seq = u->n++;
	it->last = !strcmp(json_string_value(json_object_get(o, "event")), "action_ended");
	it->o = o;
	return 0;
}

static json_t *event(struct tl_ud *u, const char *name, const struct fs_value *v, int64_t action, const char *text)
{
	json_t *o = json_pack("{s:s,s:s,s:I,s:s}", "event", name, "entity", u->e->name, "id", (json_int_t)v[0].i, "text",
			      text ? text : "");
	if (o && action > 0 && json_object_set_new(o, "action_id", json_integer(action))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int action_cb(void *p, const struct fs_value *v)
{
	struct tl_ud *u = p;
	if (hidden(u, v))
		return 0;
	const char *title = col(u, v, "title"), *kind = col(u, v, "kind");
	json_t *o = event(u, "action_started", v, v[0].i, title);
	if (o)
		json_object_set_new(o, "kind", json_string(kind));
	if (emit(u, col(u, v, "started_on"), o))
		return 1;
	o = event(u, "action_ended", v, v[0].i, title);
	if (o)
		json_object_set_new(o, "kind", json_string(kind));
	return emit(u, col(u, v, "ended_on"), o);
}

static int stage_cb(void *p, const struct fs_value *v)
{
	struct tl_ud *u = p;
	if (hidden(u, v))
		return 0;
	const char *from = col(u, v, "from_place"), *to = col(u, v, "to_place");
	char text[512];
	snprintf(text, sizeof(text), "%s%s%s", from ? from : "", from && to ? " - " : "", to ? to : "");
	json_t *o = event(u, "stage", v, col_int(u, v, "action_id"), text);
	if (o && json_object_set_new(o, "number", json_integer(col_int(u, v, "number"))))
		return u->rc = FS_ENOMEM, 1;
	if (o && col(u, v, "note"))
		json_object_set_new(o, "detail", json_string(col(u, v, "note")));
	return emit(u, col(u, v, "held_on"), o);
}

static int demand_cb(void *p, const struct fs_value *v)
{
	struct tl_ud *u = p;
	const char *status = col(u, v, "status");
	if (hidden(u, v) || !status || !strcmp(status, "pending"))
		return 0;
	json_t *o = event(u, "demand", v, col_int(u, v, "action_id"), col(u, v, "text"));
	if (o)
		json_object_set_new(o, "status", json_string(status));
	return emit(u, col(u, v, "outcome_on"), o);
}

static int incident_cb(void *p, const struct fs_value *v)
{
	struct tl_ud *u = p;
	int64_t action = col_int(u, v, "action_id");
	if (u->action && !fs_imap_slot(&u->incidents, v[0].i, 1))
		return u->rc = FS_ENOMEM, 1;
	if (hidden(u, v))
		return 0;
	const char *place = col(u, v, "place"), *summary = col(u, v, "summary");
	char text[2400];
	snprintf(text, sizeof(text), "%s%s%s", place ? place : "", place && summary ? ": " : "", summary ? summary : "");
	json_t *o = event(u, "incident", v, action, text);
	if (o)
		json_object_set_new(o, "type", json_string(col(u, v, "type")));
	return emit(u, col(u, v, "started_on"), o);
}

/* With an action: does this row's incident (or case) belong to it? */
static int of_action(struct tl_ud *u, const struct fs_value *v, const char *field, struct fs_imap *set)
{
	if (!u->action)
		return 1;
	int64_t id = col_int(u, v, field);
	return id && fs_imap_slot(set, id, 0);
}

static int detention_cb(void *p, const struct fs_value *v)
{
	struct tl_ud *u = p;
	if (hidden(u, v) || !of_action(u, v, "incident_id", &u->incidents))
		return 0;
	char name[256];
	fs_person_name(u->ctx, col_int(u, v, "person_id"), name, sizeof(name));
	json_t *o = event(u, "detained", v, 0, name);
	if (o && col(u, v, "arresting_body"))
		json_object_set_new(o, "detail", json_string(col(u, v, "arresting_body")));
	if (emit(u, col(u, v, "arrested_at"), o))
		return 1;
	o = event(u, "released", v, 0, name);
	if (o && col(u, v, "release_kind"))
		json_object_set_new(o, "detail", json_string(col(u, v, "release_kind")));
	return emit(u, col(u, v, "released_at"), o);
}

static int case_cb(void *p, const struct fs_value *v)
{
	struct tl_ud *u = p;
	if (!of_action(u, v, "incident_id", &u->incidents))
		return 0;
	if (u->action && !fs_imap_slot(&u->cases, v[0].i, 1))
		return u->rc = FS_ENOMEM, 1;
	const char *verdict = col(u, v, "verdict");
	if (hidden(u, v) || !verdict || !strcmp(verdict, "pending"))
		return 0;
	char name[256], detail[128];
	fs_person_name(u->ctx, col_int(u, v, "person_id"), name, sizeof(name));
	const char *sentence = col(u, v, "sentence");
	int64_t months = col_int(u, v, "sentence_months");
	snprintf(detail, sizeof(detail), "%s%s%s", verdict, sentence ? ", " : "", sentence ? sentence : "");
	if (months)
		snprintf(detail + strlen(detail), sizeof(detail) - strlen(detail), " %lld months", (long long)months);
	json_t *o = event(u, "verdict", v, 0, name);
	if (o)
		json_object_set_new(o, "detail", json_string(detail));
	return emit(u, col(u, v, "verdict_on"), o);
}

static int hearing_cb(void *p, const struct fs_value *v)
{
	struct tl_ud *u = p;
	if (hidden(u, v) || !of_action(u, v, "case_id", &u->cases))
		return 0;
	json_t *o = event(u, "hearing", v, 0, col(u, v, "court"));
	if (o && col(u, v, "outcome"))
		json_object_set_new(o, "detail", json_string(col(u, v, "outcome")));
	if (o && col(u, v, "kind"))
		json_object_set_new(o, "kind", json_string(col(u, v, "kind")));
	if (o)
		json_object_set_new(o, "case_id", json_integer(col_int(u, v, "case_id")));
	return emit(u, col(u, v, "held_on"), o);
}

static int item_cmp(const void *a, const void *b)
{
	const struct tl_item *x = a, *y = b;
	int c = strncmp(x->date, y->date, 10);
	if (!c)
		c = x->last - y->last;
	if (!c)
		c = strcmp(x->date, y->date);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

int fs_record_timeline(struct fs_ctx *ctx, const char *from, const char *to, int64_t action, int public_only,
		       json_t **ret, struct fs_error *err)
{
	*ret = NULL;
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "record.read", err);
	if (cap_rc)
		return cap_rc;
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	fs_date d;
	if (from && fs_date_parse(from, &d, err, "from"))
		return FS_EINVAL;
	if (to && fs_date_parse(to, &d, err, "to"))
		return FS_EINVAL;
	if (from && to && strcmp(from, to) > 0)
		return fs_fail(err, FS_EINVAL, "to", "is before from (%s)", from);
	struct tl_ud u = {.ctx = ctx, .from = from, .to = to, .action = action, .public_only = public_only,
			  .cache = calloc(1, sizeof(struct fs_hcache))};
	if (!u.cache)
		return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	static const struct {
		const char *entity, *action_col, *order;
		fs_row_cb cb;
	} passes[] = {
		/* incidents before detentions and cases, cases before hearings: the
		 * action's sets are filled before they are read */
		{"action", "id", "started_on", action_cb},  {"stage", "action_id", "held_on", stage_cb},
		{"demand", "action_id", "outcome_on", demand_cb}, {"incident", "action_id", "started_on", incident_cb},
		{"detention", NULL, "arrested_at", detention_cb}, {"case", NULL, "verdict_on", case_cb},
		{"hearing", NULL, "held_on", hearing_cb},
	};
	int rc = fs_read_begin(ctx, err);
	if (rc) {
		free(u.cache);
		return rc;
	}
	if (action > 0) {
		struct fs_row row;
		rc = fs_store_get(ctx->st, &fs_entity_find("action")->table, action, &row, err);
		if (!rc) {
			int other = row.vals[1].i != ctx->org_id;
			fs_row_free(&row);
			/* an action the role may not read does not exist */
			other = other || !fs_id_shown(ctx, fs_entity_find("action"), action, 0, u.cache);
			if (other)
				rc = FS_ENOTFOUND;
		}
		if (rc == FS_ENOTFOUND)
			fs_fail(err, rc, "action", "there is no action %lld", (long long)action);
	}
	for (size_t i = 0; !rc && i < sizeof(passes) / sizeof(passes[0]); i++) {
		u.e = fs_entity_find(passes[i].entity);
		struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {passes[i].action_col, FS_EQ, fs_vint(action)}};
		struct fs_query q = {.table = &u.e->table, .filters = f, .nfilters = action > 0 && passes[i].action_col ? 2 : 1,
				     .order_by = passes[i].order};
		rc = fs_store_select(ctx->st, &q, passes[i].cb, &u, err);
		if (!rc)
			rc = u.rc;
	}
	fs_read_end(ctx);
	json_t *events = rc ? NULL : json_array();
	if (!rc && !events)
		rc = FS_ENOMEM;
	if (!rc && u.n) /* nothing recorded yet: no array (NULL) to sort */
		qsort(u.items, u.n, sizeof(*u.items), item_cmp);
	for (size_t i = 0; i < u.n; i++) {
		if (!rc && json_array_append_new(events, u.items[i].o))
			rc = FS_ENOMEM;
		else if (rc)
			json_decref(u.items[i].o);
	}
	free(u.items);
	free(u.cache);
	fs_imap_free(&u.incidents);
	fs_imap_free(&u.cases);
	if (rc) {
		json_decref(events);
		return rc;
	}
	*ret = json_pack("{s:s?,s:s?,s:o,s:b,s:I,s:o}", "from", from, "to", to, "action_id",
			 action > 0 ? json_integer(action) : json_null(), "public", public_only, "count",
			 (json_int_t)json_array_size(events), "events", events);
	return *ret ? 0 : FS_ENOMEM;
}
