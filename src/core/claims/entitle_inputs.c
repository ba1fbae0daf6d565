/* entitle_inputs.c - the inputs of a case as a computed claim stores them, written
 * without jansson: claims compute stores them with every claim, and building and
 * dumping a JSON object per employment was a tenth of its cost. The text is the
 * same, byte for byte, as fs_entitle_inputs_json (entitle.c): keys sorted, compact,
 * no "as_of". A case this writer does not cover (conventions, a text JSON would
 * escape) returns 0 and the caller takes the general path. In a debug build,
 * claims compute compares the two on every employment. */
#include "entitle_int.h"

#include <stdint.h>
#include <string.h>

/* A text JSON writes as it is: printable ASCII without '"' or '\\'. */
static int plain(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F || *s == '"' || *s == '\\')
			return 0;
	return 1;
}

/* A writer into a fixed buffer: pieces appended, overflow remembered. */
struct out {
	char *p;
	size_t n, len;
	int over;
};

static void addn(struct out *o, const char *s, size_t k)
{
	if (o->len + k >= o->n) {
		o->over = 1;
		return;
	}
	memcpy(o->p + o->len, s, k);
	o->len += k;
}

#define LIT(o, s) addn((o), (s), sizeof(s) - 1) /* a literal: its length known */

static void add(struct out *o, const char *s)
{
	addn(o, s, strlen(s));
}

static void addi(struct out *o, int64_t v)
{
	char d[24], *e = d + sizeof(d);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--e = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--e = '-';
	addn(o, e, (size_t)(d + sizeof(d) - e));
}

/* each key with what comes before it (a comma, but before the first) and its colon */
size_t fs_entitle_inputs_text(const struct fs_entitle_in *in, char *buf, size_t n)
{
	if (json_object_size(in->conventions) || !plain(in->jurisdiction) || !plain(in->reason))
		return 0;
	char h[11], t[11], hours[32];
	fs_date_format(in->hired, h);
	fs_date_format(in->terminated, t);
	fs_money_format(in->overtime_hours_x100, 2, hours);
	struct out o = {buf, n, 0, 0};
	/* the keys in jansson's sorted order; "age" is always there */
	if (in->has_accruals) {
		LIT(&o, "{\"accruals_12m_minor\":");
		addi(&o, in->accruals_minor);
		LIT(&o, ",\"age\":");
	} else {
		LIT(&o, "{\"age\":");
	}
	addi(&o, in->age);
	LIT(&o, ",\"benefits_minor\":");
	addi(&o, in->benefits_minor);
	if (in->days_worked) {
		LIT(&o, ",\"days_worked_12m\":");
		addi(&o, in->days_worked);
	}
	LIT(&o, ",\"hired\":\"");
	addn(&o, h, 10);
	LIT(&o, "\",\"jurisdiction\":\"");
	add(&o, in->jurisdiction);
	if (in->notice_served)
		LIT(&o, "\",\"notice_served\":true,\"overtime_hours\":\"");
	else
		LIT(&o, "\",\"notice_served\":false,\"overtime_hours\":\"");
	add(&o, hours);
	LIT(&o, "\"");
	if (in->period_days) {
		LIT(&o, ",\"period_working_days\":");
		addi(&o, in->period_days);
	}
	LIT(&o, ",\"reason\":\"");
	add(&o, in->reason);
	LIT(&o, "\",\"terminated\":\"");
	addn(&o, t, 10);
	if (in->underground)
		LIT(&o, "\",\"underground\":true,\"unpaid_months\":");
	else
		LIT(&o, "\",\"underground\":false,\"unpaid_months\":");
	addi(&o, in->unpaid_months);
	LIT(&o, ",\"unused_leave_days\":");
	addi(&o, in->unused_leave_days);
	LIT(&o, ",\"wage_minor\":");
	addi(&o, in->wage_minor);
	LIT(&o, "}");
	if (o.over)
		return 0;
	buf[o.len] = '\0';
	return o.len;
}
