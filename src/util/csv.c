/* csv.c - streaming RFC 4180 reader. */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK (64u * 1024u)

struct mem_src {
	const char *data;
	size_t len;
	size_t pos;
};

struct fs_csv {
	fs_csv_read_fn read;
	void *ud;
	struct mem_src mem;
	char *chunk;
	size_t chunk_len, chunk_pos;
	int eof;
	int at_start;
	int pending_cr; /* last byte consumed was a CR ending a line */
	long line;      /* current physical line */
	long record_line;
	char sep;       /* ',' ';' or '\t'; 0 = find out from the first line */
	size_t max_field, max_fields;
	/* current record: concatenated NUL-terminated fields */
	char *text;
	size_t text_len, text_cap;
	size_t *starts;
	size_t nstarts, starts_cap;
	struct fs_csv_field *fields;
	size_t fields_cap;
	size_t nfields;
	/* the bytes that end a plain run (plain_run): bit 1 outside quotes (the
	 * separator, a quote, CR, LF), bit 2 inside (a quote, CR, LF); made once
	 * the separator is known (make_stops) */
	unsigned char stop[256];
	int failed; /* the error fs_csv_next returned: it returns it again */
	int bytewise; /* no plain runs: every byte through the state machine (tests) */
};

static long read_file(void *ud, char *buf, size_t n)
{
	FILE *f = ud;
	size_t got = fread(buf, 1, n, f);
	if (got == 0 && ferror(f))
		return -1;
	return (long)got;
}

static long read_mem(void *ud, char *buf, size_t n)
{
	struct mem_src *m = ud;
	size_t left = m->len - m->pos;
	if (n > left)
		n = left;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (long)n;
}

struct fs_csv *fs_csv_new(fs_csv_read_fn read, void *ud)
{
	struct fs_csv *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->chunk = malloc(CHUNK);
	if (!p->chunk) {
		free(p);
		return NULL;
	}
	p->read = read;
	p->ud = ud;
	p->at_start = 1;
	p->line = 1;
	p->sep = ',';
	p->max_field = FS_CSV_MAX_FIELD_DEFAULT;
	p->max_fields = FS_CSV_MAX_FIELDS_DEFAULT;
	return p;
}

struct fs_csv *fs_csv_new_file(FILE *f)
{
	return fs_csv_new(read_file, f);
}

struct fs_csv *fs_csv_new_mem(const char *data, size_t len)
{
	struct fs_csv *p = fs_csv_new(read_mem, NULL);
	if (!p)
		return NULL;
	p->mem.data = data;
	p->mem.len = len;
	p->ud = &p->mem;
	return p;
}

void fs_csv_free(struct fs_csv *p)
{
	if (!p)
		return;
	free(p->chunk);
	free(p->text);
	free(p->starts);
	free(p->fields);
	free(p);
}

void fs_csv_set_limits(struct fs_csv *p, size_t max_field, size_t max_fields)
{
	p->max_field = max_field;
	p->max_fields = max_fields;
}

void fs_csv_set_bytewise(struct fs_csv *p, int on)
{
	p->bytewise = on;
}

void fs_csv_set_separator(struct fs_csv *p, char sep)
{
	p->sep = sep;
}

char fs_csv_separator(const struct fs_csv *p)
{
	return p->sep ? p->sep : ',';
}

/* Next byte, or -1 at end, -2 on read error. */
static int getbyte(struct fs_csv *p)
{
	if (p->chunk_pos == p->chunk_len) {
		if (p->eof)
			return -1;
		long n = p->read(p->ud, p->chunk, CHUNK);
		if (n < 0)
			return -2;
		if (n == 0) {
			p->eof = 1;
			return -1;
		}
		p->chunk_len = (size_t)n;
		p->chunk_pos = 0;
	}
	return (unsigned char)p->chunk[p->chunk_pos++];
}

static int peekbyte(struct fs_csv *p)
{
	int c = getbyte(p);
	if (c >= 0)
		p->chunk_pos--;
	return c;
}

/* n bytes onto the record's text, one spare byte always left for the NUL
 * that ends a field */
