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

static void add(struct out *o, const char *s)
{
	size_t k = strlen(s);
	if (o->len + k >= o->n) {
		o->over = 1;
		return;
	}
	memcpy(o->p + o->len, s, k);
	o->len += k;
}

static void addi(struct out *o, int64_t v)
{
	char d[24], *e = d + sizeof(d) - 1;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	*e = '\0';
	do
		*--e = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--e = '-';
	add(o, e);
}

static void key(struct out *o, const char *k)
{
	add(o, o->len > 1 ? ",\"" : "\"");
	add(o, k);
	add(o, "\":");
}

static void keyi(struct out *o, const char *k, int64_t v)
{
	key(o, k);
	addi(o, v);
}

static void keys(struct out *o, const char *k, const char *v)
{
	key(o, k);
	add(o, "\"");
	add(o, v);
	add(o, "\"");
}

size_t fs_entitle_inputs_text(const struct fs_entitle_in *in, char *buf, size_t n)
{
	if (json_object_size(in->conventions) || !plain(in->jurisdiction) || !plain(in->reason))
		return 0;
	char h[11], t[11], hours[32];
	fs_date_format(in->hired, h);
	fs_date_format(in->terminated, t);
	fs_money_format(in->overtime_hours_x100, 2, hours);
	struct out o = {buf, n, 0, 0};
	add(&o, "{"); /* the keys in jansson's sorted order */
	if (in->has_accruals)
		keyi(&o, "accruals_12m_minor", in->accruals_minor);
	keyi(&o, "age", in->age);
	keyi(&o, "benefits_minor", in->benefits_minor);
	if (in->days_worked)
		keyi(&o, "days_worked_12m", in->days_worked);
	keys(&o, "hired", h);
	keys(&o, "jurisdiction", in->jurisdiction);
	key(&o, "notice_served");
	add(&o, in->notice_served ? "true" : "false");
	keys(&o, "overtime_hours", hours);
	if (in->period_days)
		keyi(&o, "period_working_days", in->period_days);
	keys(&o, "reason", in->reason);
	keys(&o, "terminated", t);
	key(&o, "underground");
	add(&o, in->underground ? "true" : "false");
	keyi(&o, "unpaid_months", in->unpaid_months);
	keyi(&o, "unused_leave_days", in->unused_leave_days);
	keyi(&o, "wage_minor", in->wage_minor);
	add(&o, "}");
	if (o.over)
		return 0;
	buf[o.len] = '\0';
	return o.len;
}
