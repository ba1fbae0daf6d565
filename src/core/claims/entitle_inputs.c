/* entitle_inputs.c - the inputs of a case as a computed claim stores them, written
 * without jansson: claims compute stores them with every claim, and building and
 * dumping a JSON object per employment was a tenth of its cost. The text is the
 * same, byte for byte, as fs_entitle_inputs_json (entitle.c): keys sorted, compact,
 * no "as_of". A case this writer does not cover (conventions, a text JSON would
 * escape) returns 0 and the caller takes the general path. In a debug build,
 * claims compute compares the two on every employment. */
#include "entitle_int.h"

#include <stdio.h>
#include <string.h>

/* A text JSON writes as it is: printable ASCII without '"' or '\\'. */
static int plain(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F || *s == '"' || *s == '\\')
			return 0;
	return 1;
}

size_t fs_entitle_inputs_text(const struct fs_entitle_in *in, char *buf, size_t n)
{
	if (json_object_size(in->conventions) || !plain(in->jurisdiction) || !plain(in->reason))
		return 0;
	char h[11], t[11], hours[32], opt1[48] = "", opt2[40] = "", opt3[48] = "";
	fs_date_format(in->hired, h);
	fs_date_format(in->terminated, t);
	fs_money_format(in->overtime_hours_x100, 2, hours);
	if (in->has_accruals)
		snprintf(opt1, sizeof(opt1), "\"accruals_12m_minor\":%lld,", (long long)in->accruals_minor);
	if (in->days_worked)
		snprintf(opt2, sizeof(opt2), "\"days_worked_12m\":%lld,", (long long)in->days_worked);
	if (in->period_days)
		snprintf(opt3, sizeof(opt3), "\"period_working_days\":%lld,", (long long)in->period_days);
	int len = snprintf(buf, n,
			   "{%s\"age\":%lld,\"benefits_minor\":%lld,%s\"hired\":\"%s\",\"jurisdiction\":\"%s\","
			   "\"notice_served\":%s,\"overtime_hours\":\"%s\",%s\"reason\":\"%s\",\"terminated\":\"%s\","
			   "\"underground\":%s,\"unpaid_months\":%lld,\"unused_leave_days\":%lld,\"wage_minor\":%lld}",
			   opt1, (long long)in->age, (long long)in->benefits_minor, opt2, h, in->jurisdiction,
			   in->notice_served ? "true" : "false", hours, opt3, in->reason, t, in->underground ? "true" : "false",
			   (long long)in->unpaid_months, (long long)in->unused_leave_days, (long long)in->wage_minor);
	return len > 0 && (size_t)len < n ? (size_t)len : 0;
}