static int text_add(struct fs_csv *p, const char *b, size_t n)
{
	if (p->text_len + n >= p->text_cap) {
		size_t cap = p->text_cap ? p->text_cap : 1024;
		while (p->text_len + n >= cap)
			cap *= 2;
		char *t = realloc(p->text, cap);
		if (!t)
			return FS_ENOMEM;
		p->text = t;
		p->text_cap = cap;
	}
	memcpy(p->text + p->text_len, b, n);
	p->text_len += n;
	return 0;
}

static int text_put(struct fs_csv *p, char c)
{
	return text_add(p, &c, 1);
}

static void make_stops(struct fs_csv *p)
{
	memset(p->stop, 0, sizeof(p->stop));
	p->stop['"'] = p->stop['\n'] = p->stop['\r'] = 3;
	p->stop[(unsigned char)p->sep] |= 1;
}

/* How many bytes from the chunk's position on the state machine would only
 * copy into the field: none of them the separator, a quote or a line end
 * (inside quotes: a quote or a line end), as far as the chunk goes. Most of a
 * file is such runs; taking each whole is what makes the reader fast. */
static size_t plain_run(const struct fs_csv *p, int quoted)
{
	const unsigned char *s = (const unsigned char *)p->chunk + p->chunk_pos;
	size_t n = p->chunk_len - p->chunk_pos, i = 0;
	unsigned char bit = quoted ? 2 : 1;
	while (i < n && !(p->stop[s[i]] & bit))
		i++;
	return i;
}

static int field_start(struct fs_csv *p, struct fs_error *err)
{
	if (p->nstarts >= p->max_fields)
		return fs_fail(err, FS_ELIMIT, NULL, "line %ld: more than %zu fields in a record",
			       p->record_line, p->max_fields);
	if (p->nstarts == p->starts_cap) {
		size_t cap = p->starts_cap ? p->starts_cap * 2 : 16;
		size_t *s = realloc(p->starts, cap * sizeof(*s));
		if (!s)
			return FS_ENOMEM;
		p->starts = s;
		p->starts_cap = cap;
	}
	p->starts[p->nstarts++] = p->text_len;
	return 0;
}

static int field_end(struct fs_csv *p)
{
	return text_put(p, '\0');
}

/* where: the line, and the column counted in fields (not bytes) */
static int fail_at(struct fs_csv *p, struct fs_error *err, int code, const char *what)
{
	int rc = fs_fail(err, code, NULL, "line %ld, column %zu: %s", p->line, p->nstarts ? p->nstarts : 1, what);
	if (err)
		err->line = p->line;
	return rc;
}

/* The separator of the first line (outside quotes) that occurs most often:
 * ',' then ';' then tab on a tie, ',' when the line has none. */
static void detect_separator(struct fs_csv *p)
{
	if (peekbyte(p) < 0) {
		p->sep = ',';
		return;
	}
	size_t count[3] = {0, 0, 0};
	int quoted = 0;
	for (size_t i = p->chunk_pos; i < p->chunk_len; i++) {
		char c = p->chunk[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted && c == ',')
			count[0]++;
		else if (!quoted && c == ';')
			count[1]++;
		else if (!quoted && c == '\t')
			count[2]++;
	}
	p->sep = count[1] > count[0] && count[1] >= count[2] ? ';' : count[2] > count[0] && count[2] > count[1] ? '\t' : ',';
}

static int fail_long(struct fs_csv *p, struct fs_error *err)
{
	char what[96];
	snprintf(what, sizeof(what), "field longer than the limit of %zu bytes", p->max_field);
	return fail_at(p, err, FS_ELIMIT, what);
}

static int csv_next(struct fs_csv *p, struct fs_error *err);

int fs_csv_next(struct fs_csv *p, struct fs_error *err)
{
	/* a reader stopped at an error stays stopped: where in the bytes it
	 * stopped is not something a caller may build on */
	if (p->failed)
		return fs_fail(err, p->failed, NULL, "line %ld: the file was not read past an error", p->line);
	int rc = csv_next(p, err);
	if (rc < 0)
		p->failed = rc;
	return rc;
}

