/* gzip.c - see gzip.h. */
#include "gzip.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

char *fs_gzip(const char *raw, size_t len, int level, size_t *out_len)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (len > 0x7fffffffu || deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	uLong cap = deflateBound(&z, (uLong)len) + 32;
	char *out = malloc(cap);
	if (!out) {
		deflateEnd(&z);
		return NULL;
	}
	z.next_in = (Bytef *)raw;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*out_len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

/* q=0 (0, 0.0, 0.00, 0.000) refuses a coding */
static int q_zero(const char *p, const char *end)
{
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
			p++;
		if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			p += 2;
			if (p < end && *p == '0') {
				p++;
				if (p < end && *p == '.')
					p++;
				while (p < end && *p == '0')
					p++;
				return p == end || *p == ' ' || *p == '\t' || *p == ';';
			}
			return 0;
		}
		while (p < end && *p != ';')
			p++;
	}
	return 0;
}

int fs_accepts_gzip_header(const char *ae)
{
	if (!ae)
		return 0;
	for (const char *p = ae; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *tok = p;
		while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		size_t n = (size_t)(p - tok);
		const char *params = p;
		while (*p && *p != ',')
			p++;
		if (((n == 4 && !strncasecmp(tok, "gzip", 4)) || (n == 1 && *tok == '*')) && !q_zero(params, p))
			return 1;
	}
	return 0;
}

int fs_accepts_gzip(struct MHD_Connection *c)
{
	return fs_accepts_gzip_header(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"));
}