static int csv_next(struct fs_csv *p, struct fs_error *err)
{
	p->text_len = 0;
	p->nstarts = 0;
	p->nfields = 0;
	int c;

	if (p->at_start) {
		p->at_start = 0;
		if (peekbyte(p) == 0xEF) {
			getbyte(p);
			if (getbyte(p) != 0xBB || getbyte(p) != 0xBF)
				return fail_at(p, err, FS_EINVAL, "file starts with a broken byte-order mark");
		}
		if (!p->sep)
			detect_separator(p);
		make_stops(p);
	}
	c = peekbyte(p);
	if (c == -2)
		return fail_at(p, err, FS_EIO, "read error");
	if (c == -1)
		return 0;

	p->record_line = p->line;
	int rc = field_start(p, err);
	if (rc)
		return rc;
	size_t field_len = 0;
	enum { UNQUOTED, QUOTED, AFTER_QUOTE } state = UNQUOTED;
	int field_begun = 0; /* any byte seen in this field */
	long quote_line = 0;

	for (;;) {
		if (state != AFTER_QUOTE && !p->bytewise) {
			size_t k = plain_run(p, state == QUOTED);
			if (k) {
				/* as the bytes one by one would: over the limit at the first byte past it */
				if (field_len + k > p->max_field)
					return fail_long(p, err);
				if ((rc = text_add(p, p->chunk + p->chunk_pos, k)))
					return rc;
				p->chunk_pos += k;
				field_len += k;
				field_begun = 1;
			}
		}
		c = getbyte(p);
		if (c == -2)
			return fail_at(p, err, FS_EIO, "read error");
		if (c == -1) {
			if (state == QUOTED) {
				int r = fs_fail(err, FS_EINVAL, NULL,
						"line %ld: a quoted field is never closed (missing \")",
						quote_line);
				if (err)
					err->line = quote_line;
				return r;
			}
			break;
		}
		if (state == QUOTED) {
			if (c == '"') {
				if (peekbyte(p) == '"') {
					getbyte(p);
				} else {
					state = AFTER_QUOTE;
					continue;
				}
			} else if (c == '\n' || c == '\r') {
				if (c == '\r' && peekbyte(p) == '\n') {
					if ((rc = text_put(p, '\r')))
						return rc;
					field_len++;
					c = getbyte(p);
				}
				p->line++;
			}
			if (++field_len > p->max_field)
				return fail_long(p, err);
			if ((rc = text_put(p, (char)c)))
				return rc;
			continue;
		}
		if (c == p->sep) {
			if ((rc = field_end(p)) || (rc = field_start(p, err)))
				return rc;
			field_len = 0;
			field_begun = 0;
			state = UNQUOTED;
			continue;
		}
		if (c == '\n' || c == '\r') {
			if (c == '\r' && peekbyte(p) == '\n')
				getbyte(p);
			p->line++;
			break;
		}
		if (state == AFTER_QUOTE)
			return fail_at(p, err, FS_EINVAL, "text after a closing quote; quote the whole field");
		if (c == '"') {
			if (field_begun)
				return fail_at(p, err, FS_EINVAL,
					       "quote inside an unquoted field; quote the field and double the quote");
			state = QUOTED;
			quote_line = p->line;
			field_begun = 1;
			continue;
		}
		field_begun = 1;
		if (++field_len > p->max_field)
			return fail_long(p, err);
		if ((rc = text_put(p, (char)c)))
			return rc;
	}
	if ((rc = field_end(p)))
		return rc;
	if (p->fields_cap < p->nstarts) {
		struct fs_csv_field *f = realloc(p->fields, p->nstarts * sizeof(*f));
		if (!f)
			return FS_ENOMEM;
		p->fields = f;
		p->fields_cap = p->nstarts;
	}
	for (size_t i = 0; i < p->nstarts; i++) {
		size_t end = i + 1 < p->nstarts ? p->starts[i + 1] : p->text_len;
		p->fields[i].data = p->text + p->starts[i];
		p->fields[i].len = end - p->starts[i] - 1;
	}
	p->nfields = p->nstarts;
	return 1;
}

int fs_csv_needs_guard(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && s[k] == '\'')
		k++;
	return k < n && s[k] && strchr("=+-@\t\r", s[k]) != NULL;
}

size_t fs_csv_unguard(const char *s, size_t n)
{
	return n >= 2 && s[0] == '\'' && fs_csv_needs_guard(s + 1, n - 1) ? 1 : 0;
}

size_t fs_csv_nfields(const struct fs_csv *p)
{
	return p->nfields;
}

const struct fs_csv_field *fs_csv_fields(const struct fs_csv *p)
{
	return p->fields;
}

long fs_csv_line(const struct fs_csv *p)
{
	return p->record_line;
}
